"""Where speech starts and stops in an utterance's samples, against the plain definition."""

from __future__ import annotations

import array
import random
import subprocess
import wave
from io import BytesIO

import pytest

from pipeline.audio.timing import SPEECH_LEVEL, speech_bounds


def plainly(data: bytes) -> tuple[int, int] | None:
    """The definition, one sample at a time."""
    samples = array.array("h")
    samples.frombytes(data[: len(data) // 2 * 2])
    loud = [i for i, value in enumerate(samples) if abs(value) > SPEECH_LEVEL]
    return (loud[0], loud[-1] + 1) if loud else None


def pcm(values: list[int]) -> bytes:
    return array.array("h", values).tobytes()


EDGES = [
    b"",
    b"\x00",
    pcm([0] * 1000),
    pcm([SPEECH_LEVEL, -SPEECH_LEVEL, 255, -256]),  # quiet, high bytes 0x01 and 0xfe
    pcm([SPEECH_LEVEL + 1]),
    pcm([-SPEECH_LEVEL - 1]),
    pcm([-32768, 0, 32767]),
    pcm([300, -300, 511, -512, 0]),
    pcm([0, 0, 400]) + b"\x01",  # an odd byte at the end is no sample
]


@pytest.mark.parametrize("data", EDGES)
def test_edges(data: bytes) -> None:
    assert speech_bounds(data) == plainly(data)


def test_random_samples_near_the_level() -> None:
    rng = random.Random(7)
    near = [0, 5, -5, 255, -256, 256, -257, 300, -300, 328, -328, 329, -329, 511, -512, 9000]
    for _ in range(2000):
        values = [rng.choice(near[:9]) for _ in range(rng.choice([1, 2, 3, 200, 1100]))]
        for _ in range(rng.choice([0, 1, 2, 4])):
            values[rng.randrange(len(values))] = rng.choice(near)
        data = pcm(values)
        assert speech_bounds(data) == plainly(data), values


def test_an_utterance_from_espeak_ng() -> None:
    spoken = subprocess.run(
        ["espeak-ng", "-v", "en", "--stdout", "Ask your care team which option fits you."],
        capture_output=True,
        check=True,
    ).stdout
    with wave.open(BytesIO(spoken)) as reader:
        data = reader.readframes(reader.getnframes() or 10**9)
    bounds = speech_bounds(data)
    assert bounds == plainly(data)
    assert bounds is not None and len(data) // 2 - bounds[1] > 4000  # espeak-ng's padding
