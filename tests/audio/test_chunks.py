"""A track encoded in chunks: where the chunks end, that kept chunks give the same bytes,
that each utterance is placed where it is heard (decoded by LAME's own decoder), and
that an edited sentence has only its own chunks encoded again."""

from __future__ import annotations

import array
import dataclasses
import itertools
import math
from pathlib import Path

import pytest

from pipeline.audio import chunks
from pipeline.audio.chunks import ChunkedEncoder, chunk_key, chunk_path, encode_chunk
from pipeline.audio.engine import Pcm
from pipeline.audio.mp3 import Stream, TrackEncoder, encode, join
from pipeline.audio.synthesis import run_parallel
from pipeline.audio.timing import ENCODER_DELAY
from pipeline.audio.track_job import TrackJob, make_track
from pipeline.audio.utterance import Utterance

from ..book_tools import decode

RATE = 22050
LOUD = 328
"""As the book's tests: a decoded sample louder than this (-40 dBFS) is sound."""
TOLERANCE = 0.050
"""Seconds a placed utterance may be from where its sound is heard."""


def tone(seconds: float, pitch: float = 220.0) -> bytes:
    count = round(seconds * RATE)
    wave = (int(8000 * math.sin(2 * math.pi * pitch * i / RATE)) for i in range(count))
    return array.array("h", wave).tobytes()


def silence(seconds: float) -> bytes:
    return bytes(2 * round(seconds * RATE))


# Six utterances of 1.5 s, each followed by a pause (the third by none: a sentence of
# the same paragraph follows it at once, so no chunk may end there).
PAUSES = (0.4, 0.4, 0.0, 0.4, 0.4, 0.4)
PITCHES = (220.0, 247.0, 262.0, 294.0, 330.0, 349.0)
"""One pitch an utterance, so that no two chunks have the same samples."""


