"""Line wrapping of PO strings exactly as GNU gettext's ``write-po.c`` does it.

GNU tools (msgmerge, msgcat, msgfmt's companions, and Poedit, which follows
them) break a string at Unicode line-break opportunities (UAX #14, through
libunistring) so that no line exceeds 79 columns, counting East Asian wide
characters as two. Writing the same wrapping keeps translators' diffs small when
a file passes back and forth between carepack and their tools; the test-suite
checks our output against ``msgcat`` byte for byte.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..errors import CarepackError
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
_TO_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_PLAIN_ASCII = re.compile(r"[ !#-\[\]-~]*")
"""Printable ASCII but the backslash and the quote: text written as it is, one column a
character, with no break opportunity that UAX #14 makes mandatory."""


UC_BREAK_UNDEFINED = 0
"""libunistring's ``UC_BREAK_UNDEFINED``: an override that leaves the break to UAX #14."""
UC_BREAK_PROHIBITED = 1
"""``UC_BREAK_PROHIBITED``: no break before this byte."""
UC_BREAK_POSSIBLE = 2
"""``UC_BREAK_POSSIBLE``: the line breaks before this byte."""
LIBUNISTRING = "libunistring.so.2"
"""GNU libunistring, whose line breaking GNU gettext's tools call (Debian's
``libunistring2``, a dependency of ``gettext``)."""


@lru_cache(maxsize=1)
def _width_linebreaks() -> Any:
    """libunistring's ``ulc_width_linebreaks``, as GNU gettext 0.21's ``write-po.c`` calls
    it (the ``_v2`` entry point where the library has it, as gettext links it)."""
    try:
        library = ctypes.CDLL(LIBUNISTRING)
    except OSError as error:
        raise CarepackError(
            f"GNU libunistring is not installed ({error}): apt-get install gettext"
        ) from None
    function = getattr(library, "ulc_width_linebreaks_v2", None) or library.ulc_width_linebreaks
    function.restype = ctypes.c_int
    function.argtypes = [
        ctypes.c_char_p,  # the portion, UTF-8
        ctypes.c_size_t,  # its length in bytes
        ctypes.c_int,  # width
        ctypes.c_int,  # start column
        ctypes.c_int,  # columns reserved at the end
        ctypes.c_char_p,  # overrides, one a byte
        ctypes.c_char_p,  # encoding
        ctypes.c_char_p,  # the result, one a byte
    ]
    return function


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


def _escaped(portion: str) -> tuple[bytes, bytes]:
    """The portion as written between quotes (UTF-8), and the overrides ``write-po.c``
    gives libunistring: never a break inside an escape sequence, nor right before the
    ``\\n`` that ends a portion."""
    if _TO_ESCAPE.search(portion) is None:  # (most portions: as they are, no override)
        plain = portion.encode("utf-8")
        return plain, bytes(len(plain))
    text = bytearray()
    overrides = bytearray()
    for char in portion:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            text += escaped.encode("ascii")
            overrides += bytes((UC_BREAK_UNDEFINED, UC_BREAK_PROHIBITED))
        else:
            encoded = char.encode("utf-8")
            text += encoded
            overrides += bytes(len(encoded))  # UC_BREAK_UNDEFINED for each byte, as GNU
    if portion.endswith("\n"):
        overrides[-2] = UC_BREAK_PROHIBITED
    return bytes(text), bytes(overrides)


def _breaks(text: bytes, overrides: bytes, width: int, start: int) -> list[int]:
    """Where libunistring breaks ``text`` (byte offsets) for lines of ``width`` columns,
    the first beginning at column ``start``."""
    result = ctypes.create_string_buffer(len(text))
    _width_linebreaks()(text, len(text), width, start, 0, overrides, b"UTF-8", result)
    return [index for index, kind in enumerate(result.raw) if kind == UC_BREAK_POSSIBLE]


def wrap_field(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """The lines of ``name "value"`` (e.g. ``msgid``), wrapped as GNU gettext wraps them
    (GNU's own lines when a :func:`~pipeline.catalogs.gnu_layout.gnu_layout` has them)."""
    known = known_lines(prefix, name, value) if width == PAGE_WIDTH else None
    return list(known if known is not None else _wrap_field(name, value, prefix, width))


@lru_cache(maxsize=1 << 14)
def _wrap_field(name: str, value: str, prefix: str, width: int) -> tuple[str, ...]:
    """:func:`wrap_field`, memoised: every msgid is written to the POT and each PO.
    Step by step as ``wrap()`` in GNU gettext's ``write-po.c``."""
    after_break = len(prefix) + 1
    line_width = width - 1 - after_break
    if len(name) + 1 + len(value) < line_width and _PLAIN_ASCII.fullmatch(value):
        return (f'{prefix}{name} "{value}"',)  # fits on its first line: nothing to break
    lines: list[str] = []
    first = True
    portions = list(_portions(value))
    for number, portion in enumerate(portions):
        more = number < len(portions) - 1
        text, overrides = _escaped(portion)
        start = len(prefix) + len(name) + 1 + 1 - after_break if first else 0
        breaks = _breaks(text, overrides, line_width, start)
        if first and text and (more or start > line_width or breaks):
            lines.append(f'{prefix}{name} ""')
            first = False
            breaks = _breaks(text, overrides, line_width, 0)
        previous = 0
        for position in [*breaks, len(text)]:
            piece = text[previous:position].decode("utf-8")
            previous = position
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
