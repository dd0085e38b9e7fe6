"""The lines GNU gettext wrote for each string of a catalog, to write them again as they are.

``carepack update`` runs GNU ``msgmerge``, reads its output with polib, changes a few
things (the header, entries filled from translation memory, glossary notes) and writes
the catalog with :func:`~pipeline.catalogs.pofile.generate_po`, which wraps every string
as GNU does (:mod:`pipeline.catalogs.powrap`). For the strings msgmerge has just
written, its own lines are that wrapping: :func:`gnu_layout` makes them the answer for
those strings while a catalog is written (in this thread only), and only strings that
changed after the merge are wrapped again (by libunistring, as GNU does: cheap now, but
this also keeps a catalog byte for byte what msgmerge wrote when polib reads it back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

Layout = Mapping[tuple[str, str, str], tuple[str, ...]]
"""``(prefix, keyword, text)`` → the lines GNU wrote for it at its default width."""

_CURRENT: ContextVar[Layout | None] = ContextVar("gnu_layout", default=None)

_PREFIX = r"(#~\| |#~ |#\| |)"
_QUOTED = r'("[^"\\]*(?:\\.[^"\\]*)*")'  # plain runs between escapes (no per-character loop)
_FIELD = re.compile(_PREFIX + r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) " + _QUOTED + "$")
_MORE = re.compile(_PREFIX + _QUOTED + "$")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b"}
_UNESCAPED |= {"f": "\f", "v": "\v"}


def _text(quoted: list[str]) -> str | None:
    """The string the quoted pieces spell (``None`` for an escape GNU does not write)."""
    inner = "".join(piece[1:-1] for piece in quoted)
    if any(match.group(1) not in _UNESCAPED for match in _ESCAPE.finditer(inner)):
        return None
    return _ESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], inner)


def read_layout(text: str) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Every string of a catalog GNU wrote, with its lines (strings of ``no-wrap``
    entries left out: they are not wrapped at the default width)."""
    layout: dict[tuple[str, str, str], tuple[str, ...]] = {}
    field: tuple[str, str, list[str], list[str]] | None = None  # prefix, keyword, lines, quoted
    no_wrap = False

    def finish() -> None:
        if field is not None and not no_wrap:
            prefix, keyword, lines, quoted = field
            value = _text(quoted)
            if value is not None:
                layout[(prefix, keyword, value)] = tuple(lines)

    for line in text.splitlines():
        more = _MORE.match(line) if field is not None else None
        if more is not None and field is not None and more.group(1) == field[0]:
            field[2].append(line)
            field[3].append(more.group(2))
            continue
        finish()
        field = None
        start = _FIELD.match(line)
        if start is not None:
            field = (start.group(1), start.group(2), [line], [start.group(3)])
        elif not line.strip():
            no_wrap = False  # a new entry
        elif line.startswith("#,"):
            no_wrap = "no-wrap" in line
    finish()
    return layout


@contextmanager
def gnu_layout(text: str) -> Iterator[None]:
    """While the block runs (in this thread), strings GNU wrote in ``text`` (a catalog
    it wrote at its default width) are written with GNU's own lines."""
    token = _CURRENT.set(read_layout(text))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def known_lines(prefix: str, keyword: str, text: str) -> tuple[str, ...] | None:
    """GNU's lines for this string, when a :func:`gnu_layout` block has them."""
    layout = _CURRENT.get()
    return None if layout is None else layout.get((prefix, keyword, text))
