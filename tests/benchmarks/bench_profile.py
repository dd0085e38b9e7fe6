"""Where a cold build's time goes: py-spy samples of its whole process tree.

``py-spy record --subprocesses --format raw`` samples the build and every
process it starts (the speech workers of the fork server included) 100 times a
second while they run Python (idle threads are left out). The folded stacks are
kept as they are (``profile-cold.folded``: open them with speedscope.app or
``flamegraph.pl``), and ``profile-cold.txt`` sums them up: samples per process,
then the functions with the most samples of their own and in all.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench_util import BENCH_BIN, CAREPACK, ROOT, copy_project, run

from pipeline.fsutil import atomic_write_text

TOP = 30
"""Functions listed in each table."""
_LINE = re.compile(r" \((.*):\d+\)$")
_PROCESS = re.compile(r'^process \d+:"(.*)"$', re.DOTALL)


def _frames(stack: str) -> tuple[str, int, list[str]]:
    """The command of the innermost process of a folded stack, how deep it is (1: the
    build's own process), and its Python frames.

    Process frames (``process PID:"command line"``) may hold ``;`` in their command
    line, and nest (the build, its fork server, a worker)."""
    process, depth, frames, pending = "", 0, [], ""
    for piece in stack.split(";"):
        if pending or piece.startswith("process "):
            pending = f"{pending};{piece}" if pending else piece
            found = _PROCESS.match(pending)
            if found:
                process, pending = found.group(1), ""
                depth += 1
            continue
        frames.append(piece)
    return process, depth, frames


def _function(frame: str) -> str:
    """``name (file:line)`` without the line, so that a function's lines add up."""
    return _LINE.sub(r" (\1)", frame)


def summarize(folded: str, seconds: float) -> str:
    """The text summary of py-spy's folded stacks (see the module docstring)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    total = 0
    for line in folded.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        process, depth, frames = _frames(stack)
        total += count
        processes[_process_kind(process, depth)] += count
        if not frames:
            continue
        own[_function(frames[-1])] += count
        for name in {_function(frame) for frame in frames}:
            inclusive[name] += count
    lines = [
        f"Cold build profile: {total} samples at 100 Hz over {seconds:.1f} s of wall time,",
        "all processes of the build together (py-spy --subprocesses; Python only, idle",
        "threads left out). The folded stacks: profile-cold.folded.",
        "",
        "samples  process",
        *(f"{n:7d}  {name}" for name, n in processes.most_common()),
        "",
        f"samples      %  own time (the function itself), top {TOP}",
        *(f"{n:7d} {100 * n / max(total, 1):6.1f}  {name}" for name, n in own.most_common(TOP)),
        "",
        f"samples      %  in all (with what it calls), top {TOP}",
        *(
            f"{n:7d} {100 * n / max(total, 1):6.1f}  {name}"
            for name, n in inclusive.most_common(TOP)
        ),
    ]
    return "\n".join(lines) + "\n"


def _process_kind(command: str, depth: int) -> str:
    """A short name for a process of the build: the command, or what the fork server runs.
    The outermost process is the build's own, whatever py-spy could read of its command
    line (it reads it when it writes the stacks: a process that has ended has none)."""
    if depth <= 1:
        return "carepack build (main process)"
    if "resource_tracker" in command:
        return "multiprocessing's resource tracker"
    if "forkserver" in command or "multiprocessing" in command:
        return "speech worker or handout renderer (multiprocessing fork server)"
    if "carepack" in command:  # the build's own command line: a child forked from it
        return "handout renderer (forked from the build)"
    return command[:70]


def profile_cold(work: Path, out_dir: Path) -> dict[str, str]:
    """Profile one cold build of a fresh copy of the project; return the files written."""
    root = copy_project(work / "profile", ROOT)
    folded = out_dir / "profile-cold.folded"
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [BENCH_BIN / "py-spy", "record", "--subprocesses", "--format", "raw"]
    result = run([*command, "-o", folded, "--", CAREPACK, "--root", root, "build"], cwd=root)
    text = summarize(folded.read_text(encoding="utf-8"), result.seconds)
    summary = out_dir / "profile-cold.txt"
    atomic_write_text(summary, text)
    return {"summary": str(summary.relative_to(ROOT)), "folded": str(folded.relative_to(ROOT))}
