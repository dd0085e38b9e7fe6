"""Shared pieces of the benchmark: project copies, timed subprocesses, medians.

A command is timed from spawn to exit (wall clock). Its peak memory is taken two
ways: ``ru_maxrss`` from ``os.wait4`` on that one process (the largest single
process among it and the descendants it reaped), and the whole process tree
sampled from ``/proc`` every 50 ms (the speech workers are children of
multiprocessing's forkserver, which the build does not reap, so only the sample
sees them): the largest sum of resident sizes, which counts the pages forked
workers share once per process, and the largest sum of PSS, which counts them
once (the figure the memory target uses).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The real project (the repository's root)."""
PYTHON_BIN = ROOT / ".venv" / "bin"
"""The project's virtual environment's scripts (``carepack``)."""
BENCH_BIN = ROOT / ".cache" / "bench-tools" / "bin"
"""The bench's own virtual environment (``make bench`` makes it): the peer mdpo
(``md2po``, ``po2md``) and py-spy, pinned in ``tests/benchmarks/requirements.txt``,
apart from the project's packages (translate-toolkit has an ``md2po`` of its own)."""
CAREPACK = PYTHON_BIN / "carepack"
"""The command under test."""
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_EVERY = 0.05
"""Seconds between two samples of the process tree's memory."""


class BenchError(RuntimeError):
    """A command the benchmark runs failed; the message has its output."""


@dataclass(frozen=True)
class Run:
    """One timed command."""

    seconds: float
    """Wall time from spawn to exit."""
    maxrss_mb: float
    """``ru_maxrss`` of the process (and the descendants it reaped), MiB."""
    tree_mb: float
    """Largest sampled total resident size of the process and all its descendants, MiB
    (pages the forked workers share with the build are counted once per process)."""
    tree_pss_mb: float
    """Largest sampled total PSS of the process tree, MiB: each shared page counted once,
    split between the processes sharing it (the memory the tree really takes)."""
    stdout: str
    """What it printed."""


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    """``source/``, ``locales/`` and ``carepack.toml`` of ``source`` into ``dest`` (no outputs)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "carepack.toml", dest / "carepack.toml")
    shutil.copytree(source / "source", dest / "source")
    shutil.copytree(source / "locales", dest / "locales")
    return dest


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process, KiB: its private pages plus its share of
    the pages it shares (forked workers share most of the build's memory)."""
    with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
        for line in handle:
            if line.startswith(b"Pss:"):
                return int(line.split()[1])
    return 0


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """Resident size and PSS of ``pid`` and all its descendants, KiB (0 once gone)."""
    tree = _children()
    rss, pss, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        stack += tree.get(current, [])
        try:
            with open(f"/proc/{current}/statm", "rb") as handle:
                rss += int(handle.read().split()[1]) * PAGE_KB
            pss += _pss_kb(current)
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss


def run(
    command: Sequence[str | Path],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_memory: bool = True,
) -> Run:
    """Run ``command`` to the end, timed; :class:`BenchError` if it fails.

    ``sample_memory``: read the process tree's memory every :data:`SAMPLE_EVERY` s
    meanwhile (``tree_mb``, ``tree_pss_mb``; else 0). The sampling takes CPU from what it
    measures (reading ``smaps_rollup`` walks each process's page tables): a cold build
    took 4 to 9% longer sampled on 2 cores, so the timed builds run without it."""
    args = [str(part) for part in command]
    peak = [0, 0]
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss, pss = tree_memory_kb(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                done.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        if sample_memory:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise BenchError(f"{' '.join(args)} exited with {process.returncode}:\n{text[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0] / 1024, peak[1] / 1024, text)


def carepack(root: Path, *args: str, sample_memory: bool = True) -> Run:
    """``carepack --root ROOT ARGS``, timed (see :func:`run` for ``sample_memory``)."""
    return run([CAREPACK, "--root", str(root), *args], cwd=root, sample_memory=sample_memory)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("inf")


def pairwise(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """The median of the ratios of runs taken side by side (each round's own ratio: a
    moment when the machine was slower weighs on both sides of it alike)."""
    return median([ratio(a, b) for a, b in zip(numerators, denominators, strict=True)])


_SPOKEN = re.compile(r"(\d+) audio track\(s\) spoken")


def tracks_spoken(result: Run) -> int:
    """How many tracks a build says it spoke (from its summary)."""
    found = _SPOKEN.search(result.stdout)
    if not found:
        raise BenchError(f"no 'audio track(s) spoken' in the build's summary:\n{result.stdout}")
    return int(found.group(1))
