"""Reading level of the master text and of every translation (textstat).

:func:`assess` scores the sentences of a :class:`TranslatedDocument`:
paragraphs, list items, captions and the disclaimer's paragraphs and list items,
with inline Markdown stripped (link text is read, not the URL). Headings and
table cells are not sentences and are not scored; neither is a block that still
shows the source text because it is not translated. Each language is measured
only by formulas valid for it (see :mod:`pipeline.readability.languages`); for a
language without one, sentence and word length are given instead of a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalogs.translate import TranslatedBlock, TranslatedDocument
from ..source.document import Role
from ..source.markdown import plain_text
from .cmudict import default_nltk_data, ensure_cmudict
from .html import render_html
from .languages import (
    Formula,
    Kind,
    LanguageProfile,
    for_textstat,
    letters,
    profile_for,
    split_sentences,
    textstat_for,
    words_of,
)
from .model import (
    Figures,
    HardSentence,
    ReadabilityReport,
    ReadabilityResult,
    Score,
    Verdict,
)
from .render import render_table, report_json

__all__ = [
    "SCORED_ROLES",
    "Figures",
    "HardSentence",
    "ReadabilityReport",
    "ReadabilityResult",
    "Score",
    "Verdict",
    "assess",
    "ensure_cmudict",
    "render_html",
    "render_table",
    "report_json",
]

#: The roles whose text is made of sentences.
SCORED_ROLES = frozenset(
    {
        Role.PARAGRAPH,
        Role.LIST_ITEM,
        Role.CAPTION,
        Role.DISCLAIMER_PARAGRAPH,
        Role.DISCLAIMER_LIST_ITEM,
    }
)


# -- assessment ------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    text: str
    block: TranslatedBlock


def _skip_reason(block: TranslatedBlock, source: bool) -> str | None:
    role = block.block.role
    if role.is_heading:
        return "heading"
    if role not in SCORED_ROLES:
        return "table"
    if not source and not block.translated:
        return "untranslated"
    if not words_of(plain_text(block.text, collapse_spaces=True)):
        return "empty"
    return None


def _scores(profile: LanguageProfile, text: str) -> tuple[Score, ...]:
    stats = textstat_for(profile)
    result = []
    for formula in profile.formulas:
        value = float(formula.compute(stats, text))
        result.append(Score(formula.key, formula.name, formula.kind, value, formula.band(value)))
    return tuple(result)


def _rank_score(profile: LanguageProfile, formula: Formula, sentence: str) -> Score:
    value = float(formula.compute(textstat_for(profile), for_textstat(sentence, profile)))
    return Score(formula.key, formula.name, formula.kind, value, formula.band(value))


def _figures(profile: LanguageProfile, sentences: Sequence[str]) -> Figures:
    all_words = [w for s in sentences for w in words_of(s)]
    characters = sum(letters(w) for w in all_words)
    long_count = sum(1 for w in all_words if letters(w) > profile.long_word)
    if profile.unit == "characters":
        count = len(sentences)
        return Figures(
            count, None, characters, None, None, None, "characters", characters / count, None
        )
    syllables = polysyllables = None
    words = len(all_words)
    count = len(sentences)
    if profile.validated:
        stats = textstat_for(profile)
        text = "\n".join(for_textstat(s, profile) for s in sentences)
        count = int(stats.sentence_count(text))
        words = int(stats.lexicon_count(text))
        if profile.syllables:
            syllables = int(stats.syllable_count(text))
            polysyllables = int(stats.polysyllabcount(text))
    return Figures(
        sentences=count,
        words=words,
        characters=characters,
        syllables=syllables,
        polysyllables=polysyllables,
        long_words=long_count,
        unit="words",
        sentence_length=words / count if count else 0.0,
        word_length=characters / len(all_words) if all_words else 0.0,
    )


def _result(
    profile: LanguageProfile,
    scope: str,
    ident: str,
    title: str,
    sentences: Sequence[_Sentence],
    target: float,
) -> ReadabilityResult:
    blocks = tuple(dict.fromkeys(s.block.block.id for s in sentences))
    texts = [s.text for s in sentences]
    if not texts:
        empty = Figures(0, None, 0, None, None, None, profile.unit, 0.0, None)
        return ReadabilityResult(
            scope, ident, title, 1, (), empty, (), None, None, target, Verdict.NOT_RATED
        )
    scores = _scores(profile, "\n".join(for_textstat(t, profile) for t in texts))
    grade = next((s for s in scores if s.key == profile.grade), None)
    rated = next((s for s in scores if s.key == profile.level), None)
    level = rated.band if rated is not None else None
    if grade is not None:
        verdict = Verdict.ABOVE if grade.value > target else Verdict.WITHIN
    elif level is not None and level.low_grade is not None:
        verdict = Verdict.ABOVE if level.low_grade > target else Verdict.WITHIN
    else:
        verdict = Verdict.NOT_RATED
    line = min(s.block.block.line for s in sentences)
    return ReadabilityResult(
        scope,
        ident,
        title,
        line,
        blocks,
        _figures(profile, texts),
        scores,
        grade,
        level,
        target,
        verdict,
    )


def _hard_sentence(profile: LanguageProfile, sentence: _Sentence) -> HardSentence:
    words = words_of(sentence.text)
    characters = profile.unit == "characters"
    long_words = () if characters else tuple(w for w in words if letters(w) > profile.long_word)
    polysyllables = None
    if profile.syllables:
        stats = textstat_for(profile)
        polysyllables = tuple(w for w in words if stats.syllable_count(w) >= 3)
    formula = profile.rank
    block = sentence.block.block
    return HardSentence(
        text=sentence.text,
        block=block.id,
        line=block.line,
        section=block.section,
        score=_rank_score(profile, formula, sentence.text) if formula else None,
        words=None if characters else len(words),
        characters=sum(letters(w) for w in words),
        long_words=long_words,
        polysyllables=polysyllables,
    )


def _difficulty(sentence: HardSentence) -> float:
    if sentence.score is None:
        return float(sentence.words if sentence.words is not None else sentence.characters)
    return sentence.score.value if sentence.score.kind is Kind.GRADE else -sentence.score.value


def assess(
    document: TranslatedDocument,
    target: float,
    hardest: int = 5,
    nltk_data: Path | None = None,
) -> ReadabilityReport:
    """The reading level of ``document`` against ``target`` (a US school grade).

    ``nltk_data`` is where NLTK's cmudict is provided for English syllable counts
    (the project's ``.cache/carepack/nltk_data``; a per-user cache by default).
    Nothing is fetched from the network.
    """
    locale = document.locale
    profile = profile_for(locale)
    if profile.syllables and profile.code == "en":
        ensure_cmudict(nltk_data or default_nltk_data())
    source = locale.code == document.document.lang
    skipped: list[tuple[str, str]] = []
    by_section: dict[str, list[_Sentence]] = {}
    for block in document.blocks:
        reason = _skip_reason(block, source)
        if reason is not None:
            skipped.append((block.block.id, reason))
            continue
        for text in split_sentences(plain_text(block.text, collapse_spaces=True)):
            by_section.setdefault(block.block.section, []).append(_Sentence(text, block))
    everything = [s for group in by_section.values() for s in group]
    titles = {
        s.id: plain_text(s.heading.text, collapse_spaces=True) if s.heading else s.id
        for s in document.sections
    }
    overall = _result(
        profile,
        "document",
        document.document.id,
        plain_text(document.title, collapse_spaces=True),
        everything,
        target,
    )
    sections = tuple(
        _result(profile, "section", ident, titles.get(ident, ident), group, target)
        for ident, group in by_section.items()
    )
    ranked = sorted((_hard_sentence(profile, s) for s in everything), key=_difficulty, reverse=True)
    if not profile.validated:
        lengths = (
            "sentence length in characters is"
            if profile.unit == "characters"
            else "sentence and word length are"
        )
        note = (
            f"no validated readability formula for {profile.name}: {lengths} given "
            "instead of a score"
        )
    elif not everything:
        note = "no translated text to score yet"
    else:
        note = profile.note
    return ReadabilityReport(
        document=document.document.id,
        source=document.document.path,
        locale=locale.code,
        tag=locale.tag,
        language=profile.name,
        native_name=locale.native_name,
        direction=locale.direction,
        validated=profile.validated,
        note=note,
        target=target,
        overall=overall,
        sections=sections,
        hardest=tuple(ranked[: max(hardest, 0)]),
        skipped=tuple(skipped),
    )
