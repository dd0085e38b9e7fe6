"""The reading-level results as plain data: scores, figures, verdicts, hard sentences.

Made by :func:`pipeline.readability.score.assess`; rendered by
:mod:`pipeline.readability.render` (JSON, terminal) and
:mod:`pipeline.readability.html`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..checks.finding import Finding, Severity
from .languages import Band, Kind


class Verdict(StrEnum):
    """How a text compares with the reading-level target."""

    WITHIN = "within target"
    ABOVE = "above target"
    NOT_RATED = "not rated"


@dataclass(frozen=True)
class Score:
    """One formula's result."""

    key: str
    """The formula's key (``flesch_kincaid_grade``, ``fernandez_huerta``, …)."""
    name: str
    """The formula's name."""
    kind: Kind
    """``grade`` (higher is harder) or ``ease`` (lower is harder)."""
    value: float
    """The score."""
    band: Band | None = None
    """Where the score falls in the formula's published table, if it has one."""


@dataclass(frozen=True)
class Figures:
    """Counts behind the scores (textstat's own counts where a formula is used)."""

    sentences: int
    """Sentences."""
    words: int | None
    """Words (``None`` for languages written without spaces, such as Chinese)."""
    characters: int
    """Letters, digits and ideographs (no spaces or punctuation)."""
    syllables: int | None
    """Syllables, for languages whose syllables textstat counts."""
    polysyllables: int | None
    """Words of three syllables or more, likewise."""
    long_words: int | None
    """Words longer than the language's long-word threshold."""
    unit: str
    """What :attr:`sentence_length` counts: ``words`` or ``characters``."""
    sentence_length: float
    """Average sentence length in :attr:`unit`."""
    word_length: float | None
    """Average letters per word (``None`` without word boundaries)."""


@dataclass(frozen=True)
class ReadabilityResult:
    """The reading level of a whole document or of one section."""

    scope: str
    """``document`` or ``section``."""
    id: str
    """The document id or the section id."""
    title: str
    """The (translated) title or section heading, as plain text."""
    line: int
    """Source line of the first scored block."""
    blocks: tuple[str, ...]
    """Ids of the blocks that were scored."""
    figures: Figures
    """Counts."""
    scores: tuple[Score, ...]
    """Every valid formula's score (empty when the language has none)."""
    grade: Score | None
    """The grade-formula score compared with the target, when the language has one."""
    level: Band | None
    """Without a grade formula: the school level from the ease formula's table."""
    target: float
    """The target US grade."""
    verdict: Verdict
    """Within or above the target, or not rated."""

    @property
    def above_target(self) -> bool:
        return self.verdict is Verdict.ABOVE

    def severity(self, strict: bool) -> str:
        """``error`` (strict) or ``warning`` when above the target, else ``ok``."""
        if not self.above_target:
            return "ok"
        return "error" if strict else "warning"

    @property
    def level_text(self) -> str:
        """``grade 13.2``, ``grades 9-12``, or ``no grade``."""
        if self.grade is not None:
            return f"grade {self.grade.value:.1f}"
        if self.level is not None:
            return self.level.grades
        return "no grade"

    @property
    def summary(self) -> str:
        """``Flesch-Kincaid grade 13.2``, ``grades 9-12 (Fernández-Huerta 57.3)``…"""
        if self.grade is not None:
            return f"{self.grade.name} {self.grade.value:.1f}"
        if self.level is not None:
            rated = next(s for s in self.scores if s.band is self.level)
            return f"{self.level.grades} ({rated.name} {rated.value:.1f})"
        return "no grade"


@dataclass(frozen=True)
class HardSentence:
    """One of the hardest sentences, and what makes it hard."""

    text: str
    """The sentence, as plain text."""
    block: str
    """Id of the block it is in."""
    line: int
    """Source line of that block."""
    section: str
    """Id of the section."""
    score: Score | None
    """The ranking formula's score for this sentence (``None`` without a formula)."""
    words: int | None
    """Words in the sentence (``None`` for Chinese and the like)."""
    characters: int
    """Letters, digits and ideographs in the sentence."""
    long_words: tuple[str, ...]
    """Its long words, in order."""
    polysyllables: tuple[str, ...] | None
    """Its words of three syllables or more (``None`` where syllables are not counted)."""

    @property
    def reasons(self) -> tuple[str, ...]:
        """Plain statements of what makes the sentence hard."""
        result = [
            f"{self.words} words" if self.words is not None else f"{self.characters} characters"
        ]
        if self.polysyllables:
            count = len(self.polysyllables)
            noun = "word" if count == 1 else "words"
            result.append(f"{count} {noun} of 3+ syllables: {', '.join(self.polysyllables)}")
        if self.long_words:
            count = len(self.long_words)
            noun = "long word" if count == 1 else "long words"
            result.append(f"{count} {noun}: {', '.join(self.long_words)}")
        return tuple(result)


@dataclass(frozen=True)
class ReadabilityReport:
    """The reading level of one document in one locale."""

    document: str
    """The document id."""
    source: Path
    """The master text."""
    locale: str
    """Locale code (``es``, ``zh_Hans``)."""
    tag: str
    """BCP 47 tag for HTML ``lang``."""
    language: str
    """The language's English name."""
    native_name: str
    """The language's name in itself."""
    direction: str
    """``ltr`` or ``rtl``."""
    validated: bool
    """Whether the language has a validated formula."""
    note: str
    """``no validated readability formula for …``, or the formulas' caveat."""
    target: float
    """The target US grade."""
    overall: ReadabilityResult
    """The whole document."""
    sections: tuple[ReadabilityResult, ...]
    """Each section with scored text, in order."""
    hardest: tuple[HardSentence, ...]
    """The hardest sentences, hardest first."""
    skipped: tuple[tuple[str, str], ...]
    """Blocks not scored, with why: ``heading``, ``table``, ``untranslated``, ``empty``."""

    @property
    def results(self) -> tuple[ReadabilityResult, ...]:
        return (self.overall, *self.sections)

    @property
    def above_target(self) -> bool:
        return any(r.above_target for r in self.results)

    def severity(self, strict: bool) -> str:
        """``error``/``warning`` when anything is above the target, else ``ok``."""
        if not self.above_target:
            return "ok"
        return "error" if strict else "warning"

    def findings(self, strict: bool = False) -> tuple[Finding, ...]:
        """One finding when the document or any section is above the target."""
        if not self.above_target:
            return ()
        above = [s for s in self.sections if s.above_target]
        parts = []
        if self.overall.above_target:
            parts.append(f"reading level {self.overall.summary} is above")
        else:
            parts.append("the document is within, but some sections are above")
        message = f"{parts[0]} the target of grade {self.target:g}"
        if above:
            message += "; sections above: " + ", ".join(f"{s.id} ({s.level_text})" for s in above)
        line = self.hardest[0].line if self.hardest else self.overall.line
        severity: Severity = "error" if strict else "warning"
        return (
            Finding(
                locale=self.locale,
                path=self.source,
                line=line,
                msgid="",
                msgctxt=None,
                check="reading-level",
                severity=severity,
                message=message,
            ),
        )
