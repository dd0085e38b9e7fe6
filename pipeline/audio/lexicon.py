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

PLS files are parsed with the standard library's expat (what ElementTree uses), so that
every lexeme keeps its line number for messages; document type declarations and entities
are refused, as defusedxml does. Only ``<alias>`` pronunciations are used (espeak-ng is
given text); a lexeme with ``<phoneme>`` only is an error.
"""

from __future__ import annotations

import re
import string
import tomllib
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from num2words import CONVERTER_CLASSES

from ..config import toml_line
from ..errors import ConfigError
from ..locales import parse_locale

SHIPPED = Path(__file__).resolve().parent / "lexicons"
"""The lexicons that ship with carepack."""
PROJECT_PLS = "lexicon.pls"
"""A project's own lexicon, in ``locales/<code>/``."""
PROJECT_TOML = "lexicon.toml"
"""A project's own speech rules, in ``locales/<code>/``."""
PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories, the keys of a unit's forms."""
_IGNORED = {"meta", "metadata", "example"}
_TOP_KEYS = {
    "separator",
    "plus",
    "url",
    "range",
    "per",
    "num2words",
    "digits",
    "emergency",
    "units",
}


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
            data, text = _read_toml(toml, code)
            for key, value in data.items():
                if key == "units":
                    for symbol, spec in value.items():
                        if symbol not in units:
                            units[symbol] = _unit(symbol, spec, toml, text, code)
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


# -- PLS ---------------------------------------------------------------------


class _PlsReader:
    """Collects lexemes from expat's events."""

    def __init__(self, path: Path, code: str, parser: xml.parsers.expat.XMLParserType) -> None:
        self.path, self.code, self.parser = path, code, parser
        self.stack: list[str] = []
        self.lexemes: list[Lexeme] = []
        self.graphemes: list[str] = []
        self.aliases: list[tuple[bool, str]] = []
        self.phonemes = 0
        self.text: list[str] = []
        self.lexeme_line = 0

    def fail(self, message: str, line: int | None = None) -> LexiconError:
        return LexiconError(message, self.path, line or self.parser.CurrentLineNumber, self.code)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace != PLS_NAMESPACE:
            raise self.fail(f"<{local}> is not a PLS element (namespace {PLS_NAMESPACE})")
        parent = self.stack[-1] if self.stack else None
        self.stack.append(local)
        if parent is None:
            if local != "lexicon":
                raise self.fail(f"the root element must be <lexicon>, not <{local}>")
            self.check_language(attrs.get(f"{XML_NAMESPACE} lang", ""))
        elif local == "lexeme" and parent == "lexicon":
            self.graphemes, self.aliases, self.phonemes = [], [], 0
            self.lexeme_line = self.parser.CurrentLineNumber
        elif local in {"grapheme", "alias", "phoneme"} and parent == "lexeme":
            self.text = []
            if local == "alias":
                self.aliases.append((attrs.get("prefer") == "true", ""))
        elif local not in _IGNORED and "example" not in self.stack[:-1]:
            raise self.fail(f"unexpected <{local}> in <{parent}>")

    def check_language(self, lang: str) -> None:
        if not lang:
            raise self.fail('<lexicon> needs xml:lang (the language it is for, "es")')
        want = self.code.split("_", 1)[0].lower()
        if lang.replace("_", "-").split("-", 1)[0].lower() != want:
            raise self.fail(f"this lexicon is for xml:lang={lang!r}, not for {self.code}")

    def end(self, name: str) -> None:
        local = self.stack.pop()
        words = " ".join("".join(self.text).split())
        if local == "grapheme":
            if not words:
                raise self.fail("empty <grapheme>")
            self.graphemes.append(words)
        elif local == "alias":
            prefer, _ = self.aliases.pop()
            self.aliases.append((prefer, words))
        elif local == "phoneme":
            self.phonemes += 1
        elif local == "lexeme":
            self.finish_lexeme()

    def finish_lexeme(self) -> None:
        line = self.lexeme_line
        if not self.graphemes:
            raise self.fail("a <lexeme> needs at least one <grapheme>", line)
        if not self.aliases:
            what = "only <phoneme>" if self.phonemes else "no <alias>"
            raise self.fail(
                f"the lexeme for {self.graphemes[0]!r} has {what}: carepack speaks the "
                "<alias> (the words to say), not phoneme strings",
                line,
            )
        preferred = [alias for prefer, alias in self.aliases if prefer]
        alias = (preferred or [alias for _, alias in self.aliases])[0]
        self.lexemes.append(Lexeme(tuple(self.graphemes), alias, self.path, line))

    def chars(self, data: str) -> None:
        if self.stack and self.stack[-1] in {"grapheme", "alias", "phoneme"}:
            self.text.append(data)


