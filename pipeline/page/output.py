"""The page as an output of the build: ``output/<doc>/<lang>/index.html``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..build.outputs import OneFile, Products
from ..build.plan import BuildPlan
from ..checks.finding import Finding
from ..checks.locale import PublishedLocale
from ..errors import CarepackError
from ..fsutil import atomic_write_text
from ..handout.output import HandoutProduct
from .links import PageAudio, PageBook, PageHandout, language_links
from .render import RenderedPage, render_page

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
    there are."""

    name = "page"

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

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> PageProduct:
        rendered = render_locale_page(
            locale, made, voice=plan.speech.voice_for(locale.code) is not None
        )
        where = locale.catalog_name(plan.root)
        problems = tuple(
            CarepackError(f.message, where, _line(locale, f), locale.code)
            for f in rendered.findings
        )
        path = locale.target.out_dir / PAGE_NAME
        return PageProduct(path, atomic_write_text(path, rendered.html, durable=False), problems)


def _line(locale: PublishedLocale, finding: Finding) -> int | None:
    """Where the finding's block is written in this locale (master text or PO entry)."""
    return finding.line if finding.block is None else locale.check.line_of(finding.block)


def render_locale_page(
    locale: PublishedLocale, made: Products, section_players: bool = True, voice: bool = True
) -> RenderedPage:
    """The page of a published locale, linking the audio, book and handout made before it.

    Without ``section_players`` (the pack's copy when a book carries the section tracks),
    only the full-length recording is offered. A translation of an older master text
    (``locale.publication.older``) says so; without a ``voice``, the page says that no
    voice speaks the language.
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
