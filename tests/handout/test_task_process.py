"""The renderer's process: tasks run in order, each outcome back to its caller; a process
that dies fails what it had and what was queued, and nothing waits for it forever."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from pipeline.handout.process import TaskProcess

from ..conftest import in_a_new_interpreter


def _nothing() -> None:
    """An initializer that does nothing."""


def _fails(message: str) -> None:
    raise ValueError(message)


def _unsendable() -> object:
    return threading.Lock()  # cannot be pickled


def _started(method: str = "forkserver") -> TaskProcess:
    return TaskProcess(multiprocessing.get_context(method), _nothing, ())


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_tasks_run_in_order_in_one_other_process(method: str) -> None:
    with _started(method) as process:
        pids = [process.submit(os.getpid) for _ in range(5)]
        lengths = [process.submit(len, "x" * size) for size in (0, 10, 1_000_000)]
        assert len({pid.result(timeout=60) for pid in pids}) == 1
        assert pids[0].result() != os.getpid()
        assert [length.result(timeout=60) for length in lengths] == [0, 10, 1_000_000]


def test_an_error_is_that_tasks_alone() -> None:
    """A task that raises, whose arguments or result cannot be sent, gets its error; the
    process goes on with the next."""
    with _started() as process:
        pid = process.submit(os.getpid).result(timeout=60)
        with pytest.raises(ValueError, match="no font"):
            process.submit(_fails, "no font").result(timeout=60)
        with pytest.raises(TypeError, match="lock"):
            process.submit(len, threading.Lock()).result(timeout=60)
        with pytest.raises(RuntimeError, match=r"TypeError: .*lock"):
            process.submit(_unsendable).result(timeout=60)
        assert process.submit(os.getpid).result(timeout=60) == pid


def test_a_stopped_process_cancels_what_it_had_not_begun() -> None:
    """Stopping does not wait for the task under way: it fails, the rest is cancelled."""
    process = _started()
    running = process.submit(time.sleep, 30)
    queued = [process.submit(os.getpid) for _ in range(3)]
    deadline = time.monotonic() + 60
    while not running.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    began = time.monotonic()
    process.stop()
    assert time.monotonic() - began < 10
    with pytest.raises(BrokenProcessPool):
        running.result(timeout=60)
    assert all(future.cancelled() for future in queued)
    with pytest.raises(RuntimeError, match="stopped"):
        process.submit(os.getpid)


DIES_WITH_LARGE_TASKS_QUEUED = """
import multiprocessing, os, sys
from concurrent.futures.process import BrokenProcessPool
from pipeline.handout.process import TaskProcess

process = TaskProcess(multiprocessing.get_context(sys.argv[1]), os.getpid, ())
pid = process.submit(os.getpid).result(timeout=60)
futures = []
try:  # all given at once; the later ones may be refused: the process is known to be gone
    futures.append(process.submit(os._exit, 9))
    for _ in range(3):
        futures.append(process.submit(len, "x" * 4_000_000))  # far more than a pipe holds
except BrokenProcessPool as error:
    assert "exit code 9" in str(error), error
for future in futures:
    try:
        future.result(timeout=60)
    except BrokenProcessPool as error:
        assert "exit code 9" in str(error), error
    else:
        raise AssertionError("a task given to a dead process succeeded")
process.stop()
print("ok")
"""


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_a_process_that_dies_with_large_tasks_queued_ends_them_all(method: str) -> None:
    """Python 3.11.2's process pool (Debian 12's) hung here, at its shutdown or at the
    interpreter's exit: its feeder thread waited forever to write the next task into a
    pipe no one read (CPython issue 94777). The script must end, and soon."""
    done = in_a_new_interpreter(DIES_WITH_LARGE_TASKS_QUEUED, method, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
