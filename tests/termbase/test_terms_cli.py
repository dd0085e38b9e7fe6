"""``carepack terms``: how each language's catalogs use its glossary, and candidate terms
proposed from the master texts by translate-toolkit's poterminology."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import TermbaseError
from pipeline.termbase.glossary import read_glossary_file

from ..conftest import Result, replace_in_po


def row(out: str, term: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.strip().startswith(term))
    return line.split()[-6:]


def test_terms_lists_usage(cli: Callable[..., Result], project_dir: Path) -> None:
    result = cli("terms", "es")
    assert result.code == 0
    assert result.out.startswith("es: 7 term(s) (locales/es/glossary.tbx)")
    # occurs, entries, approved, other, forbidden, untranslated
    assert row(result.out, "clinical trial") == ["2", "2", "2", "0", "0", "0"]
    assert row(result.out, "second line treatment") == ["12", "12", "12", "0", "0", "0"]
    replace_in_po(project_dir, "es", "estudios clínicos", "juicios clínicos")
    replace_in_po(project_dir, "es", "cuidados de apoyo", "cuidados paliativos")
    result = cli("terms", "es")
    assert row(result.out, "clinical trial") == ["2", "2", "1", "0", "1", "0"]
    assert row(result.out, "supportive care") == ["4", "4", "3", "1", "0", "0"]


def test_terms_json_covers_every_locale(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("terms", "--json").out)
    assert [d["locale"] for d in data] == ["es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"]
    zh = {t["source"]: t for t in data[1]["terms"]}
    assert zh["clinical trial"]["translation"] == "临床试验"
    assert zh["clinical trial"]["forbidden_variants"] == ["临床实验"]
    assert all(t["approved"] == t["entries"] > 0 for d in data for t in d["terms"])


def test_terms_reports_a_broken_glossary(cli: Callable[..., Result], project_dir: Path) -> None:
    (project_dir / "locales" / "fr" / "glossary.tbx").write_text("<martif><text>\n<body>")
    result = cli("terms")
    assert result.code == TermbaseError.exit_code
    assert "error: locales/fr/glossary.tbx:2 [fr]: not a valid TBX file" in result.err
    assert "fr: 0 term(s) (no glossary file)" in result.out
    assert "es: 7 term(s)" in result.out


def test_extract_proposes_phrases(cli: Callable[..., Result], project_dir: Path) -> None:
    result = cli("terms", "--extract", "--limit", "30")
    assert result.code == 0
    lines = [line.split(maxsplit=1) for line in result.out.splitlines()[1:]]
    shown = {text.lstrip("* ").strip(): text.startswith("*") for _, text in lines}
    assert shown["multiple myeloma"] is True  # already in the glossaries
    assert shown["clinical trials"] is True  # the plural of a glossary term
    assert shown["immune system"] is False
    assert shown["quality of life"] is False
    out = project_dir / "candidates.csv"
    result = cli("terms", "--extract", "--csv", str(out))
    assert result.code == 0
    terms = read_glossary_file(out, "es", "en")  # the glossary's own CSV form
    sources = {t.source for t in terms}
    assert "immune system" in sources and "multiple myeloma" not in sources
    assert all(t.translation == "" for t in terms)


def test_only_term_candidates_load_translate_toolkits_po_reader() -> None:
    """The build prints its summary through ``pipeline.commands``, which holds the terms
    commands too: translate-toolkit's PO reader and term extractor load only when
    candidates are extracted."""
    from ..conftest import in_a_new_interpreter

    done = in_a_new_interpreter(
        "import sys\n"
        "import pipeline.commands\n"
        "heavy = ('translate.storage.pypo', 'translate.tools.poterminology')\n"
        "assert not [m for m in heavy if m in sys.modules], sys.modules.keys()\n"
        "from pipeline.termbase.report import extract_candidates\n"
        "template = 'msgid \"\"\\nmsgstr \"\"\\n\\n' + ''.join(\n"
        '    f\'msgid "Ask about clinical trials {n}."\\nmsgstr ""\\n\\n\' for n in range(3))\n'
        "found = extract_candidates([('doc.pot', template)], [])\n"
        "assert any(c.text == 'clinical' for c in found), found\n"
        "assert all(m in sys.modules for m in heavy)\n"
        "print('ok')\n"
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
