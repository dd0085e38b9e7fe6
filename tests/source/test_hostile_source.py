"""Hostile and broken master texts (issue 13, points 3, 5, 7 and 10): each refused with its
file and line, only that document stops, and what was built before is unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, SourceError
from pipeline.source.bounds import MAX_BLOCK_CHARS, MAX_SOURCE_BYTES

from ..conftest import DOC, Result, only_locales, outputs

BOMB = """---
id: bomb
title: Bomb
lang: en
reviewed: 2026-11-27
reading_level: 8
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---

# Bomb
"""


@pytest.fixture
def built(project_dir: Path, cli: Callable[..., Result]) -> dict[str, str]:
    """A fresh copy of the shipped project, built in Spanish; its outputs' digests."""
    only_locales(project_dir, ["es"])
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    return outputs(project_dir)


def copy_of_document(project_dir: Path, new_id: str) -> Path:
    source = project_dir / "source" / f"{DOC}.md"
    path = project_dir / "source" / f"{new_id}.md"
    text = source.read_text(encoding="utf-8").replace(f"id: {DOC}", f"id: {new_id}")
    path.write_text(text, encoding="utf-8")
    return path


def only_that_document_fails(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str], expected: str
) -> Result:
    """Build: exit 3, the message first, the shipped document still built and unchanged."""
    result = cli("build", "--no-audio")
    assert result.code == SourceError.exit_code, result.out + result.err
    assert "Traceback" not in result.err
    assert f"error: {expected}" in result.err, result.err
    assert f"Published (2): {DOC}/en, {DOC}/es" in result.out
    after = outputs(project_dir)
    for name, digest in built.items():
        assert after.get(name) == digest, f"{name} changed"
    for command in ("check", "status", "update"):
        other = cli(command)
        assert expected in other.err, f"{command}: {other.err}"
        assert other.code != 0
    return result


