"""The large-print page's content model: plain, frozen data for ``templates/page.html``.

Every piece of text is either plain text (escaped by the template) or a block's
inline Markdown rendered by :mod:`pipeline.page.inline` (escaped there, whitelisted
markup only), and carries the language it is in when that is not the page's, so
that the template marks it with ``lang`` and ``dir``. Made by
:class:`pipeline.page.content.ContentBuilder`.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..locales import LocaleInfo


@dataclass(frozen=True)
class Say:
    """A piece of text on the page, with its language when it is not the page's."""

    text: str | Markup
    """Plain text (the template escapes it) or a block's rendered inline markup."""
    lang: LocaleInfo | None = None
    """The language of the text when it falls back to the source (or the interface's)."""


@dataclass(frozen=True)
class Element:
    """One block-level element: a heading, a paragraph, a list or a table."""

    kind: str
    """``h``, ``p``, ``ul``, ``ol`` or ``table``."""
    text: Say | None = None
    """A heading's or a paragraph's text."""
    level: int = 0
    """A heading's level (2 to 6; never skips one)."""
    id: str = ""
    """A heading's id (the anchor the contents and the players point at)."""
    items: tuple[Say, ...] = ()
    """A list's items."""
    captions: tuple[Say, ...] = ()
    """A table's captions (first, above the table)."""
    headers: tuple[Say | None, ...] = ()
    """A table's column headers (``None``: a column with no header)."""
    rows: tuple[tuple[Cell, ...], ...] = ()
    """A table's body rows."""


@dataclass(frozen=True)
class Cell:
    """A table body cell."""

    text: Say | None
    """Its text (``None``: an empty cell)."""
    label: str | None
    """Its column header as plain text (``data-label``, shown on narrow screens)."""


@dataclass(frozen=True)
class Player:
    """An audio player with a visible label and a download link."""

    label_id: str
    """Id of the visible label."""
    label: Say
    """"Listen to this section", "Listen to the whole text"."""
    names: str
    """The ids that name the player (``aria-labelledby``)."""
    href: str
    """The MP3's relative address."""
    name: Say
    """What the download link downloads, visually hidden (the section's heading)."""
    download: Say
    """"Download the audio (MP3)"."""
    seconds: float | None = None
    """The track's length, shown after the label."""
    length: Say | None = None
    """The whole recording's length in minutes, under the label."""


@dataclass(frozen=True)
class Section:
    """One section of the page."""

    kind: str
    """``top`` (the title's section), ``section``, ``disclaimer`` or ``bare`` (no heading)."""
    id: str
    """The section id."""
    heading: Element | None
    """Its heading (``None`` for ``top`` and ``bare``)."""
    audio: Player | None
    """Its track's player."""
    blocks: tuple[Element, ...]
    """Its content, in reading order."""


@dataclass(frozen=True)
class Link:
    """A link to a file of the page (the handout, the talking book) or another page."""

    href: str
    """Relative address."""
    label: Say
    """The link text."""
    lang: LocaleInfo | None = None
    """The language of the linked page (the language switcher)."""


@dataclass(frozen=True)
class PageContent:
    """Everything the page shows, in order."""

    locale: LocaleInfo
    """The page's language."""
    title: str
    """The document title as plain text (``<title>``)."""
    heading: Say
    """The document title as the page's ``<h1>``."""
    skip: Say
    """"Skip to main content"."""
    languages_label: Say
    """"Read this in another language:"."""
    languages: tuple[Link, ...]
    """The other languages' pages."""
    notices: tuple[Say, ...]
    """Under the title: older text, draft, partly translated."""
    handout: Link | None
    """The large-print PDF."""
    book: Link | None
    """The talking book."""
    full_audio: Player | None
    """The whole recording."""
    audio_missing: Say | None
    """Why there is no audio (when there is none)."""
    contents_label: Say
    """"Contents"."""
    contents: tuple[Link, ...]
    """Links to the sections (none when there are fewer than two)."""
    sections: tuple[Section, ...]
    """The sections."""
    footer: tuple[Say, ...]
    """The review date, and the review state when reviewed."""
