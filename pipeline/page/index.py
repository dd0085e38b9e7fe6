"""``output/index.html``: the entry page that lists every language of every document.

The page's own headings are in the source language; each language's entry (its links,
the pack size, the audio length, the review state, "being updated") is written in that
language, with ``lang`` and ``dir`` on the entry, from the locale's ``ui`` catalog. A
string that is not translated yet shows in English and is marked ``lang="en"``.
Rendered by the Jinja2 template ``templates/index.html`` with autoescaping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal

from ..catalogs.translate import UiText
from ..catalogs.ui import BEING_UPDATED, DRAFT_NOTICE, NO_VOICE, OLDER_NOTICE, REVIEWED_NOTICE
from ..locales import LocaleInfo, parse_locale
from ..source.markdown import plain_text
from ..templating import kept_templates
from .links import kilobytes

UI_SOURCE = "en"
"""The language the interface strings are written in (the fallback)."""


class EntryState(StrEnum):
    """What a reader finds for one language of one document."""

    PUBLISHED = "published"
    """The current text, translated: page and pack."""
    OLDER = "published-older"
    """The last published translation, of an older text: page and pack, marked so."""
    WITHDRAWN = "withdrawn"
    """Taken down (the writer marked older translations unsafe): a link to the source."""
    PREPARING = "in preparation"
    """Never published yet: listed without links."""


_READABLE = {EntryState.PUBLISHED, EntryState.OLDER}


@dataclass(frozen=True)
class IndexEntry:
    """One language of one document on the index."""

    locale: LocaleInfo
    """The language."""
    title: str
    """The document's title in that language (inline Markdown)."""
    page: str | None
    """Link to its page, relative to ``output/`` (``None``: nothing to read in it)."""
    pack: str | None
    """Link to its pack (``None``: no pack)."""
    pack_bytes: int
    """The pack's size."""
    audio_seconds: float
    """Length of its audio (0: none)."""
    state: EntryState = EntryState.PUBLISHED
    """Published, published at an older text, withdrawn or in preparation."""
    review: str = "draft"
    """The translation's review state (``draft``, ``reviewed``; ``source`` for the master)."""
    has_voice: bool = True
    """Whether a voice speaks the language (``False``: no audio, and the entry says why)."""
    text_date: dt.date | None = None
    """For an older translation: the date of the text it translates."""
    updated_date: dt.date | None = None
    """For an older or withdrawn translation: when the source text was changed."""
    source_page: str | None = None
    """For a withdrawn translation: the source-language page to read meanwhile."""
    handout: str | None = None
    """Link to its large-print PDF, relative to ``output/`` (``None``: none)."""
    handout_pages: int = 0
    """The PDF's page count."""
    handout_bytes: int = 0
    """The PDF's size."""
    book: str | None = None
    """Link to its talking book (EPUB), relative to ``output/`` (``None``: none)."""
    book_bytes: int = 0
    """The talking book's size."""


@dataclass(frozen=True)
class IndexDocument:
    """A document and its languages."""

    id: str
    """The document id."""
    title: str
    """The title in the page's language."""
    entries: tuple[IndexEntry, ...]
    """Every configured language, published or in preparation."""


@dataclass(frozen=True)
class Text:
    """A string as shown in an entry; ``lang`` is set when it is not in the entry's language."""

    text: str
    """The words."""
    lang: str | None = None
    """BCP 47 tag of a fallback string's language, else ``None``."""
    dir: str = "ltr"
    """Its direction."""


@dataclass(frozen=True)
class Link:
    """A link (or, without ``href``, a plain line) in an entry's list."""

    label: Text
    """What it says."""
    href: str | None = None
    """Where it goes, relative to ``output/``."""
    hreflang: str | None = None
    """The language of the target."""
    download: bool = False
    """A file to download (the pack)."""


def megabytes(size: int, page: LocaleInfo) -> str:
    """``3.2 MB`` formatted with the locale's decimal symbols (Babel)."""
    value = format_decimal(size / 1_000_000, format="#,##0.0", locale=page.babel)
    return f"{value}\u00a0MB"


