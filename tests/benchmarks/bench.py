"""``make bench``: how close the build is to the speed of speech synthesis, and how it scales.

Run as ``.venv/bin/python tests/benchmarks/bench.py [--quick]``. Everything is
built in temporary copies of the project (``source/``, ``locales/``,
``carepack.toml``; fresh output and cache); the real project is only read,
except for ``output/bench/results.json``, written atomically at the end.

Figures (medians of several runs where it matters; see ``--help``):

1. floor: the spoken scripts through ``espeak-ng | lame``, one track after another;
2. cold build, 3. no-change rebuild, 4. one-entry rebuild;
5. peers: ``carepack update`` against po4a and mdpo doing the same update;
6. scale: 1, 4 and 16 distinct documents, with and without audio, and the
   peak memory of the build's whole process tree;
7. a profile of one more cold build (``profile-cold.txt`` next to the results);
8. the handout of every language: render time, size and pages;
9. cluster: 16 distinct documents built cold on a Dask LocalCluster of two
   single-threaded workers against the local build (``--quick``: 4 documents).

Each run is appended to ``output/bench/history.jsonl`` and compared with the
last one. The machine's load average is recorded with each figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_history
from bench_builds import BuildFigures, measure_builds
from bench_cluster import ClusterFigures, measure_cluster
from bench_floor import audio_seconds, floor_tracks, time_floor
from bench_handout import measure_handouts
from bench_peers import PeerFigures, measure_peers
from bench_profile import profile_cold
from bench_scale import ScalePoint, measure_scale
from bench_util import BENCH_BIN, ROOT, copy_project, median, pairwise, ratio

from pipeline.fsutil import atomic_write_text

SIZES = (1, 4, 16)
"""Numbers of documents in the scale runs."""
TARGETS = {
    "cold_over_floor": 0.6,
    "noop_over_cold": 0.03,
    "one_entry_over_cold": 0.08,
    "ours_over_po4a": 1.0,
    "ours_over_mdpo": 1.0,
    "per_doc_locale_growth_1_to_16": 1.0,
    "per_doc_locale_growth_1_to_16_no_audio": 1.0,
    "peak_memory_growth_1_to_16": 1.2,
    "cluster_over_local": 1.1,
}
"""Issue 16's targets (and issue 20's ``cluster_over_local``): each ratio at most this
(``ours_over_*``: the peers' template and merge alone, the same work as ``carepack
update``)."""
CLUSTER_DOCUMENTS = 16
"""Distinct documents of the cluster figure (``--quick``: :data:`CLUSTER_DOCUMENTS_QUICK`)."""
CLUSTER_DOCUMENTS_QUICK = 4
COLD_OVER_FLOOR_EVERY_OUTPUT = 0.7
"""The cold build's target once it also makes the talking book or the handout."""
TOOLS = {
    "espeak-ng": "Debian package espeak-ng",
    "lame": "Debian package lame",
    "po4a": "Debian package po4a",
    "msgmerge": "Debian package gettext",
}


LOAD_AT_START = os.getloadavg()[0]
"""Other work on the machine skews every figure: the load average is recorded with them."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_tools() -> None:
    missing = [f"{tool} ({where})" for tool, where in TOOLS.items() if not shutil.which(tool)]
    missing += [
        f"{tool} (make bench installs it into {BENCH_BIN.parent})"
        for tool in ("md2po", "po2md", "py-spy")
        if not (BENCH_BIN / tool).exists()
    ]
    if missing:
        sys.exit("bench: missing tools: " + ", ".join(missing))


def version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[0]


def revision() -> dict[str, Any]:
    """The commit measured, and whether the work tree had changes (read-only git calls)."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "pipeline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return {"commit": head.stdout.strip() or None, "pipeline_changed": bool(status.stdout.strip())}


def measure_floor(work: Path, repeats: int) -> dict[str, Any]:
    root = copy_project(work / "floor", ROOT)
    tracks = floor_tracks(root)
    samples = []
    for attempt in range(repeats):
        samples.append(time_floor(tracks, work / f"floor-mp3-{attempt}"))
        shutil.rmtree(work / f"floor-mp3-{attempt}")
        log(f"floor run {attempt + 1}/{repeats}: {samples[-1]:.1f} s")
    synthesis = time_floor(tracks, work / "floor-wav", encode=False)
    spoken = audio_seconds(work / "floor-wav")
    shutil.rmtree(work / "floor-wav")
    return {
        "seconds": median(samples),
        "synthesis_only_seconds": synthesis,
        "tracks": len(tracks),
        "audio_seconds": spoken,
        "samples": samples,
    }


