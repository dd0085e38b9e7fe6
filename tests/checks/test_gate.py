"""The disclaimer gate, on a copy of the shipped project: a broken disclaimer withholds
its locale, and only that locale."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polib

from pipeline.catalogs.catalog import is_disclaimer_entry as is_disclaimer
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.ui import DOMAIN as UI_DOMAIN
from pipeline.checks.findings import Finding, check_catalog
from pipeline.checks.gate import GateResult, gate, gate_json, render_gate
from pipeline.config import load_config
from pipeline.locales import parse_locale
from pipeline.project import Project

DOC = "myeloma-second-line"
SENTENCE_END = "healthcare professionals when necessary."
WITH_NUMBER = "healthcare professionals when necessary, and call 911 in an emergency."


def verdicts(project_dir: Path, threshold: float | None = None) -> dict[str, GateResult]:
    """Check every locale's catalogs and run the gate on each, as a build would."""
    project = Project(load_config(project_dir))
    document = project.documents()[0]
    results = {}
    for code in project.config.locales:
        locale = parse_locale(code)
        findings: list[Finding] = []
        for domain in (document.id, UI_DOMAIN):
            path = project.relative(project.po_path(code, domain))
            po = project.catalog(code, domain)
            findings += check_catalog(po, path, locale, domain)
        po = project.catalog(code, document.id)
        path = project.relative(project.po_path(code, document.id))
        limit = project.config.completeness_threshold if threshold is None else threshold
        results[code] = gate(document, locale, po, path, limit, findings)
    return results


def edit_entry(
    project_dir: Path,
    code: str,
    choose: Callable[[polib.POEntry], bool],
    change: Callable[[polib.POEntry], None],
    domain: str = DOC,
) -> int:
    """Change the first entry ``choose`` picks in a locale's copied catalog; its new line."""
    path = project_dir / "locales" / code / "LC_MESSAGES" / f"{domain}.po"
    po = read_po(path, code)
    entry = next(e for e in po if not e.obsolete and choose(e))
    change(entry)
    po.save(str(path))  # polib's writer: the project's wrapping is not under test here
    reread = read_po(path, code)
    return next(e.linenum for e in reread if e.msgid == entry.msgid)


def disclaimer_paragraph(entry: polib.POEntry) -> bool:
    return is_disclaimer(entry) and entry.msgctxt is None


def only_withheld(results: dict[str, GateResult], code: str) -> GateResult:
    withheld = {c for c, r in results.items() if not r.published}
    assert withheld == {code}, render_gate(list(results.values()))
    return results[code]


def test_shipped_locales_all_pass(project_dir: Path) -> None:
    results = verdicts(project_dir)
    assert len(results) == 7
    for result in results.values():
        assert result.published, render_gate([result])
        assert result.reasons == ()
        assert result.completeness == 100.0


def test_emptied_disclaimer_withholds_only_that_locale(project_dir: Path) -> None:
    def empty(entry: polib.POEntry) -> None:
        entry.msgstr = ""

    line = edit_entry(project_dir, "es", disclaimer_paragraph, empty)
    result = only_withheld(verdicts(project_dir), "es")
    assert {(r.check, r.line) for r in result.reasons} == {("disclaimer-missing", line)}
    reason = result.reasons[0]
    assert reason.path == Path("locales/es/LC_MESSAGES/myeloma-second-line.po")
    assert str(reason).startswith(f"locales/es/LC_MESSAGES/{DOC}.po:{line}: [es] error: ")
    assert result.completeness < 100.0


def test_fuzzy_disclaimer_withholds_only_that_locale(project_dir: Path) -> None:
    def make_fuzzy(entry: polib.POEntry) -> None:
        entry.flags.insert(0, "fuzzy")

    line = edit_entry(project_dir, "zh_Hans", lambda e: e.msgid == "Disclaimer", make_fuzzy)
    result = only_withheld(verdicts(project_dir), "zh_Hans")
    assert [(r.check, r.line, r.msgctxt) for r in result.reasons] == [
        ("disclaimer-fuzzy", line, "disclaimer heading")
    ]


def test_gate_alone_catches_fuzzy_and_empty_disclaimer(project_dir: Path) -> None:
    """Without any check findings, the gate still reads the disclaimer's state itself."""

    def make_fuzzy(entry: polib.POEntry) -> None:
        entry.flags.append("fuzzy")

    def empty(entry: polib.POEntry) -> None:
        entry.msgstr = ""

    fuzzy_line = edit_entry(project_dir, "ru", disclaimer_paragraph, make_fuzzy)
    empty_line = edit_entry(project_dir, "ru", lambda e: e.msgid == "Disclaimer", empty)
    project = Project(load_config(project_dir))
    document = project.documents()[0]
    po = project.catalog("ru", document.id)
    result = gate(document, parse_locale("ru"), po, Path("ru.po"), 100.0, [])
    assert not result.published
    assert sorted((r.check, r.line) for r in result.reasons) == sorted(
        [("disclaimer-fuzzy", fuzzy_line), ("disclaimer-missing", empty_line)]
    )


