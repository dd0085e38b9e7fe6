"""One queue of speech tracks for a whole build, so that the cores are busy from the
first locale checked to the last track.

Without it each locale's audio made its own tracks (:func:`pipeline.audio.workers.run_parallel`)
when that locale's turn to build came: nothing was spoken while the languages were
being checked, and the last locale's tracks ran alone at the end. A build opens a
:class:`TrackQueue` (:func:`track_queue`); each locale's tracks are put in it as soon as
the locale is checked (:func:`pipeline.audio.tracks.start_tracks`), and its audio output
waits for them later. Tracks run in the same worker processes as before (one fresh
process per track, at most one more than there are cores at once, the same timeout, the
same retries after :class:`~pipeline.audio.engine.FlakySpeech`), in the order the locales were
checked and, within a locale, longest first; so the first locales finish early and
their pages, books and handouts are made while the others are spoken.

Outside a build (a test, a cluster worker) there is no queue and
:func:`~pipeline.audio.tracks.build_audio` makes its tracks itself, as before.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Generic, TypeVar

from ..errors import SpeechError
from .engine import FlakySpeech
from .workers import (
    TRACK_RETRIES,
    _receive,
    _Worker,
    _worker_main,
    default_workers,
    start_fork_server,
)

T = TypeVar("T")
R = TypeVar("R")

POLL_SECONDS = 0.05
"""How often the dispatcher checks its workers' time limits while it waits."""


