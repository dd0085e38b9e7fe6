"""The process that renders handouts, apart from the build's own.

WeasyPrint is Python for the most part: loading it (some 0.25 s) and laying out a
handout (0.2 s) held the build's interpreter lock, which the languages' checks, their
reading levels and the other outputs wait for; in a one-entry rebuild it was half of
the lock's time. Handouts are rendered in one process of their own instead
(:class:`~pipeline.handout.process.TaskProcess`; not a process pool, which Debian's
Python can leave hung when the process dies, as said there): forked
from the build itself when the build asks for it before it has started a thread (a fork
copies only the thread that calls it, so no lock can be left held), else from the speech
workers' fork server (:mod:`pipeline.audio.workers`). It loads
WeasyPrint as soon as the build says a handout will be made (:func:`warm_up`), and
prints the handouts one after another (they share one font configuration,
:mod:`pipeline.handout.render`) from their markup, which the build makes with the
page's templates (:mod:`pipeline.handout.markup`), so that the renderer loads nothing
of them. Pango's native memory and a crash of a native library
stay in that process: a renderer that dies is a :class:`~pipeline.errors.BuildError`
for the locale it was rendering, and the next handout gets a new process.

A fork server's child has the fork server's environment and working folder, not the
build's: the renderer takes the build's when it starts (:func:`_adopt`), and a build
whose environment has changed since (a ``FONTCONFIG_FILE`` set by a test) gets a new
renderer.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import select
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing.context import ForkContext, ForkServerContext
from typing import TYPE_CHECKING, TypeVar

from ..audio.workers import MAIN_SCRIPT, start_fork_server
from ..errors import BuildError
from .fonts import Uncovered, covered_points
from .model import RenderedHandout
from .process import TaskProcess

if TYPE_CHECKING:
    from .markup import HandoutMarkup

R = TypeVar("R")

Prepared = RenderedHandout | list[tuple[str | None, Uncovered]]
"""A handout rendered in memory, or each character no installed font covers (no PDF)."""


def prepare_handout(markup: HandoutMarkup, created: dt.datetime) -> Prepared:
    """Check the fonts and print ``markup``, in memory (nothing is written); then give the
    memory the render freed back to the system (:func:`give_back_memory`)."""
    from .render import missing_in, print_handout  # loaded in the renderer only

    missing = missing_in(markup)
    try:
        return missing or print_handout(markup, created)
    finally:
        give_back_memory()


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` on a C library without it."""
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def give_back_memory() -> None:
    """Return the heap memory that is free to the system (glibc's ``malloc_trim``).

    A layout allocates and frees some 50 MB in many sizes; glibc keeps what was freed
    for later, scattered among what is still used, so the renderer, which lives as
    long as the build, grew with every document: 82 MB after its first handout, 147
    after a document's eight, 188 after sixteen. Trimmed after each handout it stays
    at 136 to 138 MB (a build of four documents); it takes about a millisecond."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _load() -> None:
    """What the first handout would wait for: WeasyPrint and its font configuration
    (some 0.25 s), and the code points the installed fonts cover (three ``fc-list``
    runs, 20 ms, looked up on a thread meanwhile: the runs wait outside the
    interpreter lock that the import holds)."""
    from .render import load_renderer  # (the templates and the QR code stay in the build)

    with ThreadPoolExecutor(1, thread_name_prefix="carepack-fonts") as lookup:
        coverage = lookup.submit(covered_points)
        load_renderer()
        coverage.result()


@dataclass(frozen=True)
class _Setting:
    """What a renderer process was started with."""

    environ: tuple[tuple[str, str], ...]
    """The build's environment, sorted, but for the fork server's own variable
    (:data:`~pipeline.audio.workers.MAIN_SCRIPT`), which the build sets as it starts the
    fork server, after its renderer: nothing the renderer reads."""
    cwd: str
    """The build's working folder."""
    build: int
    """The build's process id."""

    @classmethod
    def now(cls) -> _Setting:
        environ = ((name, value) for name, value in os.environ.items() if name != MAIN_SCRIPT)
        return cls(tuple(sorted(environ)), os.getcwd(), os.getpid())


def _adopt(setting: _Setting) -> None:
    """In the renderer, before anything else: the build's environment and folder, and a
    watch on the build (:func:`_end_with`)."""
    os.environ.clear()
    os.environ.update(setting.environ)
    os.chdir(setting.cwd)
    _end_with(setting.build)


def _end_with(build: int) -> None:
    """End this process when the process ``build`` ends. A build that is killed cannot
    stop its renderer, and nothing else would: the renderer waited for work forever,
    and with it the fork server and multiprocessing's resource tracker."""
    watch: Callable[[int], None] = _wait
    try:
        handle = os.pidfd_open(build)
    except ProcessLookupError:
        os._exit(0)  # gone already
    except OSError:  # no pidfd (a kernel before 5.3): look every second
        watch, handle = _poll, build
    threading.Thread(target=watch, args=(handle,), name="carepack-build-watch", daemon=True).start()


def _wait(handle: int) -> None:
    select.select([handle], [], [])  # readable once the process has ended
    os._exit(0)


