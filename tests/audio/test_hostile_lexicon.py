"""Hostile and broken lexicons (issue 13, points 1 and 5): a lexicon may not change the
disclaimer's words, every substitution is shown in the script, and a broken lexicon of one
language withholds only that language."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.catalogs.pofile import read_po
from pipeline.checks.spoken_disclaimer import changes_the_word
from pipeline.errors import BuildError, CheckError

from ..conftest import DOC, Result, only_locales, outputs

PLS = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="es">
  <lexeme><grapheme>no</grapheme><alias>sí</alias></lexeme>
</lexicon>
"""


def test_a_lexicon_that_reverses_the_disclaimer_is_an_error(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    """The issue's steps: 'no' said as 'sí' in the Spanish disclaimer."""
    only_locales(project_dir, ["es"])
    (project_dir / "locales" / "es" / "lexicon.pls").write_text(PLS, encoding="utf-8")
    result = cli("check")
    assert result.code == CheckError.exit_code
    assert "locales/es/lexicon.pls:4: [es] error: speech-lexicon: " in result.out
    assert "say 'sí' where the translation says 'no'" in result.out
    script = cli("script", DOC, "es")
    assert script.code == 0
    disclaimer = script.out.split("disclaimer:")[-1]
    assert "que los lectores sí interpreten" in disclaimer  # what it would say…
    assert "[lexicon: 'no' is said as 'sí', locales/es/lexicon.pls:4]" in disclaimer  # …marked


def test_the_script_marks_every_substitution(project_dir: Path, cli: Callable[..., Result]) -> None:
    """Outside the disclaimer a lexicon may say another word; the script shows each one."""
    pls = PLS.replace(
        "<grapheme>no</grapheme><alias>sí</alias>",
        "<grapheme>terapia</grapheme><alias>tratamiento</alias>",
    )
    (project_dir / "locales" / "es" / "lexicon.pls").write_text(pls, encoding="utf-8")
    po = read_po(project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po")
    written = sum(len(re.findall(r"\b[Tt]erapia\b", entry.msgstr)) for entry in po)
    result = cli("script", DOC, "es")
    assert result.code == 0
    lines = result.out.splitlines()
    marks = [i for i, line in enumerate(lines) if line.startswith("    [lexicon: ")]
    assert len(marks) == written > 0
    for i in marks:
        assert "is said as" in lines[i] and "locales/es/lexicon.pls:4]" in lines[i]
        above = next(line for line in reversed(lines[:i]) if not line.startswith("    ["))
        assert "ratamiento" in above and "erapia" not in above


@pytest.mark.parametrize(
    ("written", "alias", "changed"),
    [
        ("no", "sí", True),
        ("not", "now", True),
        ("never", "always", True),
        ("Dr.", "doctor", False),
        ("EE. UU.", "Estados Unidos", False),
        ("FDA", "F D A", False),
        ("%", "por ciento", False),
        ("Velcade", "Velkeid", False),
        ("lenalidomida", "lenalidomída", False),
    ],
)
def test_what_counts_as_changing_a_word(written: str, alias: str, changed: bool) -> None:
    assert changes_the_word(written, alias) is changed


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("lexicon.toml", 'separator = ", "\nspeed = 3\n', "locales/es/lexicon.toml:2 [es]:"),
        ("lexicon.toml", b'plus = "m\xe1s"\n', "locales/es/lexicon.toml:1 [es]:"),
        (
            "lexicon.pls",
            '<?xml version="1.0"?>\n<!DOCTYPE lexicon [<!ENTITY a "aaaa">]>\n<lexicon/>\n',
            "locales/es/lexicon.pls:2 [es]:",
        ),
    ],
)
def test_a_broken_lexicon_withholds_only_its_language(
    project_dir: Path, cli: Callable[..., Result], name: str, content: str | bytes, where: str
) -> None:
    only_locales(project_dir, ["es", "fr"])
    assert cli("build", "--no-audio").code == 0
    before = outputs(project_dir)
    path = project_dir / "locales" / "es" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("build", "--no-audio")
    assert result.code == BuildError.exit_code, result.err
    assert "Traceback" not in result.err
    assert f"error: {where} " in result.err, result.err
    assert "Withheld: myeloma-second-line/es" in result.out
    assert f"Published (2): {DOC}/en, {DOC}/fr" in result.out
    after = outputs(project_dir)
    for kept in (f"packs/{DOC}-es.zip", f"{DOC}/es/index.html"):  # the last good Spanish
        assert after[kept] == before[kept]
    assert (project_dir / "output" / "packs" / f"{DOC}-fr.zip").is_file()
    script = cli("script", DOC, "es")
    assert script.code != 0 and where in script.err
