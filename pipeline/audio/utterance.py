"""What the synthesizer is given: an utterance and the lexicon entries applied to it.

Apart from the script (:mod:`pipeline.audio.script`, which makes them from a document
with Markdown, the catalogs and the speech rules), so that a speech worker, which only
speaks and encodes them, loads none of that: the fork server preloads what a worker
needs (:data:`pipeline.audio.workers.FORKSERVER_PRELOAD`), and a track job carries
utterances and substitutions, whose modules a worker imports to read the job.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Substitution:
    """A lexicon entry applied to a text: what was written and what is said instead."""

    written: str
    """The text as written (``Dr.``)."""
    alias: str
    """What is said (``doctor``)."""
    path: Path
    """The lexicon file the entry comes from."""
    line: int
    """The entry's line in it."""


@dataclass(frozen=True)
class Utterance:
    """One piece of text spoken in one breath, then a pause."""

    text: str
    """Plain text, exactly as it is given to the synthesizer."""
    pause: int
    """Milliseconds of silence after it."""
    block: str
    """Id of the source block (for a table row, the row's first cell) it was made from."""
    line: int
    """Line of that block in the master text."""
    substitutions: tuple[Substitution, ...] = ()
    """The lexicon entries applied to it, in order (``carepack script`` shows them)."""
    sentence: int = 0
    """For a paragraph, spoken sentence by sentence: which of its sentences this is."""


def speech_units(text: str) -> int:
    """Words in ``text``, counting each CJK, kana, hangul or Thai character as one.

    Languages written without spaces between words are spoken about one syllable
    per character, so this is the length measure duration checks compare with.
    """
    count = 0
    for word in text.split():
        dense = sum(1 for char in word if _is_dense(char))
        letters = sum(1 for char in word if unicodedata.category(char)[0] in "LN")
        count += dense + (1 if letters > dense else 0)
    return count


def _is_dense(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"))
