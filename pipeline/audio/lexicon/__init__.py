"""Speech rules per locale, in data: a W3C PLS lexicon and a small TOML file.

Rules live in files a translator can read and extend, never in per-language code:

- ``<code>.pls``: a `Pronunciation Lexicon Specification 1.0
  <https://www.w3.org/TR/pronunciation-lexicon/>`_ file whose lexemes map graphemes
  (abbreviations, symbols, names) to an ``<alias>``, the words to say instead::

      <lexeme><grapheme>e.g.</grapheme><alias>for example</alias></lexeme>

- ``<code>.toml``: what PLS cannot express: units spoken after a number, with a form for
  each CLDR plural category (``one``, ``few``, …: Babel's plural rules pick the form),
  emergency numbers, the pause between the digit groups of a phone number, the words for
  ``+``, a number range and ``per``, what a bare web address becomes, and digit words.
  See ``pipeline/audio/lexicons/en.toml`` for every key, with comments.

The shipped files are in ``pipeline/audio/lexicons/``. A project may add
``locales/<code>/lexicon.pls`` and ``locales/<code>/lexicon.toml``; they are searched
first, so each of their entries (a grapheme, a unit, a key) overrides the shipped one and
everything else is kept. A regional locale (``es_MX``) falls back to its language's files.

Here the files are found and merged (:func:`speech_rules`); :mod:`.model` holds what they
make, :mod:`.pls` and :mod:`.rules` read the two formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...locales import parse_locale
from .model import PLURAL_CATEGORIES, Lexeme, LexiconError, SpeechRules, Substitution, Unit
from .pls import read_pls
from .rules import read_toml, read_unit

__all__ = [
    "PLURAL_CATEGORIES",
    "PROJECT_PLS",
    "PROJECT_TOML",
    "SHIPPED",
    "Lexeme",
    "LexiconError",
    "SpeechRules",
    "Substitution",
    "Unit",
    "read_pls",
    "search_path",
    "speech_rules",
]

SHIPPED = Path(__file__).resolve().parent.parent / "lexicons"
"""The lexicons that ship with carepack."""
PROJECT_PLS = "lexicon.pls"
"""A project's own lexicon, in ``locales/<code>/``."""
PROJECT_TOML = "lexicon.toml"
"""A project's own speech rules, in ``locales/<code>/``."""


def search_path(code: str, project_locales: Path | None = None) -> list[tuple[Path, Path]]:
    """``(pls, toml)`` file pairs for ``code``, most important first (existing or not)."""
    info = parse_locale(code)  # a locale code never becomes a path without this check
    language = info.code.split("_", 1)[0]
    codes = [info.code] if language == info.code else [info.code, language]
    pairs: list[tuple[Path, Path]] = []
    if project_locales is not None:
        for each in codes:
            folder = project_locales / each
            pairs.append((folder / PROJECT_PLS, folder / PROJECT_TOML))
    pairs += [(SHIPPED / f"{each}.pls", SHIPPED / f"{each}.toml") for each in codes]
    return pairs


def speech_rules(code: str, project_locales: Path | None = None) -> SpeechRules:
    """The speech rules of ``code``: the project's files (``project_locales/<code>/``)
    first, then the shipped ones. Raise :class:`LexiconError` naming file and line."""
    lexemes: dict[str, Lexeme] = {}
    settings: dict[str, Any] = {}
    units: dict[str, Unit] = {}
    digits: dict[str, str] = {}
    emergency: dict[str, Any] = {}
    files: list[Path] = []
    for pls, toml in search_path(code, project_locales):
        if pls.is_file():
            files.append(pls)
            for lexeme in read_pls(pls, code):
                for grapheme in lexeme.graphemes:
                    lexemes.setdefault(grapheme, lexeme)
        if toml.is_file():
            files.append(toml)
            data, text = read_toml(toml, code)
            for key, value in data.items():
                if key == "units":
                    for symbol, spec in value.items():
                        if symbol not in units:
                            units[symbol] = read_unit(symbol, spec, toml, text, code)
                elif key == "digits":
                    for digit, word in value.items():
                        digits.setdefault(digit, word)
                elif key == "emergency":
                    for name, item in value.items():
                        emergency.setdefault(name, item)
                else:
                    settings.setdefault(key, value)
    unique = {id(lexeme): lexeme for lexeme in lexemes.values()}
    return SpeechRules(
        locale=code,
        lexemes=tuple(unique.values()),
        units=tuple(units.values()),
        emergency=frozenset(emergency.get("numbers", ())),
        after_call_word=frozenset(emergency.get("after_call_word", ())),
        call_words=tuple(emergency.get("call_words", ())),
        separator=settings.get("separator", ", "),
        plus=settings.get("plus", "+"),
        url=settings.get("url", "{domain}"),
        range=settings.get("range", ""),
        per=settings.get("per", ""),
        num2words=settings.get("num2words", ""),
        digits=digits,
        files=tuple(files),
    )
