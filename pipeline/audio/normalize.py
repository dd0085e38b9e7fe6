"""Speech normalization: text as written → text as a listener expects to hear it.

Applied to every utterance of the spoken script before synthesis (and before it is
printed for proofreading), with one locale's :class:`~pipeline.audio.lexicon.SpeechRules`.
The code knows the shapes of things (a phone number, a number with a unit, a web
address); what they are called in a language is data (:mod:`pipeline.audio.lexicon`).
In order, each rule on the text the earlier ones left alone:

1. a bare web address (``https://…``, ``www.…``) becomes the locale's ``url`` text
   (its domain name, or a word for "web address"); a link's target is never read anyway;
2. a phone number (``1-800-422-6237``, ``(555) 123-4567``, ``+1 800 422 6237``,
   ``01 23 45 67 89``) is read digit by digit, its groups separated by the locale's
   ``separator`` (a comma: a short pause), ``+`` said as the locale's ``plus``;
3. a number with a unit (``500 mg``, ``38 °C``, ``2–3 mL``, ``5 mg/kg``) gets the
   unit's form for the number's CLDR plural category (Babel's rules), so ``1 mg`` and
   ``2 mg`` agree; the number stays digits (espeak-ng reads numbers well in every
   shipped language, measured) unless the unit asks num2words to spell it;
4. a range of numbers (``2-3``) becomes the locale's ``range`` (``2 to 3``);
5. an emergency number of the locale (``911``; ``15`` only shortly after a call word
   such as ``appelez``) is read digit by digit;
6. lexicon graphemes (``e.g.``, ``Dr.``) become their aliases.

What is not matched is left to espeak-ng, which reads numbers, dates and most symbols
in the voice's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from urllib.parse import urlsplit

from babel import Locale
from babel.numbers import get_decimal_symbol
from num2words import num2words

from .lexicon import Lexeme, SpeechRules, Substitution, Unit

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A number starts where no letter of a spaced script, digit or number punctuation is
# before it; a CJK character may touch it (服用500mg).
_BEFORE = rf"(?:(?<![\w.,+\-–])|(?<=[{_CJK}]))"
_AFTER = rf"(?:(?!\w)|(?=[{_CJK}]))"
_SPACE = "[ \u00a0\u202f]"
_NUMBER = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*"
_URL = re.compile(rf"(?<![A-Za-z0-9.])(?:https?://|www\.)[^\s<>()\[\]{{}}\"'{_CJK}]+")
_URL_TRAILING = ".,;:!?…。，；：！？"
_PHONE = re.compile(
    rf"{_BEFORE}(?P<plus>\+\d{{1,3}}[ .\-\u00a0]?)?(?:\(\d{{1,5}}\)[ .\-\u00a0]?)?"
    rf"\d{{1,5}}(?:[ .\-\u00a0]\d{{1,5}})*{_AFTER}(?![.,]\d)"
)
_RANGE = re.compile(
    rf"{_BEFORE}(?P<a>{_NUMBER}){_SPACE}?[-–]{_SPACE}?(?P<b>{_NUMBER}){_AFTER}(?![.,]?[-–]?\d)"
)
_SHORT_NUMBER = re.compile(rf"{_BEFORE}(?P<n>\d{{2,4}}){_AFTER}(?![.,]\d|[-–]\d)")
CALL_WINDOW = 40
"""How many characters before an emergency number may hold the call word."""
PHONE_DIGITS = (7, 15)
"""Fewest and most digits in a phone number (E.164 allows 15)."""

Piece = tuple[str, bool]
"""A stretch of text, and whether a rule has already made it final."""


def normalize(text: str, rules: SpeechRules, made: list[Substitution] | None = None) -> str:
    """``text`` rewritten for speech with ``rules`` (see the module docstring).

    Each lexicon entry applied is appended to ``made`` when it is given.
    """
    pieces: list[Piece] = [(text, False)]
    pieces = _apply(pieces, _URL, lambda m, _: _url(m, rules))
    pieces = _apply(pieces, _PHONE, lambda m, _: _phone(m, rules))
    if rules.units:
        pattern = _unit_pattern(tuple(u.symbol for u in rules.units), bool(rules.per))
        pieces = _apply(pieces, pattern, lambda m, _: _unit(m, rules))
    if rules.range:
        pieces = _apply(pieces, _RANGE, lambda m, _: rules.range.format(a=m["a"], b=m["b"]))
    if rules.emergency or rules.after_call_word:
        pieces = _apply(pieces, _SHORT_NUMBER, lambda m, before: _emergency(m, before, rules))
    if rules.lexemes:
        pieces = _lexemes(pieces, rules.lexemes, made)
    return " ".join("".join(text for text, _ in pieces).split())


def _apply(
    pieces: list[Piece],
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str], str], str | None],
) -> list[Piece]:
    """Replace the matches of ``pattern`` in the pieces no rule has finished yet.

    ``replace`` gets the match and all the text before it, and returns the final text or
    ``None`` to leave the match alone.
    """
    result: list[Piece] = []
    before = ""
    for text, done in pieces:
        if done:
            result.append((text, True))
            before += text
            continue
        position = 0
        for match in pattern.finditer(text):
            spoken = replace(match, before + text[: match.start()])
            if spoken is None:
                continue
            result += [(text[position : match.start()], False), (spoken, True)]
            position = match.end()
        result.append((text[position:], False))
        before += text
    return [piece for piece in result if piece[0]]


# -- web addresses, phone and emergency numbers ---------------------------------------


def _url(match: re.Match[str], rules: SpeechRules) -> str:
    url = match[0].rstrip(_URL_TRAILING)
    trailing = match[0][len(url) :]
    host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    host = host.removeprefix("www.")
    return rules.url.format(domain=host) + trailing


def _spell(digits: str, rules: SpeechRules) -> str:
    """Digits one by one (``911`` → ``9 1 1``), with the locale's digit words if any."""
    return " ".join(rules.digits.get(str(unicodedata.digit(d)), d) for d in digits)


