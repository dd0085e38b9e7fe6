"""The handout renderer: a process of its own that loads WeasyPrint when warmed up, with
the build's environment and folder; one that dies is replaced, and a handout that kills
it twice is a build error for its locale alone."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import BuildError
from pipeline.handout import worker
from pipeline.handout.fonts import coverage_known
from pipeline.handout.markup import handout_markup
from pipeline.handout.model import RenderedHandout
from pipeline.handout.render import renderer_loaded
from pipeline.handout.worker import RENDERER
from pipeline.project import Project

from ..conftest import in_a_new_interpreter, texts

WARM_UP = """
import os, sys
from pipeline.handout import worker
from pipeline.handout.fonts import coverage_known

def loaded(name):
    return name in sys.modules

worker.warm_up()
worker.warm_up()  # once a renderer
assert worker.RENDERER.submit(os.getpid).result(timeout=60) != os.getpid()
assert "pipeline.handout.render" not in sys.modules and "segno" not in sys.modules  # only there
from pipeline.handout.render import renderer_loaded
assert worker.RENDERER.submit(renderer_loaded).result(timeout=60)  # the warm-up came first
assert worker.RENDERER.submit(coverage_known).result(timeout=60)
assert not renderer_loaded() and not coverage_known()
assert worker.RENDERER.submit(os.getpid).result(timeout=60) != os.getpid()
assert worker.RENDERER.submit(os.getppid).result(timeout=60) == os.getpid()  # forked from here
assert "weasyprint" not in sys.modules  # loaded there, not here

for name in ("jinja2", "segno", "markdown_it", "pipeline.page.render", "pipeline.handout.markup"):
    assert not worker.RENDERER.submit(loaded, name).result(timeout=60), name  # the build's
print("ok")
"""


def test_warming_up_loads_weasyprint_in_the_renderer_not_in_the_build() -> None:
    """Warmed up before the build has started a thread (as ``carepack build`` does), the
    renderer is forked from the build itself, at once; it loads WeasyPrint and the font
    check, not the page's templates (the build makes the markup it prints)."""
    done = in_a_new_interpreter(WARM_UP)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


BEFORE_THE_FORK_SERVER = """
import os
from pipeline.audio.workers import MAIN_SCRIPT, start_fork_server
from pipeline.handout import worker

if __name__ == "__main__":  # (the fork server runs a main script once, as carepack's)
    worker.warm_up()
    renderer = worker.RENDERER.submit(os.getpid).result(timeout=60)
    assert MAIN_SCRIPT not in os.environ
    start_fork_server()  # sets the fork server's own variable in this environment
    assert MAIN_SCRIPT in os.environ
    assert worker.RENDERER.submit(os.getpid).result(timeout=60) == renderer  # the same one
    assert worker.RENDERER.submit(os.getppid).result(timeout=60) == os.getpid()
    print("ok")
"""


