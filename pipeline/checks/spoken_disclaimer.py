"""The disclaimer is spoken as it is translated: no lexicon entry may change its words.

A lexicon (``locales/<code>/lexicon.pls``) says how to speak abbreviations, symbols and
names. Applied to the disclaimer it could also turn a word into another one, ``no`` into
``sí``, and reverse what the listener hears. Every substitution the script made in the
disclaimer is looked at: an abbreviation's expansion (``Dr.``, ``EE. UU.``, ``FDA``), a
symbol read aloud (``%``) and a respelling of the same word (``Velcade`` → ``Velkeid``)
are fine; any other change of a word is an error-level finding for that locale, so its
audio is not built until the lexicon is fixed (the check is named
:data:`pipeline.audio.lint.LEXICON_CHECK`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

from ..audio.lexicon import Substitution
from ..audio.lint import LEXICON_CHECK
from ..audio.script import Script
from .finding import Finding

RESPELLING = 0.5
"""Similarity (difflib's ratio, letters only, accents removed) from which an alias is a
respelling of the written word rather than another word."""
SHORT_WORD = 4
"""A word this short is only respelled by accents or case: any other letter makes it
another word (``no`` -> ``now``)."""


def _letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in plain if char.isalpha())


def changes_the_word(written: str, alias: str) -> bool:
    """Whether saying ``alias`` for ``written`` says a different word.

    Not a change: no letters in ``written`` (a symbol), an abbreviation (a full stop, a
    digit or an all-capital acronym), or a respelling (similar letters; in a word of up
    to four letters, only accents and case may change).
    """
    letters = [char for char in written if char.isalpha()]
    if not letters or "." in written or any(char.isdigit() for char in written):
        return False
    if len(letters) >= 2 and all(char.isupper() for char in letters):
        return False
    before, after = _letters(written), _letters(alias)
    if len(before) <= SHORT_WORD:  # "no" -> "now" is not a respelling
        return before != after
    return SequenceMatcher(None, before, after).ratio() < RESPELLING


def disclaimer_substitutions(
    script: Script, relative: Callable[[Path], Path] = lambda path: path
) -> list[Finding]:
    """An error finding for each lexicon entry that changes a word of the disclaimer."""
    findings: list[Finding] = []
    seen: set[tuple[Path, int, str]] = set()
    for section in script.sections:
        if not section.disclaimer:
            continue
        for utterance in section.utterances:
            for made in utterance.substitutions:
                key = (made.path, made.line, made.written)
                if key in seen or not changes_the_word(made.written, made.alias):
                    continue
                seen.add(key)
                findings.append(_finding(script.locale, made, relative))
    return findings


def _finding(locale: str, made: Substitution, relative: Callable[[Path], Path]) -> Finding:
    return Finding(
        locale=locale,
        path=relative(made.path),
        line=made.line,
        msgid=made.written,
        msgctxt=None,
        check=LEXICON_CHECK,
        severity="error",
        message=(
            f"this lexicon entry makes the spoken disclaimer say {made.alias!r} where the "
            f"translation says {made.written!r}: a lexicon may expand abbreviations and "
            "respell words, never change them (the audio is not built)"
        ),
    )
