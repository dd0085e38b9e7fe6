"""Writers edit, translators catch up, readers never lose their page (issue 14), end to end
through the command line: a one-word edit, a critical edit, a new language, a removed one,
a language no voice speaks, --strict, and ``carepack status``."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.dates import format_date

from pipeline.catalogs.pofile import read_po
from pipeline.config import load_config
from pipeline.errors import BuildError
from pipeline.pack.verify import verify_pack
from pipeline.project import Project
from pipeline.publishing.record import PublishState, decide

from .conftest import DOC, LATER, Result, add_front_matter, edit_one_word, only_locales

TARGETS = ["es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"]


def pot_date(project_dir: Path) -> dt.date:
    pot = read_po(project_dir / "locales" / f"{DOC}.pot")
    return dt.date.fromisoformat(pot.metadata["POT-Creation-Date"][:10])


def fill_from_spanish(path: Path, domain: str) -> None:
    """Stand-in for a translator: every entry translated (with the Spanish translations)."""
    spanish = path.parents[2] / "es" / "LC_MESSAGES" / f"{domain}.po"
    done = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(spanish))}
    po = polib.pofile(str(path))
    for entry in po:
        source = done[(entry.msgctxt, entry.msgid)]
        if entry.msgid_plural:
            forms = list(source.msgstr_plural.values())
            entry.msgstr_plural = {i: forms[min(i, len(forms) - 1)] for i in entry.msgstr_plural}
        else:
            entry.msgstr = source.msgstr
    po.save(str(path))


def test_a_one_word_edit_keeps_every_translation_up_marked_older(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("build", "--no-audio").code == 0
    out = project_dir / "output"
    first = pot_date(project_dir)
    edit_one_word(project_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    assert cli("update").code == 0
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    assert "Published (1): myeloma-second-line/en" in result.out
    index = (out / "index.html").read_text(encoding="utf-8")
    for code in TARGETS:
        # once per locale and document, with the entry's file and line
        assert result.out.count(f"Pending: {DOC}/{code}:") == 1
        po = f"locales/{code}/LC_MESSAGES/{DOC}.po"
        assert re.search(rf"  {re.escape(po)}:\d+: entry is fuzzy", result.out)
        assert f'href="{DOC}/{code}/index.html"' in index  # still linked
        assert f'href="packs/{DOC}-{code}.zip"' in index
        manifest = verify_pack(out / "packs" / f"{DOC}-{code}.zip")
        assert manifest["publication"]["state"] == "published-older"
        assert manifest["publication"]["text_date"] == first.isoformat()
        assert manifest["publication"]["source_updated"] == "2026-12-01"
    assert "7 translation(s) pending (not a failure)" in result.out
    # marked in the reader's language: page, pack README, index
    old = format_date(first, format="long", locale="es")
    older = (
        f"Esta traducción corresponde al texto tal como estaba el {old}; "
        "el texto en inglés se actualizó el 1 de diciembre de 2026."
    )
    page = (out / DOC / "es" / "index.html").read_text(encoding="utf-8")
    assert older in page and older in index
    # the page is the translation as published: the old sentence, not the fuzzy guess
    with zipfile.ZipFile(out / "packs" / f"{DOC}-es.zip") as archive:
        assert older in archive.read("README.txt").decode("utf-8")
    assert "هذه الترجمة للنص كما كان في" in (out / DOC / "ar" / "index.html").read_text("utf-8")
    record = json.loads((out / "published.json").read_text(encoding="utf-8"))
    es = record["documents"][DOC]["locales"]["es"]
    assert es["state"] == "published-older" and es["text_date"] == first.isoformat()
    assert es["review"] == "draft" and es["version"] == "1" and es["review_date"]
    status = cli("status")
    assert re.search(
        r"myeloma-second-line\s+es\s+published-older\s+translation of the text", status.out
    )
    # the translator catches up: published again, no mark
    po_path = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(po_path, "es")
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    po.save(str(po_path))
    again = cli("build", "--no-audio")
    assert again.code == 0
    assert f"Published (2): {DOC}/en, {DOC}/es" in again.out
    assert older not in (out / DOC / "es" / "index.html").read_text(encoding="utf-8")
    assert verify_pack(out / "packs" / f"{DOC}-es.zip")["publication"]["state"] == "published"


def test_a_critical_edit_withdraws_older_translations_and_links_the_english(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("build", "--no-audio").code == 0
    out = project_dir / "output"
    edit_one_word(project_dir)
    add_front_matter(
        project_dir,
        "withdraw_older: 2026-12-01\nwithdraw_reason: The dose in the table was corrected.\n",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    assert cli("update").code == 0
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    assert "The dose in the table was corrected." in result.out
    index = (out / "index.html").read_text(encoding="utf-8")
    for code in TARGETS:
        assert not (out / DOC / code).exists()
        assert not (out / "packs" / f"{DOC}-{code}.zip").exists()
        assert f'href="{DOC}/{code}/index.html"' not in index
    arabic = index[index.index('<li lang="ar" dir="rtl"') :]
    arabic = arabic[: arabic.index("</li>\n\n")]
    assert "يجري تحديث هذه الترجمة" in arabic  # "being updated", in Arabic
    assert f'href="{DOC}/en/index.html" hreflang="en"' in arabic
    record = json.loads((out / "published.json").read_text(encoding="utf-8"))
    assert record["documents"][DOC]["locales"]["fr"]["state"] == "withdrawn"
    status = cli("status")
    assert re.search(r"myeloma-second-line\s+fr\s+withdrawn\s+taken down: The dose", status.out)


def test_strict_makes_pending_a_failure(project_dir: Path, cli: Callable[..., Result]) -> None:
    only_locales(project_dir, ["es", "fr"])
    edit_one_word(project_dir)
    assert cli("update").code == 0
    assert cli("build", "--no-audio").code == 0
    result = cli("build", "--no-audio", "--strict")
    assert result.code == BuildError.exit_code
    assert "2 translation(s) pending, and strict is on" in result.err
    config = project_dir / "carepack.toml"
    config.write_text(config.read_text("utf-8").replace("strict = false", "strict = true"), "utf-8")
    assert cli("build", "--no-audio").code == BuildError.exit_code


def test_a_new_language_is_pending_then_published_with_its_default_voice_then_removed(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es", "pt_BR"])
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    assert "not found" not in result.out + result.err
    messages = project_dir / "locales" / "pt_BR" / "LC_MESSAGES"
    assert (messages / f"{DOC}.po").is_file() and (messages / "ui.po").is_file()
    assert read_po(messages / "ui.po").metadata["X-Review-Status"] == "draft"
    assert result.out.count(f"Pending: {DOC}/pt_BR:") == 1
    assert re.search(r"locales/pt_BR/LC_MESSAGES/ui\.po: (\d+) of \1 not translated", result.out)
    assert re.search(
        r"Pending: myeloma-second-line/pt_BR: 0\.0% translated \(0 fuzzy, 31 not translated, \d+ interface",
        result.out,
    )
    index = (project_dir / "output" / "index.html").read_text(encoding="utf-8")
    assert "In preparation" in index and f"packs/{DOC}-pt_BR.zip" not in index
    assert re.search(r"myeloma-second-line\s+pt_BR\s+pending", cli("status").out)
    # translated: published, spoken by espeak-ng's Brazilian Portuguese voice
    fill_from_spanish(messages / f"{DOC}.po", DOC)
    fill_from_spanish(messages / "ui.po", "ui")
    only_locales(project_dir, ["pt_BR"])
    result = cli("build")
    assert result.code == 0, result.out + result.err
    manifest = verify_pack(project_dir / "output" / "packs" / f"{DOC}-pt_BR.zip")
    assert manifest["audio"] is not None and manifest["audio"]["tracks"]
    assert Project(load_config(project_dir)).config.speech.voice_for("pt_BR") == "roa/pt-BR"
    # removed from carepack.toml: its outputs go, its catalogs stay
    only_locales(project_dir, ["es"])
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    assert f"removed the outputs of {DOC}/pt_BR" in result.out
    out = project_dir / "output"
    assert not (out / DOC / "pt_BR").exists()
    assert not (out / "packs" / f"{DOC}-pt_BR.zip").exists()
    assert "pt_BR" not in (out / "index.html").read_text(encoding="utf-8")
    assert (messages / f"{DOC}.po").is_file()


def test_a_language_no_voice_speaks_gets_page_and_pack_without_audio(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["yo"])  # Yoruba: in CLDR, not spoken by espeak-ng
    assert cli("build", "--no-audio").code == 0
    messages = project_dir / "locales" / "yo" / "LC_MESSAGES"
    fill_from_spanish(messages / f"{DOC}.po", DOC)
    fill_from_spanish(messages / "ui.po", "ui")
    result = cli("build")
    assert result.code == 0, result.out + result.err
    assert f"No audio: {DOC}/yo: no espeak-ng voice speaks Yoruba" in result.out
    out = project_dir / "output"
    manifest = verify_pack(out / "packs" / f"{DOC}-yo.zip")
    assert manifest["audio"] is None
    said = "No hay audio en este idioma: todavía no hay en este sistema ninguna voz que lo hable."
    assert said in (out / DOC / "yo" / "index.html").read_text(encoding="utf-8")
    assert said in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("publishable", "pending", "previous_date", "same_text", "withdraw", "expected"),
    [
        (True, False, None, False, None, PublishState.PUBLISHED),
        (False, False, "2026-11-27", False, None, PublishState.WITHHELD),
        (False, True, None, False, None, PublishState.PENDING),
        (False, True, "2026-11-27", False, None, PublishState.OLDER),
        (False, True, "2026-11-27", True, None, PublishState.PUBLISHED),
        (False, True, "2026-11-27", False, "2026-12-01", PublishState.WITHDRAWN),
        (False, True, "2026-12-02", False, "2026-12-01", PublishState.OLDER),
    ],
)
def test_decide(
    publishable: bool,
    pending: bool,
    previous_date: str | None,
    same_text: bool,
    withdraw: str | None,
    expected: PublishState,
) -> None:
    from pipeline.publishing.record import Published

    previous = (
        None
        if previous_date is None
        else Published(
            PublishState.PUBLISHED,
            "now" if same_text else "before",
            dt.date.fromisoformat(previous_date),
            "1",
            dt.date(2026, 11, 27),
            "draft",
            "",
        )
    )
    withdraw_date = dt.date.fromisoformat(withdraw) if withdraw else None
    state, older = decide(
        publishable, pending, previous, "now", dt.date(2026, 12, 3), withdraw_date
    )
    assert state is expected
    assert (older is not None) == (expected is PublishState.OLDER)
