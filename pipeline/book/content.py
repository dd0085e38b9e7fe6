"""A translated document as the talking book's chapters: plain data for the templates.

One chapter per section, the disclaimer its own and last (as in the audio). Every
element the audio speaks gets an id that its media overlay points at: a heading, each
sentence of a paragraph (:func:`pipeline.audio.sentences.split_sentences`, the same cut
as the spoken script), a list item, a table caption and a table row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

from markupsafe import Markup

from ..audio.sentences import split_sentences
from ..catalogs.translate import (
    TranslatedBlock,
    TranslatedDocument,
    TranslatedSection,
    table_grid,
)
from ..locales import LocaleInfo, parse_locale
from ..page.content import element_run
from ..page.inline import render_inline
from ..source.document import Role
from ..source.markdown import plain_text

_PARAGRAPH = {Role.PARAGRAPH, Role.DISCLAIMER_PARAGRAPH}
_WIDE_STOPS = "。！？"


@dataclass(frozen=True)
class Text:
    """A piece of text with the element id the overlay points at (``""``: not spoken)."""

    id: str
    """The element id, unique in the book."""
    html: Markup
    """Escaped XHTML (inline markup only)."""
    lang: LocaleInfo | None = None
    """The language of the text when it is not the book's (an untranslated block)."""


@dataclass(frozen=True)
class Element:
    """One block-level element of a chapter."""

    kind: str
    """``heading``, ``paragraph``, ``notice``, ``ul``, ``ol`` or ``table``."""
    parts: tuple[Text, ...] = ()
    """Heading, notice: one part; paragraph: its sentences; list: its items."""
    level: int = 2
    """Heading level."""
    caption: Text | None = None
    """Table caption."""
    headers: tuple[Text, ...] = ()
    """Table column headers."""
    rows: tuple[tuple[str, tuple[Text, ...]], ...] = ()
    """Table body rows: the row's id and its cells."""
    header_id: str = ""
    """Id of the header row, when it is what is spoken (a table with no body rows)."""
    lang: LocaleInfo | None = None
    """The paragraph's language when it is not the book's."""


@dataclass(frozen=True)
class Chapter:
    """One section of the book: an XHTML content document and its media overlay."""

    id: str
    """The section id (also the audio track's)."""
    number: int
    """1-based position in the reading order."""
    title: str
    """The heading as plain text (for the navigation document and ``<title>``)."""
    disclaimer: bool
    """Whether this is the medical disclaimer."""
    elements: tuple[Element, ...]
    """The content, in reading order."""
    targets: dict[tuple[str, int], str] = field(default_factory=dict)
    """(block id, sentence) of each spoken utterance → the element id it highlights."""

    def target(self, block: str, sentence: int, first: bool) -> str | None:
        """The element id an utterance highlights (``first``: the section's first one)."""
        if first and (block, -1) in self.targets:
            return self.targets[(block, -1)]
        return self.targets.get((block, sentence))

    @property
    def name(self) -> str:
        """Base name of its files: ``01-intro``."""
        return f"{self.number:02d}-{self.id}"


def element_id(block: str, sentence: int | None = None) -> str:
    """An XML id for a block (or one of its sentences); block ids may start with a digit."""
    return f"s-{block}" if sentence is None else f"s-{block}-{sentence}"


def chapters(
    doc: TranslatedDocument, notices: Sequence[Markup], untitled: Text
) -> tuple[Chapter, ...]:
    """The book's chapters; ``notices`` (escaped) go under the title (the draft notice),
    ``untitled`` is the heading of a disclaimer written without one (as the page's)."""
    sections = [s for s in doc.sections if not s.is_disclaimer]
    sections += [s for s in doc.sections if s.is_disclaimer]
    source = parse_locale(doc.document.lang)
    return tuple(
        _chapter(section, number, doc.locale, source, notices if number == 1 else (), untitled)
        for number, section in enumerate(sections, start=1)
    )


