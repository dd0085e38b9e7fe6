"""The speech-rules TOML files (``<code>.toml``, ``lexicon.toml``): what PLS cannot say.
Each key is checked against what it may hold; every error names the file and line."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any

from num2words import CONVERTER_CLASSES

from ...config import toml_line
from .model import PLURAL_CATEGORIES, LexiconError, Unit, read_bounded

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


def read_toml(path: Path, code: str) -> tuple[dict[str, Any], str]:
    raw = read_bounded(path, code)
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


def read_unit(symbol: str, spec: Any, path: Path, text: str, code: str) -> Unit:
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
