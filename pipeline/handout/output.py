"""The handout as one output of the build: check the fonts, render, write atomically.

Plain data in (the translated document, its interface strings, the review date, the
PDF's date, where to write it); a :class:`~pipeline.handout.model.HandoutFile` out,
or a :class:`~pipeline.errors.FontError` per character no installed font can print,
naming the block's file and line and the package to install. When the fonts are
missing no PDF is written, and a handout left by an earlier build is removed: it
would not match the page any more.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.outputs import Products
from ..build.plan import BuildPlan, LocalePlan
from ..catalogs.translate import TranslatedDocument, UiText
from ..checks.locale import LocaleCheck, PublishedLocale
from ..errors import FontError
from ..fsutil import atomic_write
from ..pack.archive import pack_epoch
from ..publishing.record import OlderText
from .markup import HandoutMarkup, handout_markup
from .model import HandoutFile, RenderedHandout, handout_name, page_url
from .worker import Prepared, begin, prepare_handout, result

Locate = Callable[[str | None], tuple[Path | None, int | None]]
"""A block id (``None``: an interface string) → the file and line its text is written at."""


def write_handout(
    prepared: Prepared, doc: TranslatedDocument, dest: Path, locate: Locate | None = None
) -> tuple[HandoutFile | None, list[FontError]]:
    """Write what :func:`~pipeline.handout.worker.prepare_handout` made to ``dest``; or,
    when a font is missing, remove ``dest`` (it would not match the page) and say where
    each character is."""
    if isinstance(prepared, RenderedHandout):
        written = atomic_write(dest, prepared.pdf, durable=False)
        return HandoutFile(dest, len(prepared.pdf), prepared.pages, written), []
    dest.unlink(missing_ok=True)
    errors = []
    for block, problem in prepared:
        path, line = locate(block) if locate is not None else (None, None)
        errors.append(FontError(problem.message, path, line, doc.locale.code))
    return None, errors


@dataclass(frozen=True)
class HandoutProduct:
    """What the handout output made for one locale: the PDF, or why there is none."""

    file: HandoutFile | None
    """The PDF (``None`` when a font is missing)."""
    problems: tuple[FontError, ...] = ()
    """Each character no installed font covers, with the file and line it is written at."""

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.file.path,) if self.file is not None else ()

    @property
    def summary(self) -> str:
        if self.file is None:
            return "no handout"
        return f"handout {'written' if self.file.written else 'unchanged'}"


@dataclass(frozen=True)
class _Inputs:
    """What one locale's handout is made from, and where it goes."""

    doc: TranslatedDocument
    """The translated document."""
    ui: UiText
    """Its interface strings."""
    reviewed: dt.date
    """The master text's review date."""
    created: dt.datetime
    """The PDF's date (from the review date or ``SOURCE_DATE_EPOCH``)."""
    url: str | None
    """The page's published address, for the QR code (``None``: no QR code)."""
    older: OlderText | None
    """Set when the translation is of an older master text."""
    dest: Path
    """The PDF's path."""

    def begin(self) -> _Begun:
        """Make its markup here (the page's templates) and start printing it in the
        renderer process."""
        markup = handout_markup(self.doc, self.ui, self.reviewed, self.url, self.older)
        return _Begun(self, markup, begin(markup, self.created))


@dataclass(frozen=True)
class _Begun:
    """A handout being rendered."""

    inputs: _Inputs
    """What it is made from."""
    markup: HandoutMarkup
    """Its markup, as the renderer was given it."""
    printing: Future[Prepared]
    """The renderer's work."""


class HandoutOutput:
    """The large-print PDF next to the page, dated like the pack; it uses no other output
    (the page and the pack link and carry it, so it comes before them).

    It is rendered ahead (:meth:`begin`, while the locale's audio is being made: the
    build waits for its tracks first; for a language whose files changed, from its review
    already, :meth:`anticipate`) and written in its turn, after the audio: a locale whose
    audio fails keeps its last good page, handout and pack together, so nothing of it may
    be written before.
    """

    name = "handout"

    def __init__(self) -> None:
        self._begun: dict[Path, _Begun] = {}
        """Each rendering begun, by the PDF's path."""
        self._lock = threading.Lock()

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        return True

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        publication = locale.publication.as_dict() if locale.publication else None
        return {"publish_url": plan.config.publish_url, "publication": publication}

    def anticipate(self, plan: BuildPlan, target: LocalePlan, check: LocaleCheck) -> None:
        """Start rendering from the locale's review alone, as a language that publishes its
        current text has it: the build calls this for a language whose files changed, as
        soon as it is checked, so that its handout does not wait for the other languages'
        reviews (in a one-entry rebuild it ended last). :meth:`begin` and :meth:`make` use
        it only if the locale's inputs turn out to be these."""
        if check.translated is None or check.ui is None or not check.published:
            return
        given = self._from(plan, target, check, check.translated, check.ui, None)
        with self._lock:
            if given.dest not in self._begun:
                self._begun[given.dest] = given.begin()

    def begin(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Start rendering this locale's handout in memory, in the renderer process (unless
        it was begun from the same inputs, :meth:`anticipate`)."""
        given = self._inputs(plan, locale)
        with self._lock:
            begun = self._begun.get(given.dest)
            if begun is not None and begun.inputs == given:
                return
            self._begun[given.dest] = given.begin()
        if begun is not None:
            begun.printing.cancel()

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop a rendering begun and not used (the locale's audio failed, or its outputs
        were up to date after all)."""
        with self._lock:
            begun = self._begun.pop(self._inputs(plan, locale).dest, None)
        if begun is not None:
            begun.printing.cancel()

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> HandoutProduct:
        given = self._inputs(plan, locale)
        with self._lock:
            begun = self._begun.pop(given.dest, None)
        if begun is None or begun.inputs != given:
            begun = given.begin()
        prepared = result(begun.printing, locale.code, prepare_handout, begun.markup, given.created)
        text_file = locale.catalog_name(plan.root)
        ui_catalog = locale.target.ui_catalog

        def locate(block: str | None) -> tuple[Path | None, int | None]:
            if block is not None:
                return text_file, locale.check.line_of(block)
            return (ui_catalog.relative_to(plan.root) if ui_catalog else text_file), None

        file, errors = write_handout(prepared, given.doc, given.dest, locate)
        return HandoutProduct(file, tuple(errors))

    @classmethod
    def _inputs(cls, plan: BuildPlan, locale: PublishedLocale) -> _Inputs:
        older = locale.publication.older if locale.publication is not None else None
        return cls._from(plan, locale.target, locale.check, locale.document, locale.ui, older)

    @staticmethod
    def _from(
        plan: BuildPlan,
        target: LocalePlan,
        check: LocaleCheck,
        doc: TranslatedDocument,
        ui: UiText,
        older: OlderText | None,
    ) -> _Inputs:
        document, code = check.document, check.locale.code
        publish = plan.config.publish_url
        return _Inputs(
            doc=doc,
            ui=ui,
            reviewed=document.reviewed,
            created=dt.datetime.fromtimestamp(pack_epoch(document.reviewed), dt.UTC),
            url=page_url(publish, document.id, code) if publish else None,
            older=older,
            dest=target.out_dir / handout_name(document.id, code),
        )
