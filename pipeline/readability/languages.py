"""Which readability formulas are valid for which language, and how text is cut up.

A :class:`LanguageProfile` names the textstat formulas that were built or
adapted for a language (never an English formula run over another language),
which of them gives a grade to compare with the target, and how its scores
read. Languages without one (Chinese, Vietnamese, Haitian Creole, …) get an
empty profile: only sentence and word length are reported for them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from ..lazy_imports import LOADING
from ..locales import LocaleInfo
from .cmudict import defer_nltk

if TYPE_CHECKING:  # textstat (and nltk under it) load only when a text is scored
    from textstat.textstat import textstatistics


class Kind(StrEnum):
    """How a formula's number reads."""

    GRADE = "grade"
    """A school grade: higher is harder."""
    EASE = "ease"
    """A reading-ease score (about 0-100): lower is harder."""


@dataclass(frozen=True)
class Band:
    """One step of a reading-ease scale, from its published table."""

    floor: float
    """Lowest score in the band."""
    label: str
    """What the band is called (in English)."""
    low_grade: int | None = None
    """Lowest school grade the band corresponds to, when the table gives one."""
    high_grade: int | None = None
    """Highest school grade, or ``None`` for open-ended (university and up)."""

    @property
    def grades(self) -> str:
        """``grade 7``, ``grades 8-9``, ``grade 17+``, or ``""``."""
        if self.low_grade is None:
            return ""
        if self.high_grade is None:
            return f"grade {self.low_grade}+"
        if self.high_grade == self.low_grade:
            return f"grade {self.low_grade}"
        return f"grades {self.low_grade}\u2013{self.high_grade}"


@dataclass(frozen=True)
class Formula:
    """One readability formula, computed by textstat for one language."""

    key: str
    """Stable key used in JSON, e.g. ``flesch_kincaid_grade``."""
    name: str
    """Its name as shown to writers."""
    kind: Kind
    """Grade (higher is harder) or ease (lower is harder)."""
    compute: Callable[[textstatistics, str], float]
    """The textstat call, given an instance already set to the language."""
    bands: tuple[Band, ...] = ()
    """The published interpretation table, highest floor first (ease scales)."""

    def band(self, value: float) -> Band | None:
        """The band ``value`` falls in, if the formula has a table."""
        return next((b for b in self.bands if value >= b.floor), None)


@dataclass(frozen=True)
class LanguageProfile:
    """How reading level is measured in one language."""

    code: str
    """Language code given to textstat (``en``, ``es``, …)."""
    name: str
    """The language's English name."""
    formulas: tuple[Formula, ...] = ()
    """Formulas valid for the language; empty when none is validated."""
    grade: str | None = None
    """Key of the formula whose grade is compared with the target."""
    level: str | None = None
    """Without a grade formula: key of the ease formula whose table gives a school level."""
    unit: str = "words"
    """What sentence length is counted in: ``words``, or ``characters`` (Chinese)."""
    syllables: bool = False
    """Whether textstat counts syllables for this language (for polysyllable lists)."""
    long_word: int = 6
    """A word with more letters than this counts as long."""
    note: str = ""
    """A caveat printed with the scores."""

    @property
    def validated(self) -> bool:
        return bool(self.formulas)

    @property
    def rank(self) -> Formula | None:
        """The formula that ranks sentences by difficulty (grade first, else level)."""
        key = self.grade or self.level or (self.formulas[0].key if self.formulas else None)
        return next((f for f in self.formulas if f.key == key), None)