def feed(encoder: ChunkedEncoder, pauses: tuple[float, ...] = PAUSES) -> list[tuple[int, int]]:
    """The utterances into ``encoder``; each one's span in the samples given."""
    spans, offset = [], 0
    for pitch, pause in zip(PITCHES, pauses, strict=True):
        speech = tone(1.5, pitch)
        encoder.speech(speech, RATE)
        spans.append((offset, offset + len(speech) // 2))
        encoder.pause(silence(pause), RATE)
        offset += (len(speech) + len(silence(pause))) // 2
    return spans


def test_chunks_end_after_a_pause_once_long_enough_and_join_as_encoded(tmp_path: Path) -> None:
    encoder = ChunkedEncoder(48, tmp_path, chunk_seconds=3)
    spans = feed(encoder)
    stream, placed = encoder.finish(spans)
    # 1.9 + 1.9 s: a chunk may end at 3.8 s (after the second utterance's pause); the
    # third runs on into the fourth with no pause, so the next ends after the fourth
    # (1.5 + 1.9 s later), and what is left (the fifth and sixth) is the last.
    whole = b"".join(tone(1.5, f) + silence(p) for f, p in zip(PITCHES, PAUSES, strict=True))
    cuts = [0, 2 * round(3.8 * RATE), 2 * round(7.2 * RATE), len(whole)]
    expected = [encode(Pcm(whole[a:b], RATE), 48) for a, b in itertools.pairwise(cuts)]
    assert stream.data == join(expected).data
    assert len(list(tmp_path.glob("*/*.mp3"))) == 3
    # each span is moved from where its chunk starts in the samples to where that
    # chunk's stream starts in the joined one (after the chunks before, with their
    # encoder delays and padding)
    pcm_starts = [0, round(3.8 * RATE), round(7.2 * RATE)]
    stream_starts = [0, expected[0].samples, expected[0].samples + expected[1].samples]
    for (begin, end), moved, chunk in zip(spans, placed, [0, 0, 1, 1, 2, 2], strict=True):
        shift = stream_starts[chunk] - pcm_starts[chunk]
        assert moved == (begin + shift, end + shift)


def test_placed_utterances_are_where_they_are_heard(tmp_path: Path) -> None:
    encoder = ChunkedEncoder(48, None, chunk_seconds=3)
    spans = feed(encoder, (0.4, 0.3, 0.5, 0.4, 0.3, 0.4))  # a pause after each: heard apart
    stream, placed = encoder.finish(spans)
    samples, rate = decode(stream.data)
    assert rate == RATE
    times = [((b + ENCODER_DELAY) / RATE, (e + ENCODER_DELAY) / RATE) for b, e in placed]
    # each utterance's sound lies between the previous one's end and the next one's start
    starts = [-TOLERANCE] + [end for _, end in times[:-1]]
    stops = [begin for begin, _ in times[1:]] + [len(samples) / RATE + TOLERANCE]
    for (begin, end), start, stop in zip(times, starts, stops, strict=True):
        window = range(round((start + TOLERANCE) * RATE), round((stop - TOLERANCE) * RATE))
        heard = [i for i in window if 0 <= i < len(samples) and abs(samples[i]) > LOUD]
        assert abs(heard[0] / RATE - begin) <= TOLERANCE, (begin, heard[0] / RATE)
        assert abs(heard[-1] / RATE - end) <= TOLERANCE, (end, heard[-1] / RATE)


def test_a_kept_chunk_is_the_same_bytes_and_a_damaged_one_is_encoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pieces = [tone(2.0), silence(0.5)]
    first = encode_chunk(pieces, RATE, 48, tmp_path)
    assert first == encode(Pcm(b"".join(pieces), RATE), 48)  # as if encoded in one piece
    path = chunk_path(tmp_path, chunk_key(pieces, RATE, 48))
    assert path.read_bytes() == first.data
    assert chunk_key([b"".join(pieces)], RATE, 48) == chunk_key(pieces, RATE, 48)
    encoded: list[int] = []

    class Counting(TrackEncoder):
        def finish(self) -> Stream:
            encoded.append(1)
            return super().finish()

    monkeypatch.setattr(chunks, "TrackEncoder", Counting)
    assert encode_chunk(pieces, RATE, 48, tmp_path) == first and not encoded  # kept
    path.write_bytes(first.data[: len(first.data) // 2] + b"\x00" * 7)  # cut short by a crash
    assert encode_chunk(pieces, RATE, 48, tmp_path) == first and len(encoded) == 1
    assert path.read_bytes() == first.data  # and kept whole again
    # another bitrate or rate is another chunk
    assert chunk_key(pieces, RATE, 48) not in {
        chunk_key(pieces, RATE, 64),
        chunk_key(pieces, 16000, 48),
    }


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    pieces = [tone(1.0), silence(0.4)]
    assert encode_chunk(pieces, RATE, 48, blocked) == encode_chunk(pieces, RATE, 48, None)


def test_an_encoder_refuses_a_new_sample_rate_and_an_empty_track() -> None:
    encoder = ChunkedEncoder(48, None)
    encoder.speech(tone(0.5), RATE)
    with pytest.raises(ValueError, match="sample rate changed"):
        encoder.pause(silence(0.5), 16000)
    encoder.close()
    with pytest.raises(ValueError, match="empty"):
        ChunkedEncoder(48, None).finish([])


SENTENCES = [
    "Multiple myeloma is a cancer of plasma cells in the bone marrow.",
    "Treatment after a relapse depends on what was used the first time.",
    "Your care team will talk with you about the choices that fit you best.",
    "Some people take pills at home, and others get infusions at a clinic.",
    "Side effects can include tiredness, infections and numbness in the feet.",
    "Call your care team at once if you have a fever or bleeding.",
    "Keep a list of your medicines and bring it to every visit.",
    "Ask what each test is for and when you will hear the results.",
]


def test_an_edited_sentence_encodes_only_the_chunks_whose_samples_changed(tmp_path: Path) -> None:
    """A section spoken twice, its last sentence edited: the chunks before the edit are
    kept, and the track is the same bytes as one made with nothing kept."""
    utterances = tuple(Utterance(text, 600, f"b{i}", i + 1) for i, text in enumerate(SENTENCES))
    job = TrackJob("intro", utterances, "gmw/en-US", 150, 48, "en", tmp_path / "chunks")
    edited_last = dataclasses.replace(utterances[-1], text="Ask what each scan is for.")
    edited = dataclasses.replace(job, utterances=(*utterances[:-1], edited_last))
    first = run_parallel(make_track, [job], timeout=120, locale="en", describe=str)[0]
    before = set((tmp_path / "chunks").glob("*/*.mp3"))
    assert len(before) >= 2, "the section should make more than one chunk"
    again = run_parallel(make_track, [edited], timeout=120, locale="en", describe=str)[0]
    added = set((tmp_path / "chunks").glob("*/*.mp3")) - before
    assert 1 <= len(added) < len(before)
    alone = dataclasses.replace(edited, chunks=None)
    fresh = run_parallel(make_track, [alone], timeout=120, locale="en", describe=str)[0]
    assert again == fresh and again != first
