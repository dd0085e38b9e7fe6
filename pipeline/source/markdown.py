"""The one configured markdown-it-py parser for the master text, and plain text from it.

Every stage reads the master text and its translations with these settings:
CommonMark with GFM tables, raw HTML off (``<script>`` stays literal text), YAML
front matter, and ``:::`` containers of any name (so that a misspelled
``::: disclaimer`` is reported, not ignored). The factories are cached: a parser is
made once per process.

- :func:`master_parser` reads a whole master text into block tokens (``source/``);
- :func:`inline_parser` reads one block's inline Markdown with every link target
  accepted, so that an unsafe target is seen and reported instead of silently staying
  literal text (the page decides what to keep);
- :func:`verbatim_parser` reads a translated string as written, raw HTML and link
  targets included and nothing normalised, for the entry checks that compare a
  translation with its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

_SPACES = re.compile(r"\s+")
_BREAKS = frozenset({"softbreak", "hardbreak"})


class _AnyLink(MarkdownIt):
    """A parser that accepts every link target while parsing."""

    def validateLink(self, url: str) -> bool:
        return True


class _Verbatim(_AnyLink):
    """A parser that keeps every link as written (no validation, no normalisation)."""

    def normalizeLink(self, url: str) -> str:
        return url

    def normalizeLinkText(self, link: str) -> str:
        return link


def _configured(kind: type[MarkdownIt] = MarkdownIt, *, raw_html: bool = False) -> MarkdownIt:
    md = kind("commonmark", {"html": raw_html}).enable("table")
    md.use(front_matter_plugin)
    md.use(container_plugin, name="any", validate=lambda *args: True)
    return md


@cache
def master_parser() -> MarkdownIt:
    """The parser for a whole master text (block structure, front matter, containers)."""
    return _configured()


@cache
def inline_parser() -> MarkdownIt:
    """The parser for one block's inline Markdown: every link target is accepted."""
    return _configured(_AnyLink)


@cache
def verbatim_parser() -> MarkdownIt:
    """The parser that sees a string as written: raw HTML on, links neither checked nor
    normalised (what the entry checks compare)."""
    return _configured(_Verbatim, raw_html=True)


def inline_tokens(markdown: str) -> list[Token]:
    """The inline tokens of one block's Markdown (:func:`inline_parser`)."""
    blocks = inline_parser().parseInline(markdown)
    return (blocks[0].children or []) if blocks else []


def token_text(token: Token) -> str:
    """The plain text one inline token stands for: a break is a space, an image its
    description, emphasis and link marks nothing."""
    if token.type in _BREAKS:
        return " "
    if token.type == "image":
        return "".join(_image_text(token.children or []))
    return token.content


def _image_text(tokens: Iterable[Token]) -> list[str]:
    parts: list[str] = []
    for token in tokens:
        if token.children:
            parts.extend(_image_text(token.children))
        elif token.type in {"text", "code_inline"}:
            parts.append(token.content)
        elif token.type in _BREAKS:
            parts.append(" ")
    return parts


def plain_text(markdown: str, *, collapse_spaces: bool = False) -> str:
    """The text of inline Markdown without any markup (a link's text without its target).

    ``collapse_spaces`` turns every run of white space into one space and strips the
    ends: the text as it is read or spoken (reading level, audio), rather than as it is
    shown (titles, labels), where the translator's spacing is kept.
    """
    text = "".join(token_text(token) for token in inline_tokens(markdown))
    return _SPACES.sub(" ", text).strip() if collapse_spaces else text
