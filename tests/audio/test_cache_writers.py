"""The content-keyed audio cache with many writers at once (the workers of a cluster build
share it): two processes store the same tracks at the same moment while a third reads
them; the reader only ever sees a whole entry or none, and every entry ends whole."""

from __future__ import annotations

import hashlib
import multiprocessing
import time
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


LIMIT = 120.0
"""Seconds after which a writer or the reader gives up waiting for the others."""


def write_all(
    cache: str,
    start: multiprocessing.synchronize.Barrier,
    stored: multiprocessing.synchronize.Semaphore,
    enough: multiprocessing.synchronize.Event,
) -> None:
    """Store every entry once (then say so), and again, round after round, until the
    reader has seen enough: every read it makes overlaps the writes."""
    start.wait(LIMIT)
    deadline = time.monotonic() + LIMIT
    number = 0
    while number < ROUNDS or (not enough.is_set() and time.monotonic() < deadline):
        _store(Path(cache), key_of(number % ROUNDS), audio_of(number % ROUNDS))
        number += 1
        if number == ROUNDS:
            stored.release()


def read_all(
    cache: str,
    start: multiprocessing.synchronize.Barrier,
    stored: multiprocessing.synchronize.Semaphore,
    enough: multiprocessing.synchronize.Event,
    seen: multiprocessing.Queue[str],
) -> None:
    """Read every entry over and over while the writers write, until both writers have
    stored every entry once and each entry was seen whole twice over (the writers stop
    then). Reading only for as long as the writers wrote their one round was not
    enough: a reader slow to start could begin after they had ended."""
    start.wait(LIMIT)
    deadline = time.monotonic() + LIMIT
    whole, bad, writers_done = 0, 0, 0
    while (writers_done < 2 or whole < 2 * ROUNDS) and time.monotonic() < deadline:
        while stored.acquire(block=False):
            writers_done += 1
        for number in range(ROUNDS):
            entry = _cached(Path(cache), key_of(number))
            if entry is None:
                continue
            if entry == audio_of(number):
                whole += 1
            else:
                bad += 1
    enough.set()
    seen.put(f"{whole} {bad}")


def test_two_writers_and_a_reader_never_see_a_partial_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, enough = context.Barrier(4), context.Event()  # the writers, the reader, and here
    stored = context.Semaphore(0)
    seen: multiprocessing.Queue[str] = context.Queue()
    cache = str(tmp_path / "audio")
    writers = [
        context.Process(target=write_all, args=(cache, start, stored, enough)) for _ in range(2)
    ]
    reader = context.Process(target=read_all, args=(cache, start, stored, enough, seen))
    for process in [*writers, reader]:
        process.start()
    start.wait(LIMIT)  # all three begin together, once each has started
    reader.join(timeout=300)
    assert reader.exitcode == 0
    for process in writers:
        process.join(timeout=300)
        assert process.exitcode == 0
    whole, bad = map(int, seen.get(timeout=10).split())
    assert bad == 0
    assert whole >= 2 * ROUNDS  # the reader read entries while they were being written
    for number in range(ROUNDS):
        assert _cached(Path(cache), key_of(number)) == audio_of(number)
    assert not list(Path(cache).rglob("*.tmp"))  # no temporary file left behind