def _poll(build: int) -> None:
    while True:
        time.sleep(1)
        try:
            os.kill(build, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass  # it exists (under another user: not ours, but alive)


def _started(setting: _Setting, forked: bool = False) -> TaskProcess:
    """A renderer: one process that takes ``setting`` before anything else, started now:
    forked from this process when ``forked`` (the caller makes sure no other thread
    runs), else from the speech workers' fork server (started if it is not running yet)."""
    context: ForkContext | ForkServerContext
    if forked:
        context = multiprocessing.get_context("fork")
    else:
        start_fork_server()
        context = multiprocessing.get_context("forkserver")
    return TaskProcess(context, _adopt, (setting,))


def _alone() -> bool:
    """Whether the calling thread is its process's only one (a fork is safe then).

    Counted by the kernel (``/proc/self/task``): a thread that a native library started,
    or one started without :mod:`threading`, may hold a lock too, and
    :func:`threading.active_count` does not see it."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: the threads Python knows of
        return threading.active_count() == 1


class _Renderer:
    """The renderer process of the current setting (one at a time, started on demand)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._setting: _Setting | None = None
        self._process: TaskProcess | None = None
        self._warm = False
        self._starting: threading.Thread | None = None
        self._starting_lock = threading.Lock()
        """Guards ``_starting`` (the renderer's own lock is held while it starts)."""

    def submit(self, function: Callable[..., R], *args: object) -> Future[R]:
        """Run ``function(*args)`` in the renderer process (started if need be; a new one
        if the last has died), after the warm-up that :meth:`warm_up_soon` started."""
        self._wait_for_start()
        with self._lock:
            try:
                return self._current().submit(function, *args)
            except BrokenProcessPool:
                self._stop()
                return self._current().submit(function, *args)

    def warm_up_soon(self) -> None:
        """Have the renderer process load WeasyPrint (once a renderer), started on a thread
        of its own: the caller goes on while the process starts (which waits for the fork
        server to have loaded the program). What the thread cannot start is left to the
        first handout, which starts the renderer again and reports why it cannot.

        Called while no other thread runs and no renderer is running, it forks the renderer
        from this process, on this thread, at once instead: the fork server would give it
        only once it has loaded the speech program (0.25 s into a build); forked now,
        WeasyPrint is loaded about 0.15 s sooner."""
        if _alone():
            with self._lock:
                if self._process is None:
                    self._warm_up(forked=True)  # forked as it starts, before its thread
                    return
        with self._starting_lock:
            if self._starting is not None and self._starting.is_alive():
                return
            self._starting = threading.Thread(
                target=self._warm_up_locked, name="carepack-renderer-start"
            )
            self._starting.start()

    def _warm_up_locked(self) -> None:
        with self._lock:
            self._warm_up()

    def _warm_up(self, forked: bool = False) -> None:
        """Start the renderer if need be and have it load WeasyPrint (the lock held); what
        cannot be started is left to the first handout, which reports why."""
        with contextlib.suppress(Exception):
            process = self._current(forked)
            if not self._warm:
                self._warm = True
                process.submit(_load)

    def _wait_for_start(self) -> None:
        if self._starting is not None:
            self._starting.join()

    def _current(self, forked: bool = False) -> TaskProcess:
        setting = _Setting.now()
        if self._process is not None and setting != self._setting:
            self._stop()
        if self._process is None:
            self._process, self._setting, self._warm = _started(setting, forked), setting, False
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.stop()
        self._process, self._setting, self._warm = None, None, False


RENDERER = _Renderer()
"""The build's handout renderer."""


def warm_up() -> None:
    """Start the renderer and have it load WeasyPrint, ahead of the first handout, without
    waiting for it to start. ``carepack build`` calls this just before it starts the fork
    server, once it knows something is to be built (a build that stops at "nothing changed" never
    gets here); a local build calls it again as it starts (nothing more is done then).
    The renderer loads on the core that the build's imports and the languages' checks,
    which hold the build's interpreter lock, leave idle, so that a one-entry rebuild does
    not wait for WeasyPrint after its audio (0.97 s instead of 1.06 s, medians of four,
    warmed up as the build started; warmed up as the command starts, without waiting,
    the renderer begins to load some 60 ms sooner)."""
    RENDERER.warm_up_soon()


def begin(markup: HandoutMarkup, created: dt.datetime) -> Future[Prepared]:
    """Start :func:`prepare_handout` of ``markup`` in the renderer."""
    return RENDERER.submit(prepare_handout, markup, created)


def result(future: Future[R], locale: str, function: Callable[..., R], *args: object) -> R:
    """The result of ``future``, which runs ``function(*args)`` in the renderer.

    When the renderer process dies, everything it had been given fails with it: each is
    run once more, in a process of its own (a handout that kills its renderer then
    takes no other with it); one that kills that process too is a
    :class:`~pipeline.errors.BuildError` for its locale alone."""
    try:
        return future.result()
    except (BrokenProcessPool, CancelledError):  # cancelled: its renderer was replaced
        pass
    try:
        with _started(_Setting.now()) as alone:
            return alone.submit(function, *args).result()
    except BrokenProcessPool:
        raise BuildError(
            "the handout renderer (WeasyPrint) stopped twice while it rendered this "
            "language's handout (it crashed or was killed); build again, and if it stops "
            "again, report it with this language's files",
            locale=locale,
        ) from None