def read_pls(path: Path, code: str) -> list[Lexeme]:
    """The lexemes of a PLS file; :class:`LexiconError` (file, line, locale) if malformed."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    reader = _PlsReader(path, code, parser)

    def refuse(*_: object) -> None:
        raise reader.fail("document type declarations and entities are not allowed")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    data = _read_bytes(path, code)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.ErrorString(error.code)
        raise LexiconError(f"not well-formed XML: {message}", path, error.lineno, code) from None
    return reader.lexemes


# -- TOML --------------------------------------------------------------------


MAX_LEXICON_BYTES = 1_000_000
"""The largest lexicon or speech-rules file read."""


def _read_bytes(path: Path, code: str) -> bytes:
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


def _read_toml(path: Path, code: str) -> tuple[dict[str, Any], str]:
    raw = _read_bytes(path, code)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
        raise LexiconError("not UTF-8 text; save it as UTF-8", path, bad_line, code) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"at line (\d+)", str(error))
        line = int(found[1]) if found else None
        raise LexiconError(f"invalid TOML: {error}", path, line, code) from None
    _validate(data, path, text, code)
    return data, text


def _fields(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return {"?"}


def _template(value: Any, allowed: set[str], required: set[str]) -> str | None:
    """An error message unless ``value`` is text using only ``allowed`` placeholders."""
    if not isinstance(value, str):
        return f"must be text, not {value!r}"
    names = _fields(value)
    if not names <= allowed or not required <= names:
        need = ", ".join("{" + n + "}" for n in sorted(required)) or "no placeholder"
        may = ", ".join("{" + n + "}" for n in sorted(allowed)) or "none"
        return f"{value!r}: needs {need} and may use {may} (write {{{{ }}}} for braces)"
    return None


def _validate(data: dict[str, Any], path: Path, text: str, code: str) -> None:
    def fail(key: str, message: str) -> LexiconError:
        return LexiconError(f"{key}: {message}", path, toml_line(text, key), code)

    for key, value in data.items():
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key (known: {', '.join(sorted(_TOP_KEYS))})")
        problem = None
        if key in {"separator", "plus", "per"}:
            problem = None if isinstance(value, str) else f"must be text, not {value!r}"
        elif key == "url":
            problem = _template(value, {"domain"}, set())
        elif key == "range":
            problem = _template(value, {"a", "b"}, {"a", "b"})
        elif key == "num2words" and value not in CONVERTER_CLASSES:
            problem = f"num2words has no language {value!r}"
        elif key in {"digits", "emergency", "units"} and not isinstance(value, dict):
            problem = "must be a table"
        if problem:
            raise fail(key, problem)
    for digit, word in data.get("digits", {}).items():
        if digit not in "0123456789" or len(digit) != 1 or not isinstance(word, str):
            raise fail(digit, 'digits maps one digit to its word: "1" = "幺"')
    emergency = data.get("emergency", {})
    for name, value in emergency.items():
        if name not in {"numbers", "after_call_word", "call_words"}:
            raise fail(
                name, "unknown key in [emergency] (known: after_call_word, call_words, numbers)"
            )
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(name, "must be a list of strings")
    for key in ("numbers", "after_call_word"):
        for number in emergency.get(key, []):
            if not number.isascii() or not number.isdigit():
                raise fail(key, f"{number!r} is not a number of digits")


def _unit(symbol: str, spec: Any, path: Path, text: str, code: str) -> Unit:
    def fail(message: str) -> LexiconError:
        return LexiconError(f"units.{symbol}: {message}", path, toml_line(text, symbol), code)

    if not isinstance(spec, dict):
        raise fail('must be a table such as { one = "{n} milligram", other = "{n} milligrams" }')
    unknown = set(spec) - {*PLURAL_CATEGORIES, "bare", "num2words"}
    if unknown:
        raise fail(
            f"unknown key {sorted(unknown)[0]!r} (plural categories: "
            f"{', '.join(PLURAL_CATEGORIES)}; or bare, num2words)"
        )
    if "other" not in spec:
        raise fail("needs an 'other' form (the one used when no other category applies)")
    forms: dict[str, str] = {}
    for category in PLURAL_CATEGORIES:
        if category in spec:
            problem = _template(spec[category], {"n"}, set())
            if problem:
                raise fail(f"{category} = {problem}")
            forms[category] = spec[category]
    options = spec.get("num2words", {})
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise fail('num2words must be a table of options such as { gender = "f" }')
    bare = spec.get("bare", forms.get("one", forms["other"]).replace("{n}", ""))
    if not isinstance(bare, str):
        raise fail(f"bare must be text, not {bare!r}")
    return Unit(symbol, forms, " ".join(bare.split()), dict(options))
