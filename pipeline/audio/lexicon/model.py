"""The speech rules' model: lexemes, units, a locale's rules, and the error for a malformed
file (the formats that hold them are :mod:`.pls` and :mod:`.rules`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ConfigError
from ..utterance import Substitution

__all__ = ["PLURAL_CATEGORIES", "Lexeme", "LexiconError", "SpeechRules", "Substitution", "Unit"]

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories, the keys of a unit's forms."""


class LexiconError(ConfigError):
    """A lexicon or speech-rules file is malformed (the file and line are named)."""


@dataclass(frozen=True)
class Lexeme:
    """Graphemes that are spoken as other words."""

    graphemes: tuple[str, ...]
    """The written forms, matched as whole words, case-sensitively (a lower-case one also
    matches with a capital first letter, and its alias is then capitalised)."""
    alias: str
    """What to say instead."""
    path: Path
    """The lexicon file."""
    line: int
    """The lexeme's line in it."""


@dataclass(frozen=True)
class Unit:
    """A unit symbol read after a number (``500 mg``), in the locale's words."""

    symbol: str
    """The symbol as written: ``mg``, ``°C``, ``%``."""
    forms: dict[str, str]
    """Template per CLDR plural category (``other`` is always there); ``{n}`` is the
    number. A form without ``{n}`` drops the number (Arabic's dual: ``مليغرامان``)."""
    bare: str
    """The unit without a number, as said after the ``per`` word (``kilogram``)."""
    num2words: dict[str, str] = field(default_factory=dict)
    """When set, the number is spelled out by num2words with these options
    (``{gender = "f"}`` in Russian, where espeak-ng reads every number as masculine)."""


@dataclass(frozen=True)
class SpeechRules:
    """Everything :func:`pipeline.audio.normalize.normalize` needs for one locale."""

    locale: str
    """The locale code."""
    lexemes: tuple[Lexeme, ...] = ()
    """Abbreviations and other words to replace."""
    units: tuple[Unit, ...] = ()
    """Units read after numbers."""
    emergency: frozenset[str] = frozenset()
    """Emergency numbers read digit by digit wherever they stand (``911``)."""
    after_call_word: frozenset[str] = frozenset()
    """Emergency numbers read digit by digit only shortly after a call word (French
    ``15``: ``appelez le 15``, but ``15 jours`` stays a number)."""
    call_words: tuple[str, ...] = ()
    """Words such as ``call``, ``appelez``, ``拨打`` (matched case-insensitively)."""
    separator: str = ", "
    """Said between the digit groups of a phone number (a comma: a short pause)."""
    plus: str = "+"
    """Said for the ``+`` before a country code."""
    url: str = "{domain}"
    """What a bare web address becomes; ``{domain}`` is its host name without ``www.``."""
    range: str = ""
    """Template for a range of numbers (``{a} to {b}``); empty: left as written."""
    per: str = ""
    """The word between two units (``mg/kg``); empty: compound units are left as written."""
    num2words: str = ""
    """num2words' language code, for units that ask for spelled-out numbers."""
    digits: dict[str, str] = field(default_factory=dict)
    """Words for single digits in phone and emergency numbers (Mandarin ``1`` → ``幺``)."""
    files: tuple[Path, ...] = ()
    """The files the rules were read from, most important first."""


MAX_LEXICON_BYTES = 1_000_000
"""The largest lexicon or speech-rules file read."""


def read_bounded(path: Path, code: str) -> bytes:
    """The file's bytes, bounded; an unreadable file is a :class:`LexiconError`."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LEXICON_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise LexiconError(f"cannot read the file ({reason})", path, None, code) from None
    if len(data) > MAX_LEXICON_BYTES:
        raise LexiconError(f"larger than {MAX_LEXICON_BYTES // 1000} kB", path, None, code)
    return data
