"""A translated document → the large-print page's content (:mod:`pipeline.page.model`).

:class:`ContentBuilder` walks the translated document with its interface strings and
what the page links to (audio, handout, book, other languages), regroups blocks into
headings, paragraphs, lists and tables, marks text shown in another language, and
collects findings (links dropped from inline Markdown) on the way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from itertools import groupby

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from ..catalogs.translate import (
    TranslatedBlock,
    TranslatedDocument,
    TranslatedSection,
    UiText,
    fill_placeholders,
    table_grid,
)
from ..catalogs.ui import DRAFT_NOTICE, NO_VOICE, OLDER_NOTICE, REVIEWED_NOTICE
from ..checks.finding import Finding
from ..locales import LocaleInfo, parse_locale
from ..publishing.record import OlderText
from ..source.document import Role
from ..source.markdown import plain_text
from .inline import render_inline
from .links import LanguageLink, PageAudio, PageBook, PageHandout, kilobytes
from .model import Cell, Element, Link, PageContent, Player, Say, Section

UI_SOURCE = "en"
"""The language the interface strings in :mod:`pipeline.catalogs.ui` are written in."""
PARTIAL_NOTICE = "Parts of this page are not translated yet and are shown in the original language."
_TABLE = {Role.TABLE_HEADER, Role.TABLE_CELL, Role.CAPTION}
_LIST = {Role.LIST_ITEM, Role.DISCLAIMER_LIST_ITEM}


class ContentBuilder:
    """Makes one page's :class:`PageContent`, collecting findings on the way."""

    def __init__(
        self,
        doc: TranslatedDocument,
        ui: UiText,
        audio: PageAudio | None,
        older: OlderText | None = None,
        voice: bool = True,
    ) -> None:
        self.doc = doc
        self.ui = ui
        self.audio = audio
        self.older = older
        self.voice = voice
        self.locale = doc.locale
        self.source = parse_locale(doc.document.lang)
        self.ui_source = parse_locale(UI_SOURCE)
        self.findings: list[Finding] = []
        self.level = 1

    # -- text ------------------------------------------------------------------

    def say(self, msgid: str, context: str | None = None, **values: str) -> Say:
        """An interface string, marked as English when it is not translated."""
        text = self.ui.gettext(msgid, context)
        return self._format(msgid, text, self.ui.translated(msgid, context), values)

    def say_count(self, singular: str, plural: str, count: int, **values: str) -> Say:
        """A counted interface string, with ``{count}`` formatted for the locale."""
        text = self.ui.ngettext(singular, plural, count)
        english = singular if count == 1 else plural
        number = format_decimal(count, locale=self.locale.babel)
        translated = self.ui.translated(singular)
        return self._format(english, text, translated, {**values, "count": number})

    def _format(self, english: str, text: str, translated: bool, values: Mapping[str, str]) -> Say:
        text, filled = fill_placeholders(text, english, values)
        if (translated and filled) or self.locale.code == self.ui_source.code:
            return Say(text)
        return Say(text, self.ui_source)

    def fallback(self, block: TranslatedBlock) -> LocaleInfo | None:
        """The source language, for a block shown untranslated."""
        if block.translated or self.locale.code == self.source.code:
            return None
        return self.source

    def inline(self, block: TranslatedBlock) -> Say:
        """A block's text as safe markup; what was dropped becomes a finding."""
        rendered = render_inline(block.text)
        where = "" if block.translated else "in the untranslated source text: "
        for dropped in rendered.dropped:
            self.findings.append(
                Finding(
                    locale=self.locale.code,
                    path=self.doc.document.path,
                    line=block.block.line,
                    msgid=block.block.text,
                    msgctxt=None,
                    check="page-link",
                    severity="error",
                    message=where + dropped.message,
                    block=block.block.id,
                )
            )
        return Say(Markup(rendered.html), self.fallback(block))

    def name(self, heading: TranslatedBlock) -> Say:
        """A heading's plain text (a player's hidden name)."""
        return Say(plain_text(heading.text), self.fallback(heading))

    # -- the page ----------------------------------------------------------------

    def content(
        self,
        languages: Sequence[LanguageLink],
        reviewed: dt.date,
        handout: PageHandout | None,
        book: PageBook | None,
    ) -> PageContent:
        title = next(b for b in self.doc.blocks if b.block.role is Role.TITLE)
        heading = self.inline(title)
        return PageContent(
            locale=self.locale,
            title=plain_text(self.doc.title),
            heading=heading,
            skip=self.say("Skip to main content"),
            languages_label=self.say("Read this in another language:"),
            languages=tuple(
                Link(link.href, Say(link.native_name), parse_locale(link.code))
                for link in languages
            ),
            notices=self.notices(),
            handout=self.handout_link(handout),
            book=self.book_link(book),
            full_audio=self.full_audio(),
            audio_missing=self.audio_missing(),
            contents_label=self.say("Contents", "navigation"),
            contents=self.contents(self.doc.sections),
            sections=tuple(self.section(section) for section in self.doc.sections),
            footer=self.footer(reviewed),
        )

    def footer(self, reviewed: dt.date) -> tuple[Say, ...]:
        date = format_date(reviewed, format="long", locale=self.locale.babel)
        lines = [self.say("Last reviewed on {date}", date=date)]
        if self.doc.review == "reviewed":
            lines.append(self.say(REVIEWED_NOTICE))
        return tuple(lines)

    def notices(self) -> tuple[Say, ...]:
        notes = []
        if self.older is not None:
            dates = {
                "old_date": format_date(self.older.translated, "long", locale=self.locale.babel),
                "new_date": format_date(self.older.updated, "long", locale=self.locale.babel),
            }
            notes.append(self.say(OLDER_NOTICE, **dates))
        if self.doc.is_draft:
            notes.append(self.say(DRAFT_NOTICE))
        if self.locale.code != self.source.code and not self.doc.complete:
            notes.append(self.say(PARTIAL_NOTICE))
        return tuple(notes)

    def contents(self, sections: Sequence[TranslatedSection]) -> tuple[Link, ...]:
        items = []
        for section in sections:
            heading = section.heading
            if heading is None or heading.block.role is Role.TITLE:
                continue
            items.append(Link(f"#{section.id}", self.name(heading)))
        return tuple(items) if len(items) >= 2 else ()

    def handout_link(self, handout: PageHandout | None) -> Link | None:
        """A link to the large-print PDF, with its page count and size."""
        if handout is None:
            return None
        label = self.say_count(
            "Handout to print or send (PDF, {count} page, {size})",
            "Handout to print or send (PDF, {count} pages, {size})",
            handout.pages,
            size=kilobytes(handout.size, self.locale),
        )
        return Link(handout.href, label)

    def book_link(self, book: PageBook | None) -> Link | None:
        """A link to the talking book (EPUB), with its size."""
        if book is None:
            return None
        value = format_decimal(book.size / 1_000_000, format="#,##0.0", locale=self.locale.babel)
        return Link(book.href, self.say("Talking book (EPUB, {size})", size=f"{value}\u00a0MB"))

    def audio_missing(self) -> Say | None:
        if self.audio is not None:
            return None
        return self.say("Audio is not available in this language yet." if self.voice else NO_VOICE)

    def full_audio(self) -> Player | None:
        if self.audio is None:
            return None
        minutes = max(1, math.floor(self.audio.duration / 60 + 0.5))
        return Player(
            label_id="listen_all",
            label=self.say("Listen to the whole text"),
            names="listen_all",
            href=self.audio.full,
            name=self.say("Full recording"),
            download=self.say("Download the audio (MP3)"),
            length=self.say_count("{count} minute of audio", "{count} minutes of audio", minutes),
        )

    def section_audio(
        self, section: TranslatedSection, heading_id: str, name: Say
    ) -> Player | None:
        if self.audio is None or section.id not in self.audio.tracks:
            return None
        label_id = f"listen_{section.id}"
        return Player(
            label_id=label_id,
            label=self.say("Listen to this section"),
            names=f"{label_id} {heading_id}",
            href=self.audio.tracks[section.id],
            name=name,
            download=self.say("Download the audio (MP3)"),
            seconds=self.audio.lengths.get(section.id),
        )

    def section(self, section: TranslatedSection) -> Section:
        heading = section.heading
        rest = [b for b in section.blocks if b is not heading]
        if heading is not None and heading.block.role is Role.TITLE:
            audio = self.section_audio(section, "page_title", self.name(heading))
            return Section("top", section.id, None, audio, self.blocks(rest))
        if section.is_disclaimer:
            if heading is not None:
                title, name = self.heading(heading, section.id), self.name(heading)
            else:
                self.level = 2
                name = self.say("Important", "disclaimer")
                title = Element("h", name, 2, section.id)
            audio = self.section_audio(section, section.id, name)
            return Section("disclaimer", section.id, title, audio, self.blocks(rest))
        if heading is None:
            return Section("bare", section.id, None, None, self.blocks(rest))
        title = self.heading(heading, section.id)
        audio = self.section_audio(section, section.id, self.name(heading))
        return Section("section", section.id, title, audio, self.blocks(rest))

    # -- blocks ------------------------------------------------------------------

    def heading(self, block: TranslatedBlock, anchor: str | None = None) -> Element:
        """A heading whose level never skips one (h2 after h1, h3 after h2, …)."""
        self.level = max(2, min(block.block.level, self.level + 1, 6))
        ident = anchor or block.block.id.replace(".", "_")
        return Element("h", self.inline(block), self.level, ident)

    def blocks(self, blocks: Sequence[TranslatedBlock]) -> tuple[Element, ...]:
        """Paragraphs, headings, lists and tables, regrouped from consecutive blocks."""
        out: list[Element] = []
        for (kind, _), run in groupby(blocks, key=element_run):
            items = list(run)
            if kind == "table":
                out.append(self.table(items))
            elif kind == "list":
                tag = "ol" if items[0].block.ordered else "ul"
                out.append(Element(tag, items=tuple(self.inline(b) for b in items)))
            else:
                out += [
                    self.heading(b) if b.block.role.is_heading else Element("p", self.inline(b))
                    for b in items
                ]
        return tuple(out)

    def table(self, blocks: Sequence[TranslatedBlock]) -> Element:
        """A table with its caption first and column headers (``scope``, ``data-label``)."""
        headers, rows, columns = table_grid(blocks)
        captions = tuple(self.inline(b) for b in blocks if b.block.role is Role.CAPTION)
        heads = tuple(self.inline(h) if (h := headers.get(col)) else None for col in columns)
        body = []
        for row in sorted(rows):
            cells = []
            for col in columns:
                head, cell = headers.get(col), rows[row].get(col)
                label = plain_text(head.text) if head else None
                cells.append(Cell(self.inline(cell) if cell else None, label))
            body.append(tuple(cells))
        return Element(
            "table", captions=captions, headers=heads if headers else (), rows=tuple(body)
        )


def element_run(block: TranslatedBlock) -> tuple[str, str | None]:
    """What consecutive blocks form one element: a table, a list, or single blocks."""
    role, group = block.block.role, block.block.group
    if role in _TABLE and group:
        return "table", group
    if role in _LIST:
        return "list", group
    return "block", None
