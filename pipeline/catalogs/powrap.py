"""Line wrapping of PO strings exactly as GNU gettext's ``write-po.c`` does it.

GNU tools (msgmerge, msgcat, msgfmt's companions, and Poedit, which follows
them) break a string at Unicode line-break opportunities (UAX #14, through
libunistring) so that no line exceeds 79 columns, counting East Asian wide
characters as two. Writing the same wrapping keeps translators' diffs small when
a file passes back and forth between carepack and their tools; the test-suite
checks our output against ``msgcat`` byte for byte.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .gnu_layout import known_lines

PAGE_WIDTH = 79

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}


@lru_cache(maxsize=1 << 16)
def char_width(char: str) -> int:
    """Display columns of one character, as libunistring's ``uc_width``."""
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    if unicodedata.category(char) == "Cc":
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def _portions(value: str) -> Iterator[str]:
    """Split at each newline, keeping it at the end of its portion (as GNU does)."""
    start = 0
    while True:
        end = value.find("\n", start)
        if end < 0 or end == len(value) - 1:
            yield value[start:]
            return
        yield value[start : end + 1]
        start = end + 1


# Pairs that the older UAX #14 (as libunistring implements it) never breaks: LB25's
# list of pairs around numbers and prefixes/postfixes, without the newer regex.
_NO_BREAK_PAIRS = {
    ("CL", "PO"), ("CP", "PO"), ("CL", "PR"), ("CP", "PR"), ("NU", "PO"), ("NU", "PR"),
    ("PO", "OP"), ("PO", "NU"), ("PR", "OP"), ("PR", "NU"), ("HY", "NU"), ("IS", "NU"),
    ("NU", "NU"), ("SY", "NU"),
}  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _line_break(char: str) -> str:
    return str(_uniseg().line_break(char))


@lru_cache(maxsize=1)
def _uniseg() -> Any:
    """uniseg's line breaking, loaded when a string must be wrapped (with GNU's own lines
    at hand, :mod:`pipeline.catalogs.gnu_layout`, an update seldom needs it)."""
    import uniseg.linebreak

    return uniseg.linebreak


def line_break_breakables(text: str) -> Any:
    """uniseg's break opportunities in ``text`` (1 where a line may break before)."""
    return _uniseg().line_break_breakables(text)


_LETTERS = frozenset({"AL", "HL"})


# Classes whose UAX #14 rules, inside a chunk without spaces, look at one pair only.
_PAIRWISE = frozenset({"AL", "HL", "ID", "CL", "CP", "IS", "EX", "OP", "NS", "SY"})


@lru_cache(maxsize=1 << 16)
def _kind(char: str) -> tuple[str, bool]:
    """A character's line-break class and whether it is East Asian wide (LB30)."""
    return _line_break(char), unicodedata.east_asian_width(char) in {"F", "W", "H"}


_PAIR_FLAGS: dict[tuple[tuple[str, bool], tuple[str, bool]], bool] = {}


def _pair_flag(before: str, here: str) -> bool:
    """uniseg's decision between two characters, memoised by their kinds."""
    key = (_kind(before), _kind(here))
    flag = _PAIR_FLAGS.get(key)
    if flag is None:
        flag = _PAIR_FLAGS[key] = bool(list(line_break_breakables(before + here))[1])
    return flag


@lru_cache(maxsize=1 << 16)
def _chunk_flags(chunk: str) -> tuple[bool, ...]:
    """uniseg's opportunities inside one space-free chunk, seen after a space."""
    classes = [_line_break(char) for char in chunk]
    if all(kind in _LETTERS for kind in classes):
        return (False,) * len(chunk)  # LB28: a word of letters never breaks inside
    if all(kind in _PAIRWISE for kind in classes):
        # Chinese sentences and punctuated words: decided pair by pair, memoised by kind.
        pairs = zip(" " + chunk, chunk, strict=False)
        return tuple(_pair_flag(a, b) for a, b in pairs)
    return tuple(bool(flag) for flag in line_break_breakables(" " + chunk))[1:]


@lru_cache(maxsize=1 << 16)
def _boundary_flag(window: str, index: int) -> bool:
    return bool(list(line_break_breakables(window))[index])


# After spaces, these classes never start a line (LB13) ...
_NOT_AFTER_SPACES = frozenset({"CL", "CP", "EX", "IS", "SY"})
# ... and these need the full rules (quotes, joiners, combining marks, breaks).
_COMPLEX = frozenset({"QU", "WJ", "ZW", "ZWJ", "CM", "BK", "CR", "LF", "NL", "SP", "SA", "XX"})


def _after_spaces(before: str, here: str) -> bool | None:
    """Whether a line may start at ``here`` after spaces that follow ``before`` (the
    classes of the two characters around the spaces); ``None`` when uniseg must decide."""
    if before in _COMPLEX or here in _COMPLEX:
        return None
    here = "NS" if here == "CJ" else here  # LB1
    if here in _NOT_AFTER_SPACES or before == "OP":  # LB13, LB14 "OP SP* ×"
        return False
    # LB16 "(CL | CP) SP* × NS", LB17 "B2 SP* × B2"; otherwise LB18 "SP ÷"
    return not ((before in {"CL", "CP"} and here == "NS") or (before == here == "B2"))