class _Wakeup:
    """A pipe the dispatcher waits on beside its workers: a new track or :meth:`TrackQueue.close`
    writes to it, so the dispatcher acts at once (it used to find a track submitted while it
    slept up to :data:`POLL_SECONDS` later, the cores idle meanwhile)."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._lock = threading.Lock()
        self._open = True

    def fileno(self) -> int:
        return self._read

    def set(self) -> None:
        with self._lock, contextlib.suppress(BlockingIOError):  # full: a wake-up is pending
            if self._open:
                os.write(self._write, b"!")

    def clear(self) -> None:
        with self._lock, contextlib.suppress(BlockingIOError):
            while self._open and os.read(self._read, 4096):
                pass

    def close(self) -> None:
        with self._lock:
            if self._open:
                self._open = False
                os.close(self._read)
                os.close(self._write)


@dataclass(order=True)
class _Entry(Generic[T, R]):
    """A track waiting for a worker, in the order it should start."""

    order: tuple[int, float, int]
    """Group (which locale came first), minus its size, then arrival."""
    task: T = field(compare=False)
    """What the worker is given."""
    future: Future[R] = field(compare=False)
    """Where its result goes."""
    what: str = field(compare=False)
    """What it is, for messages (``section 'intro'``)."""
    locale: str = field(compare=False)
    """Its locale, for messages."""
    attempts: int = field(default=0, compare=False)
    """Tries that gave :class:`FlakySpeech`."""


class TrackQueue(Generic[T, R]):
    """``function(task)`` for every submitted task, each in a fresh worker process, at most
    ``workers`` at once (default: :func:`~pipeline.audio.workers.default_workers`), each
    within ``timeout`` seconds."""

    def __init__(
        self,
        function: Callable[[T], R],
        *,
        timeout: float,
        describe: Callable[[T], tuple[str, str, float]],
        workers: int | None = None,
    ) -> None:
        self._function = function
        self._describe = describe
        self._timeout = timeout
        self._count = max(1, workers or default_workers())
        self._pending: list[_Entry[T, R]] = []
        self._known: dict[str, Future[R]] = {}
        self._groups = itertools.count()
        self._arrivals = itertools.count()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._wakeup = _Wakeup()
        self._thread: threading.Thread | None = None
        self._failure: SpeechError | None = None

    def start(self, tasks: Sequence[tuple[str, T]]) -> list[Future[R]]:
        """Submit ``(key, task)`` pairs as one group (started after earlier groups, largest
        first): the result of each to come. A key already submitted gets the same future
        again, even a failed one (a hang costs its timeout once); a cancelled one is
        submitted again."""
        group = next(self._groups)
        with self._lock:  # all of them in the queue before the first one may start
            futures = [self._submit(key, task, group) for key, task in tasks]
            self._start_dispatcher()
        self._wakeup.set()
        return futures

    def prepare(self) -> None:
        """Start the dispatcher and its fork server now, before any track is submitted:
        starting the fork server (a new interpreter importing the program) took 0.25 s
        that the first track waited for, while the languages were still being checked."""
        with self._lock:
            self._start_dispatcher()

    def _start_dispatcher(self) -> None:
        """(With the lock held.)"""
        if self._thread is None:
            self._thread = threading.Thread(target=self._dispatch, daemon=True)
            self._thread.start()

    def results(self, tasks: Sequence[tuple[str, T]]) -> list[R]:
        """The results of ``tasks`` (started now, or earlier by :meth:`start`); on the first
        failure the others that have not started are dropped and its error raised."""
        futures = self.start(tasks)
        try:
            return [future.result() for future in futures]
        except CancelledError:
            raise SpeechError("speech synthesis was stopped") from None
        finally:
            for future in futures:
                future.cancel()
            self._forget_made(tasks, futures)

    def _forget_made(self, tasks: Sequence[tuple[str, T]], futures: list[Future[R]]) -> None:
        """Let go of the tracks handed out (their audio is the caller's now, and in the
        cache): a build of many documents would otherwise keep every track's MP3 in
        memory to the end. A failed one stays known, so that it is not tried again."""
        with self._lock:
            for (key, _), future in zip(tasks, futures, strict=True):
                made = future.done() and not future.cancelled() and future.exception() is None
                if made and self._known.get(key) is future:
                    del self._known[key]

    def _submit(self, key: str, task: T, group: int) -> Future[R]:
        """(With the lock held.)"""
        known = self._known.get(key)
        if known is not None and not known.cancelled():
            return known  # running, done or failed: never made twice in a build
        what, locale, size = self._describe(task)
        future: Future[R] = Future()
        if self._failure is not None:  # the dispatcher is gone: nothing would ever run it
            future.set_exception(self._failure)
            self._known[key] = future
            return future
        heapq.heappush(
            self._pending, _Entry((group, -size, next(self._arrivals)), task, future, what, locale)
        )
        self._known[key] = future
        return future

    def close(self) -> None:
        """Stop: running workers are killed, waiting tasks cancelled."""
        self._closed.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join()
        self._wakeup.close()
        with self._lock:
            for entry in self._pending:
                entry.future.cancel()
            self._pending.clear()

    def _next(self) -> _Entry[T, R] | None:
        with self._lock:
            while self._pending:
                entry = heapq.heappop(self._pending)
                if entry.attempts or entry.future.set_running_or_notify_cancel():
                    return entry  # (a retried entry's future is running already)
        return None

    def _dispatch(self) -> None:
        running: dict[int, tuple[_Worker, _Entry[T, R]]] = {}
        try:
            self._run(running)
        except Exception as error:  # no track may wait for ever, now or submitted later
            failure = SpeechError(f"the speech workers failed: {type(error).__name__}: {error}")
            with self._lock:
                self._failure = failure
                waiting = [entry.future for entry in self._pending]
                self._pending.clear()
            for future in [*waiting, *(entry.future for _, entry in running.values())]:
                if not future.done():
                    future.set_exception(failure)
        finally:
            for worker, entry in running.values():
                _stop(worker)
                if not entry.future.done():
                    entry.future.set_exception(
                        SpeechError(f"{entry.what}: stopped", locale=entry.locale)
                    )

    def _run(self, running: dict[int, tuple[_Worker, _Entry[T, R]]]) -> None:
        context = multiprocessing.get_context("forkserver")
        start_fork_server()
        while not self._closed.is_set():
            while len(running) < self._count:
                entry = self._next()
                if entry is None:
                    break
                parent, child = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main, args=(child, self._function, entry.task), daemon=True
                )
                try:
                    process.start()
                except Exception as error:  # taken from the queue, not running: fail it here
                    parent.close()
                    child.close()
                    entry.future.set_exception(
                        SpeechError(
                            f"{entry.what}: no speech worker could be started "
                            f"({type(error).__name__}: {error})",
                            locale=entry.locale,
                        )
                    )
                    raise
                child.close()
                running[id(parent)] = (_Worker(process, parent, 0, time.monotonic()), entry)
            conns = [w.conn for w, _ in running.values()]
            ready = wait([*conns, self._wakeup.fileno()], timeout=POLL_SECONDS)
            if self._wakeup.fileno() in ready:
                self._wakeup.clear()
            for ident, (worker, entry) in list(running.items()):
                if worker.conn in ready:
                    del running[ident]
                    self._finish(worker, entry)
                elif time.monotonic() - worker.started >= self._timeout:
                    del running[ident]
                    _stop(worker)
                    entry.future.set_exception(
                        SpeechError(
                            f"{entry.what}: speech synthesis hung (no result after "
                            f"{self._timeout:g} s; the worker was stopped; raise [speech] "
                            "timeout if the text is long)",
                            locale=entry.locale,
                        )
                    )

    def _finish(self, worker: _Worker, entry: _Entry[T, R]) -> None:
        try:
            entry.future.set_result(_receive(worker, entry.what, entry.locale))
        except FlakySpeech as error:
            entry.attempts += 1
            if entry.attempts > TRACK_RETRIES:
                entry.future.set_exception(error)
            else:  # again, in a fresh worker
                with self._lock:
                    heapq.heappush(self._pending, entry)
        except SpeechError as error:
            entry.future.set_exception(error)
        finally:
            worker.process.join()
            worker.conn.close()


def _stop(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join()
    worker.conn.close()


_ACTIVE: list[TrackQueue[Any, Any]] = []


def active_queue() -> TrackQueue[Any, Any] | None:
    """The build's queue, while a build in this process holds one."""
    return _ACTIVE[-1] if _ACTIVE else None


@contextmanager
def track_queue(
    function: Callable[[T], R],
    *,
    timeout: float,
    describe: Callable[[T], tuple[str, str, float]],
    workers: int | None = None,
) -> Iterator[TrackQueue[T, R]]:
    """A queue for the length of a build; :func:`active_queue` returns it meanwhile.

    ``describe(task)`` gives what the task is (for messages), its locale, and its size."""
    queue = TrackQueue(function, timeout=timeout, describe=describe, workers=workers)
    queue.prepare()
    _ACTIVE.append(queue)
    try:
        yield queue
    finally:
        _ACTIVE.remove(queue)
        queue.close()
