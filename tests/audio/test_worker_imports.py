"""A speech worker loads what speaking and encoding need, not the script's machinery.

The fork server preloads :data:`~pipeline.audio.workers.FORKSERVER_PRELOAD` once per
build, on a core the build's own imports compete for; a worker then imports whatever a
track job's pickle names. Neither may pull in the Markdown parser, the catalogs, the
speech rules (num2words) or Babel: those make the script, in the build.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from pipeline.audio.track_job import TrackJob
from pipeline.audio.utterance import Substitution, Utterance

from ..conftest import in_a_new_interpreter

HEAVY = (
    "markdown_it",
    "num2words",
    "babel",
    "yaml",
    "jinja2",
    "pipeline.audio.script",
    "pipeline.audio.lexicon",
    "pipeline.catalogs.translate",
    "pipeline.source.markdown",
)

SCRIPT = """
import importlib, pickle, sys
from pipeline.audio.workers import FORKSERVER_PRELOAD
for name in FORKSERVER_PRELOAD:
    importlib.import_module(name)
pickle.loads(bytes.fromhex(sys.argv[1]))  # a track job, as a worker receives it
heavy = sorted(
    name for name in sys.modules
    if any(name == h or name.startswith(h + ".") for h in sys.argv[2].split(","))
)
print(",".join(heavy))
"""


def test_the_fork_server_and_a_track_job_load_nothing_of_the_script() -> None:
    said = Substitution("Dr.", "doctor", Path("/lexicons/en.pls"), 3)
    job = TrackJob(
        "intro",
        (Utterance("Ask your doctor.", 600, "p1", 4, (said,)),),
        "en-us",
        150,
        48,
        "en",
    )
    done = in_a_new_interpreter(SCRIPT, pickle.dumps(job).hex(), ",".join(HEAVY))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


MAIN = """
import os
import sys

with open(sys.argv[1] if __name__ == "__main__" else os.environ["RUNS_FILE"], "a") as runs:
    runs.write(f"{__name__} {os.getpid()}\\n")

if __name__ == "__main__":
    os.environ["RUNS_FILE"] = sys.argv[1]
    from pipeline.audio.workers import run_parallel

    done = run_parallel(
        abs, [-1, -2, -3, -4], timeout=60, locale="en", describe=str, workers=2
    )
    print(done)
"""


def test_the_main_script_runs_once_in_the_fork_server_not_in_every_worker(
    tmp_path: Path,
) -> None:
    """multiprocessing runs the main script again in each process it starts; the fork
    server runs it once, so four workers do not run it four times (a Dask worker's main
    script imports Dask: that was most of each track's start on a cluster)."""
    main, runs = tmp_path / "main.py", tmp_path / "runs.txt"
    main.write_text(MAIN, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(main), str(runs)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[1, 2, 3, 4]"
    names = [line.split()[0] for line in runs.read_text(encoding="utf-8").splitlines()]
    assert names == ["__main__", "__mp_main__"]  # the program, then the fork server once
