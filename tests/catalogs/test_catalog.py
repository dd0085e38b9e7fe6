"""Extraction, update (against GNU msgmerge), compile and status, on a copy of the project."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.catalog import DISCLAIMER_NOTE, REVIEW_STATES
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.update_stamp import STAMP_NAME
from pipeline.project import Project

from ..conftest import ROOT, Result, msgfmt_check, replace_in_po

DOC = "myeloma-second-line"
OLD = "Given the evolving nature of medical research, understanding the available options is crucial for patients and caregivers."
NEW = "Given the evolving nature of medical research, understanding the available options is vital for patients and caregivers."


def edit_source(project_dir: Path, old: str, new: str) -> None:
    path = project_dir / "source" / f"{DOC}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def entry_for(po: polib.POFile, fragment: str) -> polib.POEntry:
    return next(e for e in po if fragment in e.msgid)


def test_pot_has_roles_context_references_and_header(project: Project) -> None:
    project.extract()
    pot = read_po(project.pot_path(DOC))
    for key in ("Project-Id-Version", "POT-Creation-Date", "Content-Type", "MIME-Version"):
        assert pot.metadata.get(key), key
    assert all(e.comment.startswith("Role: ") for e in pot)
    assert all(e.occurrences and e.occurrences[0][0] == f"source/{DOC}.md" for e in pot)
    headers = [e for e in pot if e.msgctxt == "table header"]
    assert [e.msgid for e in headers] == ["Option", "General Approach", "Considerations"]
    disclaimer = [e for e in pot if DISCLAIMER_NOTE in e.comment]
    assert len(disclaimer) == 2
    assert msgfmt_check(project.pot_path(DOC)).returncode == 0
    ui = read_po(project.pot_path("ui"))
    plural = entry_for(ui, "{count} minute of audio")
    assert plural.msgid_plural == "{count} minutes of audio"
    assert "python-brace-format" in entry_for(ui, "Last reviewed on").flags


def test_every_shipped_po_passes_msgfmt_check() -> None:
    for path in sorted((ROOT / "locales").rglob("*.po")):
        result = msgfmt_check(path)
        assert result.returncode == 0, result.stderr
        assert "warning" not in result.stderr, result.stderr


def test_update_twice_is_byte_identical(project: Project, project_dir: Path) -> None:
    project.update()
    before = {p: p.read_bytes() for p in project_dir.rglob("*.po*")}
    (project.config.cache_dir / STAMP_NAME).unlink()  # merge again, not "nothing changed"
    second = project.update()
    assert second.written == []
    assert {p: p.read_bytes() for p in project_dir.rglob("*.po*")} == before


def test_shipped_catalogs_are_already_up_to_date(project: Project) -> None:
    """`make update` on a clean clone leaves `git status` clean."""
    assert project.update().written == []


def test_changed_sentence_becomes_fuzzy_with_previous_msgid(
    project_dir: Path, project: Project
) -> None:
    before = {code: read_po(project.po_path(code, DOC)) for code in project.config.locales}
    edit_source(project_dir, OLD, NEW)
    outcome = Project(project.config).update()
    assert not outcome.errors
    for code in project.config.locales:
        po = read_po(project.po_path(code, DOC))
        changed = entry_for(po, "vital for patients")
        assert "fuzzy" in changed.flags
        assert changed.previous_msgid == entry_for(before[code], "crucial for patients").msgid
        assert changed.msgstr == entry_for(before[code], "crucial for patients").msgstr
        others = [e for e in po if e is not changed and not e.obsolete]
        assert all("fuzzy" not in e.flags and e.msgstr for e in others), code
        old = {e.msgid: e.msgstr for e in before[code]}
        assert all(old[e.msgid] == e.msgstr for e in others)
        assert msgfmt_check(project.po_path(code, DOC)).returncode == 0


def test_removed_string_becomes_obsolete(project_dir: Path, project: Project) -> None:
    paragraph = "This article explores the general approaches to second line treatment, focusing on supportive care and emerging strategies without delving into specific medical terminology.\n\n"
    edit_source(project_dir, paragraph, "")
    Project(project.config).update()
    po = read_po(project.po_path("es", DOC))
    gone = entry_for(po, "This article explores")
    assert gone.obsolete and gone.msgstr
    assert "#~ msgid" in project.po_path("es", DOC).read_text(encoding="utf-8")


def test_translator_comments_survive_a_change(project_dir: Path, project: Project) -> None:
    """Comments are the translator's; flags other than fuzzy are the template's, as in
    msgmerge (tests/catalogs/test_merge.py compares each case with GNU msgmerge)."""
    path = project.po_path("fr", DOC)
    po = read_po(path)
    entry = entry_for(po, "crucial for patients")
    entry.tcomment = "Checked with the oncology nurse, 2026-11."
    po.save(str(path))
    edit_source(project_dir, OLD, NEW)
    Project(project.config).update()
    Project(project.config).update()
    merged = entry_for(read_po(path), "vital for patients")
    assert merged.tcomment == "Checked with the oncology nurse, 2026-11."
    assert merged.flags == ["fuzzy"]


def test_update_agrees_with_gnu_msgmerge(
    project_dir: Path, project: Project, tmp_path: Path
) -> None:
    """Same input to msgmerge and to carepack: the same fuzzy entries, previous msgids and obsoletes."""
    old_po = tmp_path / "old.po"
    shutil.copy(project.po_path("ru", DOC), old_po)
    paragraph = "This article explores the general approaches to second line treatment, focusing on supportive care and emerging strategies without delving into specific medical terminology.\n\n"
    edit_source(project_dir, OLD, NEW)
    edit_source(project_dir, paragraph, "")
    fresh = Project(project.config)
    fresh.update()
    gnu = tmp_path / "gnu.po"
    subprocess.run(
        [
            "msgmerge",
            "--quiet",
            "--previous",
            "-o",
            str(gnu),
            str(old_po),
            str(fresh.pot_path(DOC)),
        ],
        check=True,
    )
    ours, theirs = read_po(fresh.po_path("ru", DOC)), read_po(gnu)

    def summary(po: polib.POFile) -> set[tuple[object, ...]]:
        return {
            (e.msgctxt, e.msgid, e.msgstr, e.obsolete, "fuzzy" in e.flags, e.previous_msgid)
            for e in po
        }

    assert summary(ours) == summary(theirs)


def test_new_locale_gets_a_correct_header(project: Project) -> None:
    outcome = project.update(["pt_BR"])
    assert not outcome.errors
    po = read_po(project.po_path("pt_BR", DOC))
    assert po.metadata["Language"] == "pt_BR"
    assert po.metadata["Plural-Forms"].startswith("nplurals=")
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Last-Translator"] == "carepack"
    assert all(not e.msgstr for e in po)
    assert msgfmt_check(project.po_path("pt_BR", DOC)).returncode == 0
    # A new file's review state is one the README lists (draft until reviewed).
    assert po.metadata["X-Review-Status"] == "draft"
    assert po.metadata["X-Review-Status"] in REVIEW_STATES
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{state}`" in readme for state in REVIEW_STATES)


def test_compiled_mo_is_read_by_gettext(project: Project) -> None:
    outcome = project.compile()
    assert not outcome.errors and outcome.written
    with project.mo_path("es", "ui").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Listen to this section") != "Listen to this section"
    assert catalog.ngettext("{count} minute of audio", "{count} minutes of audio", 5).startswith(
        "{count}"
    )
    again = project.compile()
    assert again.written == []


def test_status_json_reports_every_locale_complete(cli: Callable[..., Result]) -> None:
    import json

    result = cli("status", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data["locales"]) == {"es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"}
    for code, info in data["locales"].items():
        doc = info["domains"][DOC]
        assert doc["percent"] == 100.0 and doc["disclaimer_complete"], code
        assert info["domains"]["ui"]["percent"] == 100.0
        assert doc["review"] == "draft"
    table = cli("status")
    assert "draft translation, not yet reviewed" in table.out


def test_a_catalog_is_compiled_again_only_when_it_or_its_mo_changed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged catalog whose MO files are as the last compile left them is not read
    again; an edited catalog, or an MO file edited or deleted by hand, is made again."""
    first = project.compile()
    assert not first.errors and len(first.written) == 14 + 2  # zh_Hans's under zh_CN too
    read: list[str] = []
    catalog = Project.catalog

    def noting(self: Project, locale: str, domain: str) -> polib.POFile:
        read.append(f"{locale}/{domain}")
        return catalog(self, locale, domain)

    monkeypatch.setattr(Project, "catalog", noting)
    again = project.compile()
    assert read == [] and again.written == [] and len(again.unchanged) == 16
    before = project.mo_path("es", DOC).read_bytes()
    replace_in_po(project.root, "es", "mieloma", "MIELOMA")
    project.mo_path("fr", "ui").write_bytes(b"edited by hand")
    project.mo_path("vi", "ui").unlink()
    third = project.compile()
    assert sorted(read) == ["es/" + DOC, "fr/ui", "vi/ui"]
    assert sorted(
        p.relative_to(project.root / "output" / "locale").as_posix() for p in third.written
    ) == [f"es/LC_MESSAGES/{DOC}.mo", "fr/LC_MESSAGES/ui.mo", "vi/LC_MESSAGES/ui.mo"]
    assert project.mo_path("es", DOC).read_bytes() != before
    with project.mo_path("fr", "ui").open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Listen to this section") != (
            "Listen to this section"
        )
