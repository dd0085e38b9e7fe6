"""The pack as an output of the build: ``output/packs/<doc>-<lang>.zip``."""

from __future__ import annotations

import os
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..build.outputs import Products
from ..build.plan import BuildPlan
from ..checks.locale import PublishedLocale
from ..errors import BuildError
from ..fsutil import sha256_bytes
from ..handout.output import HandoutProduct
from ..page.output import PageProduct, render_locale_page
from .archive import PackResult, Ready, level_for
from .contents import write_locale_pack
from .zipwriter import deflate_piece, deflated_from, piece_bounds


@dataclass(frozen=True)
class _Deflating:
    """A book being deflated for its pack (its bytes are not kept: only what is made)."""

    name: str
    """Its name in the pack."""
    digests: Future[tuple[str, int, int]]
    """Its SHA-256, CRC-32 and size."""
    pieces: list[Future[bytes]]
    """Its deflate stream, piece by piece (:func:`~pipeline.pack.zipwriter.deflate_piece`)."""

    def ready(self) -> Ready:
        """The member, once every piece is done."""
        sha256, crc, size = self.digests.result()
        pieces = [piece.result() for piece in self.pieces]
        return Ready(sha256, deflated_from(self.name, crc, size, pieces))

    def cancel(self) -> None:
        """Cancel what has not started."""
        self.digests.cancel()
        for piece in self.pieces:
            piece.cancel()


def _digests(data: bytes) -> tuple[str, int, int]:
    return sha256_bytes(data), zlib.crc32(data), len(data)


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
    deflated (the same SHA-256; the same bytes as deflating it in the pack's turn)."""

    name = "pack"

    def __init__(self) -> None:
        self._ahead: dict[Path, _Deflating] = {}
        """The book being deflated for each pack, by the pack's path."""
        self._lock = threading.Lock()

    def follow(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> None:
        """Begin deflating the locale's talking book, in pieces, as soon as it is made (the
        handout and the page are made meanwhile)."""
        book = made.get(BookResult)
        level = level_for(book.path.name) if book is not None else None
        if book is None or level is None:
            return
        with self._lock:
            if locale.target.pack in self._ahead:
                return
        try:
            data = book.path.read_bytes()
        except OSError:
            return  # the pack reads it in its turn, and reports what stops it
        pool = _deflating()
        pieces = [
            pool.submit(deflate_piece, data, start, end, level)
            for start, end in piece_bounds(len(data))
        ]
        deflating = _Deflating(book.path.name, pool.submit(_digests, data), pieces)
        with self._lock:
            self._ahead[locale.target.pack] = deflating

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop a book deflated and not used (the page failed, or the job stopped)."""
        with self._lock:
            ahead = self._ahead.pop(locale.target.pack, None)
        if ahead is not None:
            ahead.cancel()

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
