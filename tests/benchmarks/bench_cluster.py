"""Cluster: N distinct documents built cold on a Dask ``LocalCluster`` against the local build.

The same scaled copy of the project (:func:`bench_scale.scaled_copy`) is built twice, each
cold (fresh copy, no output, no cache): once by ``carepack build`` on this machine, once by
``carepack build --scheduler`` on a ``LocalCluster`` of two single-threaded worker
processes started beforehand, in a Python process of its own (a user's cluster is
already running, apart from the build: its start-up is not timed). Both must speak every
track; every file under ``output/`` should be the same
bytes, and any that is not is listed with the figure. The ratio cluster/local says what the engine costs on the
same two cores: shipping each job to a worker and its result back, the workers' own
imports, and the client's share (planning, checking, the index), which does not spread.

Besides wall time, the machine's busy CPU time over each build (``/proc/stat``, all
processes: the cluster's workers are not the build's children) is recorded.

Until 2026-11-30 (seventh session) the ``LocalCluster`` ran inside the bench's own
process, which had loaded the project and every earlier figure's work: its scheduler and
nannies shared that process, and the cluster build took 1.39 to 1.44 times the local one
(159 CPU seconds against 112 at 4 documents) where a cluster in a process of its own
takes 1.05 (115 against 110), as issue 20 measured it from a small script.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench_floor import floor_tracks
from bench_scale import scaled_copy
from bench_util import BenchError, Run, carepack, median, tracks_spoken

from pipeline.config import load_config

WORKERS = 2
"""Worker processes of the LocalCluster, one thread each."""


@dataclass(frozen=True)
class ClusterFigures:
    """The cold build of ``documents`` distinct documents, local and on the cluster."""

    documents: int
    """How many documents."""
    doc_locales: int
    """Jobs: documents times languages (the source language included)."""
    tracks: int
    """Audio tracks each build spoke (all of them)."""
    local_seconds: float
    """Wall time of the local build (median)."""
    cluster_seconds: float
    """Wall time of the build on the cluster (median)."""
    local_cpu_seconds: float
    """Busy CPU time of the whole machine during the local build (median)."""
    cluster_cpu_seconds: float
    """Busy CPU time of the whole machine during the cluster build (median)."""
    files: int
    """Files under ``output/``."""
    differing: list[str]
    """Files whose bytes differ between the two builds (none, when all is well; the
    table says so loudly otherwise)."""
    samples: dict[str, list[float]]
    """Every measurement."""

    @property
    def ratio(self) -> float:
        return self.cluster_seconds / self.local_seconds

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def _busy_seconds() -> float:
    """CPU time the whole machine has spent busy since boot (``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / 100.0  # USER_HZ is 100 on Linux


def _timed(root: Path, *args: str) -> tuple[Run, float]:
    before = _busy_seconds()
    run = carepack(root, "build", *args, sample_memory=False)  # times only
    return run, _busy_seconds() - before


def _hashes(root: Path) -> dict[str, str]:
    out = root / "output"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


_HOST = """
import sys
from distributed import LocalCluster

with LocalCluster(
    n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True, dashboard_address=":0"
) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the bench closes it
"""
"""The cluster's own process: starts the ``LocalCluster``, says its address, and keeps it
until its standard input is closed."""


@contextmanager
def cluster_process(workers: int = WORKERS, timeout: float = 120) -> Iterator[str]:
    """A ``LocalCluster`` of ``workers`` single-threaded workers in a process of its own;
    yields the scheduler's address (:class:`BenchError` if it does not start)."""
    with tempfile.TemporaryFile() as log:
        host = subprocess.Popen(
            [sys.executable, "-c", _HOST, str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert host.stdin is not None and host.stdout is not None
        try:
            address = host.stdout.readline().strip()
            if not address.startswith("tcp://"):
                host.wait(timeout)
                log.seek(0)
                raise BenchError(f"the LocalCluster did not start:\n{log.read().decode()[-3000:]}")
            yield address
        finally:
            host.stdin.close()
            try:
                host.wait(timeout)
            except subprocess.TimeoutExpired:
                host.kill()
                host.wait()


def measure_cluster(work: Path, documents: int, repeats: int) -> ClusterFigures:
    """Cold builds of ``documents`` distinct documents, local and on a LocalCluster."""
    template = scaled_copy(work / f"cluster-{documents}", documents)
    tracks = len(floor_tracks(template))
    samples: dict[str, list[float]] = {
        "local": [],
        "cluster": [],
        "local_cpu": [],
        "cluster_cpu": [],
    }
    files = 0
    differing: list[str] = []
    with cluster_process(WORKERS) as address:
        for attempt in range(repeats):
            built: dict[str, dict[str, str]] = {}
            for name, args in (
                ("local", ()),
                ("cluster", ("--scheduler", address)),
            ):
                root = work / f"cluster-{documents}-{name}-{attempt}"
                shutil.copytree(template, root)
                run, cpu = _timed(root, *args)
                spoken = tracks_spoken(run)
                if spoken != tracks:
                    raise BenchError(f"the {name} build spoke {spoken} of {tracks} tracks")
                samples[name].append(run.seconds)
                samples[f"{name}_cpu"].append(cpu)
                built[name] = _hashes(root)
                shutil.rmtree(root)
            differing += sorted(
                k
                for k in built["local"].keys() | built["cluster"].keys()
                if built["local"].get(k) != built["cluster"].get(k)
            )
            files = len(built["local"])
    languages = len(load_config(template).all_languages())
    shutil.rmtree(template)
    return ClusterFigures(
        documents=documents,
        doc_locales=documents * languages,
        tracks=tracks,
        local_seconds=median(samples["local"]),
        cluster_seconds=median(samples["cluster"]),
        local_cpu_seconds=median(samples["local_cpu"]),
        cluster_cpu_seconds=median(samples["cluster_cpu"]),
        files=files,
        differing=differing,
        samples=samples,
    )