LOADS: dict[str, float] = {}
"""The 1-minute load average when each figure's measurement started."""


def phase(name: str, message: str) -> None:
    """Log the start of a measurement and record the load average it starts under.

    The files the phase before wrote are written out first: a cold build leaves some
    140 MB the kernel would otherwise write back during the next phase's timing, up to
    30 s later (``vm.dirty_expire_centisecs``)."""
    os.sync()
    LOADS[name] = os.getloadavg()[0]
    log(f"{message} (load average {LOADS[name]:.1f})")


def scale_series(
    work: Path, repeats: int, audio: bool, sizes: tuple[int, ...]
) -> dict[int, ScalePoint]:
    series = {}
    for size in sizes:
        phase(f"scale_{size}{'' if audio else '_no_audio'}", f"scale {size}")
        series[size] = measure_scale(work, size, repeats, audio)
        point = series[size]
        log(
            f"scale {size} ({'audio' if audio else 'no audio'}): {point.seconds:.1f} s, "
            f"{point.per_doc_locale:.3f} s per document-locale, {point.peak_rss_mb:.0f} MiB"
        )
    return series


def results(
    floor: dict[str, Any],
    builds: BuildFigures,
    peers: PeerFigures,
    scale: dict[int, ScalePoint],
    text_scale: dict[int, ScalePoint],
    repeats: dict[str, int],
    cluster: ClusterFigures,
) -> dict[str, Any]:
    first, last = SIZES[0], SIZES[-1]
    scaled = first in scale and last in scale  # not with --sizes leaving either out

    def growth(series: dict[int, ScalePoint], figure: str) -> float | None:
        if not scaled:
            return None
        return ratio(getattr(series[last], figure), getattr(series[first], figure))

    return {
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "espeak-ng": version(["espeak-ng", "--version"]),
            "lame": version(["lame", "--version"]),
            "po4a": version(["po4a", "--version"]),
        },
        "revision": revision(),
        "repeats": repeats,
        "load_average_1min": {"start": LOAD_AT_START, "end": os.getloadavg()[0]},
        "load_average_by_figure": dict(LOADS),
        "seconds": {
            "floor": floor["seconds"],
            "floor_synthesis_only": floor["synthesis_only_seconds"],
            "cold": builds.cold,
            "noop": builds.noop,
            "one_entry": builds.one_entry,
            "update_ours": peers.ours,
            "update_ours_no_change": peers.ours_noop,
            "update_po4a": peers.po4a,
            "update_mdpo": peers.mdpo,
            "po4a_with_translation": peers.po4a_translate,
            "mdpo_with_translation": peers.mdpo_translate,
            **{f"scale_{n}": p.seconds for n, p in scale.items()},
            **{f"scale_{n}_no_audio": p.seconds for n, p in text_scale.items()},
            "cluster_local": cluster.local_seconds,
            "cluster": cluster.cluster_seconds,
        },
        "samples": {
            "floor": floor["samples"],
            **builds.samples,
            **{f"update_{k}": v for k, v in peers.samples.items()},
        },
        "floor": {k: v for k, v in floor.items() if k != "samples"},
        "builds": {
            "tracks_spoken": builds.spoken,
            "edited_entry": builds.edited,
            "cold_peak_rss_mb": builds.cold_rss_mb,
            "cold_peak_tree_rss_mb": builds.cold_tree_rss_mb,
            "cold_peak_tree_pss_mb": builds.cold_tree_pss_mb,
            "outputs": list(builds.outputs),
            "audio_seconds": builds.audio_seconds,
        },
        "floor_audio_over_build": ratio(floor["audio_seconds"], builds.audio_seconds),
        "books": builds.books,
        "scale": {str(n): p.as_json() for n, p in scale.items()},
        "scale_no_audio": {str(n): p.as_json() for n, p in text_scale.items()},
        "peak_rss_mb": {str(n): p.peak_rss_mb for n, p in scale.items()},
        "peak_rss_mb_no_audio": {str(n): p.peak_rss_mb for n, p in text_scale.items()},
        "peak_tree_rss_mb": {str(n): p.peak_tree_rss_mb for n, p in scale.items()},
        "peak_tree_pss_mb": {str(n): p.peak_tree_pss_mb for n, p in scale.items()},
        "cold_over_floor": ratio(builds.cold, floor["seconds"]),
        "ours_over_po4a": ratio(peers.ours, peers.po4a),
        "ours_over_mdpo": ratio(peers.ours, peers.mdpo),
        "ours_over_po4a_with_translation": ratio(peers.ours, peers.po4a_translate),
        "ours_over_mdpo_with_translation": ratio(peers.ours, peers.mdpo_translate),
        "ours_over_po4a_pairwise": pairwise(peers.samples["ours"], peers.samples["po4a"]),
        "ours_over_mdpo_pairwise": pairwise(peers.samples["ours"], peers.samples["mdpo"]),
        "noop_over_cold": ratio(builds.noop, builds.cold),
        "one_entry_over_cold": ratio(builds.one_entry, builds.cold),
        "per_doc_locale_growth_1_to_16": growth(scale, "per_doc_locale"),
        "per_doc_locale_growth_1_to_16_no_audio": growth(text_scale, "per_doc_locale"),
        "peak_memory_growth_1_to_16": growth(scale, "peak_tree_pss_mb"),
        "cluster": cluster.as_json(),
        "cluster_over_local": cluster.ratio,
        "targets": {
            **TARGETS,
            "cold_over_floor": COLD_OVER_FLOOR_EVERY_OUTPUT
            if {"book", "handout"} & set(builds.outputs)
            else TARGETS["cold_over_floor"],
        },
    }


