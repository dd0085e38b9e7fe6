"""The pack as an output of the build: ``output/packs/<doc>-<lang>.zip``."""

from __future__ import annotations

from typing import Any

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..build.outputs import Products
from ..build.plan import BuildPlan
from ..checks.locale import PublishedLocale
from ..errors import BuildError
from ..handout.output import HandoutProduct
from ..page.output import PageProduct, render_locale_page
from .archive import PackResult
from .contents import write_locale_pack


class PackOutput:
    """One zip per locale: the page, the handout, the audio, a README in that language, a
    manifest."""

    name = "pack"

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        return True

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        return locale.publication.as_dict() if locale.publication else None

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> PackResult:
        page = made.get(PageProduct)
        if page is None:
            raise BuildError("no pack: the page could not be made", locale=locale.code)
        audio, book = made.get(AudioResult), made.get(BookResult)
        handout = made.get(HandoutProduct)
        # With a book, the section tracks are in the book, not in the pack's page.
        voice = plan.speech.voice_for(locale.code) is not None
        alone = (
            render_locale_page(locale, made, section_players=False, voice=voice) if book else None
        )
        return write_locale_pack(
            locale,
            page.path,
            audio,
            locale.target.pack,
            locale.publication,
            book=book,
            pack_page=alone.html if alone and audio else None,
            handout=handout.file if handout else None,
        )
