"""The benchmark's own tools (``make bench``): distinct scale copies, the profile summary,
the history. The benchmark itself is not a test; these parts decide whether its figures
are honest, so they are tested here."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polib
import pytest

from pipeline.checks.scan import scan_numbers

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))

import bench_history
import bench_util
from bench_profile import summarize
from bench_scale import scaled_copy, weave

DOC = "myeloma-second-line"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rest well. Drink water!", "Rest well 3. Drink water 3!"),
        ("多喝水。注意休息！", "多喝水 3。注意休息 3！"),
        ("هل تشعر بالألم؟ اتصل بالطبيب.", "هل تشعر بالألم 3؟ اتصل بالطبيب 3."),
        ("General Approach", "General Approach 3"),
        (
            "See [the guide](https://example.org/a.html).",
            "See [the guide](https://example.org/a.html) 3.",
        ),
    ],
)
def test_weave_puts_the_number_in_every_sentence(text: str, expected: str) -> None:
    assert weave(text, 3) == expected


def test_scale_copies_differ_in_every_entry_and_keep_numbers_paired(tmp_path: Path) -> None:
    root = scaled_copy(tmp_path / "scale", 2)
    assert sorted(p.name for p in (root / "source").glob("*.md")) == ["doc-01.md", "doc-02.md"]
    for code in ("es", "zh_Hans", "ar"):
        folder = root / "locales" / code / "LC_MESSAGES"
        one, two = (polib.pofile(str(folder / f"doc-0{n}.po")) for n in (1, 2))
        first = {e.msgid: e for e in one if not e.obsolete and e.msgid}
        second = {e.msgid: e for e in two if not e.obsolete and e.msgid}
        assert first and len(first) == len(second) and not set(first) & set(second)
        for number, entries in ((1, first), (2, second)):
            for entry in entries.values():
                assert entry.msgstr and "fuzzy" not in entry.flags, entry.msgid
                want = set(scan_numbers(entry.msgid, "en"))
                got = set(scan_numbers(entry.msgstr, code))
                assert number in want and want == got, (entry.msgid, entry.msgstr)
    # every sentence of the master text carries its copy's number
    text = (root / "source" / "doc-02.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    sentences = re.findall(r"[^.!?\n]+[.!?](?=\s|$)", body)
    assert sentences and all(s.rstrip(".!?").endswith(" 2") for s in sentences)


def test_profile_summary_splits_nested_processes() -> None:
    folded = "\n".join(
        [
            'process 1:"python carepack build";main (cli.py:1);build (build.py:2) 5',
            'process 1:"python carepack build";process 2:"python -c from multiprocessing'
            '.forkserver import main; main(6)";speak (tracks.py:3);encode (mp3.py:4) 7',
            'process 1:"python carepack build";process 2:"python -c from multiprocessing'
            '.forkserver import main; main(6)";speak (tracks.py:9);encode (mp3.py:4) 1',
            'process 1:"python carepack build";process 3:"python carepack build";'
            "render (render.py:5) 2",
        ]
    )
    text = summarize(folded, 1.0)
    assert "15 samples" in text
    assert "      2  handout renderer (forked from the build)" in text
    assert "      5  carepack build (main process)" in text
    assert "      8  speech worker or handout renderer (multiprocessing fork server)" in text
    assert "      8   53.3  encode (mp3.py)" in text  # lines of one function add up
    # a build that has ended before py-spy writes its stacks has no command line left
    ended = summarize(folded.replace('"python carepack build"', '""'), 1.0)
    assert "      5  carepack build (main process)" in ended


def test_history_compares_with_the_last_run(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    assert bench_history.last_entry(path) is None
    old = {
        "generated": "2026-11-29T18:00:00Z",
        "commit": "a" * 40,
        "quick": True,
        "load_average_1min": {"start": 0.2, "end": 0.3},
        "seconds": {"cold": 20.0, "noop": 0.5},
        "ratios": {"noop_over_cold": 0.025, "peak_memory_growth_1_to_16": None},
        "peak_tree_pss_mb": {"1": 200.0},
    }
    bench_history.append(path, old)
    new = {**old, "seconds": {"cold": 15.0, "noop": 0.5}, "commit": "b" * 40}
    bench_history.append(path, new)
    assert len(path.read_text().splitlines()) == 2
    assert bench_history.last_entry(path) == new
    text = bench_history.compare(new, old)
    assert "aaaaaaaaaa" in text and "load 0.2 -> 0.3" in text
    assert re.search(r"seconds\.cold +20\.000 -> +15\.000 s +-25\.0 %", text)
    assert "peak_memory_growth" not in text  # not measured: nothing to compare


SLEEPER = [sys.executable, "-c", "import time; data = bytearray(50_000_000); time.sleep(0.4)"]


def test_timed_runs_are_not_sampled_and_sampled_runs_see_the_tree() -> None:
    """The timed builds run without the memory sampler (it took CPU from them); a run
    that is sampled sees the process's memory."""
    sampled = bench_util.run(SLEEPER)
    assert sampled.tree_pss_mb >= 40 and sampled.tree_mb >= 40
    timed = bench_util.run(SLEEPER, sample_memory=False)
    assert timed.tree_pss_mb == 0 and timed.tree_mb == 0
    assert timed.seconds >= 0.4 and timed.maxrss_mb >= 40  # from wait4: free of cost


def test_the_cluster_runs_in_a_process_of_its_own() -> None:
    """The cluster build's LocalCluster runs apart from the bench (as a user's cluster
    runs apart from the build), and stops when the bench is done with it."""
    import os

    from bench_cluster import cluster_process
    from distributed import Client

    with cluster_process(workers=1) as address:
        assert address.startswith("tcp://")
        with Client(address, timeout=60) as client:
            worker_pid = client.submit(os.getpid, pure=False).result(timeout=60)
            scheduler_pid = client.run_on_scheduler(os.getpid)
        assert os.getpid() not in (worker_pid, scheduler_pid)
    with pytest.raises(OSError):  # the scheduler's process is gone
        os.kill(scheduler_pid, 0)


def test_a_cluster_that_does_not_start_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import bench_cluster
    from bench_util import BenchError

    monkeypatch.setattr(bench_cluster, "_HOST", "raise SystemExit('no cluster here')")
    failing = pytest.raises(BenchError, match=r"did not start:\n.*no cluster here")
    with failing, bench_cluster.cluster_process(workers=1):
        pass


def test_pairwise_ratio_is_each_round_s_own() -> None:
    ours, theirs = [1.0, 10.0, 10.0], [2.0, 5.0, 20.0]  # one slow moment each side
    assert bench_util.ratio(bench_util.median(ours), bench_util.median(theirs)) == 2.0
    assert bench_util.pairwise(ours, theirs) == 0.5
    with pytest.raises(ValueError):
        bench_util.pairwise(ours, theirs[:2])
