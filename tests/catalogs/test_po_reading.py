"""Strict PO reading: every way a line can break is reported with file, line and locale,
exactly where GNU ``msgfmt`` stops, and the file is never read as a guess."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.catalogs.pofile import read_po
from pipeline.errors import PoFileError
from pipeline.project import Project

from ..conftest import Result

DOC = "myeloma-second-line"


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# Each case: how to break es/ui.po, and words the message must contain.
BREAKS: dict[str, tuple[Callable[[str], str], str]] = {
    "closing quote missing": (
        lambda t: _replace_once(t, 'msgstr "Idiomas"', 'msgstr "Idiomas'),
        "end-of-line within string",
    ),
    "opening quote missing": (
        lambda t: _replace_once(
            t, 'msgstr "Escuchar esta sección"', 'msgstr Escuchar esta sección"'
        ),
        "keyword",
    ),
    "keyword missing": (
        lambda t: _replace_once(t, 'msgstr "Idiomas"', '"Idiomas"'),
        "missing 'msgstr' section",
    ),
    "bad escape": (
        lambda t: _replace_once(t, 'msgstr "Idiomas"', 'msgstr "Idio\\qmas"'),
        "invalid control sequence",
    ),
    "stray line": (
        lambda t: _replace_once(t, 'msgstr "Idiomas"\n', 'msgstr "Idiomas"\nIdiomas del sitio\n'),
        "keyword",
    ),
    "duplicate msgid": (
        lambda t: t + '\nmsgctxt "navigation"\nmsgid "Languages"\nmsgstr "Lenguas"\n',
        "duplicate message definition (first defined at line",
    ),
    "more plural forms than the header says": (
        lambda t: _replace_once(
            t, 'msgstr[1] "{count} idiomas"\n', 'msgstr[1] "{count} idiomas"\nmsgstr[2] "x"\n'
        ),
        "nplurals = 2 (header, line 4) but some messages have 3 plural forms",
    ),
    "header without charset": (
        lambda t: _replace_once(t, '"Content-Type: text/plain; charset=UTF-8\\n"\n', ""),
        "charset",
    ),
}


def gnu_error_lines(path: Path) -> list[int]:
    """The lines GNU msgfmt itself names (a two-line message names two)."""
    done = subprocess.run(
        ["msgfmt", "--check-header", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    found = [re.match(re.escape(str(path)) + r":(\d+):", line) for line in done.stderr.splitlines()]
    return [int(match.group(1)) for match in found if match]


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_each_broken_line_is_an_error_where_msgfmt_stops(project: Project, case: str) -> None:
    path = project.po_path("es", "ui")
    breaker, words = BREAKS[case]
    path.write_text(breaker(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(PoFileError) as caught:
        read_po(path, "es")
    error = caught.value
    assert words in error.message
    assert error.path == path and error.locale == "es"
    if case == "header without charset":
        assert error.line == 1
    else:
        gnu = gnu_error_lines(path)
        if words == "end-of-line within string":  # GNU names the line after the open quote
            assert error.line == gnu[0] - 1
        else:
            assert error.line in gnu[:2]
    assert str(error).startswith(f"{path}:{error.line} [es]: ")
    project.update(["es"])
    assert path.read_bytes() == before


def test_the_issues_two_broken_lines_withhold_es_and_nothing_else(
    project: Project, cli: Callable[..., Result]
) -> None:
    """Before: polib read them as 'Idioma' and 'scuchar esta sección', check exited 0."""
    path = project.po_path("es", "ui")
    text = path.read_text(encoding="utf-8")
    text = _replace_once(text, 'msgstr "Idiomas"', 'msgstr "Idiomas')
    text = _replace_once(text, 'msgstr "Escuchar esta sección"', 'msgstr Escuchar esta sección"')
    path.write_text(text, encoding="utf-8")
    broken = text.splitlines().index('msgstr "Idiomas') + 1
    result = cli("check", "--json")
    assert result.code != 0
    data = json.loads(result.out)
    unreadable = data["unreadable"]
    assert [(u["locale"], u["line"]) for u in unreadable] == [("es", broken)]
    assert "end-of-line within string" in unreadable[0]["message"]
    published = {r["locale"] for r in data["gate"]["results"] if r["published"]}
    assert published == {"fr", "ru", "ar", "vi", "ht", "zh_Hans"}
    status = cli("status")
    assert status.code != 0 and f"{path}:{broken} [es]" in status.err


def test_latin1_file_is_refused_with_its_charset_named(project: Project) -> None:
    path = project.po_path("fr", "ui")
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    before = path.read_bytes()
    with pytest.raises(PoFileError) as caught:
        read_po(path, "fr")
    assert "ISO-8859-1" in caught.value.message and "msgconv" in caught.value.message
    first = next(i for i, line in enumerate(before.splitlines(), 1) if max(line, default=0) > 127)
    assert caught.value.line == first
    assert caught.value.locale == "fr"
    project.update(["fr"])
    assert path.read_bytes() == before


def test_a_latin1_declaration_on_utf8_text_is_refused(project: Project) -> None:
    path = project.po_path("fr", "ui")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("charset=UTF-8", "charset=ISO-8859-1"), encoding="utf-8")
    with pytest.raises(PoFileError) as caught:
        read_po(path, "fr")
    assert "UTF-8" in caught.value.message and caught.value.line == 1


def test_a_correct_file_is_read_unchanged(project: Project) -> None:
    path = project.po_path("es", "ui")
    po = read_po(path, "es")
    entry = next(e for e in po if e.msgid == "Listen to this section")
    assert entry.msgstr == "Escuchar esta sección"


def test_build_withholds_the_broken_locale_keeps_its_page_and_builds_the_rest(
    project: Project, project_dir: Path, cli: Callable[..., Result]
) -> None:
    """Before: build exited 0 and published 'scuchar esta sección' five times on the es page."""
    assert cli("build", "--no-audio").code == 0
    page = project_dir / "output" / DOC / "es" / "index.html"
    good = page.read_bytes()
    path = project.po_path("es", "ui")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        _replace_once(text, 'msgstr "Escuchar esta sección"', 'msgstr Escuchar esta sección"'),
        encoding="utf-8",
    )
    broken = path.read_bytes()
    line = text.splitlines().index('msgstr "Escuchar esta sección"') + 1
    result = cli("build", "--no-audio")
    assert result.code != 0
    assert "Withheld: myeloma-second-line/es" in result.out
    assert f"ui.po:{line} [es]" in result.out
    assert page.read_bytes() == good and "scuchar esta" not in page.read_text("utf-8")
    assert path.read_bytes() == broken
    for code in ("fr", "ru", "ar", "vi", "ht", "zh_Hans"):
        assert f"myeloma-second-line/{code}" in result.out.split("Published", 1)[1].split("\n")[0]