def report(data: dict[str, Any]) -> str:
    s = data["seconds"]
    floor = data["floor"]
    load = data["load_average_by_figure"]
    lines = [
        "carepack benchmark (seconds are medians; see output/bench/results.json)",
        f"  {'figure':<42} {'seconds':>8}   load",
        f"  floor, espeak-ng | lame, {floor['tracks']} tracks in turn  {s['floor']:8.2f}   "
        f"{load['floor']:4.1f}  (synthesis alone {s['floor_synthesis_only']:.2f} s; "
        f"{floor['audio_seconds'] / 60:.1f} min of audio, the build's "
        f"{data['builds']['audio_seconds'] / 60:.1f})",
        f"  {'cold build':<42} {s['cold']:8.2f}   {load['builds']:4.1f}"
        f"  ({', '.join(data['builds']['outputs'])})",
        f"  {'no-change rebuild':<42} {s['noop']:8.2f}",
        f"  {'one-entry rebuild':<42} {s['one_entry']:8.2f}"
        f"         ({data['builds']['edited_entry']}; "
        f"{data['builds']['tracks_spoken']['one_entry']} track(s) spoken)",
        f"  {'carepack update':<42} {s['update_ours']:8.2f}   {load['peers']:4.1f}",
        f"  {'carepack update, nothing changed since':<42} {s['update_ours_no_change']:8.2f}",
        f"  {'po4a (template and merge)':<42} {s['update_po4a']:8.2f}"
        f"         (with the translated texts {s['po4a_with_translation']:.2f} s)",
        f"  {'mdpo (md2po and msgmerge)':<42} {s['update_mdpo']:8.2f}"
        f"         (with po2md {s['mdpo_with_translation']:.2f} s)",
        "  scale      docs doc-locales tracks  seconds  per doc-locale  peak PSS of tree (RSS)  load",
    ]
    for key, label, suffix in (("scale", "audio", ""), ("scale_no_audio", "no audio", "_no_audio")):
        for point in data[key].values():
            point_load = load[f"scale_{point['documents']}{suffix}"]
            lines.append(
                f"  {label:<9} {point['documents']:5d} {point['doc_locales']:11d} "
                f"{point['tracks']:6d} {point['seconds']:8.2f} {point['per_doc_locale']:11.3f} s "
                f"{point['peak_tree_pss_mb']:9.0f} MiB ({point['peak_tree_rss_mb']:.0f})"
                f"   {point_load:4.1f}"
            )
    c = data["cluster"]
    lines.append(
        f"  {'cluster: ' + str(c['documents']) + ' documents, local build':<42} "
        f"{c['local_seconds']:8.2f}   {load['cluster']:4.1f}  ({c['doc_locales']} jobs, "
        f"{c['tracks']} tracks, CPU {c['local_cpu_seconds']:.0f} s)"
    )
    lines.append(
        f"  {'  the same on a LocalCluster, 2 workers':<42} {c['cluster_seconds']:8.2f}"
        f"         (CPU {c['cluster_cpu_seconds']:.0f} s; {c['files']} files, "
        f"{'DIFFERENT BYTES: ' + ', '.join(c['differing'][:3]) if c['differing'] else 'the same bytes'}"
        f"{'; --quick: fewer documents' if data['quick'] else ''})"
    )
    for name, book in data["books"].items():
        lines.append(
            f"  talking book {name:<29} {book['seconds']:8.2f}"
            f"         ({book['bytes'] / 1e6:.1f} MB, {book['overlay_seconds'] / 60:.1f} min)"
        )
    lines.append(f"  {'ratio':<40} {'value':>6}   target")
    for key, target in data["targets"].items():
        value = data[key]
        if value is None:
            lines.append(f"  {key:<40} {'-':>6}   <= {target:<5} not measured (--sizes)")
            continue
        verdict = "ok" if value <= target else "MISSED"
        lines.append(f"  {key:<40} {value:6.3f}   <= {target:<5} {verdict}")
    for key in ("ours_over_po4a_with_translation", "ours_over_mdpo_with_translation"):
        lines.append(f"  {key:<40} {data[key]:6.3f}   (the peers also write translated texts)")
    for key in ("ours_over_po4a_pairwise", "ours_over_mdpo_pairwise"):
        lines.append(f"  {key:<40} {data[key]:6.3f}   (median of each round's own ratio)")
    lines.append(f"  profile of a cold build: {data['profile']['summary']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one run of each slow figure")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="numbers of documents in the scale runs (default: 1,4,16)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "output" / "bench" / "results.json",
        help="where to write the figures (default: output/bench/results.json); "
        "history.jsonl and the profile go next to it",
    )
    args = parser.parse_args(argv)
    sizes = tuple(sorted({int(n) for n in args.sizes.split(",")}))
    check_tools()
    if LOAD_AT_START > 0.5:
        log(
            f"warning: the machine is busy (load average {LOAD_AT_START:.1f}); figures will be skewed"
        )
    slow = 1 if args.quick else 3
    repeats = {"floor": slow, "builds": slow, "peers": 3 if args.quick else 21, "scale": 1}
    repeats["scale_no_audio"] = slow
    repeats["cluster"] = 1
    started = time.perf_counter()
    out_dir = args.output.parent
    with tempfile.TemporaryDirectory(prefix="carepack-bench-") as temp:
        work = Path(temp)
        phase("floor", "floor: espeak-ng | lame")
        floor = measure_floor(work, repeats["floor"])
        phase("builds", "cold, no-change and one-entry builds")
        builds = measure_builds(work, repeats["builds"], floor["tracks"])
        log(f"builds: cold {builds.cold:.1f} s, no-change {builds.noop:.2f} s, one-entry "
            f"{builds.one_entry:.2f} s")  # fmt: skip
        phase("handouts", "handouts: render time, size and pages per language")
        handouts = measure_handouts(work, slow)
        phase("peers", "peers: carepack update, po4a, mdpo")
        peers = measure_peers(work, repeats["peers"])
        log("scale with audio")
        scale = scale_series(work, repeats["scale"], True, sizes)
        log("scale without audio")
        text_scale = scale_series(work, repeats["scale_no_audio"], False, sizes)
        documents = CLUSTER_DOCUMENTS_QUICK if args.quick else CLUSTER_DOCUMENTS
        phase("cluster", f"cluster: {documents} documents, local and on a LocalCluster")
        cluster = measure_cluster(work, documents, repeats["cluster"])
        log(
            f"cluster: local {cluster.local_seconds:.1f} s, cluster {cluster.cluster_seconds:.1f} s"
        )
        phase("profile", "profile of a cold build (py-spy)")
        profile = profile_cold(work, out_dir)
    data = results(floor, builds, peers, scale, text_scale, repeats, cluster)
    data["quick"] = args.quick
    data["handouts"] = handouts
    data["profile"] = profile
    data["bench_seconds"] = time.perf_counter() - started
    history = out_dir / "history.jsonl"
    record = bench_history.entry(data)
    print(report(data))
    print(bench_history.compare(record, bench_history.last_entry(history)))
    atomic_write_text(args.output, json.dumps(data, indent=2, sort_keys=True) + "\n")
    bench_history.append(history, record)
    print(f"Wrote {args.output} and {history} ({data['bench_seconds']:.0f} s in all).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
