"""One track's work in a speech worker: a section's utterances spoken and encoded.

The job and its result are all a worker sees of a build. This module and what it
imports are what the fork server preloads (:data:`~pipeline.audio.workers.FORKSERVER_PRELOAD`):
speech, encoding and the utterance model, none of the script's Markdown, catalogs or
speech rules (the build makes the jobs: :mod:`pipeline.audio.tracks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chunks import ChunkedEncoder
from .synthesis import speak
from .utterance import Utterance


@dataclass(frozen=True)
class TrackJob:
    """Everything needed to make one section's audio in a worker."""

    section: str
    """The section id (for messages)."""
    utterances: tuple[Utterance, ...]
    """What to say."""
    voice: str
    """espeak-ng voice id."""
    rate: int
    """Words per minute."""
    bitrate: int
    """MP3 bitrate, kbit/s."""
    locale: str
    """The locale (for messages)."""
    chunks: Path | None = None
    """Where encoded chunks are kept (:mod:`pipeline.audio.chunks`); none kept if unset."""


@dataclass(frozen=True)
class TrackAudio:
    """One section spoken and encoded, with where each utterance's speech is."""

    data: bytes
    """The MP3 stream (no tag)."""
    spans: tuple[tuple[int, int], ...]
    """Per utterance, the first and one-past-last sample of its speech, counted in the
    stream's decoded samples less LAME's encoder delay (:func:`~pipeline.audio.timing.clips`)."""
    sample_rate: int
    """Samples per second of the PCM the spans count."""


def make_track(job: TrackJob) -> TrackAudio:
    """Speak and encode one section (runs in a worker process): the utterances are
    encoded in chunks, on threads of their own while the next ones are spoken, and a
    chunk encoded before (by its samples) is not encoded again."""
    encoder = ChunkedEncoder(job.bitrate, job.chunks)
    try:
        sample_rate, spans = speak(job.utterances, job.voice, job.rate, job.locale, encoder)
        stream, placed = encoder.finish(spans)
        return TrackAudio(stream.data, placed, sample_rate)
    finally:
        encoder.close()
