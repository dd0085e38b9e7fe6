"""The large-print page: a translated document → one self-contained HTML file.

The page carries its own CSS (``templates/page.css``) and needs no script, font
or image from anywhere. Every piece of text, translated or interface, is
escaped; inline Markdown goes through :mod:`pipeline.page.inline`, which keeps only
bold, and http(s)/mailto/tel links, and reports anything it drops. Text that
falls back to the source language (an untranslated block, or an interface
string without a translation) carries that language's ``lang`` and ``dir`` so
that a screen reader switches voice. The same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from importlib import resources
from itertools import groupby
from pathlib import Path
from string import Template

from babel.dates import format_date
from babel.numbers import format_decimal

from ..catalogs.translate import TranslatedBlock, TranslatedDocument, TranslatedSection, UiText
from ..catalogs.ui import DRAFT_NOTICE, NO_VOICE, OLDER_NOTICE, REVIEWED_NOTICE
from ..checks.finding import Finding
from ..locales import LocaleInfo, parse_locale
from ..publishing.record import OlderText
from ..source.document import Role
from .inline import plain_text, render_inline

UI_SOURCE = "en"
"""The language the interface strings in :mod:`pipeline.catalogs.ui` are written in."""
_TABLE = {Role.TABLE_HEADER, Role.TABLE_CELL, Role.CAPTION}
_LIST = {Role.LIST_ITEM, Role.DISCLAIMER_LIST_ITEM}


@dataclass(frozen=True)
class LanguageLink:
    """Another published language of the same document, for the language switcher."""

    code: str
    """The gettext locale code (``zh_Hans``)."""
    native_name: str
    """The language's name in itself (``中文 (简体)``), from Babel."""
    href: str
    """Relative link to that language's page (``../zh_Hans/index.html``)."""


@dataclass(frozen=True)
class PageAudio:
    """The recordings of one page."""

    tracks: Mapping[str, str]
    """Section id → relative href of that section's track (``audio/01-intro.mp3``)."""
    full: str
    """Relative href of the full-length recording."""
    duration: float
    """Total length in seconds."""
    lengths: Mapping[str, float] = field(default_factory=dict)
    """Section id → length of that section's track in seconds (written next to it)."""


def duration_html(seconds: float) -> str:
    """A track's length as ``<time datetime="PT1M05S">1:05</time>`` (minutes:seconds)."""
    total = max(1, round(seconds))
    minutes, rest = divmod(total, 60)
    return f'<time datetime="PT{minutes}M{rest:02d}S">{minutes}:{rest:02d}</time>'


@dataclass(frozen=True)
class PageHandout:
    """The large-print PDF of the page, for the link to it."""

    href: str
    """Relative href of the PDF (``myeloma-second-line-es.pdf``)."""
    pages: int
    """Its page count."""
    size: int
    """Its size in bytes."""


@dataclass(frozen=True)
class PageBook:
    """The talking book (EPUB) of the page, for the link to it."""

    href: str
    """Relative href of the book (``myeloma-second-line-es.epub``)."""
    size: int
    """Its size in bytes."""


def kilobytes(size: int, locale: LocaleInfo) -> str:
    """``120 kB`` with the locale's digits and grouping (Babel)."""
    value = format_decimal(max(1, round(size / 1000)), format="#,##0", locale=locale.babel)
    return f"{value}\u00a0kB"


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page, not yet written."""

    html: str
    """The complete HTML document."""
    findings: tuple[Finding, ...]
    """Problems found while rendering, in reading order."""


def page_path(output_dir: Path, doc_id: str, code: str) -> Path:
    """``output/<doc>/<lang>/index.html``, from a validated locale code."""
    return output_dir / doc_id / parse_locale(code).code / "index.html"


def language_links(current: str, published: Sequence[str]) -> tuple[LanguageLink, ...]:
    """Links from ``current``'s page to every other page in ``published`` (sibling folders)."""
    links = []
    for code in published:
        info = parse_locale(code)
        if info.code != current:
            links.append(LanguageLink(info.code, info.native_name, f"../{info.code}/index.html"))
    return tuple(links)


@cache
def template(name: str) -> str:
    """A file of pipeline/page/templates (the page skeleton and its stylesheet)."""
    return (resources.files("pipeline.page") / "templates" / name).read_text(encoding="utf-8")


