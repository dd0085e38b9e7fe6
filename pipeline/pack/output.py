"""The pack as an output of the build: ``output/packs/<doc>-<lang>.zip``."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..build.outputs import Product, Products
from ..build.plan import BuildPlan
from ..checks.locale import PublishedLocale
from ..errors import BuildError
from ..handout.output import HandoutProduct
from ..page.output import PageProduct, render_locale_page
from .archive import PackResult, Ready, level_for
from .contents import write_locale_pack
from .zipwriter import deflate_piece, deflated_from, piece_bounds


@dataclass(frozen=True)
class _Deflating:
    """A book being deflated for its pack."""

    name: str
    """Its name in the pack."""
    data: bytes
    """Its bytes."""
    pieces: list[Future[bytes]]
    """Its deflate stream, piece by piece (:func:`~pipeline.pack.zipwriter.deflate_piece`)."""

    def ready(self) -> Ready:
        """The member, once every piece is done."""
        member = deflated_from(self.name, self.data, [piece.result() for piece in self.pieces])
        return Ready(self.data, member)


@cache
def _deflating() -> ThreadPoolExecutor:
    """Threads that deflate books ahead of their packs (zlib lets go of the interpreter
    lock while it works)."""
    return ThreadPoolExecutor(os.cpu_count() or 1, thread_name_prefix="carepack-deflate")


class PackOutput:
    """One zip per locale: the page, the handout, the audio, a README in that language, a
    manifest.

    The talking book, most of a pack's bytes, is deflated as soon as it is made
    (:meth:`follow`), in pieces on the deflating threads, while the handout and the page
    are made; the pack takes that member when the book's bytes are still the ones
    deflated (the same bytes as deflating it in the pack's turn would give)."""

    name = "pack"

    def __init__(self) -> None:
        self._ahead: dict[Path, _Deflating] = {}
        """The book being deflated for each pack, by the pack's path."""
        self._lock = threading.Lock()

    def follow(self, plan: BuildPlan, locale: PublishedLocale, product: Product) -> None:
        """Begin deflating the locale's talking book as soon as it is made, in pieces."""
        if not isinstance(product, BookResult):
            return
        name = product.path.name
        level = level_for(name)
        if level is None:
            return
        try:
            data = product.path.read_bytes()
        except OSError:
            return  # the pack reads it in its turn, and reports what stops it
        pool = _deflating()
        pieces = [
            pool.submit(deflate_piece, data, start, end, level)
            for start, end in piece_bounds(len(data))
        ]
        with self._lock:
            self._ahead[locale.target.pack] = _Deflating(name, data, pieces)

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop a book deflated and not used (the page failed, or the job stopped)."""
        with self._lock:
            ahead = self._ahead.pop(locale.target.pack, None)
        for piece in ahead.pieces if ahead is not None else ():
            piece.cancel()

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
        with self._lock:
            ahead = self._ahead.pop(locale.target.pack, None)
        ready = {ahead.name: ahead.ready()} if ahead is not None and book is not None else {}
        return write_locale_pack(
            locale,
            page.path,
            audio,
            locale.target.pack,
            locale.publication,
            book=book,
            pack_page=alone.html if alone and audio else None,
            handout=handout.file if handout else None,
            ready=ready,
        )
