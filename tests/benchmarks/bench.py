"""``make bench``: how close the build is to the speed of speech synthesis, and how it scales.

Run as ``.venv/bin/python tests/benchmarks/bench.py [--quick]``. Everything is
built in temporary copies of the project (``source/``, ``locales/``,
``carepack.toml``; fresh output and cache); the real project is only read,
except for ``output/bench/results.json``, written atomically at the end.

Figures (medians of several runs where it matters; see ``--help``):

1. floor: the spoken scripts through ``espeak-ng | lame``, one track after another;
2. cold build, 3. no-change rebuild, 4. one-entry rebuild;
5. peers: ``carepack update`` against po4a and mdpo doing the same update;
6. scale: 1, 4 and 16 copies of the document, with and without audio.
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

from bench_builds import BuildFigures, measure_builds
from bench_floor import audio_seconds, floor_tracks, time_floor
from bench_peers import PeerFigures, measure_peers
from bench_scale import ScalePoint, measure_scale
from bench_util import PYTHON_BIN, ROOT, copy_project, median, ratio

from pipeline.fsutil import atomic_write_text

SIZES = (1, 4, 16)
"""Numbers of documents in the scale runs."""
TARGETS = {
    "cold_over_floor": 0.7,
    "ours_over_po4a": 1.0,
    "ours_over_mdpo": 1.0,
    "noop_over_cold": 0.05,
    "one_entry_over_cold": 0.10,
    "per_doc_locale_growth_1_to_16": 1.2,
    "per_doc_locale_growth_1_to_16_no_audio": 1.2,
}
"""Issue 8's targets: each ratio at most this."""
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
        f"{tool} (pip install mdpo into .venv)"
        for tool in ("md2po", "po2md")
        if not (PYTHON_BIN / tool).exists()
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


def scale_series(work: Path, repeats: int, audio: bool) -> dict[int, ScalePoint]:
    series = {}
    for size in SIZES:
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
) -> dict[str, Any]:
    first, last = SIZES[0], SIZES[-1]
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
        "seconds": {
            "floor": floor["seconds"],
            "floor_synthesis_only": floor["synthesis_only_seconds"],
            "cold": builds.cold,
            "noop": builds.noop,
            "one_entry": builds.one_entry,
            "update_ours": peers.ours,
            "update_po4a": peers.po4a,
            "update_mdpo": peers.mdpo,
            "po4a_with_translation": peers.po4a_translate,
            "mdpo_with_translation": peers.mdpo_translate,
            **{f"scale_{n}": p.seconds for n, p in scale.items()},
            **{f"scale_{n}_no_audio": p.seconds for n, p in text_scale.items()},
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
        },
        "scale": {str(n): p.as_json() for n, p in scale.items()},
        "scale_no_audio": {str(n): p.as_json() for n, p in text_scale.items()},
        "peak_rss_mb": {str(n): p.peak_rss_mb for n, p in scale.items()},
        "peak_rss_mb_no_audio": {str(n): p.peak_rss_mb for n, p in text_scale.items()},
        "peak_tree_rss_mb": {str(n): p.peak_tree_rss_mb for n, p in scale.items()},
        "cold_over_floor": ratio(builds.cold, floor["seconds"]),
        "ours_over_po4a": ratio(peers.ours, peers.po4a_translate),
        "ours_over_mdpo": ratio(peers.ours, peers.mdpo_translate),
        "ours_over_po4a_update_only": ratio(peers.ours, peers.po4a),
        "ours_over_mdpo_update_only": ratio(peers.ours, peers.mdpo),
        "noop_over_cold": ratio(builds.noop, builds.cold),
        "one_entry_over_cold": ratio(builds.one_entry, builds.cold),
        "per_doc_locale_growth_1_to_16": ratio(
            scale[last].per_doc_locale, scale[first].per_doc_locale
        ),
        "per_doc_locale_growth_1_to_16_no_audio": ratio(
            text_scale[last].per_doc_locale, text_scale[first].per_doc_locale
        ),
        "targets": TARGETS,
    }


def report(data: dict[str, Any]) -> str:
    s = data["seconds"]
    floor = data["floor"]
    lines = [
        "carepack benchmark (seconds are medians; see output/bench/results.json)",
        f"  floor, espeak-ng | lame, {floor['tracks']} tracks in turn  {s['floor']:8.2f} s"
        f"  (synthesis alone {s['floor_synthesis_only']:.2f} s; "
        f"{floor['audio_seconds'] / 60:.1f} min of audio)",
        f"  cold build                               {s['cold']:8.2f} s",
        f"  no-change rebuild                        {s['noop']:8.2f} s",
        f"  one-entry rebuild                        {s['one_entry']:8.2f} s"
        f"  ({data['builds']['edited_entry']}; "
        f"{data['builds']['tracks_spoken']['one_entry']} track(s) spoken)",
        f"  peers: carepack update {s['update_ours']:.2f} s; po4a {s['po4a_with_translation']:.2f} s"
        f" (update alone {s['update_po4a']:.2f} s); mdpo {s['mdpo_with_translation']:.2f} s"
        f" (md2po and msgmerge alone {s['update_mdpo']:.2f} s)",
        "  scale        docs  doc-locales   seconds   per doc-locale   peak RSS (tree)",
    ]
    for key, label in (("scale", "audio"), ("scale_no_audio", "no audio")):
        for point in data[key].values():
            lines.append(
                f"  {label:<10} {point['documents']:6d} {point['doc_locales']:12d} "
                f"{point['seconds']:9.2f} {point['per_doc_locale']:12.3f} s "
                f"{point['peak_rss_mb']:9.0f} MiB ({point['peak_tree_rss_mb']:.0f} MiB)"
            )
    lines.append("  ratio                                     value   target")
    for key, target in data["targets"].items():
        value = data[key]
        verdict = "ok" if value <= target else "MISSED"
        lines.append(f"  {key:<40} {value:6.3f}   <= {target:<5} {verdict}")
    for key in ("ours_over_po4a_update_only", "ours_over_mdpo_update_only"):
        lines.append(f"  {key:<40} {data[key]:6.3f}   (stricter: the peers' update alone)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="one run of each slow figure")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "output" / "bench" / "results.json",
        help="where to write the figures (default: output/bench/results.json)",
    )
    args = parser.parse_args(argv)
    check_tools()
    if LOAD_AT_START > 0.5:
        log(
            f"warning: the machine is busy (load average {LOAD_AT_START:.1f}); figures will be skewed"
        )
    slow = 1 if args.quick else 3
    repeats = {"floor": slow, "builds": slow, "peers": 3 if args.quick else 5, "scale": 1}
    repeats["scale_no_audio"] = slow
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="carepack-bench-") as temp:
        work = Path(temp)
        log("floor: espeak-ng | lame")
        floor = measure_floor(work, repeats["floor"])
        log("cold, no-change and one-entry builds")
        builds = measure_builds(work, repeats["builds"])
        log(f"builds: cold {builds.cold:.1f} s, no-change {builds.noop:.2f} s, one-entry "
            f"{builds.one_entry:.2f} s")  # fmt: skip
        log("peers: carepack update, po4a, mdpo")
        peers = measure_peers(work, repeats["peers"])
        log("scale with audio")
        scale = scale_series(work, repeats["scale"], audio=True)
        log("scale without audio")
        text_scale = scale_series(work, repeats["scale_no_audio"], audio=False)
    data = results(floor, builds, peers, scale, text_scale, repeats)
    data["bench_seconds"] = time.perf_counter() - started
    print(report(data))
    atomic_write_text(args.output, json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"Wrote {args.output} ({data['bench_seconds']:.0f} s in all).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
