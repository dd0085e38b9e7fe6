"""Finding glossary terms in text, and the ``Terms:`` comment on PO entries.

A source term matches case-insensitively, on word boundaries (``care`` is not in
``careful`` or ``healthcare``), with any run of spaces or a hyphen between its words
(``second-line treatment``), and with the English plural of its last word
(``clinical trial`` matches ``clinical trials``; ``therapy`` matches ``therapies``).
A translation matches one of the term's approved forms the same way, without plural
rules (a language's other forms are listed as variants in the glossary); in scripts
written without spaces (Chinese, Japanese, Thai, ...) a form matches anywhere, and in
Arabic script it may carry a prefix (``ال``, ``و``, ``ل``, ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import polib

from .glossary import Term

#: The first line of the ``#.`` comment that lists an entry's terms.
TERMS_LABEL = "Terms: "
#: Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana, Han);
#: compiled on first use by :mod:`re` (its large ranges take 2 ms to compile, and only
#: translations are matched with it, never while an update notes source terms).
_NO_SPACES = r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
_ARABIC = r"[\u0600-\u06ff]"
_JOIN = r"[\s\-\u2010\u2011]+"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _plural(word: str) -> str:
    """A pattern for an English word and its plural (a plural given matches its singular)."""
    low = word.casefold()
    if low.endswith("ies") and len(low) > 4:
        return re.escape(low[:-3]) + "(?:y|ies)"
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return re.escape(low[:-1]) + "(?:y|ies)"
    if low.endswith(("ss", "sh", "ch", "x", "z")):
        return re.escape(low) + "(?:es)?"
    if low.endswith("s") and len(low) > 3:
        return re.escape(low[:-1]) + "(?:s|es)?"
    return re.escape(low) + "s?"


@cache
def source_pattern(term: str) -> re.Pattern[str]:
    """The pattern of a source term in (case-folded) text."""
    words = _fold(term).split()
    body = _JOIN.join([*map(re.escape, words[:-1]), _plural(words[-1])])
    return re.compile(rf"(?<!\w){body}(?!\w)")


@cache
def target_pattern(form: str) -> re.Pattern[str]:
    """The pattern of a translation's form in (case-folded) text."""
    words = _fold(form).split()
    body = r"\s+".join(map(re.escape, words))
    left = "" if re.match(_NO_SPACES, form) else r"(?<!\w)"
    if re.match(_ARABIC, form) and left:
        left = r"(?<![^\W\u0648\u0641\u0628\u0644\u0643\u0627])"  # و ف ب ل ك ا may come before
    right = "" if re.search(_NO_SPACES, form[-1:]) else r"(?!\w)"
    return re.compile(left + body + right)


@lru_cache(maxsize=1 << 16)
def _occurs(source: str, folded: str) -> bool:
    """Whether the source term ``source`` occurs in ``folded`` (the languages' glossaries
    share most source terms, and an update asks this of the same strings in each)."""
    return source_pattern(source).search(folded) is not None


def terms_in(text: str, terms: Iterable[Term]) -> list[Term]:
    """The terms that occur in ``text`` (a source string), in glossary order."""
    folded = _fold(text)
    return [term for term in terms if _occurs(term.source, folded)]


def count_in(text: str, term: Term) -> int:
    """How often ``term`` occurs in ``text`` (a source string)."""
    return len(source_pattern(term.source).findall(_fold(text)))


def uses_approved(translation: str, term: Term) -> bool:
    """Whether ``translation`` uses the approved translation or one of its variants."""
    folded = _fold(translation)
    return any(target_pattern(form).search(folded) for form in term.approved_forms)


def forbidden_used(translation: str, term: Term) -> str | None:
    """The first forbidden variant that ``translation`` uses, if any. Text that is an
    approved form does not count (a forbidden ``mieloma`` inside the approved
    ``mieloma múltiple``)."""
    folded = _fold(translation)
    for form in term.approved_forms:
        folded = target_pattern(form).sub(" ", folded)
    return next((f for f in term.forbidden if target_pattern(f).search(folded)), None)


def terms_comment(terms: Sequence[Term]) -> str:
    """``Terms: multiple myeloma = mieloma múltiple; ...`` for the terms that have an
    approved translation (empty when none has)."""
    parts = []
    for term in terms:
        if not term.translation:
            continue
        part = f"{term.source} = {term.translation}"
        if term.forbidden:
            part += f" (not: {', '.join(term.forbidden)})"
        parts.append(part)
    return TERMS_LABEL + "; ".join(parts) if parts else ""


def annotate(po: polib.POFile, terms: Sequence[Term]) -> None:
    """Give every live entry a ``#. Terms: ...`` line for the glossary terms in its
    msgid (and msgid_plural), replacing the one an earlier update wrote."""
    for entry in po:
        if entry.obsolete:
            continue
        lines = [
            line for line in (entry.comment or "").split("\n") if not line.startswith(TERMS_LABEL)
        ]
        found = terms_in(f"{entry.msgid}\n{entry.msgid_plural or ''}", terms) if terms else []
        comment = terms_comment(found)
        entry.comment = "\n".join([line for line in lines if line] + ([comment] if comment else []))