# Flesch (1948; "The Art of Readable Writing"): reading ease to US school grade. The
# adapted formulas for French, Italian, German and Russian were fitted to the same scale.
FLESCH_BANDS = (
    Band(90, "very easy", 5, 5),
    Band(80, "easy", 6, 6),
    Band(70, "fairly easy", 7, 7),
    Band(60, "plain language", 8, 9),
    Band(50, "fairly difficult", 10, 12),
    Band(30, "difficult (college)", 13, 16),
    Band(-math.inf, "very difficult (college graduate)", 17, None),
)
# Fernández Huerta (1959), as tabulated with school grades.
FERNANDEZ_HUERTA_BANDS = (
    Band(90, "very easy (muy fácil)", 4, 4),
    Band(80, "easy (fácil)", 5, 5),
    Band(70, "fairly easy (bastante fácil)", 6, 6),
    Band(60, "normal", 7, 8),
    Band(50, "fairly difficult (bastante difícil, pre-university)", 9, 12),
    Band(30, "difficult (difícil, selective courses)", 13, 14),
    Band(-math.inf, "very difficult (muy difícil, university)", 15, None),
)
# INFLESZ scale for Szigriszt-Pazos (Barrio-Cantalejo et al., 2008); 55 and up is
# what it asks of health information for patients.
INFLESZ_BANDS = (
    Band(80, "very easy (muy fácil)"),
    Band(65, "fairly easy (bastante fácil)"),
    Band(55, "normal"),
    Band(40, "somewhat difficult (algo difícil)"),
    Band(-math.inf, "very difficult (muy difícil)"),
)
# Gulpease (Lucisano & Piemontese, 1988): below 80 is hard for readers with primary
# schooling, below 60 for middle school, below 40 for upper secondary.
GULPEASE_BANDS = (
    Band(80, "easy for readers with primary schooling"),
    Band(60, "easy for readers with middle-school schooling"),
    Band(40, "easy for readers with upper-secondary schooling"),
    Band(-math.inf, "very difficult"),
)


def _fre(name: str) -> Formula:
    return Formula(
        "flesch_reading_ease",
        name,
        Kind.EASE,
        lambda ts, text: ts.flesch_reading_ease(text),
        FLESCH_BANDS,
    )


_FK = Formula(
    "flesch_kincaid_grade",
    "Flesch-Kincaid grade",
    Kind.GRADE,
    lambda t, s: t.flesch_kincaid_grade(s),
)
_SMOG = Formula("smog", "SMOG grade", Kind.GRADE, lambda t, s: t.smog_index(s))

PROFILES: dict[str, LanguageProfile] = {
    "en": LanguageProfile(
        "en",
        "English",
        (_FK, _SMOG, _fre("Flesch reading ease")),
        grade="flesch_kincaid_grade",
        syllables=True,
        note=(
            "Syllables from the CMU Pronouncing Dictionary (hyphenation rules for words it "
            "lacks); SMOG is meant for 30 sentences or more."
        ),
    ),
    "es": LanguageProfile(
        "es",
        "Spanish",
        (
            Formula(
                "fernandez_huerta",
                "Fernández-Huerta",
                Kind.EASE,
                lambda t, s: t.fernandez_huerta(s),
                FERNANDEZ_HUERTA_BANDS,
            ),
            Formula(
                "szigriszt_pazos",
                "Szigriszt-Pazos (INFLESZ)",
                Kind.EASE,
                lambda t, s: t.szigriszt_pazos(s),
                INFLESZ_BANDS,
            ),
        ),
        level="fernandez_huerta",
        syllables=True,
        note="Syllables from Spanish hyphenation rules (Pyphen).",
    ),
    "fr": LanguageProfile(
        "fr",
        "French",
        (_fre("Kandel-Moles reading ease"),),
        level="flesch_reading_ease",
        syllables=True,
        note=(
            "Kandel-Moles: Flesch reading ease fitted to French. Syllables from French "
            "hyphenation rules (Pyphen); school level from Flesch's table."
        ),
    ),
    "it": LanguageProfile(
        "it",
        "Italian",
        (
            _fre("Franchina-Vacca reading ease"),
            Formula(
                "gulpease",
                "Gulpease index",
                Kind.EASE,
                lambda t, s: t.gulpease_index(s),
                GULPEASE_BANDS,
            ),
        ),
        level="flesch_reading_ease",
        syllables=True,
        note=(
            "Franchina-Vacca: Flesch reading ease fitted to Italian. Syllables from Italian "
            "hyphenation rules (Pyphen); school level from Flesch's table."
        ),
    ),
    "de": LanguageProfile(
        "de",
        "German",
        (
            Formula(
                "wiener_sachtextformel",
                "Wiener Sachtextformel",
                Kind.GRADE,
                lambda t, s: t.wiener_sachtextformel(s, 1),
            ),
            _fre("Amstad reading ease"),
        ),
        grade="wiener_sachtextformel",
        syllables=True,
        note=(
            "Wiener Sachtextformel gives a German school grade; Amstad is Flesch reading "
            "ease fitted to German. Syllables from German hyphenation rules (Pyphen)."
        ),
    ),
    "ru": LanguageProfile(
        "ru",
        "Russian",
        (_fre("Oborneva reading ease"),),
        level="flesch_reading_ease",
        syllables=True,
        note=(
            "Oborneva: Flesch reading ease fitted to Russian. Syllables from Russian "
            "hyphenation rules (Pyphen); school level from Flesch's table."
        ),
    ),
    "ar": LanguageProfile(
        "ar",
        "Arabic",
        (Formula("osman", "OSMAN", Kind.EASE, lambda t, s: t.osman(s)),),
        long_word=5,
        note=(
            "OSMAN has no published school-grade table: compare versions of a text, not "
            "with the target. Short-vowel marks are removed first, so that textstat "
            "estimates syllables the same way for every block."
        ),
    ),
}

