"""The whole build: for every document in ``source/`` and every configured language,
review (check, reading level, speech lint) → outputs, then the index and the
reading-level report.

The build makes a plan (:func:`pipeline.build.plan.make_plan`: every path, once), reviews each
locale with :func:`pipeline.checks.locale.review_locale` (the same path as ``carepack
check``), and hands each locale that passed the gate to an engine as a job
(:mod:`pipeline.build.jobs`), which walks :data:`~pipeline.build.jobs.OUTPUTS` in order,
giving each output the :class:`~pipeline.checks.locale.PublishedLocale` and what the
outputs before it made. The engine is this process's thread pool, or a Dask cluster
(:mod:`pipeline.build.cluster`); the build then writes what spans locales from the jobs'
results (:mod:`pipeline.build.overview`).

Adding an output: a subpackage with an ``output.py`` implementing
:class:`pipeline.build.outputs.Output` (``name``, ``wanted``, ``key``, ``make``; see that
module's docstring), and one line in :data:`~pipeline.build.jobs.OUTPUTS` after the
outputs it uses.
Nothing else here changes: the up-to-date rule, the progress lines, the errors and the
stamp are the same for every output.

Locales are independent: one that fails its gate (or whose audio cannot be made) is
reported with its reasons and the others build. A locale whose input files, code and
output keys are unchanged, and whose files are as the last build left them, is not
made again (:mod:`pipeline.build.freshness`); audio comes from its cache unless its text,
voice or settings changed. One build at a time holds the project lock.

Speech starts early: a locale's tracks go into the build's one queue
(:mod:`pipeline.audio.track_queue`) as soon as the locale is reviewed, and its audio
output takes them from there, so the cores speak while the other locales are checked.
"""

from __future__ import annotations

import dataclasses
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..audio.lint import audio_blocked
from ..audio.script import Script
from ..audio.track_job import make_track
from ..audio.track_queue import track_queue
from ..audio.tracks import describe_job, start_tracks
from ..catalogs.outcome import Outcome
from ..checks.findings import Finding
from ..checks.locale import LocaleCheck, LocaleReview, checked_before, review_locale
from ..errors import LockError
from ..handout.worker import warm_up as warm_up_handouts
from ..project import Project
from ..publishing.record import PublishedRecord, PublishState
from ..publishing.steps import master_text, remove_unconfigured, settle
from ..publishing.steps import plan as plan_locale
from .jobs import Engine, LocalEngine, anticipate, locale_job
from .overview import write_index, write_readability
from .plan import BuildPlan, LocalePlan, make_plan
from .report import BuildReport, LocaleOutcome