def _chapter(
    section: TranslatedSection,
    number: int,
    locale: LocaleInfo,
    source: LocaleInfo,
    notices: Sequence[Markup],
    untitled: Text,
) -> Chapter:
    targets: dict[tuple[str, int], str] = {}
    builder = _Builder(locale, source, targets)
    elements: list[Element] = []
    heading = section.heading
    title = plain_text(heading.text) if heading is not None else plain_text(untitled.html)
    if heading is None:  # the spoken script opens with a heading of its own
        first = section.blocks[0].block.id
        ident = f"s-{section.id}-title"
        targets[(first, -1)] = ident
        elements.append(Element("heading", (Text(ident, untitled.html, untitled.lang),), 2))
    for block in section.blocks:
        if block is heading:
            level = 1 if block.block.role is Role.TITLE else 2
            elements.append(Element("heading", (builder.text(block),), level))
            elements += [Element("notice", (Text("", notice),)) for notice in notices]
    rest = [b for b in section.blocks if b is not heading]
    for (kind, _), run in groupby(rest, key=element_run):
        elements += builder.elements(kind, list(run))
    return Chapter(section.id, number, title, section.is_disclaimer, tuple(elements), targets)


class _Builder:
    """Makes elements, recording which element each spoken utterance highlights."""

    def __init__(
        self, locale: LocaleInfo, source: LocaleInfo, targets: dict[tuple[str, int], str]
    ) -> None:
        self.locale, self.source, self.targets = locale, source, targets

    def lang(self, block: TranslatedBlock) -> LocaleInfo | None:
        return None if block.translated or self.locale.code == self.source.code else self.source

    def text(self, block: TranslatedBlock, spoken: bool = True) -> Text:
        ident = element_id(block.block.id) if spoken else ""
        if spoken:
            self.targets[(block.block.id, 0)] = ident
        return Text(ident, _html(block.text), self.lang(block))

    def elements(self, kind: str, blocks: list[TranslatedBlock]) -> list[Element]:
        if kind == "table":
            return [self.table(blocks)]
        if kind == "list":
            tag = "ol" if blocks[0].block.ordered else "ul"
            return [Element(tag, tuple(self.text(b) for b in blocks))]
        out = []
        for block in blocks:
            if block.block.role.is_heading:
                out.append(Element("heading", (self.text(block),), 3))
            elif block.block.role in _PARAGRAPH:
                out.append(self.paragraph(block))
        return out

    def paragraph(self, block: TranslatedBlock) -> Element:
        parts = []
        for number, sentence in enumerate(split_sentences(block.text)):
            ident = element_id(block.block.id, number)
            self.targets[(block.block.id, number)] = ident
            html = _html(sentence)
            if not sentence.endswith(tuple(_WIDE_STOPS)):
                html = html + Markup(" ")
            parts.append(Text(ident, html))
        return Element("paragraph", tuple(parts), lang=self.lang(block))

    def table(self, blocks: list[TranslatedBlock]) -> Element:
        captions = [b for b in blocks if b.block.role is Role.CAPTION]
        headers, rows, columns = table_grid(blocks)
        empty = Text("", Markup(""))
        head = tuple(
            self.text(headers[c], spoken=False) if c in headers else empty for c in columns
        )
        header_id = ""
        if not rows and headers:  # a header row only: the script reads its labels
            first = headers[min(headers)].block.id
            header_id = self.targets[(first, 0)] = element_id(first)
        body = []
        for row in sorted(rows):
            cells = rows[row]
            first = cells[min(cells)].block.id
            self.targets[(first, 0)] = element_id(first)
            body.append(
                (
                    element_id(first),
                    tuple(
                        self.text(cells[c], spoken=False) if c in cells else empty for c in columns
                    ),
                )
            )
        caption = self.text(captions[0]) if captions else None
        return Element(
            "table", caption=caption, headers=head, rows=tuple(body), header_id=header_id
        )


def _html(markdown: str) -> Markup:
    """Inline Markdown as XHTML (escaped by :mod:`pipeline.page.inline`; void tags closed)."""
    return Markup(render_inline(markdown).html.replace("<br>", "<br/>"))
