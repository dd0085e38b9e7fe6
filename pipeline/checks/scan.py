"""What the entry checks see in one string: numbers, links, e-mail addresses, inline
Markdown, raw HTML and ``str.format`` placeholders.

Markdown is read by markdown-it-py, the parser that renders the pages, so a check sees
exactly what a reader would (``**重要**`` is bold, ``**“引用”**的`` is not: CommonMark's
flanking rules). Links are read with every URL accepted and none normalised, so that a
``javascript:`` link is seen rather than silently dropped. Numbers are read with Babel's
(CLDR) symbols for the string's locale and every Unicode decimal digit: ``١٬٥٠٠`` in
Arabic, ``1 500`` in French and ``1.500`` in Spanish are all 1500, while ``1,5`` in French
is 1.5.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, numbers
from markdown_it.token import Token

from ..source.markdown import verbatim_parser

_SPACES = frozenset(" \u00a0\u202f")
_BARE_URL = re.compile(r"(?<![\w@.])(?:https?://|www\.|mailto:|tel:)[^\s<>()\[\]{}\"'`]+", re.I)
_URL_TAIL = ".,;:!?…。，、；：！？»›”’"
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+")
_STRUCTURE = {
    "strong_open": "bold",
    "em_open": "italic",
    "code_inline": "code",
    "image": "image",
}
_STRAY = "*`[]"


@lru_cache(maxsize=4096)
def inline_tokens(text: str) -> tuple[Token, ...]:
    """The inline tokens of ``text`` (read-only; cached)."""
    blocks = verbatim_parser().parseInline(text)
    return tuple(blocks[0].children or ()) if blocks else ()


# -- numbers -----------------------------------------------------------------


@cache
def number_symbols(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Decimal and group separators a text in ``code`` may use (CLDR, via Babel).

    Those of the locale's default and native numbering systems and of Latin digits (an
    Arabic text may write ``1,5`` or ``١٫٥``). A space-like group separator (French,
    Russian) accepts any of the usual spaces, since translators type what they have.
    """
    locale = Locale.parse(code)
    systems = {"latn", locale.default_numbering_system}
    native = locale.other_numbering_systems.get("native")
    if native:
        systems.add(native)
    decimal: set[str] = set()
    group: set[str] = set()
    for system in systems:
        try:
            decimal.add(numbers.get_decimal_symbol(locale, numbering_system=system))
            group.add(numbers.get_group_symbol(locale, numbering_system=system))
        except numbers.UnsupportedNumberingSystemError:
            continue
    group -= decimal
    if group & _SPACES:
        group |= _SPACES
    return frozenset(decimal), frozenset(group)


@cache
def _number_pattern(code: str) -> re.Pattern[str]:
    decimal, group = number_symbols(code)
    dec = "".join(re.escape(c) for c in sorted(decimal))
    grp = "".join(re.escape(c) for c in sorted(group))
    return re.compile(rf"(?<!\d)\d+(?:[{grp}]\d{{3}}(?!\d))*(?:[{dec}]\d+)?")


def _without_links(text: str) -> str:
    text = _PLACEHOLDER.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    text = re.sub(r"\]\([^)\s]*(?:\s[^)]*)?\)", "] ", text)  # Markdown link destinations
    return _EMAIL.sub(" ", text)


def scan_numbers(text: str, code: str) -> list[Decimal]:
    """Every number written with digits in ``text`` (read as ``code`` writes numbers).

    Placeholders, URLs, link destinations and e-mail addresses are left out: the link
    checks cover them.
    """
    decimal, group = number_symbols(code)
    found = []
    for match in _number_pattern(code).finditer(_without_links(text)):
        plain = []
        for char in match.group():
            if char in group:
                continue
            plain.append("." if char in decimal else str(unicodedata.decimal(char)))
        found.append(Decimal("".join(plain)))
    return found


def show_number(value: Decimal) -> str:
    """A number as plain digits (``1500``, ``2.5``)."""
    return format(value.normalize(), "f")


# -- links, e-mail addresses, HTML -------------------------------------------


def _bare_urls(text: str) -> list[str]:
    return [m.group().rstrip(_URL_TAIL) for m in _BARE_URL.finditer(text)]


def link_destinations(text: str) -> list[str]:
    """Where the rendered text would link to: Markdown links, images and autolinks."""
    found = []
    for token in inline_tokens(text):
        if token.type == "link_open":
            found.append(str(token.attrs.get("href", "")))
        elif token.type == "image":
            found.append(str(token.attrs.get("src", "")))
    return found


def link_targets(text: str) -> list[str]:
    """Every link in ``text``: Markdown destinations, autolinks and bare URLs,
    ``mailto:`` and ``tel:`` addresses written out in the text."""
    found = link_destinations(text)
    in_autolink = False
    for token in inline_tokens(text):
        if token.type in {"link_open", "link_close"} and token.markup == "autolink":
            in_autolink = token.type == "link_open"
        elif token.type in {"text", "code_inline"} and not in_autolink:
            found.extend(_bare_urls(token.content))
    return found


def email_addresses(text: str) -> list[str]:
    """The e-mail addresses in ``text`` (ASCII addresses, as in ``mailto:`` links)."""
    return _EMAIL.findall(text)


def html_tags(text: str) -> list[str]:
    """Raw HTML tags and comments in ``text``, as CommonMark sees them."""
    return [t.content for t in inline_tokens(text) if t.type == "html_inline"]


# -- Markdown and placeholders -----------------------------------------------


def markdown_signature(text: str) -> Counter[str]:
    """How many of each inline construct ``text`` has, and stray markers left over."""
    signature: Counter[str] = Counter()
    for token in inline_tokens(text):
        if token.type in _STRUCTURE:
            signature[_STRUCTURE[token.type]] += 1
        elif token.type == "link_open":
            signature["autolink" if token.markup == "autolink" else "link"] += 1
        elif token.type == "text":
            for char in _STRAY:
                if char in token.content:
                    signature[f"stray {char!r}"] += token.content.count(char)
    return signature


def placeholders(text: str) -> Counter[str]:
    """The ``str.format`` fields of ``text`` by name (``{}`` for automatic numbering).

    Parsed by :class:`string.Formatter`, as ``str.format`` will; raises ``ValueError``
    for a malformed string (``{count``, a lone ``}``).
    """
    found: Counter[str] = Counter()
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is not None:
            root = re.match(r"[^.\[]*", field)
            found["{" + (root.group() if root else field) + "}"] += 1
    return found


def visible_words(text: str) -> str:
    """The prose of ``text``: no markup, code, placeholders, links, e-mails or numbers.

    Used to compare lengths and to tell prose from codes and names.
    """
    parts = []
    in_autolink = False
    for token in inline_tokens(text):
        if token.type in {"link_open", "link_close"} and token.markup == "autolink":
            in_autolink = token.type == "link_open"
        elif token.type == "text" and not in_autolink:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    plain = _without_links("".join(parts))
    plain = re.sub(r"\d", " ", plain)
    return " ".join(unicodedata.normalize("NFC", plain).split())


def word_count(text: str) -> int:
    """Runs of letters in ``text`` (a CJK sentence counts as few words; fine for our use)."""
    return len(_WORD.findall(text))