def is_phone_number(text: str) -> bool:
    """Whether ``text`` (a match of the phone pattern) is a phone number.

    7 to 15 digits; and a ``+`` country code, an area code in parentheses, a hyphen
    (``422-6237``), or at least three groups that are neither a date (``27.11.2026``)
    nor a number grouped by thousands (``1 000 000``).
    """
    groups = re.findall(r"\d+", text)
    count = sum(len(group) for group in groups)
    if not PHONE_DIGITS[0] <= count <= PHONE_DIGITS[1] or len(groups) < 2:
        return False
    sizes = [len(group) for group in groups]
    date = len(groups) == 3 and (sizes[0] == 4 or sizes[2] == 4) and sorted(sizes)[:2] <= [2, 2]
    if date:
        return False
    if text.startswith("+") or "(" in text or "-" in text:
        return True
    thousands = sizes[0] <= 3 and all(size == 3 for size in sizes[1:])
    return len(groups) >= 3 and not thousands


def _phone(match: re.Match[str], rules: SpeechRules) -> str | None:
    text = match[0]
    if not is_phone_number(text):
        return None
    groups = [_spell(group, rules) for group in re.findall(r"\d+", text)]
    if match["plus"]:
        groups[0] = f"{rules.plus} {groups[0]}"
    return rules.separator.join(groups)


def _emergency(match: re.Match[str], before: str, rules: SpeechRules) -> str | None:
    number = match["n"]
    if number in rules.emergency:
        return _spell(number, rules)
    nearby = before[-CALL_WINDOW:]
    if number in rules.after_call_word and rules.call_words:
        return _spell(number, rules) if _call_pattern(rules.call_words).search(nearby) else None
    return None


@cache
def _call_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(_boundaries(word) for word in words), re.IGNORECASE)


# -- units -------------------------------------------------------------------------


@cache
def _unit_pattern(symbols: tuple[str, ...], per: bool) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    unit = rf"(?:{alternatives})"
    compound = rf"(?:/(?P<per>{unit}))?" if per else ""
    return re.compile(
        rf"{_BEFORE}(?:(?P<low>{_NUMBER}){_SPACE}?(?P<dash>[-–]){_SPACE}?)?(?P<n>{_NUMBER})"
        rf"{_SPACE}?(?P<unit>{unit}){compound}(?:(?<=\W)|{_AFTER})"
    )


