"""The termbase: TBX and CSV glossaries, term matching, the ``Terms:`` comment after
``carepack update``, and the term check (warning, forbidden variant as an error),
on the shipped catalogs and on catalogs changed here."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from translate.storage.tbx import tbxfile

from pipeline.catalogs.pofile import read_po
from pipeline.checks.locale import check_locale
from pipeline.checks.rules import CHECKERS, terms
from pipeline.config import load_config
from pipeline.errors import TermbaseError
from pipeline.project import Project
from pipeline.termbase.glossary import (
    Glossary,
    Term,
    load_glossary,
    parse_tbx,
    read_glossary_file,
    write_tbx,
)
from pipeline.termbase.match import annotate, forbidden_used, terms_in, uses_approved

from ..conftest import DATA, ROOT, Result, replace_in_po

TERMBASE = DATA / "termbase"
SHIPPED = ("es", "zh_Hans", "vi", "ar", "ru", "ht", "fr")
REQUIRED_TERMS = {
    "multiple myeloma",
    "plasma cell",
    "clinical trial",
    "supportive care",
    "second line treatment",
    "healthcare professional",
    "disclaimer",
}
DOC = "myeloma-second-line"


def sources(text: str, found: list[Term]) -> list[str]:
    return [term.source for term in terms_in(text, found)]


# -- files ------------------------------------------------------------------------


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_glossary_has_the_articles_terms(code: str) -> None:
    glossary, errors = load_glossary(ROOT / "locales", code, "en")
    assert errors == []
    assert {t.source for t in glossary.terms} >= REQUIRED_TERMS
    assert all(t.translation and t.part_of_speech == "noun" and t.note for t in glossary.terms)


@pytest.mark.parametrize("code", SHIPPED)
def test_tbx_round_trip_with_translate_toolkit(code: str) -> None:
    path = ROOT / "locales" / code / "glossary.tbx"
    read = read_glossary_file(path, code, "en")
    written = write_tbx(Glossary(code, tuple(read)), "en")
    again = parse_tbx(written, Path("x.tbx"), code, "en")
    assert [(t.source, t.translation, t.variants, t.forbidden, t.note) for t in again] == [
        (t.source, t.translation, t.variants, t.forbidden, t.note) for t in read
    ]
    # translate-toolkit itself reads the same source and target terms
    store = tbxfile.parsestring(written, sourcelanguage="en", targetlanguage=code)
    tag = code.replace("_", "-")
    assert [u.get_source_terms()[0].text for u in store.units] == [t.source for t in read]
    assert [u.get_target_terms(tag)[0].text for u in store.units] == [t.translation for t in read]


def test_tbx_statuses_part_of_speech_and_forbidden() -> None:
    term = Term(
        "clinical trial",
        "estudio clínico",
        ("estudios clínicos",),
        ("juicio clínico",),
        "noun",
        "A study.",
    )
    data = write_tbx(Glossary("es", (term,)), "en")
    text = data.decode()
    assert '<termNote type="partOfSpeech">noun</termNote>' in text
    assert "preferredTerm-admn-sts" in text and "admittedTerm-admn-sts" in text
    assert "deprecatedTerm-admn-sts" in text
    (read,) = parse_tbx(data, Path("x.tbx"), "es", "en")
    assert read == Term(
        "clinical trial",
        "estudio clínico",
        ("estudios clínicos",),
        ("juicio clínico",),
        "noun",
        "A study.",
        read.line,
    )


def test_csv_holds_the_same_terms_as_tbx() -> None:
    from_csv = read_glossary_file(TERMBASE / "es-glossary.csv", "es", "en")
    assert [t.line for t in from_csv] == [2, 3, 4]
    tbx = write_tbx(Glossary("es", tuple(from_csv)), "en")
    from_tbx = parse_tbx(tbx, Path("x.tbx"), "es", "en")
    strip = [
        (t.source, t.translation, t.variants, t.forbidden, t.part_of_speech, t.note)
        for t in from_csv
    ]
    assert strip == [
        (t.source, t.translation, t.variants, t.forbidden, t.part_of_speech, t.note)
        for t in from_tbx
    ]
    assert from_csv[2].forbidden == ("mieloma multiple",)


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad-quote.csv", 3, "not valid CSV"),
        ("bad-columns.csv", 3, "2 field(s) where the header has 3"),
        ("bad.tbx", 8, "not a valid TBX file"),
        ("entities.tbx", 3, "declares an entity ('drug'); glossaries may not"),
        ("tbx-v3.tbx", 2, "the root element is <tbx>, not <martif>"),
        ("no-source.tbx", 9, "termEntry has no 'en' term"),
        ("no-header.csv", 1, "the first row must name the columns, with 'source' and 'target'"),
    ],
)
def test_malformed_glossary_names_file_and_line(name: str, line: int, message: str) -> None:
    with pytest.raises(TermbaseError) as caught:
        read_glossary_file(TERMBASE / name, "es", "en")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{TERMBASE / name}:{line}: ")


def test_a_term_defined_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "es").mkdir()
    shutil.copy(TERMBASE / "es-glossary.csv", tmp_path / "es" / "glossary.csv")
    tbx = write_tbx(Glossary("es", (Term("Care", "cuidado"), Term("nurse", "enfermera"))), "en")
    (tmp_path / "es" / "glossary.tbx").write_bytes(tbx)
    glossary, errors = load_glossary(tmp_path, "es", "en", tmp_path)
    assert [t.source for t in glossary.terms] == ["Care", "nurse"]  # the CSV is left out
    (error,) = errors
    assert (error.path, error.line, error.locale) == (Path("es/glossary.csv"), 3, "es")
    assert "term 'care' is already defined (es/glossary.tbx:" in error.message


# -- matching ---------------------------------------------------------------------

CARE = Term("care", "atención")
TRIAL = Term("clinical trial", "estudio clínico", ("estudios clínicos",), ("juicio clínico",))
THERAPY = Term("therapy", "terapia", ("terapias",))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Careful management", []),
        ("Ask your healthcare team", []),
        ("Care plans", ["care"]),
        ("the patient's CARE", ["care"]),
        ("Available through clinical trials.", ["clinical trial"]),
        ("A clinical   trial and a clinical-trial", ["clinical trial"]),
        ("clinical trialists", []),
        ("Some therapies", ["therapy"]),
        ("In **clinical trials**", ["clinical trial"]),
    ],
)
def test_source_terms_match_on_word_boundaries_with_plurals(text: str, found: list[str]) -> None:
    assert sources(text, [CARE, TRIAL, THERAPY]) == found


def test_translations_match_approved_forms_and_forbidden_variants() -> None:
    assert uses_approved("Los Estudios Clínicos", TRIAL)
    assert not uses_approved("Los estudios clínicamente", TRIAL)
    assert forbidden_used("Un juicio clínico", TRIAL) == "juicio clínico"
    assert forbidden_used("Un estudio clínico", TRIAL) is None
    inside = Term("multiple myeloma", "mieloma múltiple", forbidden=("mieloma",))
    assert forbidden_used("el mieloma múltiple", inside) is None
    assert forbidden_used("el mieloma", inside) == "mieloma"
    chinese = Term("clinical trial", "临床试验", forbidden=("临床实验",))
    assert uses_approved("可通过临床试验获得", chinese)
    assert forbidden_used("可通过临床实验获得", chinese) == "临床实验"
    arabic = Term("supportive care", "الرعاية الداعمة")
    assert uses_approved("تؤدي الرعاية الداعمة دورًا", arabic)
    assert uses_approved("والرعاية الداعمة", arabic)  # و ("and") written onto the word
    assert not uses_approved("البرعاية الداعمة", arabic)


def test_terms_checker_is_in_the_list() -> None:
    assert terms in CHECKERS


def test_annotate_is_idempotent_and_replaces_old_terms() -> None:
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Ask about clinical trials.", comment="Role: paragraph."))
    po.append(polib.POEntry(msgid="Careful!", comment="Role: paragraph."))
    annotate(po, (TRIAL, CARE))
    assert po[0].comment == (
        "Role: paragraph.\nTerms: clinical trial = estudio clínico (not: juicio clínico)"
    )
    assert po[1].comment == "Role: paragraph."
    annotate(po, (TRIAL, CARE))
    assert po[0].comment.count("Terms:") == 1
    annotate(po, ())
    assert po[0].comment == "Role: paragraph."


# -- update and check on the project -----------------------------------------------


def test_update_writes_the_terms_comment(cli: Callable[..., Result], project_dir: Path) -> None:
    assert cli("update").code == 0
    path = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    text = path.read_text()
    assert (
        "#. Terms: multiple myeloma = mieloma múltiple (not: mieloma multiple); "
        "second line treatment = tratamiento de segunda línea\n"
        '#: source/myeloma-second-line.md\nmsgid "Understanding Multiple Myeloma' in text
    )
    po = read_po(path)
    caption = next(e for e in po if e.msgid.startswith("This table provides"))
    assert (
        "Terms: second line treatment = tratamiento de segunda línea; healthcare professional"
        in (caption.comment)
    )
    before = text
    assert cli("update").out.endswith("0 file(s) updated, 16 unchanged.\n")
    assert path.read_text() == before


@pytest.mark.parametrize("code", SHIPPED)
def test_shipped_translations_pass_the_term_check(project: Project, code: str) -> None:
    (document,) = project.documents()
    check = check_locale(project, document, code)
    assert [f for f in check.findings if f.check.startswith(("term", "glossary"))] == []
    assert check.published


def test_missing_approved_translation_is_a_warning(project: Project, project_dir: Path) -> None:
    line = replace_in_po(project_dir, "es", "estudios clínicos", "ensayos")
    (document,) = project.documents()
    check = check_locale(project, document, "es")
    (finding,) = [f for f in check.findings if f.check == "term"]
    assert finding.severity == "warning"
    assert (finding.locale, finding.line) == ("es", line)
    assert finding.path == Path(f"locales/es/LC_MESSAGES/{DOC}.po")
    assert "term 'clinical trial'" in finding.message
    assert "'estudio clínico' is not used" in finding.message
    assert check.published  # a warning does not withhold the locale


def test_forbidden_variant_is_an_error_and_withholds(project: Project, project_dir: Path) -> None:
    line = replace_in_po(
        project_dir,
        "es",
        "Disponible a través de estudios clínicos",
        "Disponible a través de juicios clínicos",
    )
    (document,) = project.documents()
    check = check_locale(project, document, "es")
    (finding,) = [f for f in check.findings if f.check.startswith("term")]
    assert (finding.check, finding.severity, finding.line) == ("term-forbidden", "error", line)
    assert "the forbidden variant 'juicios clínicos' is used" in str(finding)
    assert str(finding).startswith(f"locales/es/LC_MESSAGES/{DOC}.po:{line}: [es] error:")
    assert not check.published
    assert any(r.check == "term-forbidden" for r in check.gate.reasons)  # type: ignore[union-attr]
    assert check_locale(project, document, "fr").published  # other locales still build


def test_malformed_glossary_is_reported_and_the_rest_goes_on(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    glossary = project_dir / "locales" / "es" / "glossary.tbx"
    glossary.write_text(glossary.read_text().replace("</termEntry>", "</termEntr>", 1))
    po = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    result = cli("update")
    assert result.code == TermbaseError.exit_code
    assert "error: locales/es/glossary.tbx:" in result.err
    assert "[es]: not a valid TBX file" in result.err
    assert "Terms:" not in po.read_text()  # updated without the glossary
    assert (
        "#. Terms: multiple myeloma = myélome multiple"
        in (project_dir / "locales" / "fr" / "LC_MESSAGES" / f"{DOC}.po").read_text()
    )
    project = Project(load_config(project_dir))
    (document,) = project.documents()
    check = check_locale(project, document, "es")
    (finding,) = [f for f in check.findings if f.check == "glossary"]
    assert finding.path == Path("locales/es/glossary.tbx") and finding.line is not None
    assert str(finding).startswith(f"locales/es/glossary.tbx:{finding.line}: [es] error: glossary:")
    assert check.translated is not None  # every other check still ran
    assert check_locale(project, document, "fr").published