Progress = Callable[[str], None]


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's build lock, or raise :class:`LockError` at once."""
    path = project.config.cache_dir / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockError(
                f"another build is running ({holder}); wait for it to finish", path
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(root: Path) -> int:
    """Delete temporary files an interrupted build left (call with the lock held)."""
    count = 0
    for path in root.rglob(".*.tmp") if root.exists() else ():
        path.unlink(missing_ok=True)
        count += 1
    return count


def _describe(outcome: LocaleOutcome) -> str:
    if outcome.kept:
        return "audio failed: the last good page, audio and pack are kept unchanged"
    if outcome.reused:
        return "up to date"
    said = [product.summary for product in outcome.products]
    if outcome.audio is None:
        said.append("no audio")
    return ", ".join(said)


def build(
    project: Project,
    progress: Progress = print,
    audio: bool = True,
    scheduler: str | None = None,
) -> BuildReport:
    """Build every document in every language; see the module docstring.

    With ``scheduler`` (``tcp://host:8786``), each locale's outputs are made on that Dask
    cluster (:mod:`pipeline.build.cluster`); it is reached before anything is written.
    """
    started = time.perf_counter()
    report = BuildReport()
    with ExitStack() as stack:
        cluster: Engine | None = None
        if scheduler is not None:
            from .cluster import connect  # dask is imported only for a cluster build

            cluster = stack.enter_context(connect(scheduler, progress))
        stack.enter_context(project_lock(project))
        if audio and cluster is None:  # tracks are spoken from the first locale checked on
            timeout = project.config.speech.timeout
            stack.enter_context(track_queue(make_track, timeout=timeout, describe=describe_job))
        if cluster is None:  # WeasyPrint loads in its own process while the languages are checked
            warm_up_handouts()
        out = project.config.output_dir
        removed = remove_stale_temporaries(out)
        if removed:
            progress(f"removed {removed} half-written file(s) left by an interrupted build")
        created = project.create_missing()
        report.created, report.setup_errors = created.written, created.errors
        for path in created.written:
            progress(f"created {project.relative(path)} (new document or language)")
        # The compiled catalogs (output/locale/) are for gettext programs: nothing in the
        # build reads them, so they are compiled while the languages are checked (the
        # first track waited for it: 80 ms of a cold build, a core idle meanwhile).
        compiler = stack.enter_context(ThreadPoolExecutor(1, "carepack-compile"))
        compiling: Future[Outcome] | None = compiler.submit(project.compile)

        def compiled() -> None:
            nonlocal compiling
            if compiling is not None:
                done, compiling = compiling.result(), None
                progress(f"catalogs: {len(done.written)} compiled, {len(done.unchanged)} unchanged")

        plan = make_plan(project, audio)
        published = PublishedRecord.load(out)
        report.removed = remove_unconfigured(project, published)
        for name in report.removed:
            progress(f"removed the outputs of {name}: the language is no longer configured")
        workers = max(1, os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            engine = cluster or LocalEngine(pool)
            waiting: list[_Submitted] = []
            for document in plan.documents:
                tick = time.perf_counter()
                text = master_text(project, document, published)
                targets = plan.of_document(document.id)
                reviews = _reviews(plan, targets, pool, local=cluster is None)
                compiled()  # reported before the first document's languages
                outcomes = []
                for review in reviews:
                    decided = plan_locale(plan, published, review, text)
                    outcomes.append(LocaleOutcome(decided.review, plan=decided))
                languages = tuple(o.review.target.code for o in outcomes if _builds(o))
                held = [o for o in outcomes if o.state is PublishState.WITHHELD]
                progress(
                    f"{document.id}: checked {len(reviews)} languages, {len(languages)} "
                    f"to publish, {len(held)} withheld ({time.perf_counter() - tick:.1f} s)"
                )
                jobs = []
                for outcome in outcomes:
                    locale = outcome.review.published(languages) if _builds(outcome) else None
                    if locale is not None and plan.audio:
                        outcome.errors += outcome.review.speech_errors()
                    if locale is not None and outcome.plan is not None:
                        locale = dataclasses.replace(locale, publication=outcome.plan.publication)
                        job = locale_job(plan, locale, stamp=not outcome.errors)
                        jobs.append((outcome, engine.submit(job)))
                waiting.append(_Submitted(outcomes, jobs))
                if len(waiting) > engine.lookahead:
                    _finish(project, published, engine, waiting, report, progress)
                    waiting = []
            _finish(project, published, engine, waiting, report, progress)
        compiled()  # (with no document)
        if cluster is not None:  # a worker that died mid-write leaves its temporary file
            removed = remove_stale_temporaries(out)
            if removed:
                progress(f"removed {removed} half-written file(s) left by a worker that died")
        published.save()
        write_index(plan, report)
        write_readability(plan, report)
    report.seconds = time.perf_counter() - started
    return report


def _review(plan: BuildPlan, target: LocalePlan, early: bool = False) -> LocaleReview:
    """Review one locale and, if it may have audio, start speaking its tracks as soon as
    its script is known (before its reading level is scored); ``early`` (a language whose
    files changed, in a local build): start its outputs that can begin before their turn
    too (:func:`~pipeline.build.jobs.anticipate`)."""

    def script_ready(check: LocaleCheck, script: Script, speech: tuple[Finding, ...]) -> None:
        if plan.audio and check.published and not audio_blocked(speech, target.code):
            voice = plan.speech.voice_for(target.code)
            start_tracks(script, voice, plan.speech, plan.audio_cache)
        if early:
            anticipate(plan, target, check)

    return review_locale(plan, target, script_ready)


def _reviews(
    plan: BuildPlan, targets: Sequence[LocalePlan], pool: ThreadPoolExecutor, local: bool
) -> list[LocaleReview]:
    """Every locale of a document reviewed (:func:`_review`), in the order of ``targets``.

    Those whose files changed since they were last checked go first, the others (read
    from memory) after them: the changed ones' checks, and with them their first tracks,
    then do not wait for the interpreter lock behind the unchanged ones (in a one-entry
    rebuild the changed language's first track started some 50 ms later behind the
    seven others); nothing needs the unchanged ones' reviews before all are done."""
    changed = [i for i, target in enumerate(targets) if not checked_before(plan, target)]
    same = [i for i in range(len(targets)) if i not in changed]
    reviewed: dict[int, LocaleReview] = {}
    for indices, early in ((changed, local), (same, False)):
        done = pool.map(lambda i, early=early: _review(plan, targets[i], early), indices)
        reviewed.update(zip(indices, done, strict=True))
    return [reviewed[i] for i in range(len(targets))]


@dataclass
class _Submitted:
    """One document's locales, checked, with the jobs of those that are being built."""

    outcomes: list[LocaleOutcome]
    """Every locale of the document, in order."""
    jobs: list[tuple[LocaleOutcome, Any]]
    """The locales being built and their engine's handles."""


def _finish(
    project: Project,
    published: PublishedRecord,
    engine: Engine,
    waiting: list[_Submitted],
    report: BuildReport,
    progress: Progress,
) -> None:
    """Take the results of ``waiting``'s jobs as they finish (one progress line each), then
    settle every locale's publishing state in order."""
    jobs = [job for submitted in waiting for job in submitted.jobs]
    for index, made in engine.finished([handle for _, handle in jobs]):
        outcome = jobs[index][0]
        outcome.take(made)
        document = outcome.check.document.id
        progress(f"  {document} [{outcome.check.locale.code}]: {_describe(outcome)}")
    for submitted in waiting:
        for outcome in submitted.outcomes:
            if outcome.plan is not None:
                settle(project, published, outcome.plan, outcome.pack)
            outcome.settled()
        report.outcomes += submitted.outcomes


def _builds(outcome: LocaleOutcome) -> bool:
    return outcome.plan is not None and outcome.plan.builds