def test_a_renderer_forked_before_the_fork_server_starts_is_kept(tmp_path: Path) -> None:
    """``carepack build`` forks its renderer first, then starts the speech workers' fork
    server, which sets a variable of its own in the build's environment: the renderer
    reads nothing of it and is not replaced for it."""
    script = tmp_path / "build.py"  # a main script, as carepack's console script is
    script.write_text(BEFORE_THE_FORK_SERVER, encoding="utf-8")
    done = in_a_new_interpreter(
        "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')", str(script)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


WARM_UP_WITH_A_THREAD = """
import _thread, os, sys, threading
from pipeline.handout import worker

stop, stopped = threading.Event(), threading.Event()

def other():
    stop.wait()
    stopped.set()

if sys.argv[1] == "threading":
    threading.Thread(target=other).start()
else:  # a thread Python's threading module does not know of, as a native library's
    _thread.start_new_thread(other, ())
    assert threading.active_count() == 1
worker.warm_up()
parent = worker.RENDERER.submit(os.getppid).result(timeout=60)
stop.set()
stopped.wait(60)
assert parent != os.getpid()  # the fork server's child: a fork now could copy a held lock
print("ok")
"""


@pytest.mark.parametrize("started_by", ["threading", "_thread"])
def test_a_renderer_wanted_while_another_thread_runs_comes_from_the_fork_server(
    started_by: str,
) -> None:
    done = in_a_new_interpreter(WARM_UP_WITH_A_THREAD, started_by)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_renderer_has_the_builds_environment_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fork server's child would have the fork server's; a changed environment (a
    test's FONTCONFIG_FILE) gets a new renderer."""
    monkeypatch.setenv("CAREPACK_PROBE", "one")
    monkeypatch.chdir(tmp_path)
    first = RENDERER.submit(os.getpid).result(timeout=60)
    assert RENDERER.submit(os.getenv, "CAREPACK_PROBE").result(timeout=60) == "one"
    assert RENDERER.submit(os.getcwd).result(timeout=60) == str(tmp_path)
    assert RENDERER.submit(os.getpid).result(timeout=60) == first  # the same process
    monkeypatch.setenv("CAREPACK_PROBE", "two")
    assert RENDERER.submit(os.getenv, "CAREPACK_PROBE").result(timeout=60) == "two"
    assert RENDERER.submit(os.getpid).result(timeout=60) != first


KILLED = """
import os, signal, sys, threading
from pipeline.handout import worker

if sys.argv[1] == "thread":  # the renderer then comes from the fork server
    threading.Thread(target=threading.Event().wait, daemon=True).start()
worker.warm_up()
print(worker.RENDERER.submit(os.getpid).result(timeout=60), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("started", ["alone", "thread"])
def test_a_renderer_ends_when_its_build_is_killed(started: str) -> None:
    """Nothing else would stop it: it waited for work forever (and kept the fork server
    and the resource tracker alive with it)."""
    done = in_a_new_interpreter(KILLED, started, timeout=60)
    assert done.returncode == -9, done.stderr
    renderer = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(renderer):
        time.sleep(0.05)
    assert not _alive(renderer)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False


def test_a_renderer_that_dies_is_replaced() -> None:
    """What it had been given when it died is run once more, in a process of its own."""
    dying = RENDERER.submit(os._exit, 3)
    given_too = RENDERER.submit(os.getpid)
    with pytest.raises(BuildError) as raised:
        worker.result(dying, "es", os._exit, 4)
    assert raised.value.locale == "es"
    assert "handout renderer (WeasyPrint) stopped twice" in str(raised.value)
    pid = worker.result(given_too, "fr", os.getpid)
    assert pid != os.getpid()
    later = RENDERER.submit(os.getpid).result(timeout=60)  # a new renderer
    assert later not in (pid, os.getpid())


def test_a_handout_rendered_in_the_renderer_is_the_one_rendered_here(project: Project) -> None:
    doc, ui = texts(project, "es")
    created = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    markup = handout_markup(doc, ui, doc.document.reviewed)
    there = worker.begin(markup, created).result(timeout=120)
    here = worker.prepare_handout(markup, created)
    assert isinstance(there, RenderedHandout) and isinstance(here, RenderedHandout)
    assert there.pdf == here.pdf and there.pages == here.pages >= 2


def test_warming_up_does_not_wait_for_the_renderer_to_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``carepack build`` warms the renderer up as it starts: the command goes on loading
    the build while the renderer process starts (which waits for the fork server); what
    is submitted next still comes after the warm-up."""
    renderer = worker._Renderer()
    release, starting = threading.Event(), threading.Event()
    waited_in_vain: list[bool] = []
    real = worker._started

    def slow_start(setting: Any, forked: bool = False) -> Any:
        starting.set()
        waited_in_vain.append(not release.wait(10))
        return real(setting, forked)

    monkeypatch.setattr(worker, "_alone", lambda: False)  # the start on a thread
    monkeypatch.setattr(worker, "_started", slow_start)
    renderer.warm_up_soon()
    assert starting.wait(60)  # the renderer is starting, and the caller is here meanwhile
    renderer.warm_up_soon()  # returns at once: the start under way is not begun again
    release.set()
    try:
        assert renderer.submit(renderer_loaded).result(timeout=60)  # the warm-up came first
        assert renderer.submit(coverage_known).result(timeout=60)
    finally:
        renderer._stop()
    assert waited_in_vain == [False]  # the caller never waited for the start


@pytest.mark.parametrize("alone", [False, True])  # started on a thread, or forked here
def test_a_warm_up_that_fails_leaves_the_first_handout_to_say_why(
    alone: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing is raised or printed by the warm-up (no traceback); the first handout
    starts the renderer itself and gets the error."""
    renderer = worker._Renderer()

    def failing(setting: Any, forked: bool = False) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(worker, "_alone", lambda: alone)
    monkeypatch.setattr(worker, "_started", failing)
    renderer.warm_up_soon()
    with pytest.raises(OSError, match="no more processes"):
        renderer.submit(os.getpid)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_each_handout_gives_back_the_memory_its_layout_freed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer lives as long as the build: after each handout, the heap memory
    glibc kept is returned (it grew by some 50 MB over a few documents otherwise)."""
    assert worker._malloc_trim() is not None  # glibc's, on the machines carepack runs on
    trimmed: list[int] = []
    monkeypatch.setattr(worker, "_malloc_trim", lambda: trimmed.append)
    doc, ui = texts(project, "es")
    created = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert isinstance(
        worker.prepare_handout(handout_markup(doc, ui, doc.document.reviewed), created),
        RenderedHandout,
    )
    assert trimmed == [0]
