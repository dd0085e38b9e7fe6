"""Reading level: valid formulas per language, sections, hardest sentences, offline cmudict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import TranslatedDocument, translate
from pipeline.locales import parse_locale
from pipeline.readability.languages import split_sentences
from pipeline.readability.render import report_json
from pipeline.readability.score import (
    ReadabilityReport,
    Verdict,
    assess,
    render_html,
    render_table,
)
from pipeline.source.document import Document
from pipeline.source.markdown import plain_text
from pipeline.source.parse import read_document

from ..browser import (
    chromium,
    describe_violations,
    measure,
    missing_tools,
    nu_check,
    open_page,
    run_axe,
)
from ..conftest import DATA, ROOT

MASTER = ROOT / "source" / "myeloma-second-line.md"
FIXTURES = DATA / "readability"
LOCALES = ("es", "zh_Hans", "vi", "ar", "ru", "ht", "fr")


@pytest.fixture(scope="module")
def nltk_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache") / "nltk_data"


@pytest.fixture(scope="module")
def document() -> Document:
    return read_document(MASTER, Path("source/myeloma-second-line.md"))


def _translated(document: Document, code: str) -> TranslatedDocument:
    if code == document.lang:
        return translate(document, parse_locale(code), None)
    po = read_po(ROOT / "locales" / code / "LC_MESSAGES" / f"{document.id}.po", code)
    return translate(document, parse_locale(code), po)


@pytest.fixture(scope="module")
def reports(document: Document, nltk_data: Path) -> dict[str, ReadabilityReport]:
    return {
        code: assess(_translated(document, code), 8.0, nltk_data=nltk_data)
        for code in ("en", *LOCALES)
    }


def _fixture(name: str, nltk_data: Path, target: float | None = None) -> ReadabilityReport:
    doc = read_document(FIXTURES / name)
    report = translate(doc, parse_locale(doc.lang), None)
    return assess(report, doc.reading_level if target is None else target, nltk_data=nltk_data)


def _score(report: ReadabilityReport, key: str) -> float:
    return next(s.value for s in report.overall.scores if s.key == key)


# -- English -----------------------------------------------------------------------


def test_seed_scores_about_grade_14_by_flesch_kincaid(reports: dict[str, ReadabilityReport]):
    en = reports["en"]
    assert en.overall.grade is not None
    assert en.overall.grade.key == "flesch_kincaid_grade"
    assert abs(en.overall.grade.value - 14.0) <= 1.0, en.overall.grade.value
    assert {s.key for s in en.overall.scores} == {
        "flesch_kincaid_grade",
        "smog",
        "flesch_reading_ease",
    }
    assert _score(en, "smog") > 12
    assert _score(en, "flesch_reading_ease") < 50  # "difficult" on Flesch's scale
    assert en.overall.verdict is Verdict.ABOVE
    assert "Flesch-Kincaid grade 1" in render_table([en])


def test_only_sentences_are_scored(reports: dict[str, ReadabilityReport], document: Document):
    en = reports["en"]
    skipped = dict(en.skipped)
    for block in document.blocks:
        if block.role.is_heading:
            assert skipped[block.id] == "heading"
        elif block.group and block.id.startswith(f"{block.group}.r"):
            assert skipped[block.id] == "table"
        else:
            assert block.id in en.overall.blocks
    assert "comparison-of-second-line-treatment-options.caption1" in en.overall.blocks
    assert "disclaimer.p1" in en.overall.blocks


def test_per_section_results(reports: dict[str, ReadabilityReport], document: Document):
    for report in reports.values():
        ids = [s.id for s in report.sections]
        assert ids == [s.id for s in document.sections]
        blocks = [b for s in report.sections for b in s.blocks]
        assert blocks == list(report.overall.blocks)
        for section in report.sections:
            assert all(b.startswith(f"{section.id}.") for b in section.blocks)
    en = {s.id: s for s in reports["en"].sections}
    assert en["comparison-of-second-line-treatment-options"].blocks == (
        "comparison-of-second-line-treatment-options.caption1",
    )
    assert en["intro"].grade is not None and en["intro"].grade.value > 8
    assert all(s.verdict is Verdict.ABOVE for s in en.values())


def test_hardest_sentences_point_to_block_and_line(
    reports: dict[str, ReadabilityReport], document: Document
):
    blocks = {b.id: b for b in document.blocks}
    for code, report in reports.items():
        assert len(report.hardest) == 5, code
        tr = {b.block.id: b for b in _translated(document, code).blocks}
        for sentence in report.hardest:
            assert sentence.text in plain_text(tr[sentence.block].text, collapse_spaces=True)
            assert sentence.line == blocks[sentence.block].line
            assert sentence.section == blocks[sentence.block].section
            assert sentence.reasons
    en = reports["en"].hardest
    grades = [s.score.value for s in en if s.score]
    assert grades == sorted(grades, reverse=True) and len(grades) == 5
    assert grades[0] > reports["en"].overall.grade.value  # type: ignore[union-attr]
    first = en[0]
    assert first.polysyllables and "characteristics" in first.polysyllables
    assert any("words of 3+ syllables" in r for r in first.reasons)


def test_hardest_sentence_in_a_fixture_is_found_by_line(nltk_data: Path):
    report = _fixture("markup-en.md", nltk_data)
    top = report.hardest[0]
    lines = (FIXTURES / "markup-en.md").read_text("utf-8").splitlines()
    assert lines[top.line - 1].startswith("Notwithstanding")
    assert (top.block, top.section) == ("details.p1", "details")
    assert top.words == 17 and len(top.long_words) == 17
    assert len(assess_hardest(nltk_data, 2)) == 2


def assess_hardest(nltk_data: Path, hardest: int) -> tuple[object, ...]:
    doc = read_document(FIXTURES / "markup-en.md")
    return assess(translate(doc, parse_locale("en"), None), 6, hardest, nltk_data).hardest


def test_markdown_is_stripped_and_link_urls_are_not_scored(nltk_data: Path):
    assert plain_text(
        "Read **this** *short* [note](https://x.org/a) `now`", collapse_spaces=True
    ) == ("Read this short note now")
    report = _fixture("markup-en.md", nltk_data)
    texts = " ".join(s.text for s in report.hardest) + json.dumps(report_json(report))
    assert "example.org" not in texts and "**" not in texts
    intro = next(s for s in report.sections if s.id == "intro")
    assert intro.grade is not None and intro.grade.value < 6  # the long URL is not read


def test_sentence_splitting():
    assert split_sentences("Take it, e.g. with food. The dose is 2.5 mg. Done!") == [
        "Take it, e.g. with food.",
        "The dose is 2.5 mg.",
        "Done!",
    ]
    assert split_sentences("Trete maladi a. Objektif la se sa.") == [
        "Trete maladi a.",
        "Objektif la se sa.",
    ]
    assert split_sentences("多发性骨髓瘤是一种疾病。需要治疗！好吗？") == [
        "多发性骨髓瘤是一种疾病。",
        "需要治疗！",
        "好吗？",
    ]


# -- other languages -----------------------------------------------------------------


def test_spanish_gets_fernandez_huerta_and_szigriszt_pazos(reports: dict[str, ReadabilityReport]):
    es = reports["es"]
    assert [s.key for s in es.overall.scores] == ["fernandez_huerta", "szigriszt_pazos"]
    assert es.overall.grade is None
    fig = es.overall.figures
    assert fig.words and fig.syllables
    asl, asw = fig.words / fig.sentences, fig.syllables / fig.words
    assert _score(es, "fernandez_huerta") == pytest.approx(206.84 - 60 * asw - 1.02 * asl)
    assert _score(es, "szigriszt_pazos") == pytest.approx(206.84 - 62.3 * asw - asl)
    assert es.overall.level is not None and es.overall.level.low_grade is not None
    expected = Verdict.ABOVE if es.overall.level.low_grade > 8 else Verdict.WITHIN
    assert es.overall.verdict is expected
    inflesz = es.overall.scores[1].band
    assert inflesz is not None and "difficult" in inflesz.label


# Published coefficients (base, per word-per-sentence, per syllable-per-word).
ADAPTED = {
    "fr": (207.0, 1.015, 73.6),  # Kandel & Moles
    "ru": (206.835, 1.3, 60.1),  # Oborneva
    "de": (180.0, 1.0, 58.5),  # Amstad
    "it": (217.0, 1.3, 60.0),  # Franchina & Vacca
}
ENGLISH = (206.835, 1.015, 84.6)


@pytest.mark.parametrize("code", sorted(ADAPTED))
def test_adapted_flesch_formulas_differ_from_english(
    code: str, reports: dict[str, ReadabilityReport], nltk_data: Path
):
    report = reports[code] if code in reports else _fixture(f"{code}.md", nltk_data)
    assert report.validated and report.language != "English"
    fig = report.overall.figures
    assert fig.words and fig.syllables
    asl, asw = fig.words / fig.sentences, fig.syllables / fig.words
    base, per_word, per_syllable = ADAPTED[code]
    value = _score(report, "flesch_reading_ease")
    assert value == pytest.approx(base - per_word * asl - per_syllable * asw)
    assert abs(value - (ENGLISH[0] - ENGLISH[1] * asl - ENGLISH[2] * asw)) > 1
    assert "flesch_kincaid_grade" not in {s.key for s in report.overall.scores}
    assert "smog" not in {s.key for s in report.overall.scores}


def test_german_and_italian_extra_formulas(nltk_data: Path):
    de = _fixture("de.md", nltk_data)
    assert de.overall.grade is not None and de.overall.grade.key == "wiener_sachtextformel"
    assert de.hardest[0].block == "intro.p2"
    it = _fixture("it.md", nltk_data)
    assert {s.key for s in it.overall.scores} == {"flesch_reading_ease", "gulpease"}


def test_arabic_uses_osman_without_a_grade(reports: dict[str, ReadabilityReport]):
    ar = reports["ar"]
    assert [s.key for s in ar.overall.scores] == ["osman"]
    assert ar.overall.grade is None and ar.overall.verdict is Verdict.NOT_RATED
    assert ar.direction == "rtl"
    assert all(s.score is not None and s.score.key == "osman" for s in ar.hardest)


@pytest.mark.parametrize(
    ("code", "name", "unit"),
    [
        ("zh_Hans", "Chinese", "characters"),
        ("vi", "Vietnamese", "words"),
        ("ht", "Haitian", "words"),
    ],
)
def test_no_validated_formula(
    code: str, name: str, unit: str, reports: dict[str, ReadabilityReport]
):
    report = reports[code]
    assert report.note.startswith(f"no validated readability formula for {name}")
    assert not report.validated and report.overall.scores == ()
    assert report.overall.grade is None and report.overall.verdict is Verdict.NOT_RATED
    figures = report.overall.figures
    assert figures.unit == unit and figures.sentence_length > 5
    if unit == "characters":
        assert figures.words is None and figures.word_length is None
        assert all(s.words is None and s.characters > 0 for s in report.hardest)
    else:
        assert figures.words and figures.word_length and figures.word_length > 2
    assert all(s.score is None for s in report.hardest)
    data = json.dumps(report_json(report))
    assert "flesch" not in data.lower() and "smog" not in data.lower()
    assert report.findings(strict=True) == ()


def test_untranslated_blocks_are_not_scored(document: Document, nltk_data: Path):
    po = read_po(ROOT / "locales" / "es" / "LC_MESSAGES" / f"{document.id}.po", "es")
    block = next(b for b in document.blocks if b.id == "intro.p2")
    entry = next(e for e in po if e.msgid == block.text)
    entry.msgstr = ""
    report = assess(translate(document, parse_locale("es"), po), 8, nltk_data=nltk_data)
    assert ("intro.p2", "untranslated") in report.skipped
    assert "intro.p2" not in report.overall.blocks
    empty = assess(translate(document, parse_locale("es"), None), 8, nltk_data=nltk_data)
    assert empty.overall.blocks == () and empty.overall.verdict is Verdict.NOT_RATED
    assert empty.note == "no translated text to score yet"


# -- verdicts and findings -------------------------------------------------------------


def test_above_target_is_a_warning_or_with_strict_an_error(reports: dict[str, ReadabilityReport]):
    en = reports["en"]
    assert en.overall.above_target
    assert en.overall.severity(strict=False) == "warning"
    assert en.overall.severity(strict=True) == "error"
    (finding,) = en.findings()
    assert finding.severity == "warning" and finding.locale == "en"
    assert finding.path == Path("source/myeloma-second-line.md")
    assert finding.line == en.hardest[0].line
    assert "above the target of grade 8" in finding.message
    assert en.findings(strict=True)[0].severity == "error"


def test_easy_text_is_within_target(nltk_data: Path):
    easy = _fixture("easy-en.md", nltk_data)
    assert easy.overall.verdict is Verdict.WITHIN
    assert not easy.above_target and easy.findings(strict=True) == ()
    assert easy.overall.severity(strict=True) == "ok"
    # The same text against a stricter target than it meets.
    assert _fixture("easy-en.md", nltk_data, target=-5).above_target


# -- outputs -------------------------------------------------------------------------


def test_json_is_serialisable(reports: dict[str, ReadabilityReport]):
    data = json.loads(json.dumps([report_json(r) for r in reports.values()]))
    en = data[0]
    assert en["locale"] == "en" and en["above_target"] is True
    assert en["overall"]["grade"]["key"] == "flesch_kincaid_grade"
    assert en["hardest"][0]["line"] == reports["en"].hardest[0].line
    assert len(en["sections"]) == 5


def test_terminal_table_is_aligned(reports: dict[str, ReadabilityReport]):
    text = render_table(list(reports.values()), details=False)
    lines = text.splitlines()
    header, rule, *rows = lines[2:]
    starts = [m.start() for m in re.finditer(r"-+", rule)]
    assert len(rows) == len(reports)
    for row in [header, *rows]:
        for start in starts[1:]:
            assert row[start - 2 : start] == "  " and row[start] != " ", row
    assert "no validated formula" in text and "Fernández-Huerta" in text


def _contrast(foreground: str, background: str) -> float:
    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_html_report(reports: dict[str, ReadabilityReport], nltk_data: Path, tmp_path: Path):
    markup = _fixture("markup-en.md", nltk_data)
    page = render_html([*reports.values(), markup])
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Markup &lt;Test&gt; &amp; Co" in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    for code, tag, direction in [("ar", "ar", "rtl"), ("zh_Hans", "zh-Hans", "ltr")]:
        start = page.index(f'<section id="r-myeloma-second-line-{code}"')
        section = page[start : page.index("</section>", start)]
        quotes = re.findall(r"<blockquote([^>]*)>", section)
        assert len(quotes) == 5
        assert all(q == f' lang="{tag}" dir="{direction}"' for q in quotes)
    css = page[page.index("<style>") : page.index("</style>")]
    body = re.search(r"body \{(.*?)\}", css, re.S)
    assert body and "font-size: 1.5rem" in body.group(1) and "line-height: 1.5" in body.group(1)
    assert "Noto Sans Arabic" in css and "Noto Sans CJK" in css and "max-width: 36em" in css
    colors = set(re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", css))
    assert colors and all(_contrast(c, "#ffffff") >= 7 for c in colors)


def test_html_report_in_the_browser(reports: dict[str, ReadabilityReport], tmp_path: Path):
    if missing_tools():
        pytest.fail("the browser checks need: " + "; ".join(missing_tools()))
    path = tmp_path / "readability.html"
    path.write_text(render_html(list(reports.values())), "utf-8")
    assert nu_check([path]) == []
    with chromium() as browser:
        with open_page(browser, path) as page:
            violations = describe_violations(run_axe(page))
            assert violations == [], "\n".join(violations)
            assert measure(page).min_font_px >= 24
        # 200% zoom of a 1280x800 window: the page reflows, only tables scroll inside.
        with open_page(browser, path, width=640, height=400, scale=2) as page:
            assert not measure(page).horizontal_scroll
