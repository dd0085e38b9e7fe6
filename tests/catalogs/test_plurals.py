"""Plural forms the gettext tools agree with, and a gettext runtime finding every catalog
(``zh_CN`` included) in the compiled tree."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest

from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import UiText
from pipeline.locales import GNU_PLURAL_FORMS, parse_locale
from pipeline.project import Project

from ..conftest import ROOT, in_a_new_interpreter

SHIPPED = ["es", "fr", "ru", "ar", "vi", "ht", "zh_Hans"]
MINUTES = ("{count} minute of audio", "{count} minutes of audio")


def msginit_plural_forms(code: str, tmp_path: Path) -> str | None:
    """What GNU msginit writes as Plural-Forms for ``code`` (None when it has none)."""
    out = tmp_path / f"{code}.po"
    subprocess.run(
        ["msginit", "--no-translator", "-l", code, "-i", ROOT / "locales" / "ui.pot", "-o", out],
        check=True,
        capture_output=True,
    )
    po = read_po(out)
    return po.metadata.get("Plural-Forms")


@pytest.mark.parametrize("code", [*SHIPPED, "it", "pt_BR", "pl", "de"])
def test_plural_forms_are_msginits_where_it_has_the_language(code: str, tmp_path: Path) -> None:
    gnu = msginit_plural_forms(code.replace("zh_Hans", "zh_CN"), tmp_path)
    ours = parse_locale(code).plural_forms
    if gnu is None:
        # msginit 0.21 has no plural table entry (ar, ht, zh): CLDR's is used, documented.
        assert code.split("_")[0] not in GNU_PLURAL_FORMS
    else:
        assert ours == gnu


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_catalogs_carry_the_locales_plural_forms(code: str) -> None:
    info = parse_locale(code)
    for path in (ROOT / "locales" / code / "LC_MESSAGES").glob("*.po"):
        po = read_po(path, code)
        assert po.metadata["Plural-Forms"] == info.plural_forms, path
        for entry in po:
            if entry.msgid_plural and not entry.obsolete:
                assert sorted(entry.msgstr_plural) == list(range(info.num_plurals)), path
    assert (info.num_plurals == 2) == (code in {"es", "fr", "ht"})


def test_a_new_locale_gets_msginits_header(project: Project, tmp_path: Path) -> None:
    assert not project.update(["it"]).errors
    po = read_po(project.po_path("it", "ui"), "it")
    assert po.metadata["Plural-Forms"] == msginit_plural_forms("it", tmp_path)
    entry = next(e for e in po if e.msgid == MINUTES[0])
    assert sorted(entry.msgstr_plural) == [0, 1]


def test_gettext_runtime_asked_for_zh_cn_finds_the_chinese_catalogs(project: Project) -> None:
    assert not project.compile().errors
    tree = project.config.output_dir / "locale"
    zh = gettext.translation("ui", localedir=tree, languages=["zh_CN"])
    expected = next(
        e.msgstr for e in read_po(project.po_path("zh_Hans", "ui")) if e.msgid == "Contents"
    )
    assert zh.pgettext("navigation", "Contents") == expected != "Contents"
    doc = gettext.translation("myeloma-second-line", localedir=tree, languages=["zh_CN"])
    po = read_po(project.po_path("zh_Hans", "myeloma-second-line"))
    entry = next(e for e in po if e.msgctxt is None and e.msgstr)
    assert doc.gettext(entry.msgid) == entry.msgstr
    assert gettext.translation("ui", localedir=tree, languages=["zh_Hans"]).info() == zh.info()


@pytest.mark.parametrize("code", SHIPPED)
def test_page_plurals_match_the_gettext_runtime(project: Project, code: str) -> None:
    """The page's ngettext picks the same form as a gettext runtime on the compiled .mo."""
    assert not project.compile().errors
    runtime = gettext.translation(
        "ui", localedir=project.config.output_dir / "locale", languages=[code]
    )
    ui = UiText(parse_locale(code), read_po(project.po_path(code, "ui"), code))
    for count in (0, 1, 2, 3, 5, 11, 21, 100, 1_000_000):
        assert ui.ngettext(*MINUTES, count) == runtime.ngettext(*MINUTES, count), count


def test_babel_plural_table_is_loaded_only_when_asked_for() -> None:
    """Validating a locale needs no plural table; GNU's table answers where it has the
    language, and Babel's catalog support (5 ms to load) only for the others."""
    script = (
        "import sys\n"
        "from pipeline.locales import parse_locale\n"
        "infos = [parse_locale(c) for c in sys.argv[1:]]\n"
        "assert 'babel.messages' not in sys.modules\n"
        "print(infos[0].plural_forms)\n"
        "assert 'babel.messages' not in sys.modules, 'loaded for a language GNU knows'\n"
        "print(infos[1].num_plurals, infos[1].plural_forms)\n"
        "assert 'babel.messages' in sys.modules\n"
    )
    done = in_a_new_interpreter(script, "ru", "ar")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.splitlines()
    assert first == GNU_PLURAL_FORMS["ru"]
    assert second.startswith("6 nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2")
