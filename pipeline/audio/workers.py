"""Speech workers: each track made in a worker process of its own, within a timeout.

pyttsx3 is known to hang in ``runAndWait`` at times, and espeak-ng can only be
initialised once per process, so every engine lives in a worker process of its
own (started through multiprocessing's ``forkserver``, one per track, one more
at once than there are cores) and the parent waits for each with a timeout: a
hang becomes a :class:`SpeechError` naming the locale and the section, and the
worker is killed. A track whose audio fails the engine's check
(:class:`~pipeline.audio.engine.FlakySpeech`) is made again in a fresh worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import multiprocessing.spawn
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from ..errors import SpeechError
from .engine import FlakySpeech, remove_files

T = TypeVar("T")
R = TypeVar("R")

#: Modules the fork server imports once, so that each worker starts with them loaded;
#: last, :mod:`pipeline.audio.fork_server`, which freezes what they made. pyttsx3's espeak
#: driver is among them, and with it libespeak-ng, loaded but not initialised (espeak-ng
#: starts its thread when an engine is made, in the worker).
FORKSERVER_PRELOAD = (
    "pipeline.cli",
    "pipeline.audio.track_job",
    "pyttsx3.drivers.espeak",
    "pipeline.audio.fork_server",
)

MAIN_SCRIPT = "CAREPACK_FORK_SERVER_MAIN"
"""The environment variable that tells the fork server which main script to run once
(:mod:`pipeline.audio.fork_server`), set as it is started."""

#: How many times a track is made again in a fresh worker after :class:`FlakySpeech`.
TRACK_RETRIES = 3


def start_fork_server() -> None:
    """Start the fork server now: it loads the program (some 0.2 s) while the build loads
    its own modules and checks the languages, so that the first track does not wait
    for it. :class:`~pipeline.audio.track_queue.TrackQueue` and :func:`run_parallel`
    call it too, and use the one running. The preload loads the program once in the
    fork server, not once per track: without it every worker re-imported it from the
    main script (about 0.4 s each, 44% of a cold build).

    The main script itself is run once there too (:data:`MAIN_SCRIPT`): multiprocessing
    runs it again in every worker it forks, and Python 3.11's fork server never imports
    it itself (its ``"__main__"`` preload looks for a key its preparation data does not
    have). For ``carepack`` that is a few milliseconds a track; for a Dask worker, whose
    main script imports Dask (or a program that imports more of carepack than the
    preload), it was most of a track's start."""
    main = multiprocessing.spawn.get_preparation_data("carepack").get("init_main_from_path")
    if main is not None:
        os.environ[MAIN_SCRIPT] = str(main)
    else:
        os.environ.pop(MAIN_SCRIPT, None)
    multiprocessing.get_context("forkserver").set_forkserver_preload(list(FORKSERVER_PRELOAD))
    multiprocessing.forkserver.ensure_running()


def default_workers() -> int:
    """Worker processes at once: one per core, and one more.

    A worker is not busy all the time: pyttsx3's loop sleeps 10 ms after each utterance
    (espeak-ng speaks in a thread of its own meanwhile), about a tenth of a worker's time
    on a cold build. With one per core the cores idled that long; one more worker fills
    the gaps (a cold build on 2 cores: 1.85 cores busy on average before, 1.97 after).
    """
    return (os.cpu_count() or 1) + 1


def _worker_main(conn: Connection, function: Callable[[T], R], task: T) -> None:
    """A worker process: run ``function(task)`` once, send the outcome, and exit."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - pyttsx3 prints every file it saves
    try:
        conn.send(("ok", function(task)))
    except FlakySpeech as error:
        conn.send(("flaky", error.message))
    except SpeechError as error:
        conn.send(("error", error.message, error.line))
    except Exception as error:
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()
        remove_files()


@dataclass
class _Worker:
    """A running worker process and the task it was given."""

    process: multiprocessing.process.BaseProcess
    """The process."""
    conn: Connection
    """The parent's end of its pipe."""
    task: int
    """Index of its task."""
    started: float
    """``time.monotonic()`` when it started."""


def run_parallel(
    function: Callable[[T], R],
    tasks: Sequence[T],
    *,
    timeout: float,
    locale: str,
    describe: Callable[[T], str],
    workers: int | None = None,
    size: Callable[[T], float] | None = None,
) -> list[R]:
    """``[function(task) for task in tasks]``, each in a new worker process, within ``timeout`` s.

    At most ``workers`` (default: :func:`default_workers`) run at once. Each task gets a
    process of its own because espeak-ng's output depends on what the engine
    said before: a fresh engine per track keeps the audio byte-for-byte
    reproducible, whichever worker makes it. ``function`` must be a module-level
    function (it is sent to the worker by name). The first failure, hang or crash
    stops every worker and raises a :class:`SpeechError` for ``locale`` naming
    ``describe(task)``.

    Tasks start largest ``size`` first (the longest tracks: the last to finish is
    then a short one, and the cores are busy until close to the end); the results
    are in the order of ``tasks`` whatever the order they were made in.
    """
    context = multiprocessing.get_context("forkserver")
    start_fork_server()
    count = max(1, workers or default_workers())
    order = range(len(tasks))
    pending = deque(sorted(order, key=lambda i: -size(tasks[i])) if size else order)
    running: list[_Worker] = []
    results: dict[int, R] = {}
    attempts: dict[int, int] = {}
    try:
        while pending or running:
            while pending and len(running) < count:
                index = pending.popleft()
                parent, child = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main, args=(child, function, tasks[index]), daemon=True
                )
                process.start()
                child.close()
                running.append(_Worker(process, parent, index, time.monotonic()))
            deadline = min(w.started for w in running) + timeout
            ready = wait([w.conn for w in running], timeout=max(0.0, deadline - time.monotonic()))
            for worker in list(running):
                what = describe(tasks[worker.task])
                if worker.conn in ready:
                    running.remove(worker)
                    try:
                        results[worker.task] = _receive(worker, what, locale)
                    except FlakySpeech:
                        attempts[worker.task] = attempts.get(worker.task, 0) + 1
                        if attempts[worker.task] > TRACK_RETRIES:
                            raise
                        pending.appendleft(worker.task)  # again, in a fresh worker
                    finally:
                        worker.process.join()
                        worker.conn.close()
                elif time.monotonic() - worker.started >= timeout:
                    raise SpeechError(
                        f"{what}: speech synthesis hung (no result after {timeout:g} s; "
                        "the worker was stopped; raise [speech] timeout if the text is long)",
                        locale=locale,
                    )
    finally:
        for worker in running:
            worker.process.kill()
        for worker in running:
            worker.process.join()
            worker.conn.close()
    return [results[index] for index in range(len(tasks))]


def _receive(worker: _Worker, what: str, locale: str) -> Any:
    """The worker's result; a :class:`SpeechError` if it failed or died."""
    try:
        status, value, *line = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join()
        code = worker.process.exitcode
        raise SpeechError(
            f"{what}: the speech worker died (exit code {code})", locale=locale
        ) from None
    if status == "flaky":
        raise FlakySpeech(f"{what}: {value} ({TRACK_RETRIES + 1} tries)", locale=locale)
    if status != "ok":
        raise SpeechError(f"{what}: {value}", line=(line or [None])[0], locale=locale)
    return value
