"""One locale's outputs as a job, and where jobs run.

A :class:`LocaleJob` is everything one (document, locale) needs to make its outputs: the
plan of that document alone and the :class:`~pipeline.checks.locale.PublishedLocale` that
passed the gate. :func:`make_locale` walks :data:`OUTPUTS` for it and returns a
:class:`LocaleMade`; it never raises for a problem in the content (a
:class:`~pipeline.errors.CarepackError` is part of what it returns), so an engine that
retries failed jobs retries only what died.

An :class:`Engine` runs jobs: :class:`LocalEngine` in this process's thread pool (the
build as it has always been), :class:`pipeline.build.cluster.DaskEngine` on a Dask
cluster. The build only submits jobs and takes their results as they finish.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..audio.album import AudioResult
from ..audio.output import AudioOutput
from ..book.output import BookOutput
from ..checks.locale import LocaleCheck, PublishedLocale
from ..errors import CarepackError
from ..handout.output import HandoutOutput
from ..pack.output import PackOutput
from ..page.output import PageOutput
from .freshness import files_key, fresh, last_recorded, record
from .outputs import BeginsEarly, Follows, Output, Products
from .plan import BuildPlan, LocalePlan

OUTPUTS: tuple[Output, ...] = (
    AudioOutput(),
    BookOutput(),
    HandoutOutput(),
    PageOutput(),
    PackOutput(),
)
"""Every per-locale output, in the order they are made (each may use those before it)."""


@dataclass(frozen=True)
class LocaleJob:
    """One document in one language to make: small enough to send to another machine."""

    plan: BuildPlan
    """The build plan of this document alone (its languages, the settings, the paths)."""
    locale: PublishedLocale
    """The locale that passed the gate, with its publication."""
    stamp: bool = True
    """Whether to record its outputs as up to date when they are made without a problem
    (not when the locale was already reported, by its speech checks say)."""

    @property
    def name(self) -> str:
        """``doc/lang``, for progress lines and job names."""
        return f"{self.locale.target.document.id}/{self.locale.code}"


@dataclass(frozen=True)
class LocaleMade:
    """What :func:`make_locale` did for one job (picklable: it may come from a worker)."""

    products: Products = field(default_factory=Products)
    """What the outputs made (or the last good ones, when ``kept``)."""
    errors: tuple[CarepackError, ...] = ()
    """Problems in this locale (audio, unsafe links, a worker that kept dying)."""
    reused: bool = False
    """Whether its outputs were already up to date (nothing was made)."""
    kept: bool = False
    """Whether its audio failed and its last good outputs (with audio) were kept."""


def locale_job(plan: BuildPlan, locale: PublishedLocale, stamp: bool = True) -> LocaleJob:
    """The job of ``locale``, with the plan narrowed to its document."""
    document = locale.target.document
    narrow = dataclasses.replace(plan, documents=(document,), locales=plan.of_document(document.id))
    return LocaleJob(narrow, locale, stamp)


def _locale_key(plan: BuildPlan, locale: PublishedLocale, outputs: list[Output]) -> str:
    """Everything one locale's outputs are made from: its input files, the code, each
    output's own key, and the reproducible-build date."""
    keys = [[o.name, o.key(plan, locale)] for o in outputs]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return files_key(locale.target.inputs, locale.code, keys, epoch)


def make_locale(job: LocaleJob) -> LocaleMade:
    """Every wanted output of one published locale, in order; nothing when nothing changed.

    A :class:`~pipeline.errors.CarepackError` anywhere is returned, never raised.
    """
    try:
        return _make_locale(job)
    except CarepackError as error:
        return LocaleMade(errors=(error,))


def _make_locale(job: LocaleJob) -> LocaleMade:
    plan, locale = job.plan, job.locale
    outputs = [o for o in OUTPUTS if o.wanted(plan, locale)]
    early: list[BeginsEarly] = [o for o in outputs if isinstance(o, BeginsEarly)]
    try:
        return _make_outputs(job, outputs, early)
    finally:  # whatever was begun or followed and not taken, anticipated ones too
        for starter in early:
            starter.forget(plan, locale)
        for follower in outputs:
            if isinstance(follower, Follows):
                follower.forget(plan, locale)


def anticipate(plan: BuildPlan, target: LocalePlan, check: LocaleCheck) -> None:
    """Start, from a locale's review, the outputs that can begin before their turn."""
    for output in OUTPUTS:
        if isinstance(output, BeginsEarly):
            output.anticipate(plan, target, check)


def _make_outputs(job: LocaleJob, outputs: list[Output], early: list[BeginsEarly]) -> LocaleMade:
    plan, locale = job.plan, job.locale
    key = _locale_key(plan, locale, outputs)
    saved = fresh(locale.target.stamp, key)
    if isinstance(saved, Products):
        return LocaleMade(saved, reused=True)
    if plan.audio and locale.audio_blocked:
        kept = _last_good(locale)
        if kept is not None:
            return LocaleMade(kept, kept=True)
    made = Products()
    errors: list[CarepackError] = []
    for starter in early:
        starter.begin(plan, locale)
    for position, output in enumerate(outputs):
        try:
            product = output.make(plan, locale, made)
        except CarepackError as error:
            errors.append(error)
            kept = _last_good(locale) if output.name == AudioOutput.name else None
            if kept is not None:
                return LocaleMade(kept, tuple(errors), kept=True)  # nothing after the audio
            continue
        if product is not None:
            made.add(output.name, product)
            errors += product.problems
            for later in outputs[position + 1 :]:
                if isinstance(later, Follows):
                    later.follow(plan, locale, made)
    if job.stamp and not errors:
        record(locale.target.stamp, key, made.files(), made)
    return LocaleMade(made, tuple(errors))


def _last_good(locale: PublishedLocale) -> Products | None:
    """When this locale's audio cannot be made and its last good outputs had audio (and
    are still whole on disk): those outputs, to keep as they are.

    A locale is never published with less than before: a page and pack without audio
    would replace the ones with it. (A locale that never had audio is published without
    it, with the reason.)
    """
    last = last_recorded(locale.target.stamp)
    if not isinstance(last, Products) or last.get(AudioResult) is None:
        return None
    return last


class Engine(Protocol):
    """Where the build's jobs run."""

    @property
    def lookahead(self) -> int:
        """How many documents may be checked and submitted before the build waits for the
        first one's jobs (0: each document is finished before the next is checked)."""
        ...

    def submit(self, job: LocaleJob) -> Any:
        """Start ``job``; returns a handle for :meth:`finished`."""
        ...

    def finished(self, handles: Sequence[Any]) -> Iterator[tuple[int, LocaleMade]]:
        """Each job's index in ``handles`` and its result, as they finish."""
        ...


class LocalEngine:
    """Jobs in this process's thread pool, one document at a time (the speech itself runs
    in worker processes of :mod:`pipeline.audio.synthesis`)."""

    lookahead = 0

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool

    def submit(self, job: LocaleJob) -> Future[LocaleMade]:
        return self._pool.submit(make_locale, job)

    def finished(self, handles: Sequence[Any]) -> Iterator[tuple[int, LocaleMade]]:
        for index, handle in enumerate(handles):  # in order, as the build has always said
            yield index, handle.result()
