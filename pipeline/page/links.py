"""What a page links to: the other languages' pages, its audio, its handout and its book.

Plain data, made by the build from what it has just written (or found up to date).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from ..locales import LocaleInfo, parse_locale


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


def language_links(current: str, published: Sequence[str]) -> tuple[LanguageLink, ...]:
    """Links from ``current``'s page to every other page in ``published`` (sibling folders)."""
    links = []
    for code in published:
        info = parse_locale(code)
        if info.code != current:
            links.append(LanguageLink(info.code, info.native_name, f"../{info.code}/index.html"))
    return tuple(links)
