"""A block's inline Markdown split into sentences, for speech and for the talking book.

The spoken script says a paragraph sentence by sentence, and the talking book marks
each of those sentences in its text, so that a reading app highlights the sentence
being heard. Both use this one function, so the book's text and its audio always
cut a paragraph at the same places.

A sentence ends at ``.``, ``!``, ``?``, ``…`` (with any closing quote or bracket)
followed by a space and a word that does not start in lower case, or at a full-width
``。！？`` or the Arabic ``؟``. A cut is not made:

- after an abbreviation (``e.g.``, ``Dr.``, a single letter), where the next word is
  usually not the start of a sentence;
- inside emphasis or a link: each piece must render to exactly the HTML the whole
  block renders to, so no markup is ever cut in two.
"""

from __future__ import annotations

import re
from functools import cache

from ..page.inline import render_inline

_ENDS = re.compile(
    r"(?:(?P<latin>[.!?…؟])[\"'”’»)\]*_]*(?P<space>\s+)(?=\S)"
    r"|(?P<wide>[。！？])[”’」』）*_]*(?P<wide_space>\s*)(?=\S))"
)
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "etc",
        "approx",
        "no",
        "nr",
        "sr",
        "sra",
        "dra",
        "srta",
        "fig",
        "cf",
        "ca",
        "dép",
        "env",
        "mme",
        "mlle",
    ]
)
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_\[\]`<]")
"""What can open emphasis, a link, code or an autolink: without it no cut can split one,
and the cut needs no rendering (a long plain paragraph is split in linear time)."""


@cache
def split_sentences(markdown: str) -> tuple[str, ...]:
    """The sentences of ``markdown`` (one block's inline Markdown), each itself Markdown.

    Joined with single spaces (none after a full-width stop), they are the block's
    text; rendered one by one, they give the block's HTML.
    """
    text = markdown.strip()
    marked = _MARKUP.search(text) is not None
    pieces: list[str] = []
    start = 0
    whole = ""  # the rendering of text[start:], made only when the text has markup
    for match in _ENDS.finditer(text):
        end = match.start("space") if match.group("latin") else match.start("wide_space")
        if match.group("latin") and not _ends_sentence(text, start, match):
            continue
        left, rest = text[start:end], text[match.end() :]
        separator = " " if match.group("latin") or match.group("wide_space") else ""
        if marked:
            whole = whole or _html(text[start:])
            if _html(left) + separator + _html(rest) != whole:
                continue  # the cut would split emphasis or a link
            whole = ""
        pieces.append(left)
        start = match.end()
    pieces.append(text[start:])
    return tuple(piece for piece in pieces if piece)


def _ends_sentence(text: str, start: int, match: re.Match[str]) -> bool:
    following = text[match.end()]
    if following.islower():
        return False
    if match.group("latin") != ".":
        return True
    words = text[start : match.start("latin")].split()
    word = words[-1].strip("*_([\"'“‘«") if words else ""
    return not (len(word) <= 1 or "." in word or word.lower() in _ABBREVIATIONS)


def _html(markdown: str) -> str:
    return _SPACES.sub(" ", render_inline(markdown.strip()).html).strip()