def test_changed_number_in_disclaimer_withholds_only_that_locale(project_dir: Path) -> None:
    """The master text gets a number in its disclaimer; every locale's translation is
    updated with it (Arabic in Arabic-Indic digits) except French, which says 912."""
    source = project_dir / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    assert SENTENCE_END in text
    source.write_text(text.replace(SENTENCE_END, WITH_NUMBER), encoding="utf-8")
    new_msgid = next(
        b.text
        for b in Project(load_config(project_dir)).documents()[0].disclaimer
        if "911" in b.text
    )
    lines = {}
    for code, number in [
        ("es", "911"),
        ("zh_Hans", "911"),
        ("vi", "911"),
        ("ar", "٩١١"),
        ("ru", "911"),
        ("ht", "911"),
        ("fr", "912"),
    ]:

        def add_number(entry: polib.POEntry, number: str = number) -> None:
            entry.msgid = new_msgid
            entry.msgstr = f"{entry.msgstr} ({number})"

        lines[code] = edit_entry(project_dir, code, disclaimer_paragraph, add_number)
    result = only_withheld(verdicts(project_dir), "fr")
    assert [(r.check, r.line) for r in result.reasons] == [("numbers", lines["fr"])]
    assert "'911'" in result.reasons[0].message and "'912'" in result.reasons[0].message


def test_error_outside_the_disclaimer_withholds(project_dir: Path) -> None:
    def add_html(entry: polib.POEntry) -> None:
        entry.msgstr = f"<b>{entry.msgstr}</b>"

    line = edit_entry(project_dir, "ru", lambda e: e.msgid.startswith("Supportive care"), add_html)
    result = only_withheld(verdicts(project_dir), "ru")
    assert [(r.check, r.line) for r in result.reasons] == [("html", line)]


def test_broken_ui_placeholder_withholds(project_dir: Path) -> None:
    def rename(entry: polib.POEntry) -> None:
        entry.msgstr = entry.msgstr.replace("{date}", "{fecha}")

    edit_entry(project_dir, "es", lambda e: "{date}" in e.msgid, rename, domain=UI_DOMAIN)
    result = only_withheld(verdicts(project_dir), "es")
    assert [(r.check, r.path.name) for r in result.reasons] == [("placeholders", "ui.po")]


def test_completeness_threshold(project_dir: Path) -> None:
    def empty(entry: polib.POEntry) -> None:
        entry.msgstr = ""

    line = edit_entry(project_dir, "vi", lambda e: e.msgid.startswith("Lifestyle"), empty)
    result = only_withheld(verdicts(project_dir), "vi")
    assert [(r.check, r.line) for r in result.reasons] == [("incomplete", line)]
    assert "100% is required" in result.reasons[0].message
    lenient = verdicts(project_dir, threshold=90)
    assert all(r.published for r in lenient.values())
    assert 90 < lenient["vi"].completeness < 100


def test_disclaimer_entry_missing_from_catalog(project_dir: Path) -> None:
    path = project_dir / "locales" / "ht" / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(path, "ht")
    kept = polib.POFile(wrapwidth=79, check_for_duplicates=False)
    kept.header, kept.metadata = po.header, po.metadata
    for entry in po:
        if not disclaimer_paragraph(entry):
            kept.append(entry)
    kept.save(str(path))
    result = only_withheld(verdicts(project_dir, threshold=0), "ht")
    assert [(r.check, r.line) for r in result.reasons] == [("disclaimer-missing", None)]
    assert "not in the catalog" in result.reasons[0].message


def test_render_and_json(project_dir: Path) -> None:
    def empty(entry: polib.POEntry) -> None:
        entry.msgstr = ""

    edit_entry(project_dir, "ar", disclaimer_paragraph, empty)
    results = list(verdicts(project_dir).values())
    text = render_gate(results)
    assert f"{DOC} [ar] Arabic: WITHHELD" in text
    assert f"{DOC} [fr] French: published, 100.0% translated" in text
    assert "Withheld: ar." in text
    data = json.loads(json.dumps(gate_json(results)))
    assert data["withheld"] == ["ar"]
    ar = next(r for r in data["results"] if r["locale"] == "ar")
    assert ar["published"] is False and ar["reasons"][0]["check"] == "disclaimer-missing"
