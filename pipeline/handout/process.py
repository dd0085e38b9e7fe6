"""One process that runs the functions it is given, one after another, over a pipe.

The handout renderer (:mod:`pipeline.handout.worker`) used a one-process
:class:`~concurrent.futures.ProcessPoolExecutor`. Debian 12's Python (3.11.2, which
``make`` installs carepack with) has three known deadlocks there, mended in 3.11.5 to
3.11.7; one of them (CPython issue 94777) hung a CI run: when the process dies while
the pool's feeder thread is writing the next handout's markup into the full pipe, the
feeder waits forever for a reader that is gone, and so does whatever shuts the pool
down (a build on its next handout, or at its exit).

Here nothing waits on a pipe that no one reads: the process is given a task only once
it has answered the last one (it is then waiting for the next), and the parent waits
for the answer or the process's end, whichever comes first. A process that dies fails
the task it was running and every task still queued with
:class:`~concurrent.futures.process.BrokenProcessPool`, as the pool did.
"""

from __future__ import annotations

import queue
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, ForkServerContext
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

R = TypeVar("R")


@dataclass(frozen=True)
class _Task:
    """A call to make in the process."""

    future: Future[Any]
    """Where its outcome goes."""
    function: Callable[..., Any]
    """What to call (sent by name: a module-level function)."""
    args: tuple[object, ...]
    """Its arguments."""


def _serve(
    conn: Connection, initializer: Callable[..., None], initargs: tuple[object, ...]
) -> None:
    """The process: ``initializer(*initargs)``, then each task received, its outcome sent
    back, until the pipe closes (the parent stops the process by killing it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    initializer(*initargs)
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            function, args = ForkingPickler.loads(message)
            outcome: tuple[str, object] = ("ok", function(*args))
        except Exception as error:
            outcome = ("error", error)
        try:
            answer = ForkingPickler.dumps(outcome)
        except Exception as error:  # an outcome that cannot be sent is told as an error
            unsent = RuntimeError(f"{type(error).__name__}: {error}")
            answer = ForkingPickler.dumps(("error", unsent))
        conn.send_bytes(answer)


class TaskProcess:
    """A process of ``context`` (``fork`` or ``forkserver``), started at once, that runs
    ``initializer(*initargs)`` first, then what :meth:`submit` gives it, in order.

    A thread of the caller's sends each task and waits for its answer. Used as a context
    manager, the process is stopped on leaving.
    """

    def __init__(
        self,
        context: ForkContext | ForkServerContext,
        initializer: Callable[..., None],
        initargs: tuple[object, ...],
    ) -> None:
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, initializer, initargs),
            name="carepack-renderer",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._conn = parent
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        """Guards ``_broken`` and ``_closed`` against a task queued after the drain."""
        self._broken: str | None = None
        self._closed = False
        self._thread = threading.Thread(
            target=self._run, name="carepack-renderer-tasks", daemon=True
        )
        self._thread.start()

    def submit(self, function: Callable[..., R], *args: object) -> Future[R]:
        """Run ``function(*args)`` in the process once the tasks before it are done.

        Raises :class:`BrokenProcessPool` if the process has died, :class:`RuntimeError`
        once stopped."""
        future: Future[R] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the renderer process was stopped")
            if self._broken is not None:
                raise BrokenProcessPool(self._broken)
            self._tasks.put(_Task(future, function, args))
        return future

    def stop(self) -> None:
        """Cancel the tasks not begun, end the process (at once: a task it is running
        fails with :class:`BrokenProcessPool`) and wait for it."""
        with self._lock:
            self._closed = True
            self._cancel_queued()
            self._tasks.put(None)
        if self._process.is_alive():
            self._process.kill()
        self._thread.join()
        self._process.join()

    def __enter__(self) -> TaskProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- the thread that talks to the process ---------------------------------------

    def _run(self) -> None:
        try:  # until stop() queues None (it kills the process meanwhile)
            while (task := self._tasks.get()) is not None:
                if task.future.set_running_or_notify_cancel():
                    self._call(task)
        finally:
            self._conn.close()

    def _call(self, task: _Task) -> None:
        try:
            message = ForkingPickler.dumps((task.function, task.args))
        except Exception as error:  # arguments that cannot be sent: this task's error
            task.future.set_exception(error)
            return
        try:
            self._conn.send_bytes(message)
            ready = wait([self._conn, self._process.sentinel])
            if self._conn not in ready and not self._conn.poll():
                raise EOFError  # ended without an answer
            answer = self._conn.recv_bytes()
        except (EOFError, OSError):
            self._break(task)
            return
        try:
            status, value = ForkingPickler.loads(answer)
        except Exception as error:
            task.future.set_exception(error)
            return
        if status == "ok":
            task.future.set_result(value)
        else:
            task.future.set_exception(value)

    def _break(self, task: _Task) -> None:
        """The process died: its task and every task queued fail, as do later submits."""
        self._process.join()
        reason = (
            f"the renderer process ended while it had work (exit code {self._process.exitcode})"
        )
        with self._lock:
            self._broken = reason
            self._cancel_queued(BrokenProcessPool(reason))
        task.future.set_exception(BrokenProcessPool(reason))

    def _cancel_queued(self, error: BaseException | None = None) -> None:
        """Fail (or cancel) every task queued and not begun; the lock held."""
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                return
            if task is None:
                self._tasks.put(None)  # the stop stays last
                return
            if error is None:
                task.future.cancel()
            elif task.future.set_running_or_notify_cancel():
                task.future.set_exception(error)