def _uax14(text: str) -> list[bool]:
    """uniseg's UAX #14 opportunities for ``text``, computed chunk by chunk.

    uniseg is pure Python and slow per character, but prose repeats its words:
    opportunities inside a space-free chunk depend only on the chunk (and the
    space before it), and one after a run of spaces only on the characters
    around it, so both are memoised. Same result as one call on the whole text.
    """
    allowed = [False] * len(text)
    index = 0
    while index < len(text):
        if text[index] == " ":
            index += 1
            continue
        end = text.find(" ", index)
        end = len(text) if end < 0 else end
        flags = _chunk_flags(text[index:end])
        allowed[index + 1 : end] = flags[1:]
        solid = len(text[:index].rstrip(" ")) - 1
        before = _line_break(text[solid]) if solid >= 0 else ""
        simple = _after_spaces(before, _line_break(text[index])) if before else None
        if simple is not None:
            allowed[index] = simple
        elif solid >= 0:
            start = max(solid - 2, 0)
            window = text[start : min(end, index + 3)]
            allowed[index] = _boundary_flag(window, index - start)
        index = end
    return allowed


def _opportunities(text: str) -> list[bool]:
    """UAX #14 break opportunities, tailored to the older rules libunistring follows.

    GNU tools break lines through libunistring, whose pair table predates
    Unicode 15.1: an infix separator before a letter (``www.`` / ``example``) is
    an opportunity (no LB29), ``QU SP* × OP`` holds for any quotation mark (old
    LB15), and LB25 is a list of pairs. uniseg follows the current rules.
    """
    allowed = _uax14(text)
    classes = [_line_break(char) for char in text]
    last_solid = ""
    for index in range(1, len(text)):
        before, here = classes[index - 1], classes[index]
        if before != "SP":
            last_solid = before
        if before == "IS" and here in {"AL", "HL"}:
            allowed[index] = True
        if (before, here) in _NO_BREAK_PAIRS:
            allowed[index] = False
        if here == "OP" and last_solid == "QU":
            allowed[index] = False
    # Spaces at the start of a portion give no opportunity (libunistring starts as after BK).
    leading = len(text) - len(text.lstrip(" "))
    for index in range(min(leading + 1, len(text))):
        allowed[index] = False
    return allowed


def _escape(portion: str) -> tuple[list[str], list[bool]]:
    """Escaped characters, and whether a break is allowed before each one.

    As in GNU's ``write-po.c``, break opportunities are computed on the escaped
    text, and never inside an escape sequence.
    """
    chars: list[str] = []
    inside: list[bool] = []
    for char in portion:
        escaped = _ESCAPES.get(char, char)
        chars.extend(escaped)
        inside.extend([False] + [True] * (len(escaped) - 1))
    allowed = _opportunities("".join(chars))
    if portion.endswith("\n"):
        inside[-2] = True  # GNU never breaks right before the final "\n"
    allowed = [
        flag and not inner and index > 0
        for index, (flag, inner) in enumerate(zip(allowed, inside, strict=True))
    ]
    return chars, allowed


def _breaks(chars: list[str], allowed: list[bool], width: int, start: int) -> list[int]:
    """Greedy break positions, as libunistring's ``u8_width_linebreaks``."""
    breaks: list[int] = []
    last: int | None = None
    last_column = start
    piece = 0
    for index, char in enumerate(chars):
        if allowed[index]:
            if last is not None and last_column + piece > width:
                breaks.append(last)
                last_column = 0
            last = index
            last_column += piece
            piece = 0
        piece += char_width(char)
    if last is not None and last_column + piece > width:
        breaks.append(last)
    return breaks


def wrap_field(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``name "value"`` (e.g. ``msgid``), wrapped as GNU gettext wraps them
    (GNU's own lines when a :func:`~pipeline.catalogs.gnu_layout.gnu_layout` has them)."""
    known = known_lines(prefix, name, value) if width == PAGE_WIDTH else None
    return list(known if known is not None else _wrap_field(name, value, prefix, width))


@lru_cache(maxsize=1 << 14)
def _wrap_field(name: str, value: str, prefix: str, width: int) -> tuple[str, ...]:
    """:func:`wrap_field`, memoised: every msgid is written to the POT and each PO."""
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    lines: list[str] = []
    first = True
    portions = list(_portions(value))
    for number, portion in enumerate(portions):
        more = number < len(portions) - 1
        start = len(prefix) + len(name) + 1 + 1 - after_break if first else 0
        chars = list("".join(_ESCAPES.get(char, char) for char in portion))
        allowed: list[bool] | None = None
        breaks: list[int] = []
        if start + sum(map(char_width, chars)) > line_width:
            # Too long for its line: only then are the break opportunities needed (a
            # portion that fits gets no break wherever the opportunities are).
            chars, allowed = _escape(portion)
            breaks = _breaks(chars, allowed, line_width, start)
        if first and chars and (more or start > line_width or breaks):
            lines.append(f'{prefix}{name} ""')
            first = False
            start = 0
            breaks = _breaks(chars, allowed, line_width, start) if allowed is not None else []
        pieces = []
        previous = 0
        for position in [*breaks, len(chars)]:
            pieces.append("".join(chars[previous:position]))
            previous = position
        for piece in pieces:
            if first:
                lines.append(f'{prefix}{name} "{piece}"')
                first = False
            else:
                lines.append(f'{prefix}"{piece}"')
    return tuple(lines)


def wrap_comment(marker: str, words: list[str], width: int = PAGE_WIDTH) -> list[str]:
    """``#:`` reference lines: words joined by spaces, a new line before overflow."""
    lines: list[str] = []
    current = marker
    for word in words:
        candidate = f"{current} {word}"
        if current != marker and len(candidate) > width:
            lines.append(current)
            candidate = f"{marker} {word}"
        current = candidate
    if current != marker:
        lines.append(current)
    return lines
