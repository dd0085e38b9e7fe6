"""Inline Markdown (one block's text) → safe HTML.

Translated text is data, never markup. The text is parsed by the master text's
parser (:mod:`pipeline.source.markdown`: raw HTML off, every link target seen), so
raw HTML such as ``<script>`` stays literal text, and every piece of text and every
attribute is escaped here. Only these survive:

- emphasis, rendered as ``<strong>`` (bold: large-print guidance avoids italics);
- links whose target is ``http(s)://…``, ``mailto:`` or ``tel:``;
- inline code, as ``<code>``, and hard line breaks.

Any other link target (``javascript:``, ``data:``, relative paths, …) and any
image is dropped, its text kept, and reported as a :class:`Dropped` item so
that the caller can raise an error-level finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from markdown_it.token import Token

from ..source.markdown import inline_tokens, token_text

# What a kept link target must look like (after markdown-it's normalisation,
# which decodes entities and percent-encodes spaces and controls).
_SAFE_HREF = re.compile(
    r"^(?:https?://[^\s/?#@]+(?:[/?#]\S*)?|mailto:[^\s:/][^\s]*|tel:\+?[0-9][0-9().\-]*)$",
    re.IGNORECASE,
)
_EMPHASIS = {"em_open": 1, "strong_open": 1, "em_close": -1, "strong_close": -1}


@dataclass(frozen=True)
class Dropped:
    """A piece of markup that was not rendered because it is unsafe or unsupported."""

    kind: str
    """``link`` or ``image``."""
    target: str
    """The link target or image source as written (after entity decoding)."""
    text: str
    """The link text or image description that was kept as plain text."""

    @property
    def message(self) -> str:
        """A message for a translator or writer, naming what to change."""
        if self.kind == "image":
            return (
                f"image {self.target!r} was dropped (images are not supported); "
                f"its description {self.text!r} is shown as text"
            )
        return (
            f"link to {self.target!r} was dropped: only http(s)://, mailto: and tel: "
            f"links are allowed; its text {self.text!r} is shown without a link"
        )


@dataclass(frozen=True)
class InlineHtml:
    """The result of rendering one block's inline Markdown."""

    html: str
    """Escaped HTML, safe to place inside an element."""
    text: str
    """The plain text (no markup), for ``<title>``, attributes and labels."""
    dropped: tuple[Dropped, ...]
    """Links and images that were not rendered."""


def is_safe_href(href: str) -> bool:
    """Whether a link target may appear on a page (http(s), mailto, tel)."""
    return bool(_SAFE_HREF.match(href))


def render_inline(markdown: str) -> InlineHtml:
    """Render one block's inline Markdown to escaped HTML (see the module docstring)."""
    renderer = _Renderer()
    renderer.walk(inline_tokens(markdown))
    return InlineHtml("".join(renderer.html), "".join(renderer.text), tuple(renderer.dropped))


class _Renderer:
    """Walks markdown-it's inline tokens, writing only whitelisted, escaped markup."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []
        self.dropped: list[Dropped] = []
        self.emphasis = 0
        # For each open link: whether it was kept, its target, and where its text starts.
        self.links: list[tuple[bool, str, int]] = []

    def put(self, text: str) -> None:
        self.html.append(escape(text, quote=True))
        self.text.append(text)

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "text":
                self.put(token.content)
            elif kind == "code_inline":
                self.html.append(f"<code>{escape(token.content, quote=True)}</code>")
                self.text.append(token.content)
            elif kind == "softbreak":
                self.put(" ")
            elif kind == "hardbreak":
                self.html.append("<br>")
                self.text.append(" ")
            elif kind in _EMPHASIS:
                self.emphasis_change(_EMPHASIS[kind])
            elif kind == "link_open":
                self.link_open(str(token.attrGet("href") or ""))
            elif kind == "link_close":
                self.link_close()
            elif kind == "image":
                alt = token_text(token)
                src = str(token.attrGet("src") or "")
                self.dropped.append(Dropped("image", src, alt))
                self.put(alt)
            else:  # anything a future parser version adds: keep its text only
                self.put(token.content)

    def emphasis_change(self, step: int) -> None:
        # Nested emphasis (*__a__*) is one bold run: only the outermost pair is written.
        if step > 0:
            if self.emphasis == 0:
                self.html.append("<strong>")
            self.emphasis += 1
        elif self.emphasis > 0:
            self.emphasis -= 1
            if self.emphasis == 0:
                self.html.append("</strong>")

    def link_open(self, href: str) -> None:
        kept = is_safe_href(href) and not any(keep for keep, _, _ in self.links)
        if kept:
            self.html.append(f'<a href="{escape(href, quote=True)}">')
        self.links.append((kept, href, len(self.text)))

    def link_close(self) -> None:
        if not self.links:
            return
        kept, href, start = self.links.pop()
        if kept:
            self.html.append("</a>")
        elif is_safe_href(href):
            pass  # a safe link nested in a kept one: its text stays inside the outer link
        else:
            self.dropped.append(Dropped("link", href, "".join(self.text[start:])))