class _Say:
    """Interface strings in one entry's language, each marked when it falls back."""

    def __init__(self, ui: UiText) -> None:
        self.ui = ui
        self.fallback = parse_locale(UI_SOURCE)

    def _text(self, msgid: str, text: str) -> Text:
        if self.ui.locale.code == UI_SOURCE or self.ui.translated(msgid):
            return Text(text)
        return Text(text, self.fallback.tag, self.fallback.direction)

    def __call__(self, msgid: str, **values: str) -> Text:
        return self._text(msgid, self.ui.gettext(msgid).format(**values))

    def plural(self, singular: str, plural: str, count: int, **values: str) -> Text:
        number = format_decimal(count, locale=self.ui.locale.babel)
        text = self.ui.ngettext(singular, plural, count).format(**values, count=number)
        return self._text(singular, text)

    def date(self, value: dt.date | None) -> str:
        return format_date(value, format="long", locale=self.ui.locale.babel) if value else ""


def _notes(entry: IndexEntry, say: _Say) -> list[Text]:
    notes = []
    if entry.state is EntryState.WITHDRAWN:
        return [say(BEING_UPDATED)]
    if entry.state is EntryState.OLDER:
        dates = {"old_date": say.date(entry.text_date), "new_date": say.date(entry.updated_date)}
        notes.append(say(OLDER_NOTICE, **dates))
    if entry.review == "reviewed":
        notes.append(say(REVIEWED_NOTICE))
    elif entry.review != "source":
        notes.append(say(DRAFT_NOTICE))
    if not entry.has_voice:
        notes.append(say(NO_VOICE))
    return notes


def _links(entry: IndexEntry, say: _Say, source: LocaleInfo) -> list[Link]:
    tag = entry.locale.tag
    if entry.state is EntryState.WITHDRAWN:
        label = say("Read the current English text")
        return [Link(label, entry.source_page, source.tag)] if entry.source_page else []
    links = []
    if entry.page:
        links.append(Link(say("Read the page"), entry.page, tag))
    if entry.pack:
        size = megabytes(entry.pack_bytes, entry.locale)
        links.append(Link(say("Download the pack ({size})", size=size), entry.pack, None, True))
    if entry.handout:
        label = say.plural(
            "Handout to print or send (PDF, {count} page, {size})",
            "Handout to print or send (PDF, {count} pages, {size})",
            entry.handout_pages,
            size=kilobytes(entry.handout_bytes, entry.locale),
        )
        links.append(Link(label, entry.handout, tag, True))
    if entry.book:
        label = say("Talking book (EPUB, {size})", size=megabytes(entry.book_bytes, entry.locale))
        links.append(Link(label, entry.book, tag, True))
    if entry.audio_seconds:
        minutes = max(1, round(entry.audio_seconds / 60))
        links.append(
            Link(say.plural("{count} minute of audio", "{count} minutes of audio", minutes))
        )
    return links


@dataclass(frozen=True)
class _EntryView:
    locale: LocaleInfo
    name_in_page: str
    title: str
    notes: tuple[Text, ...]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class _DocumentView:
    id: str
    title: str
    count: str
    available: tuple[_EntryView, ...]
    waiting: tuple[_EntryView, ...]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.page", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=kept_templates(),
    )


def render_index(
    documents: Sequence[IndexDocument],
    ui: UiText,
    page: LocaleInfo,
    uis: Mapping[str, UiText] | None = None,
) -> str:
    """The index page: headings in ``page``'s language (``ui``), each entry in its own
    (``uis[code]``; a locale without one falls back to English, marked)."""
    views = []
    for document in documents:
        available: list[_EntryView] = []
        waiting: list[_EntryView] = []
        for entry in document.entries:
            say = _Say((uis or {}).get(entry.locale.code) or UiText(entry.locale, None))
            view = _EntryView(
                entry.locale,
                "" if entry.locale.code == page.code else entry.locale.name_in(page),
                plain_text(entry.title),
                tuple(_notes(entry, say)),
                tuple(_links(entry, say, page)),
            )
            listed = entry.state is not EntryState.PREPARING
            (available if listed else waiting).append(view)
        readable = sum(
            1 for e in document.entries if e.page and e.state is not EntryState.WITHDRAWN
        )
        count = ui.ngettext("{count} language", "{count} languages", readable)
        views.append(
            _DocumentView(
                document.id,
                plain_text(document.title),
                count.format(count=format_decimal(readable, locale=page.babel)),
                tuple(available),
                tuple(waiting),
            )
        )
    return (
        _environment()
        .get_template("index.html")
        .render(
            page=page,
            title=ui.gettext("Patient information"),
            skip=ui.gettext("Skip to main content"),
            choose=ui.gettext("Choose your language"),
            waiting=ui.gettext("In preparation"),
            documents=views,
        )
    )