#: Languages written without spaces between words: sentence length is in characters.
CHARACTER_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def profile_for(locale: LocaleInfo) -> LanguageProfile:
    """The profile for a locale (by language), or one without formulas."""
    root = locale.code.split("_")[0]
    if root in PROFILES:
        return PROFILES[root]
    name = locale.english_name.split(" (")[0]
    unit = "characters" if root in CHARACTER_LANGUAGES else "words"
    return LanguageProfile(root, name, unit=unit)


def textstat_for(profile: LanguageProfile) -> textstatistics:
    """A textstat instance set to the profile's language (never the shared global one)."""
    with LOADING:  # one package loads at a time (see pipeline.lazy_imports)
        defer_nltk()  # loaded for English only
        from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(profile.code)
    return stats


# -- text ------------------------------------------------------------------------

_ARABIC_SHORT_VOWELS = re.compile("[\u064e\u064f\u0650\u0652]")
_TASHKEEL = re.compile("[\u064b-\u0652\u0653\u0657\u0658\u0670]")
_JOINERS = "'’-\u00ad"
_TERMINATORS = ".!?…。！？؟"
_BOUNDARY = re.compile(r"[.!?…؟]+[\"'”’»)\]]*(?=\s)|[。！？]+[”’」』）)]*")
_ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "p", "ej", "sr", "sra"}
    | {"dra", "mme", "mlle", "approx", "cf", "fig"}
)


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain-text block (not after ``e.g.``, initials, or inside ``2.5``)."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        initial = before[-1].rstrip(".") if before else ""
        if match.group().startswith(".") and (
            last in _ABBREVIATIONS or (len(initial) == 1 and initial.isupper())
        ):
            continue
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _word_char(char: str) -> bool:
    # Letters, digits and combining marks (Arabic vowel marks and shadda, for one).
    return unicodedata.category(char)[0] in "LNM"


def words_of(text: str) -> list[str]:
    """The words of a text: runs of letters, digits and marks, keeping inner ``'`` and ``-``."""
    words: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if _word_char(char):
            current.append(char)
            continue
        following = text[index + 1 : index + 2]
        if char in _JOINERS and current and following and _word_char(following):
            current.append(char)
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def letters(word: str) -> int:
    """Letters (and ideographs) in a word, not counting Arabic vowel marks."""
    return sum(1 for ch in _TASHKEEL.sub("", word) if ch.isalnum())


def for_textstat(text: str, profile: LanguageProfile) -> str:
    """A sentence or block as textstat should see it: ending with a full stop it knows."""
    text = text.replace("؟", "?").replace("…", ".")
    if profile.code == "ar":
        text = _ARABIC_SHORT_VOWELS.sub("", text)
    if text and text.rstrip("\"'”’»)]")[-1:] not in _TERMINATORS:
        text += "."
    return text
