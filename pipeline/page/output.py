"""The page as an output of the build: ``output/<doc>/<lang>/index.html``."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..build.outputs import OneFile, Products
from ..build.plan import BuildPlan
from ..checks.finding import Finding
from ..checks.locale import PublishedLocale
from ..errors import CarepackError
from ..fsutil import atomic_write_text
from ..handout.output import HandoutProduct
from .links import LanguageLink, PageAudio, PageBook, PageHandout, language_links
from .render import RenderedPage, render_page

if TYPE_CHECKING:
    from ..build.plan import LocalePlan
    from ..checks.locale import LocaleCheck

PAGE_NAME = "index.html"
"""The page's file name in the locale's folder."""


@dataclass(frozen=True)
class PageProduct(OneFile):
    """The page written for one locale."""

    label: ClassVar[str] = "page"

    path: Path
    """``output/<doc>/<lang>/index.html``."""
    written: bool
    """Whether its bytes changed."""
    problems: tuple[CarepackError, ...] = ()
    """What rendering dropped (an unsafe link), each with the file and line to fix."""


class PageOutput:
    """The large-print page, linking the locale's audio, talking book and handout when
    there are.

    It comes after the handout (it gives the PDF's pages and size), the last output a
    one-entry rebuild waits for; so what it needs of the other languages, their names in
    themselves, is looked up as the locale's turn comes (:meth:`begin`, on a thread of
    its own while the audio is made): Babel reads each language's CLDR data for it, some
    20 ms for eight languages, which the page otherwise spent after the handout.
    """

    name = "page"

    def __init__(self) -> None:
        self._links: dict[Path, tuple[tuple[str, ...], Future[tuple[LanguageLink, ...]]]] = {}
        """The language links looked up for each page, by its path, with the languages
        they were looked up for."""
        self._lock = threading.Lock()

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        return True

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        publication = locale.publication.as_dict() if locale.publication else None
        voice = plan.speech.voice_for(locale.code) is not None
        return {
            "languages": list(locale.languages),
            "audio": plan.audio,
            "publication": publication,
            "voice": voice,
        }

    def anticipate(self, plan: BuildPlan, target: LocalePlan, check: LocaleCheck) -> None:
        """Nothing: which languages the page links to is known in the locale's turn."""

    def begin(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Look up the links to the other languages' pages, on the page's own thread."""
        future = _looking_up().submit(language_links, locale.code, locale.languages)
        with self._lock:
            begun = self._links.get(_page_path(locale))
            self._links[_page_path(locale)] = (locale.languages, future)
        if begun is not None:
            begun[1].cancel()

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop links looked up for a page that was not made."""
        with self._lock:
            begun = self._links.pop(_page_path(locale), None)
        if begun is not None:
            begun[1].cancel()

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> PageProduct:
        with self._lock:
            begun = self._links.pop(_page_path(locale), None)
        links = begun[1].result() if begun is not None and begun[0] == locale.languages else None
        rendered = render_locale_page(
            locale, made, voice=plan.speech.voice_for(locale.code) is not None, links=links
        )
        where = locale.catalog_name(plan.root)
        problems = tuple(
            CarepackError(f.message, where, _line(locale, f), locale.code)
            for f in rendered.findings
        )
        path = _page_path(locale)
        return PageProduct(path, atomic_write_text(path, rendered.html, durable=False), problems)


def _page_path(locale: PublishedLocale) -> Path:
    return locale.target.out_dir / PAGE_NAME


@cache
def _looking_up() -> ThreadPoolExecutor:
    """The thread that looks up pages' language links ahead of their turn."""
    return ThreadPoolExecutor(1, thread_name_prefix="carepack-page-links")


def _line(locale: PublishedLocale, finding: Finding) -> int | None:
    """Where the finding's block is written in this locale (master text or PO entry)."""
    return finding.line if finding.block is None else locale.check.line_of(finding.block)


def render_locale_page(
    locale: PublishedLocale,
    made: Products,
    section_players: bool = True,
    voice: bool = True,
    links: tuple[LanguageLink, ...] | None = None,
) -> RenderedPage:
    """The page of a published locale, linking the audio, book and handout made before it.

    Without ``section_players`` (the pack's copy when a book carries the section tracks),
    only the full-length recording is offered. A translation of an older master text
    (``locale.publication.older``) says so; without a ``voice``, the page says that no
    voice speaks the language. ``links``: the links to the other languages' pages, when they
    were looked up already (:meth:`PageOutput.begin`).
    """
    audio = made.get(AudioResult)
    page_audio = (
        None
        if audio is None
        else PageAudio(
            {t.section: t.href for t in audio.tracks} if section_players else {},
            audio.full_href,
            audio.total_seconds,
            {t.section: t.seconds for t in audio.tracks},
        )
    )
    book = made.get(BookResult)
    page_book = None if book is None else PageBook(book.path.name, book.size)
    made_pdf = made.get(HandoutProduct)
    pdf = made_pdf.file if made_pdf else None
    page_pdf = None if pdf is None else PageHandout(pdf.path.name, pdf.pages, pdf.size)
    if links is None:
        links = language_links(locale.code, locale.languages)
    reviewed = locale.check.document.reviewed
    older = locale.publication.older if locale.publication is not None else None
    return render_page(
        locale.document,
        locale.ui,
        links,
        page_audio,
        reviewed,
        older,
        voice,
        book=page_book,
        handout=page_pdf,
    )
