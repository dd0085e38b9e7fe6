"""Stable entry identity: inserting a paragraph into the master text changes that one
entry in every catalog (and the template's date), never the comments of later entries."""

from __future__ import annotations

import difflib
from pathlib import Path

from pipeline.catalogs.pofile import read_po
from pipeline.project import Project

DOC = "myeloma-second-line"
NEW = "Ask your care team which of these options they would suggest for you, and why."


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed and lines added, without the header's date."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if "POT-Creation-Date" in line:
            continue
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_an_inserted_paragraph_changes_one_entry_in_each_catalog(project: Project) -> None:
    files = [project.pot_path(DOC)] + [project.po_path(c, DOC) for c in project.config.locales]
    before = {path: path.read_text(encoding="utf-8") for path in files}
    source = project.config.source_dir / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    first = text.index("\n## ") + 1
    source.write_text(f"{text[:first]}{NEW}\n\n{text[first:]}", encoding="utf-8")
    assert not Project(project.config).update().errors
    for path in files:
        after = path.read_text(encoding="utf-8")
        removed, added = changes(before[path], after)
        assert removed == [], (path, removed)
        assert added[-1] == "" or added[0] == "", (path, added)
        entry = "\n".join(line for line in added if line)
        assert entry.count("msgid ") == 1 and NEW in entry.replace('"\n"', ""), (path, added)
        new = next(e for e in read_po(path) if e.msgid == NEW)
        assert new.occurrences == [(f"source/{DOC}.md", "")]
        assert "Section: intro" in new.comment


def test_references_name_the_master_text_and_section(project: Project) -> None:
    pot = read_po(project.pot_path(DOC))
    sections = {
        line.split("Section: ", 1)[1]
        for e in pot
        for line in e.comment.split("\n")
        if line.startswith("Role: ")
    }
    assert {"intro", "disclaimer"} <= sections
    assert all(e.occurrences == [(f"source/{DOC}.md", "")] for e in pot)


def test_shipped_catalogs_have_no_running_numbers(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2] / "locales"
    for path in [*root.glob("*.pot"), *root.glob("*/LC_MESSAGES/*.po")]:
        text = path.read_text(encoding="utf-8")
        assert " Id: " not in text and ".md:" not in text, path
