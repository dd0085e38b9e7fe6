"""A track encoded in chunks, each an MP3 stream of its own, kept by its samples.

LAME does most of a track's work (three fifths of a cold build's CPU). A track is
encoded as a run of independent streams, *chunks*, each ending after an utterance's
pause once it holds :data:`CHUNK_SECONDS` of audio; joined, they decode as one stream
(LAME starts each with an empty bit reservoir, as the full-length file's tracks do:
:mod:`pipeline.audio.mp3`). Each chunk's frames are kept under the SHA-256 of its
samples and the encoder's settings. When a sentence of a section is edited, the
whole section is spoken again (espeak-ng's output may differ anywhere after the edit:
it depends on what the engine said before), but only the chunks whose samples
changed are encoded again. A kept chunk is exactly the bytes LAME gives for those
samples, so a track is the same bytes whether its chunks were kept or not.

Each chunk starts with LAME's encoder delay and ends padded to a whole frame, so a
join adds some 30 to 80 ms of silence to the pause it falls in; chunks end only after
a pause (never between the sentences of a paragraph, which run on with none), and the
utterances' places are moved to where they are heard in the joined stream
(:meth:`ChunkedEncoder.finish`).
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..errors import FileSystemError
from ..fsutil import atomic_write
from .mp3 import Stream, TrackEncoder, encoder_version, join, parse_stream

CHUNK_SECONDS = 10
"""A chunk ends at the first pause after it holds this many seconds of audio. Paragraphs
run on with no pause between their sentences, so the shipped document's chunks are some
20 s (134 in its eight languages, 3,335 s of audio: 6 s more silence than one stream a
track gave, 0.2%)."""
FORMAT = "carepack-chunk-1"
"""Changes whenever the way a chunk is encoded changes (old kept chunks are then unused)."""


def chunk_key(pieces: Sequence[bytes], rate: int, bitrate: int) -> str:
    """SHA-256 of a chunk's samples (``pieces`` one after another) and everything else
    its frames depend on."""
    digest = hashlib.sha256(f"{FORMAT}\n{encoder_version()}\n{rate}\n{bitrate}\n".encode())
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def chunk_path(cache: Path, key: str) -> Path:
    """Where the chunk of ``key`` is kept under ``cache``."""
    return cache / key[:2] / f"{key}.mp3"


def encode_chunk(pieces: Sequence[bytes], rate: int, bitrate: int, cache: Path | None) -> Stream:
    """The stream LAME makes of the samples ``pieces`` hold, one after another: kept in
    ``cache`` if they were encoded before (a kept file that is not a whole stream of this
    layout is encoded again), else encoded and kept. A cache that cannot be read or
    written only costs time. The pieces are never joined (LAME takes them one by one and
    gives the same bytes: :class:`~pipeline.audio.mp3.TrackEncoder`)."""
    key = chunk_key(pieces, rate, bitrate)
    path = chunk_path(cache, key) if cache is not None else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            kept = parse_stream(path.read_bytes())
            if kept.sample_rate == rate:
                return kept
    encoder = TrackEncoder(bitrate)
    for piece in pieces:
        encoder.feed(piece, rate)
    stream = encoder.finish()
    if path is not None:
        with contextlib.suppress(FileSystemError):
            atomic_write(path, stream.data, durable=False)
    return stream


class ChunkedEncoder:
    """A track's samples, as they are spoken, encoded chunk by chunk on threads of their
    own (LAME lets go of the interpreter lock while it encodes, so a chunk is encoded
    while the next utterances are spoken). A :class:`~pipeline.audio.synthesis.Sink`.

    The chunks are independent, so they are encoded on as many threads as there are
    cores: while a build speaks many tracks at once this changes nothing (the cores are
    busy), and its last track, the longest of the last language (some 1.1 s of work
    alone), no longer ends the build on one core."""

    def __init__(self, bitrate: int, cache: Path | None, chunk_seconds: float = CHUNK_SECONDS):
        self._bitrate = bitrate
        self._cache = cache
        self._chunk_seconds = chunk_seconds
        self._rate = 0
        self._pieces: list[bytes] = []
        self._size = 0
        """Bytes in ``_pieces``."""
        self._starts: list[int] = []
        """Each chunk's first sample in the track's samples."""
        self._offset = 0
        """Samples handed to chunks so far."""
        self._chunks: list[Future[Stream]] = []
        threads = os.cpu_count() or 1
        self._thread = ThreadPoolExecutor(threads, thread_name_prefix="carepack-lame")

    def speech(self, data: bytes, rate: int) -> None:
        """An utterance's samples (16-bit mono at ``rate`` Hz)."""
        self._append(data, rate)

    def pause(self, data: bytes, rate: int) -> None:
        """The silence after an utterance; a chunk may end after it (if it is not empty)."""
        self._append(data, rate)
        if data and self._size >= 2 * rate * self._chunk_seconds:
            self._cut()

    def _append(self, data: bytes, rate: int) -> None:
        if self._rate and rate != self._rate:
            raise ValueError(f"the sample rate changed from {self._rate} to {rate} Hz")
        self._rate = rate
        self._pieces.append(data)
        self._size += len(data)

    def _cut(self) -> None:
        pieces = [piece for piece in self._pieces if piece]
        self._starts.append(self._offset)
        self._offset += self._size // 2
        self._pieces, self._size = [], 0
        job = self._thread.submit(encode_chunk, pieces, self._rate, self._bitrate, self._cache)
        self._chunks.append(job)

    def finish(
        self, spans: Sequence[tuple[int, int]]
    ) -> tuple[Stream, tuple[tuple[int, int], ...]]:
        """The track's stream, and ``spans`` (places in the samples given, as pairs of a
        first and one-past-last sample, each inside one utterance) moved to where they are
        in the joined stream, less LAME's encoder delay, as :func:`~pipeline.audio.timing.clips`
        counts. ``ValueError`` if nothing was given."""
        try:
            if self._size:
                self._cut()
            streams = [chunk.result() for chunk in self._chunks]
        finally:
            self.close()
        if not streams:
            raise ValueError("empty or truncated MP3 stream")
        placed = [0]
        for stream in streams[:-1]:
            placed.append(placed[-1] + stream.samples)
        moved = []
        for begin, end in spans:
            index = bisect.bisect_right(self._starts, begin) - 1
            shift = placed[index] - self._starts[index]
            moved.append((begin + shift, end + shift))
        return join(streams), tuple(moved)

    def close(self) -> None:
        """Stop the threads (what is still to encode is dropped)."""
        self._thread.shutdown(wait=True, cancel_futures=True)
