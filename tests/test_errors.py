"""Every error a user can cause: a clear message naming file and line, a non-zero exit,
and nothing else lost or half-written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.catalogs.pofile import read_po
from pipeline.config import load_config
from pipeline.errors import ConfigError, LocaleError, PoFileError
from pipeline.locales import parse_locale
from pipeline.project import Project

from .conftest import Result

DOC = "myeloma-second-line"


def break_po(path: Path) -> int:
    """Insert a syntax error; return its line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 30)
    lines.insert(number, 'msgstr "a second msgstr"\n')
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_po_syntax_error_names_file_line_and_locale(project: Project) -> None:
    path = project.po_path("ru", DOC)
    line = break_po(path)
    with pytest.raises(PoFileError) as caught:
        read_po(path, "ru")
    assert caught.value.path == path and caught.value.locale == "ru"
    assert caught.value.line is not None and abs(caught.value.line - line) <= 1
    assert str(caught.value).startswith(f"{path}:{caught.value.line} [ru]: ")


def _second_msgstr(lines: list[str]) -> tuple[list[str], int]:
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and i > 30)
    # msgfmt names the msgstr that comes second: the original one, after the new line
    return [*lines[:number], 'msgstr "a second msgstr"\n', *lines[number:]], number + 2


def _unclosed_quote(lines: list[str]) -> tuple[list[str], int]:
    number = next(i for i, line in enumerate(lines) if line.startswith('"') and i > 30)
    lines[number] = lines[number].rstrip("\n").rstrip('"') + "\n"
    return lines, number + 1


def _duplicate(lines: list[str]) -> tuple[list[str], int]:
    start = next(i for i, line in enumerate(lines) if line.startswith('msgid "') and i > 20)
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return [*lines, "\n", *lines[start:end]], len(lines) + 2


def _bad_escape(lines: list[str]) -> tuple[list[str], int]:
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and i > 30)
    lines[number] = lines[number].replace('msgstr "', 'msgstr "\\q', 1)
    return lines, number + 1


def _template_charset(lines: list[str]) -> tuple[list[str], int]:
    return [line.replace("charset=UTF-8", "charset=CHARSET") for line in lines], 1


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_second_msgstr, "msgfmt: "),
        (_unclosed_quote, "end-of-line within string"),
        (_duplicate, "duplicate message definition"),
        (_bad_escape, "msgfmt: "),
        (_template_charset, "UTF-8 PO files only"),
    ],
    ids=["second msgstr", "unclosed quote", "duplicate", "bad escape", "charset not set"],
)
def test_broken_po_is_not_rewritten_and_other_locales_still_update(
    project_dir: Path,
    cli: Callable[..., Result],
    damage: Callable[[list[str]], tuple[list[str], int]],
    expected: str,
) -> None:
    """msgmerge is the strict reader of an update: what it refuses is reported as the
    strict reader reports it (msgfmt's message, file, line and locale), the file is left
    as it was, and every other catalog is still merged."""
    project = Project(load_config(project_dir))
    broken = project.po_path("vi", DOC)
    lines, line = damage(broken.read_text(encoding="utf-8").splitlines(keepends=True))
    broken.write_text("".join(lines), encoding="utf-8")
    before = broken.read_bytes()
    source = project_dir / "source" / f"{DOC}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("is crucial for", "is vital for"),
        encoding="utf-8",
    )
    result = cli("update")
    assert result.code == PoFileError.exit_code
    assert f"error: {broken}:{line} [vi]: " in result.err and expected in result.err
    assert "Traceback" not in result.err
    assert broken.read_bytes() == before
    for code in ("es", "ar"):
        merged = read_po(project.po_path(code, DOC))
        assert any("fuzzy" in e.flags and "vital" in e.msgid for e in merged)


def test_update_refuses_a_catalog_that_is_not_utf8(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    project = Project(load_config(project_dir))
    path = project.po_path("fr", DOC)
    text = path.read_text(encoding="utf-8")
    first = next(index for index, char in enumerate(text) if ord(char) > 127)
    line = text[:first].count("\n") + 1
    path.write_bytes(
        text.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1", "replace")
    )
    before = path.read_bytes()
    result = cli("update")
    assert result.code == PoFileError.exit_code
    assert f"{path}:{line} [fr]: the file is in ISO-8859-1" in result.err
    assert "msgconv -t UTF-8" in result.err and path.read_bytes() == before


def test_duplicate_entry_is_an_error_with_line(project: Project) -> None:
    path = project.po_path("es", "ui")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "Skip to main content"\nmsgstr "x"\n', encoding="utf-8")
    with pytest.raises(PoFileError) as caught:
        read_po(path, "es")
    assert caught.value.line == len(text.splitlines()) + 2
    assert "duplicate" in caught.value.message


@pytest.mark.parametrize("code", ["xx_YY", "../es", "es/../../etc", "", "ES", "zh-Hans", "es_ES_x"])
def test_bad_locale_codes_are_refused_before_any_path(code: str) -> None:
    with pytest.raises(LocaleError):
        parse_locale(code)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('locales = ["es", "xx_YY"]', "unknown locale 'xx_YY'"),
        ('locales = ["../es"]', "malformed locale code '../es'"),
        ('locales = "es"', "must be a list"),
        ("reading_level_target = 40", "between 1 and 20"),
        ("colour = 3", "unknown setting"),
        ('locales = ["es", "es"]', "listed twice"),
        ('strict = "yes"', "must be true or false"),
    ],
)
def test_bad_config_is_refused_with_file_and_line(
    project_dir: Path, setting: str, expected: str, cli: Callable[..., Result]
) -> None:
    config = project_dir / "carepack.toml"
    key = setting.split(" ")[0]
    lines = [
        line
        for line in config.read_text(encoding="utf-8").splitlines()
        if not line.startswith(f"{key} ")
    ]
    lines.insert(2, setting)
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(project_dir)
    assert expected in caught.value.message
    assert caught.value.path == config and caught.value.line == 3
    result = cli("status")
    assert result.code == ConfigError.exit_code
    assert f"{config}:3" in result.err
    assert not (project_dir / "locales" / "xx_YY").exists()


def test_malformed_source_stops_update_without_touching_catalogs(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")}
    source = project_dir / "source" / f"{DOC}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(":::\n", ""), encoding="utf-8")
    result = cli("update")
    assert result.code != 0 and "never closed" in result.err
    assert f"source/{DOC}.md:" in result.err
    assert {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")} == before