def test_a_yaml_alias_bomb_is_refused_with_its_line(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    (project_dir / "source" / "bomb.md").write_text(BOMB, encoding="utf-8")
    only_that_document_fails(
        project_dir, cli, built, "source/bomb.md:7: YAML anchor &a in the front matter"
    )


def test_an_alias_alone_is_refused_with_its_line(tmp_path: Path) -> None:
    from pipeline.source.parse import read_document

    path = tmp_path / "doc.md"
    path.write_text(BOMB.replace("id: bomb", "id: *i"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"YAML alias \*i in the front matter") as caught:
        read_document(path)
    assert caught.value.line == 2


def test_a_symlink_to_etc_passwd_stops_only_that_document(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    (project_dir / "source" / "passwd.md").symlink_to("/etc/passwd")
    only_that_document_fails(
        project_dir, cli, built, "source/passwd.md: a symbolic link to /etc/passwd, outside source/"
    )


def test_bytes_that_are_not_utf8_name_their_line(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    path = copy_of_document(project_dir, "latin1")
    lines = path.read_bytes().split(b"\n")
    lines[11] += b" caf\xe9"
    path.write_bytes(b"\n".join(lines))
    only_that_document_fails(project_dir, cli, built, "source/latin1.md:12: not UTF-8 text")


def test_a_master_text_beyond_the_bound_is_refused_unread(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    path = copy_of_document(project_dir, "huge")
    filler = ("Lenalidomide is taken by mouth once a day. " * 20 + "\n\n") * 6000
    path.write_text(path.read_text(encoding="utf-8") + filler, encoding="utf-8")
    assert path.stat().st_size > MAX_SOURCE_BYTES
    result = only_that_document_fails(project_dir, cli, built, "source/huge.md: ")
    assert f"at most {MAX_SOURCE_BYTES / 1e6:.1f} MB" in result.err


def test_a_five_megabyte_paragraph_is_refused_with_its_line(tmp_path: Path) -> None:
    """The issue's 5 MB paragraph: refused, with its line, not spoken for minutes."""
    from pipeline.source.parse import parse_document

    text = (Path(__file__).parents[2] / "source" / f"{DOC}.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if i > 10 and line and line[0].isalpha())
    lines[number] = "Take it with water. " * (MAX_BLOCK_CHARS // 20 + 1)
    with pytest.raises(SourceError) as caught:
        parse_document("\n".join(lines), Path("source/long.md"))
    assert caught.value.line == number + 1
    assert f"a block may be at most {MAX_BLOCK_CHARS}" in caught.value.message


def test_script_of_a_language_not_configured(project_dir: Path, cli: Callable[..., Result]) -> None:
    result = cli("script", DOC, "pt")
    assert result.code == ConfigError.exit_code
    assert "carepack.toml: pt is not a configured language" in result.err
    assert "LC_MESSAGES" not in result.err


def test_script_of_a_broken_document_shows_why(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    (project_dir / "source" / "bomb.md").write_text(BOMB, encoding="utf-8")
    result = cli("script", "bomb", "es")
    assert result.code == SourceError.exit_code
    assert re.search(r"source/bomb\.md:7: YAML anchor", result.err), result.err


def test_a_raw_html_block_is_a_warning_and_is_not_read_aloud(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es"])
    source = project_dir / "source" / f"{DOC}.md"
    lines = source.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("## "))
    lines[at:at] = ["<script>alert('carepack')</script>", ""]
    source.write_text("\n".join(lines), encoding="utf-8")
    check = cli("check")
    expected = f"source/{DOC}.md:{at + 1}: [en] warning: raw-html: raw HTML is shown"
    assert expected in check.out, check.out
    script = cli("script", DOC, "en")
    assert script.code == 0 and "alert" not in script.out and "script>" not in script.out
    build = cli("build", "--no-audio")
    assert "Traceback" not in build.err
    page = (project_dir / "output" / DOC / "en" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;carepack&#x27;)&lt;/script&gt;" in page or (
        "&lt;script&gt;alert('carepack')&lt;/script&gt;" in page
    )
    assert "<script>" not in page


def test_build_and_check_count_the_same_warnings(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es", "vi", "fr"])
    build = cli("build", "--no-audio")
    check = cli("check")
    built = re.search(r"^Warnings: (\d+) ", build.out, re.M)
    checked = re.search(r"^\d+ error\(s\), (\d+) warning\(s\)", check.out, re.M)
    assert built and checked, build.out + check.out
    assert built[1] == checked[1] and int(built[1]) > 0


def test_a_megabyte_msgstr_withholds_only_its_language(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    """The issue's 1 MB msgstr: refused with its file and line, no speech worker crash."""
    from pipeline.catalogs.pofile import read_po
    from pipeline.checks.rules import MAX_TRANSLATION_CHARS

    only_locales(project_dir, ["es", "fr"])
    assert cli("build", "--no-audio").code == 0
    before = outputs(project_dir)
    path = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(path, "es")
    entry = next(e for e in po if e.msgid.startswith("Supportive care"))
    entry.msgstr = "Los cuidados de apoyo son importantes. " * 27_000  # about 1 MB
    po.save(str(path))
    line = next(e.linenum for e in read_po(path, "es") if e.msgid == entry.msgid)
    result = cli("build")
    assert result.code == 6, result.err
    assert "Traceback" not in result.err
    assert f"LC_MESSAGES/{DOC}.po:{line}: [es] error: too-long:" in result.out
    assert f"an entry may be at most {MAX_TRANSLATION_CHARS}" in result.out
    assert "Withheld: myeloma-second-line/es" in result.out
    assert (project_dir / "output" / DOC / "fr" / "audio" / "full.mp3").is_file()
    after = outputs(project_dir)
    for kept in (f"packs/{DOC}-es.zip", f"{DOC}/es/index.html"):
        assert after[kept] == before[kept]
