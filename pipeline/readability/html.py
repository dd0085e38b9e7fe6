"""The reading-level report as one large-print HTML page (``output/reports/readability.html``).

:func:`render_html` returns the text; the caller writes it with ``atomic_write``. The
markup is the template ``templates/readability.html`` (Jinja2, autoescaped, as every
page carepack makes): every value is text, and every piece in a translation's language
carries that language's ``lang`` and ``dir`` so that it is shown and read out
correctly. The functions here only word the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import jinja2

from ..templating import kept_templates
from .model import Figures, HardSentence, ReadabilityReport, ReadabilityResult, Score, Verdict

_CLASSES = {Verdict.ABOVE: "above", Verdict.WITHIN: "within", Verdict.NOT_RATED: "not-rated"}


def _verdict_class(result: ReadabilityResult) -> str:
    return _CLASSES[result.verdict]


def _one_name(report: ReadabilityReport) -> bool:
    """Whether the language's name is the same in English and in itself (``English``,
    not ``English (English)``)."""
    return report.native_name.casefold() == report.language.casefold()


def _anchor(report: ReadabilityReport) -> str:
    return f"r-{report.document}-{report.locale}"


def _level(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"grade {result.grade.value:.1f}"
    if result.level is not None:
        return f"{result.level.grades} ({result.level.label})"
    return "no grade"


def _score(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"{result.grade.name}: {result.grade.value:.1f}"
    if result.scores:
        return f"{result.scores[0].name}: {result.scores[0].value:.1f}"
    return "no validated formula"


def _length(result: ReadabilityResult) -> str:
    unit = "words" if result.figures.unit == "words" else "characters"
    return f"{result.figures.sentence_length:.1f} {unit} per sentence"


def _band(score: Score) -> str:
    """`` (fairly easy, grades 6-7)`` after a score, or nothing."""
    if score.band is None:
        return ""
    grades = f", {score.band.grades}" if score.band.grades else ""
    return f" ({score.band.label}{grades})"


def _counts(figures: Figures) -> str:
    counts = [f"{figures.sentences} sentences"]
    if figures.words is not None:
        counts.append(f"{figures.words} words")
    counts.append(f"{figures.sentence_length:.1f} {figures.unit} per sentence")
    if figures.word_length is not None:
        counts.append(f"{figures.word_length:.1f} letters per word")
    if figures.syllables is not None and figures.words:
        counts.append(f"{figures.syllables / figures.words:.2f} syllables per word")
    return ", ".join(counts)


def _size(sentence: HardSentence) -> str:
    if sentence.words is not None:
        return f"{sentence.words} words"
    return f"{sentence.characters} characters"


def _where(report: ReadabilityReport, sentence: HardSentence) -> str:
    score = f"{sentence.score.name} {sentence.score.value:.1f} · " if sentence.score else ""
    return (
        f"{score}{report.source.as_posix()} line {sentence.line} · block {sentence.block} · "
        f"section {sentence.section}"
    )


def _skipped(report: ReadabilityReport) -> str:
    """The blocks not scored, by reason: ``heading: intro, risks; table: options``."""
    reasons: dict[str, list[str]] = {}
    for ident, reason in report.skipped:
        reasons.setdefault(reason, []).append(ident)
    return "; ".join(f"{reason}: {', '.join(ids)}" for reason, ids in reasons.items())


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.readability", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=kept_templates(),
    )
    environment.globals.update(
        verdict_class=_verdict_class,
        one_name=_one_name,
        anchor=_anchor,
        level=_level,
        score=_score,
        length=_length,
        band=_band,
        counts=_counts,
        size=_size,
        where=_where,
        skipped=_skipped,
    )
    return environment


def render_html(reports: Sequence[ReadabilityReport], title: str = "Reading level") -> str:
    """One self-contained, large-print page covering every document and locale."""
    targets = ", ".join(f"{t:g}" for t in sorted({r.target for r in reports})) or "-"
    by_document: dict[str, list[ReadabilityReport]] = {}
    for report in reports:
        by_document.setdefault(report.document, []).append(report)
    template = _environment().get_template("readability.html")
    return template.render(
        title=title, targets=targets, documents=list(by_document.items()), reports=reports
    )
