"""Where each utterance is heard in a section's MP3, measured on the synthesized audio.

Every utterance (a heading, a sentence, a list item, a table row) is synthesized on
its own, so its samples are known exactly: :func:`speech_bounds` finds where the voice
starts and stops in them (espeak-ng pads every utterance with silence), and
:func:`clips` turns those sample offsets into times in the encoded MP3, which plays
``ENCODER_DELAY`` samples late (LAME's encoder delay; the stream has no LAME tag that
would tell a decoder to skip it). The talking book's media overlays are these clips.
"""

from __future__ import annotations

import array
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .utterance import Utterance

SPEECH_LEVEL = 328
"""A sample louder than this (-40 dBFS) is speech; espeak-ng's padding is quieter."""
ENCODER_DELAY = 576
"""Samples of silence LAME puts before the audio (its documented encoder delay)."""


@dataclass(frozen=True)
class Clip:
    """Where one utterance is heard in its section's MP3."""

    block: str
    """Id of the source block the utterance was made from."""
    sentence: int
    """Which sentence of that block (0 for a heading, list item or table row)."""
    begin: float
    """Seconds from the start of the MP3 to the first sound of the utterance."""
    end: float
    """Seconds from the start of the MP3 to its last sound."""
    line: int
    """Line of the block in the master text (for messages)."""
    text: str
    """What is said (for messages)."""


def speech_bounds(data: bytes) -> tuple[int, int] | None:
    """First and one-past-last sample louder than :data:`SPEECH_LEVEL` in 16-bit mono PCM.

    ``None`` when there is no speech at all (the synthesizer returned silence).
    """
    samples = array.array("h")
    samples.frombytes(data[: len(data) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    high = data[1 : 2 * len(samples) : 2]  # each sample's high byte (little-endian data)
    first = _loud(samples, (m.start() for m in _NOT_QUIET.finditer(high)))
    if first is None:
        return None
    end = len(samples) - 1
    last = _loud(samples, (end - m.start() for m in _NOT_QUIET.finditer(high[::-1])))
    assert last is not None  # the first loud sample is one
    return first, last + 1


_NOT_QUIET = re.compile(rb"[^\x00\xff]")
"""A high byte other than 0x00 and 0xff: a sample of 256 or more, or under -256. The
others are quieter than :data:`SPEECH_LEVEL`, so only these are looked at one by one
(espeak-ng pads each utterance with some 9,000 samples of silence: looked at one by one
in Python, they took a third of a millisecond per utterance)."""


def _loud(samples: array.array[int], candidates: Iterator[int]) -> int | None:
    """The first of ``candidates`` (indices) whose sample is louder than :data:`SPEECH_LEVEL`."""
    return next((i for i in candidates if abs(samples[i]) > SPEECH_LEVEL), None)


def clips(
    utterances: Sequence[Utterance], spans: Sequence[tuple[int, int]], sample_rate: int
) -> tuple[Clip, ...]:
    """Each utterance's clip, from its speech's sample offsets in the section's PCM."""
    return tuple(
        Clip(
            u.block,
            u.sentence,
            round((begin + ENCODER_DELAY) / sample_rate, 3),
            round((end + ENCODER_DELAY) / sample_rate, 3),
            u.line,
            u.text,
        )
        for u, (begin, end) in zip(utterances, spans, strict=True)
    )