def number_value(text: str, locale: str) -> Decimal:
    """The value of a number as written in ``locale`` (``1 000``, ``2,5``, ``1,000.5``).

    A ``.`` or ``,`` followed by exactly three digits is a thousands separator unless it
    is the locale's decimal sign; any other is the decimal sign.
    """
    decimal = get_decimal_symbol(locale)
    plain = re.sub(_SPACE, "", text)
    marks = [(m.start(), m[0]) for m in re.finditer(r"[.,]", plain)]
    digits = []
    for index, char in enumerate(plain):
        if char not in ".,":
            digits.append(str(unicodedata.digit(char)))
            continue
        tail = re.match(r"\d*", plain[index + 1 :])
        group = tail is not None and len(tail[0]) == 3 and char != decimal
        if not group and (index, char) == marks[-1]:
            digits.append(".")
    try:
        return Decimal("".join(digits))
    except InvalidOperation:
        return Decimal(0)


def plural_category(value: Decimal, locale: str) -> str:
    """The CLDR plural category of ``value`` in ``locale`` (``one``, ``few``, ``other``…)."""
    return Locale.parse(locale).plural_form(value)


def unit_words(number: str, unit: Unit, rules: SpeechRules) -> str:
    """``number`` with ``unit``, in the unit's form for the number's plural category."""
    value = number_value(number, rules.locale)
    form = unit.forms.get(plural_category(value, rules.locale), unit.forms["other"])
    if unit.num2words and rules.num2words:
        number = str(num2words(value, lang=rules.num2words, **unit.num2words))
    return form.format(n=number)


def _unit(match: re.Match[str], rules: SpeechRules) -> str:
    units = {unit.symbol: unit for unit in rules.units}
    spoken = unit_words(match["n"], units[match["unit"]], rules)
    if match["per"]:
        spoken = f"{spoken} {rules.per} {units[match['per']].bare}"
    if match["low"]:
        if rules.range:
            return rules.range.format(a=match["low"], b=spoken)
        return f"{match['low']}{match['dash']}{spoken}"
    return spoken


# -- lexemes -----------------------------------------------------------------------


def _boundaries(grapheme: str) -> str:
    """``grapheme`` as a pattern matched as a whole word (spaces inside may vary)."""
    parts = [re.escape(part) for part in grapheme.split()]
    body = r"\s*".join(parts)
    first, last = grapheme[0], grapheme[-1]
    spaced = re.compile(rf"[^\W{_CJK}]")
    before = r"(?<!\w)" if spaced.match(first) else ""
    after = r"(?!\w)" if spaced.match(last) else ""
    return f"{before}{body}{after}"


@cache
def _lexeme_pattern(graphemes: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(graphemes, key=len, reverse=True)
    return re.compile("|".join(f"(?:{_boundaries(g)})" for g in ordered))


def _variants(lexemes: tuple[Lexeme, ...]) -> dict[str, tuple[str, Lexeme]]:
    """Every grapheme and its alias (and lexeme), plus a capitalised variant of lower-case
    ones."""
    table: dict[str, tuple[str, Lexeme]] = {}
    for lexeme in lexemes:
        for grapheme in lexeme.graphemes:
            table.setdefault(grapheme, (lexeme.alias, lexeme))
            if grapheme[0].islower():
                capital = grapheme[0].upper() + grapheme[1:]
                table.setdefault(capital, (lexeme.alias[:1].upper() + lexeme.alias[1:], lexeme))
    return table


def _lexemes(
    pieces: list[Piece], lexemes: tuple[Lexeme, ...], made: list[Substitution] | None
) -> list[Piece]:
    table = _variants(lexemes)
    aliases = {_squeeze(grapheme): entry for grapheme, entry in table.items()}
    pattern = _lexeme_pattern(tuple(table))
    total = "".join(text for text, _ in pieces)
    end_of_text = len(total.rstrip(" \u00a0\"'”’»)」"))

    def replace(match: re.Match[str], before: str) -> str:
        written = match[0]
        alias, lexeme = aliases[_squeeze(written)]
        if made is not None:
            made.append(Substitution(written, alias, lexeme.path, lexeme.line))
        at_end = len(before) + len(written) >= end_of_text
        return f"{alias}." if written.endswith(".") and at_end else alias

    return _apply(pieces, pattern, replace)


def _squeeze(text: str) -> str:
    return "".join(text.split())
