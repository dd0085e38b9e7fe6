"""Reading-level reports as JSON data and as a plain-text terminal table."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any

from .model import (
    Figures,
    HardSentence,
    ReadabilityReport,
    ReadabilityResult,
    Score,
)

WIDTH = 100


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def score_json(score: Score) -> dict[str, Any]:
    """A score as JSON data."""
    return {
        "key": score.key,
        "name": score.name,
        "kind": score.kind.value,
        "value": _round(score.value),
        "band": score.band.label if score.band else None,
        "school_level": (score.band.grades or None) if score.band else None,
    }


def figures_json(figures: Figures) -> dict[str, Any]:
    """Counts as JSON data."""
    return {
        "sentences": figures.sentences,
        "words": figures.words,
        "characters": figures.characters,
        "syllables": figures.syllables,
        "polysyllables": figures.polysyllables,
        "long_words": figures.long_words,
        "sentence_length": _round(figures.sentence_length),
        "sentence_length_unit": figures.unit,
        "word_length": _round(figures.word_length),
    }


def result_json(result: ReadabilityResult) -> dict[str, Any]:
    """A document or section result as JSON data."""
    return {
        "scope": result.scope,
        "id": result.id,
        "title": result.title,
        "line": result.line,
        "verdict": result.verdict.value,
        "above_target": result.above_target,
        "summary": result.summary,
        "grade": score_json(result.grade) if result.grade else None,
        "school_level": (
            {"label": result.level.label, "grades": result.level.grades} if result.level else None
        ),
        "scores": [score_json(s) for s in result.scores],
        "figures": figures_json(result.figures),
        "blocks": list(result.blocks),
    }


def sentence_json(sentence: HardSentence) -> dict[str, Any]:
    """A hard sentence as JSON data."""
    return {
        "text": sentence.text,
        "block": sentence.block,
        "line": sentence.line,
        "section": sentence.section,
        "score": score_json(sentence.score) if sentence.score else None,
        "words": sentence.words,
        "characters": sentence.characters,
        "long_words": list(sentence.long_words),
        "polysyllables": (
            list(sentence.polysyllables) if sentence.polysyllables is not None else None
        ),
        "reasons": list(sentence.reasons),
    }


def report_json(report: ReadabilityReport) -> dict[str, Any]:
    """A whole report as JSON data (``carepack check --json``)."""
    return {
        "document": report.document,
        "source": report.source.as_posix(),
        "locale": report.locale,
        "tag": report.tag,
        "language": report.language,
        "native_name": report.native_name,
        "direction": report.direction,
        "validated_formula": report.validated,
        "note": report.note,
        "target": report.target,
        "verdict": report.overall.verdict.value,
        "above_target": report.above_target,
        "overall": result_json(report.overall),
        "sections": [result_json(s) for s in report.sections],
        "hardest": [sentence_json(s) for s in report.hardest],
        "scored_blocks": list(report.overall.blocks),
        "skipped_blocks": [{"id": i, "reason": r} for i, r in report.skipped],
    }


# -- terminal table ----------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian characters count twice)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


def _table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        lines.append((indent + "  ".join(cells)).rstrip())
        if number == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return lines


def _length(figures: Figures) -> str:
    unit = "words" if figures.unit == "words" else "chars"
    return f"{figures.sentence_length:.1f} {unit}"


def _main_score(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"{result.grade.name} {result.grade.value:.1f}"
    if result.scores:
        first = result.scores[0]
        return f"{first.name} {first.value:.1f}"
    return "no validated formula"


def _level(result: ReadabilityResult) -> str:
    if result.grade is not None:
        return f"grade {result.grade.value:.1f}"
    if result.level is not None:
        return result.level.grades
    return "-"


def _sentence_lines(number: int, sentence: HardSentence, report: ReadabilityReport) -> list[str]:
    score = f"{sentence.score.name} {sentence.score.value:.1f}; " if sentence.score else ""
    head = (
        f"{number}. {report.source.as_posix()}:{sentence.line} {sentence.block} "
        f"[{sentence.section}]: {score}{'; '.join(sentence.reasons)}"
    )
    lines = textwrap.wrap(head, WIDTH, subsequent_indent="     ", break_on_hyphens=False)
    lines += textwrap.wrap(
        f"\u201c{sentence.text}\u201d",
        WIDTH,
        initial_indent="     ",
        subsequent_indent="     ",
        break_on_hyphens=False,
    )
    return lines


def _details(report: ReadabilityReport) -> list[str]:
    scores = ", ".join(
        f"{s.name} {s.value:.1f}" + (f" ({s.band.label})" if s.band else "")
        for s in report.overall.scores
    )
    lines = [
        "",
        f"{report.document} [{report.locale}] {report.language}: "
        f"{report.overall.verdict.value} ({_level(report.overall)})",
    ]
    if scores:
        lines += textwrap.wrap(scores, WIDTH, initial_indent="  ", subsequent_indent="  ")
    lines += textwrap.wrap(report.note, WIDTH, initial_indent="  ", subsequent_indent="  ")
    rows = [["section", "line", "sentences", "length", "score", "level", "verdict"]]
    for section in report.sections:
        rows.append(
            [
                section.id,
                str(section.line),
                str(section.figures.sentences),
                _length(section.figures),
                _main_score(section),
                _level(section),
                section.verdict.value,
            ]
        )
    if len(rows) > 1:
        lines += _table(rows, "  ")
    if report.hardest:
        lines.append("  hardest sentences:")
        for number, sentence in enumerate(report.hardest, start=1):
            lines += ["  " + line for line in _sentence_lines(number, sentence, report)]
    return lines


def render_table(reports: Sequence[ReadabilityReport], details: bool = True) -> str:
    """The reading-level table for the terminal: one row per document and locale,
    then (with ``details``) each one's sections and hardest sentences."""
    if not reports:
        return "Reading level: nothing to report."
    targets = sorted({r.target for r in reports})
    head = "Reading level (target: US grade " + ", ".join(f"{t:g}" for t in targets) + ")"
    rows = [["document", "locale", "language", "sentences", "length", "score", "level", "verdict"]]
    for report in reports:
        overall = report.overall
        rows.append(
            [
                report.document,
                report.locale,
                report.language,
                str(overall.figures.sentences),
                _length(overall.figures),
                _main_score(overall),
                _level(overall),
                overall.verdict.value,
            ]
        )
    lines = [head, "", *_table(rows)]
    if details:
        for report in reports:
            lines += _details(report)
    return "\n".join(lines) + "\n"
