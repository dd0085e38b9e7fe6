"""The content-keyed audio cache with many writers at once (the workers of a cluster build
share it): two processes store the same tracks at the same moment while a third reads
them; the reader only ever sees a whole entry or none, and every entry ends whole."""

from __future__ import annotations

import hashlib
import multiprocessing
from pathlib import Path

from pipeline.audio.track_job import TrackAudio
from pipeline.audio.tracks import _cached, _store

ROUNDS = 150
"""Entries each writer stores (the same keys, in the same order, at the same time)."""


def audio_of(number: int) -> TrackAudio:
    """A track's entry, different for every ``number`` and large enough (about 256 KiB)
    that writing it is not one system call."""
    seed = hashlib.sha256(str(number).encode()).digest()
    data = seed * (256 * 1024 // len(seed))
    spans = tuple((i * 100, i * 100 + 50 + number) for i in range(40))
    return TrackAudio(data, spans, 22050)


def key_of(number: int) -> str:
    return hashlib.sha256(f"track {number}".encode()).hexdigest()


def write_all(cache: str, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    for number in range(ROUNDS):
        _store(Path(cache), key_of(number), audio_of(number))


def read_all(
    cache: str,
    start: multiprocessing.synchronize.Event,
    written: multiprocessing.synchronize.Event,
    seen: multiprocessing.Queue[str],
) -> None:
    """Read every entry over and over for as long as the writers write (a fixed number of
    passes could all end before the first entry was stored: a miss is quick)."""
    start.wait()
    whole, bad = 0, 0
    while not written.is_set():
        for number in range(ROUNDS):
            entry = _cached(Path(cache), key_of(number))
            if entry is None:
                continue
            if entry == audio_of(number):
                whole += 1
            else:
                bad += 1
    seen.put(f"{whole} {bad}")


def test_two_writers_and_a_reader_never_see_a_partial_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, written = context.Event(), context.Event()
    seen: multiprocessing.Queue[str] = context.Queue()
    cache = str(tmp_path / "audio")
    writers = [context.Process(target=write_all, args=(cache, start)) for _ in range(2)]
    reader = context.Process(target=read_all, args=(cache, start, written, seen))
    for process in [*writers, reader]:
        process.start()
    start.set()
    for process in writers:
        process.join(timeout=300)
        assert process.exitcode == 0
    written.set()
    reader.join(timeout=300)
    assert reader.exitcode == 0
    whole, bad = map(int, seen.get(timeout=10).split())
    assert bad == 0
    assert whole > 0  # the reader did read entries while they were being written
    for number in range(ROUNDS):
        assert _cached(Path(cache), key_of(number)) == audio_of(number)
    assert not list(Path(cache).rglob("*.tmp"))  # no temporary file left behind