def render_page(
    doc: TranslatedDocument,
    ui: UiText,
    languages: Sequence[LanguageLink],
    audio: PageAudio | None,
    reviewed: dt.date,
    older: OlderText | None = None,
    voice: bool = True,
    after_title: str = "",
    extra_css: str = "",
    handout: PageHandout | None = None,
    book: PageBook | None = None,
) -> RenderedPage:
    """Render one locale's large-print page (see the module docstring). ``older``: the
    translation is of an older master text (the page says so, with both dates);
    ``voice=False``: no voice speaks the language (the page says so instead of audio);
    ``after_title``: safe markup put under the title and notices (the handout's QR code);
    ``extra_css``: rules that follow the page's own (the handout's print stylesheet);
    ``handout``: the PDF of the page, linked under the title; ``book``: the talking book,
    linked next to it."""
    page = _Page(doc, ui, audio, older, voice)
    page.after_title = after_title
    page.handout = handout
    page.book = book
    main = page.main(reviewed)
    html = Template(template("page.html")).substitute(
        lang=escape(doc.locale.tag),
        dir=escape(doc.locale.direction),
        title=escape(plain_text(doc.title), quote=False),
        css=template("page.css") + extra_css,
        skip=page.ui_html("Skip to main content"),
        header=page.header(languages),
        main=main,
        footer=page.footer(reviewed),
    )
    return RenderedPage(html, tuple(page.findings))


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _lang_attrs(info: LocaleInfo) -> str:
    return f' lang="{escape(info.tag)}" dir="{escape(info.direction)}"'


