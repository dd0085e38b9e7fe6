"""How the ``carepack`` command ends (:func:`pipeline.cli.end`): as the interpreter's own
exit does (threads joined, exit handlers run, output flushed, the status kept), without
unloading the modules one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import in_a_new_interpreter, only_locales

SCRIPT = """
import atexit
import sys
import threading
import time
from pathlib import Path

from pipeline.cli import end

folder = Path(sys.argv[1])

def late_thread():
    time.sleep(0.3)
    (folder / "thread").write_text("joined")

threading.Thread(target=late_thread).start()
atexit.register(lambda: (folder / "handler").write_text("ran"))
print("buffered output", end="")
sys.stderr.write("and its errors")
end(3)
"""


def test_end_joins_threads_runs_exit_handlers_flushes_and_keeps_the_status(tmp_path: Path):
    done = in_a_new_interpreter(SCRIPT, str(tmp_path), timeout=60)
    assert done.returncode == 3
    assert done.stdout == "buffered output" and done.stderr == "and its errors"
    assert (tmp_path / "thread").read_text() == "joined"
    assert (tmp_path / "handler").read_text() == "ran"


def test_a_build_leaves_no_fork_server_folder_behind(project_dir: Path, tmp_path: Path):
    """multiprocessing removes the fork server's socket folder in an exit handler."""
    only_locales(project_dir, ["es"])
    temp = tmp_path / "tmp"
    temp.mkdir()
    carepack = Path(sys.executable).parent / "carepack"
    done = subprocess.run(
        [str(carepack), "--root", str(project_dir), "build"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert done.returncode == 0, done.stderr
    assert "Built in" in done.stdout
    assert list(temp.iterdir()) == []
