"""``carepack update`` merges as GNU ``msgmerge --previous`` does: each case runs msgmerge on
the same old catalog and new template and compares the result entry by entry, then the
file body (everything after the header) byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.pofile import generate_po, read_po
from pipeline.project import Project
from pipeline.termbase.match import TERMS_LABEL

from ..conftest import msgfmt_check

DOC = "myeloma-second-line"
PARAGRAPH = (
    "This article explores the general approaches to second line treatment, focusing on "
    "supportive care and emerging strategies without delving into specific medical terminology."
)
DISCLAIMER = "The content of the articles discussing symptoms"


def source_path(project: Project) -> Path:
    return project.config.source_dir / f"{DOC}.md"


def edit_source(project: Project, old: str, new: str) -> None:
    path = source_path(project)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def update(project: Project) -> None:
    outcome = Project(project.config).update()
    assert not outcome.errors, outcome.errors


def gnu_msgmerge(old: Path, template: Path, out: Path) -> polib.POFile:
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(out), str(old), str(template)],
        check=True,
    )
    return polib.pofile(str(out))


def without_terms(comment: str) -> str:
    """An extracted comment without the glossary line carepack adds per language."""
    return "\n".join(line for line in comment.split("\n") if not line.startswith(TERMS_LABEL))


def entries(po: polib.POFile) -> list[tuple[object, ...]]:
    return [
        (
            e.obsolete,
            e.msgctxt,
            e.msgid,
            e.msgstr,
            sorted(e.msgstr_plural.items()),
            e.flags,
            e.previous_msgctxt,
            e.previous_msgid,
            e.tcomment,
            without_terms(e.comment),
            e.occurrences,
        )
        for e in po
    ]


def body(text: str) -> str:
    """A PO file without its header entry and the per-language glossary lines."""
    lines = text.split("\n\n", 1)[1].split("\n")
    return "\n".join(line for line in lines if not line.startswith(f"#. {TERMS_LABEL}"))


def assert_same_as_msgmerge(
    project: Project, old: Path, code: str = "es", domain: str = DOC
) -> polib.POFile:
    """Update, then compare with msgmerge on the same old file and the new template."""
    update(project)
    ours_path = project.po_path(code, domain)
    gnu_path = old.with_suffix(".gnu.po")
    theirs = gnu_msgmerge(old, project.pot_path(domain), gnu_path)
    ours = read_po(ours_path, code)
    assert entries(ours) == entries(theirs)
    assert body(ours_path.read_text("utf-8")) == body(gnu_path.read_text("utf-8"))
    assert msgfmt_check(ours_path).returncode == 0
    return ours


def keep(project: Project, tmp_path: Path, code: str = "es", domain: str = DOC) -> Path:
    """A copy of a catalog as it is now (the 'old' input to both merges)."""
    copy = tmp_path / f"old-{code}-{domain}.po"
    shutil.copy(project.po_path(code, domain), copy)
    return copy


def find(po: polib.POFile, msgid: str, obsolete: bool = False) -> polib.POEntry:
    return next(e for e in po if e.msgid == msgid and e.obsolete == obsolete)


def test_restored_paragraph_comes_back_translated(project: Project, tmp_path: Path) -> None:
    translation = find(read_po(project.po_path("es", DOC)), PARAGRAPH).msgstr
    edit_source(project, PARAGRAPH + "\n\n", "")
    update(project)
    assert find(read_po(project.po_path("es", DOC)), PARAGRAPH, obsolete=True)
    old = keep(project, tmp_path)
    edit_source(project, "## ", PARAGRAPH + "\n\n## ")
    ours = assert_same_as_msgmerge(project, old)
    restored = find(ours, PARAGRAPH)
    assert restored.msgstr == translation and "fuzzy" not in restored.flags


def test_restored_disclaimer_paragraph_keeps_every_locale_published(
    project: Project, tmp_path: Path
) -> None:
    text = source_path(project).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(DISCLAIMER))
    edit_source(project, line + "\n", "")
    update(project)
    olds = {code: keep(project, tmp_path, code) for code in project.config.locales}
    edit_source(project, "## Disclaimer\n\n", "## Disclaimer\n\n" + line + "\n")
    for code, old in olds.items():
        ours = assert_same_as_msgmerge(project, old, code)
        assert "fuzzy" not in find(ours, line).flags, code


def test_restored_and_edited_paragraph_is_offered_fuzzy_from_obsolete(
    project: Project, tmp_path: Path
) -> None:
    edit_source(project, PARAGRAPH + "\n\n", "")
    update(project)
    old = keep(project, tmp_path)
    edited = PARAGRAPH.replace("emerging strategies", "new strategies")
    edit_source(project, "## ", edited + "\n\n## ")
    ours = assert_same_as_msgmerge(project, old)
    entry = find(ours, edited)
    assert "fuzzy" in entry.flags and entry.previous_msgid == PARAGRAPH and entry.msgstr


def test_new_paragraph_like_a_current_one_is_offered_its_translation(
    project: Project, tmp_path: Path
) -> None:
    old = keep(project, tmp_path)
    twin = PARAGRAPH.replace("This article explores", "This page explores")
    edit_source(project, PARAGRAPH + "\n\n", PARAGRAPH + "\n\n" + twin + "\n\n")
    ours = assert_same_as_msgmerge(project, old)
    entry = find(ours, twin)
    assert "fuzzy" in entry.flags and entry.previous_msgid == PARAGRAPH
    assert entry.msgstr == find(ours, PARAGRAPH).msgstr


def test_xliff_round_trip_without_context_keeps_translations_fuzzy(
    project: Project, tmp_path: Path
) -> None:
    """po2xliff + xliff2po (translate-toolkit) drop msgctxt; msgmerge matches across contexts."""
    path = project.po_path("es", DOC)
    xlf = tmp_path / "es.xlf"
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "po2xliff", "-i", path, "-o", xlf], check=True, capture_output=True)
    subprocess.run([bin_dir / "xliff2po", "-i", xlf, "-o", path], check=True, capture_output=True)
    back = read_po(path, "es")
    assert all(e.msgctxt is None for e in back)
    template = read_po(project.pot_path(DOC))
    with_context = [e for e in template if e.msgctxt]
    old = keep(project, tmp_path)
    ours = assert_same_as_msgmerge(project, old)
    assert not [e for e in ours if e.obsolete and e.msgstr]
    for tentry in with_context:
        entry = next(e for e in ours if (e.msgctxt, e.msgid) == (tentry.msgctxt, tentry.msgid))
        assert entry.msgstr and "fuzzy" in entry.flags, entry.msgid


def test_changed_context_is_shown_as_previous_msgctxt(project: Project, tmp_path: Path) -> None:
    path = project.po_path("es", DOC)
    po = read_po(path, "es")
    entry = next(e for e in po if e.msgctxt == "table header")
    entry.msgctxt = "column"
    path.write_text(generate_po(po), encoding="utf-8")
    old = keep(project, tmp_path)
    ours = assert_same_as_msgmerge(project, old)
    merged = next(e for e in ours if e.msgid == entry.msgid and e.msgctxt == "table header")
    assert "fuzzy" in merged.flags and merged.previous_msgctxt == "column"
    assert '#| msgctxt "column"\n' in path.read_text("utf-8")


def test_translators_comments_and_flags_are_kept_as_msgmerge_keeps_them(
    project: Project, tmp_path: Path
) -> None:
    """msgmerge keeps translator comments and fuzzy; format and wrap flags come from the
    template (a translator's python-format is dropped by GNU too, see README)."""
    path = project.po_path("fr", "ui")
    po = read_po(path, "fr")
    entry = find(po, "Listen to this section")
    entry.tcomment = "Checked with the oncology nurse, 2026-11."
    entry.flags += ["python-format", "no-wrap"]
    path.write_text(generate_po(po), encoding="utf-8")
    old = keep(project, tmp_path, "fr", "ui")
    ours = assert_same_as_msgmerge(project, old, "fr", "ui")
    assert find(ours, "Listen to this section").tcomment == entry.tcomment
    before = path.read_bytes()
    update(project)
    assert path.read_bytes() == before
    # an editor re-saving through msgcat and the next update no longer undo each other
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
    assert gnu.stdout == before


@pytest.mark.parametrize("flag", ["no-wrap", ""])
def test_writer_honours_no_wrap_as_msgcat_does(tmp_path: Path, flag: str) -> None:
    long = "Una frase larga que sigue y sigue y sigue más allá del ancho de la página, " * 2
    po = polib.POFile(check_for_duplicates=False)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid=long + "\nfin", msgstr=long, flags=[flag] if flag else []))
    path = tmp_path / "nowrap.po"
    path.write_text(generate_po(po), encoding="utf-8")
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    assert path.read_text(encoding="utf-8") == gnu.stdout
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (max(len(line) for line in lines) > 79) == (flag == "no-wrap")