class _Page:
    """The state of one page while it is written: locale, headings and findings."""

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
        self.after_title = ""
        self.handout: PageHandout | None = None
        self.book: PageBook | None = None

    # -- text ------------------------------------------------------------------

    def ui_html(self, msgid: str, context: str | None = None, **values: str) -> str:
        """An interface string, escaped, marked with English's ``lang`` if untranslated."""
        text = self.ui.gettext(msgid, context)
        translated = self.ui.translated(msgid, context)
        return self._ui_format(msgid, text, translated, values)

    def ui_plural(self, singular: str, plural: str, count: int, **values: str) -> str:
        """A counted interface string, with ``{count}`` formatted for the locale."""
        text = self.ui.ngettext(singular, plural, count)
        translated = self.ui.translated(singular)
        english = singular if count == 1 else plural
        number = format_decimal(count, locale=self.locale.babel)
        return self._ui_format(english, text, translated, {**values, "count": number})

    def _ui_format(
        self, english: str, text: str, translated: bool, values: Mapping[str, str]
    ) -> str:
        try:
            text = text.format_map(values)
        except (KeyError, IndexError, ValueError, AttributeError):
            # A broken placeholder in a translation: show the English rather than fail.
            text, translated = english.format_map(values), False
        html = escape(text, quote=False)
        if translated or self.locale.code == self.ui_source.code:
            return html
        return f"<span{_lang_attrs(self.ui_source)}>{html}</span>"

    def fallback(self, block: TranslatedBlock) -> str:
        """``lang``/``dir`` attributes for a block shown in the source language."""
        if block.translated or self.locale.code == self.source.code:
            return ""
        return _lang_attrs(self.source)

    def inline(self, block: TranslatedBlock) -> str:
        """A block's text as safe HTML; what was dropped becomes a finding."""
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
        return rendered.html

    # -- page parts --------------------------------------------------------------

    def header(self, languages: Sequence[LanguageLink]) -> str:
        if not languages:
            return ""
        items = []
        for link in languages:
            info = parse_locale(link.code)
            items.append(
                f'<li><a href="{escape(link.href)}" hreflang="{escape(info.tag)}"'
                f"{_lang_attrs(info)}>{escape(link.native_name, quote=False)}</a></li>"
            )
        label = self.ui_html("Read this in another language:")
        return (
            '<header class="page">\n<nav aria-labelledby="lang_label">\n'
            f'<p id="lang_label" class="nav-label">{label}</p>\n'
            '<ul class="languages">\n' + "\n".join(items) + "\n</ul>\n</nav>\n</header>\n"
        )

    def footer(self, reviewed: dt.date) -> str:
        date = format_date(reviewed, format="long", locale=self.locale.babel)
        lines = [f"<p>{self.ui_html('Last reviewed on {date}', date=date)}</p>"]
        if self.doc.review == "reviewed":
            lines.append(f"<p>{self.ui_html(REVIEWED_NOTICE)}</p>")
        return "\n".join(lines) + "\n"

    def notices(self) -> list[str]:
        notes = []
        if self.older is not None:
            dates = {
                "old_date": format_date(self.older.translated, "long", locale=self.locale.babel),
                "new_date": format_date(self.older.updated, "long", locale=self.locale.babel),
            }
            notes.append(f'<p class="notice">{self.ui_html(OLDER_NOTICE, **dates)}</p>')
        if self.doc.is_draft:
            notes.append(f'<p class="notice">{self.ui_html(DRAFT_NOTICE)}</p>')
        if self.locale.code != self.source.code and not self.doc.complete:
            partial = (
                "Parts of this page are not translated yet and are shown in the original language."
            )
            notes.append(f'<p class="notice">{self.ui_html(partial)}</p>')
        return notes

    def main(self, reviewed: dt.date) -> str:
        sections = self.doc.sections
        title = next(b for b in self.doc.blocks if b.block.role is Role.TITLE)
        parts = [f'<h1 id="page_title"{self.fallback(title)}>{self.inline(title)}</h1>']
        parts += self.notices()
        parts.append(self.after_title)
        parts.append(self.handout_link())
        parts.append(self.book_link())
        parts.append(self.full_audio())
        parts.append(self.contents(sections))
        parts += [self.section(section) for section in sections]
        return _join(*parts) + "\n"

    def contents(self, sections: Sequence[TranslatedSection]) -> str:
        items = []
        for section in sections:
            heading = section.heading
            if heading is None or heading.block.role is Role.TITLE:
                continue
            text = escape(plain_text(heading.text), quote=False)
            items.append(
                f'<li><a href="#{escape(section.id)}"{self.fallback(heading)}>{text}</a></li>'
            )
        if len(items) < 2:
            return ""
        label = self.ui_html("Contents", "navigation")
        return (
            '<nav aria-labelledby="toc_label">\n'
            f'<p id="toc_label" class="nav-label">{label}</p>\n'
            "<ul>\n" + "\n".join(items) + "\n</ul>\n</nav>"
        )

    def handout_link(self) -> str:
        """A link to the large-print PDF, with its page count and size."""
        if self.handout is None:
            return ""
        label = self.ui_plural(
            "Handout to print or send (PDF, {count} page, {size})",
            "Handout to print or send (PDF, {count} pages, {size})",
            self.handout.pages,
            size=kilobytes(self.handout.size, self.locale),
        )
        href = escape(self.handout.href)
        return (
            f'<p class="handout-link"><a href="{href}" type="application/pdf" download>'
            f"{label}</a></p>"
        )

    def book_link(self) -> str:
        """A link to the talking book (EPUB), with its size."""
        if self.book is None:
            return ""
        value = format_decimal(
            self.book.size / 1_000_000, format="#,##0.0", locale=self.locale.babel
        )
        label = self.ui_html("Talking book (EPUB, {size})", size=f"{value}\u00a0MB")
        href = escape(self.book.href)
        return (
            f'<p class="book-link"><a href="{href}" type="application/epub+zip" download>'
            f"{label}</a></p>"
        )

    def full_audio(self) -> str:
        if self.audio is None:
            missing = self.ui_html(
                "Audio is not available in this language yet." if self.voice else NO_VOICE
            )
            return f'<p class="notice" id="audio_missing">{missing}</p>'
        minutes = max(1, math.floor(self.audio.duration / 60 + 0.5))
        length = self.ui_plural("{count} minute of audio", "{count} minutes of audio", minutes)
        label = f"{self.ui_html('Listen to the whole text')}<br>{length}"
        name = f'<span class="vh">{self.ui_html("Full recording")}</span>'
        return self.player("listen_all", label, "listen_all", self.audio.full, name)

    def player(self, label_id: str, label: str, names: str, href: str, name: str) -> str:
        """An audio player with a visible label, and a download link named after ``name``."""
        target = escape(href)
        download = self.ui_html("Download the audio (MP3)")
        return (
            f'<div class="audio">\n<p id="{label_id}">{label}</p>\n'
            f'<audio controls preload="metadata" src="{target}" aria-labelledby="{names}">'
            "</audio>\n"
            f'<p><a href="{target}" type="audio/mpeg">{download}'
            f'<span class="vh"> – </span>{name}</a></p>\n</div>'
        )

    def section_audio(self, section: TranslatedSection, heading_id: str, name: str) -> str:
        if self.audio is None or section.id not in self.audio.tracks:
            return ""
        label_id = f"listen_{section.id}"
        label = self.ui_html("Listen to this section")
        seconds = self.audio.lengths.get(section.id)
        if seconds is not None:
            label += f" ({duration_html(seconds)})"
        href = self.audio.tracks[section.id]
        return self.player(label_id, label, f"{label_id} {heading_id}", href, name)

    def section(self, section: TranslatedSection) -> str:
        heading = section.heading
        rest = [b for b in section.blocks if b is not heading]
        if heading is not None and heading.block.role is Role.TITLE:
            audio = self.section_audio(section, "page_title", self.name(heading))
            return _join(f'<div id="{section.id}">', audio, *self.blocks(rest), "</div>")
        if section.is_disclaimer:
            return self.disclaimer(section, heading, rest)
        if heading is None:
            return _join(*self.blocks(rest))
        title = self.heading(heading, section.id)
        audio = self.section_audio(section, section.id, self.name(heading))
        return _join("<section>", title, audio, *self.blocks(rest), "</section>")

    def disclaimer(
        self,
        section: TranslatedSection,
        heading: TranslatedBlock | None,
        rest: Sequence[TranslatedBlock],
    ) -> str:
        """The disclaimer, in a labelled region that stands out."""
        if heading is not None:
            title, name = self.heading(heading, section.id), self.name(heading)
        else:
            self.level = 2
            label = self.ui_html("Important", "disclaimer")
            title, name = f'<h2 id="{section.id}">{label}</h2>', f'<span class="vh">{label}</span>'
        audio = self.section_audio(section, section.id, name)
        return _join(
            f'<section class="disclaimer" aria-labelledby="{section.id}">',
            title,
            audio,
            *self.blocks(rest),
            "</section>",
        )

    def name(self, heading: TranslatedBlock) -> str:
        """A heading's plain text, visually hidden (with ``lang`` if untranslated)."""
        text = escape(plain_text(heading.text), quote=False)
        return f'<span class="vh"{self.fallback(heading)}>{text}</span>'

    # -- blocks ------------------------------------------------------------------

    def element(self, tag: str, block: TranslatedBlock, attrs: str = "") -> str:
        """``<tag>`` holding one block's text, with ``lang`` if it is untranslated."""
        return f"<{tag}{attrs}{self.fallback(block)}>{self.inline(block)}</{tag}>"

    def heading(self, block: TranslatedBlock, anchor: str | None = None) -> str:
        """A heading whose level never skips one (h2 after h1, h3 after h2, …)."""
        self.level = max(2, min(block.block.level, self.level + 1, 6))
        ident = escape(anchor or block.block.id.replace(".", "_"))
        return self.element(f"h{self.level}", block, f' id="{ident}"')

    def blocks(self, blocks: Sequence[TranslatedBlock]) -> list[str]:
        """Paragraphs, headings, lists and tables, regrouped from consecutive blocks."""
        out: list[str] = []
        for (kind, _), run in groupby(blocks, key=element_run):
            items = list(run)
            if kind == "table":
                out.append(self.table(items))
            elif kind == "list":
                tag = "ol" if items[0].block.ordered else "ul"
                out.append(_join(f"<{tag}>", *(self.element("li", b) for b in items), f"</{tag}>"))
            else:
                out += [
                    self.heading(b) if b.block.role.is_heading else self.element("p", b)
                    for b in items
                ]
        return out

    def table(self, blocks: Sequence[TranslatedBlock]) -> str:
        """A table with its caption first and column headers with ``scope``."""
        headers = {b.block.col: b for b in blocks if b.block.role is Role.TABLE_HEADER}
        rows: dict[int, dict[int, TranslatedBlock]] = {}
        for block in blocks:
            if block.block.role is Role.TABLE_CELL:
                rows.setdefault(block.block.row, {})[block.block.col] = block
        columns = range(1, max([*headers, *(c for r in rows.values() for c in r)], default=0) + 1)
        lines = ["<table>"]
        lines += [self.element("caption", b) for b in blocks if b.block.role is Role.CAPTION]
        if headers:
            heads = (headers.get(col) for col in columns)
            cells = [self.element("th", h, ' scope="col"') if h else "<td></td>" for h in heads]
            lines.append(f"<thead>\n<tr>{''.join(cells)}</tr>\n</thead>")
        lines.append("<tbody>")
        for row in sorted(rows):
            cells = []
            for col in columns:
                head, cell = headers.get(col), rows[row].get(col)
                label = f' data-label="{escape(plain_text(head.text))}"' if head else ""
                cells.append(self.element("td", cell, label) if cell else f"<td{label}></td>")
            lines.append(f"<tr>{''.join(cells)}</tr>")
        lines.append("</tbody>\n</table>")
        return "\n".join(lines)


def element_run(block: TranslatedBlock) -> tuple[str, str | None]:
    """What consecutive blocks form one element: a table, a list, or single blocks."""
    role, group = block.block.role, block.block.group
    if role in _TABLE and group:
        return "table", group
    if role in _LIST:
        return "list", group
    return "block", None
