"""Speech synthesis: a section's utterances spoken one by one through pyttsx3 over
espeak-ng (:mod:`pipeline.audio.engine`, in a worker process of its own:
:mod:`pipeline.audio.workers`), each checked, then joined with their pauses.

Every utterance's audio must be exactly what espeak-ng delivered for its text
(:func:`pipeline.audio.engine.say_checked`) and of a plausible length for its number
of words; where each one's speech lies in the track is kept for the talking book.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib.metadata
import os
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Protocol

from ..errors import SpeechError
from .engine import FlakySpeech, Pcm, say_checked
from .phonemes import espeak_library_name
from .timing import speech_bounds
from .utterance import Utterance, speech_units
from .workers import run_parallel

__all__ = ["FlakySpeech", "Pcm", "require_voice", "run_parallel", "say", "speak", "synthesize"]

MIN_SECONDS_PER_WORD = 0.1
"""At 175 words per minute: the shortest plausible time per word (scaled by the rate)."""
MAX_SECONDS_PER_WORD = 1.6
"""At 175 words per minute: the longest plausible time per word (scaled by the rate)."""
SLACK_SECONDS = 1.5
"""Allowed on top of the longest plausible time (espeak-ng's end pause, short texts)."""


@cache
def engine_versions() -> dict[str, str]:
    """Versions of everything in the speech chain (for cache keys and reports)."""
    espeak = "unknown"
    with contextlib.suppress(OSError):
        lib = ctypes.CDLL(espeak_library_name())
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        espeak = (lib.espeak_Info(None) or b"unknown").decode("ascii", "replace")
    return {"espeak-ng": espeak, "pyttsx3": importlib.metadata.version("pyttsx3")}


def plausible_seconds(units: int, rate: int) -> tuple[float, float]:
    """The shortest and longest plausible length of ``units`` words spoken at ``rate`` wpm."""
    scale = 175 / rate
    low = units * MIN_SECONDS_PER_WORD * scale
    return low, units * MAX_SECONDS_PER_WORD * scale + SLACK_SECONDS


def require_voice(voice: str | None, locale: str) -> None:
    """Raise :class:`SpeechError` unless ``voice`` may speak ``locale``: the speech lint's
    :func:`pipeline.audio.lint.check_voice` (a variant such as ``+f3`` is allowed; no
    other voice is ever substituted)."""
    from .lint import check_voice  # the lint reads espeak-ng's voices in this process

    problem = check_voice(locale, voice)
    if problem is not None:
        raise SpeechError(
            f"{problem.message}: no audio is made for {locale} "
            f"(set [speech.voices] {locale} in carepack.toml)",
            locale=locale,
        )


def say(text: str, voice: str, rate: int, locale: str) -> Pcm:
    """``text`` spoken by ``voice`` at ``rate`` wpm, checked; :class:`FlakySpeech` if not."""
    low, high = plausible_seconds(speech_units(text), rate)
    pcm = say_checked(text, voice, rate, locale)
    if not low <= pcm.seconds <= high:
        raise FlakySpeech(
            f"espeak-ng gave {pcm.seconds:.1f} s of audio for {speech_units(text)} words "
            f"(expected {low:.1f} to {high:.1f} s) for {text[:60]!r}",
            locale=locale,
        )
    return pcm


class Sink(Protocol):
    """Where a track's samples go as they are spoken (an encoder:
    :class:`~pipeline.audio.chunks.ChunkedEncoder`)."""

    def speech(self, data: bytes, rate: int) -> None:
        """An utterance's samples, 16-bit mono at ``rate`` Hz."""

    def pause(self, data: bytes, rate: int) -> None:
        """The silence after it (empty where the next utterance follows at once)."""


class _Whole:
    """A :class:`Sink` that keeps every sample (for :func:`synthesize`)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def speech(self, data: bytes, rate: int) -> None:
        self.pieces.append(data)

    def pause(self, data: bytes, rate: int) -> None:
        self.pieces.append(data)


def synthesize(
    utterances: Sequence[Utterance], voice: str, rate: int, locale: str
) -> tuple[Pcm, tuple[tuple[int, int], ...]]:
    """:func:`speak` into one track: every utterance spoken in turn, each followed by its
    pause; and, for each, the first and one-past-last sample of its speech in it."""
    whole = _Whole()
    sample_rate, spans = speak(utterances, voice, rate, locale, whole)
    return Pcm(b"".join(whole.pieces), sample_rate), spans


def speak(
    utterances: Sequence[Utterance], voice: str, rate: int, locale: str, sink: Sink
) -> tuple[int, tuple[tuple[int, int], ...]]:
    """Every utterance spoken in turn into ``sink`` (an encoder), each followed by its
    pause, as the samples are made; the sample rate, and for each utterance the first
    and one-past-last sample of its speech among all the samples (for the book's clips).
    The track is never held whole here (a copy of every sample and its page faults, a
    hundredth of a cold build).

    An utterance that comes back empty or silent raises :class:`SpeechError` with the
    utterance's line (in the master text) and its text.
    """
    read = reference_count(utterances)
    reference = ReferenceReading(utterances[:read], voice, rate)  # beside the synthesis
    try:
        prefix, spans = _spoken(utterances, voice, rate, locale, sink, read)
        problem = reference_mismatch(reference.pcm(), prefix, voice, rate)
    finally:
        reference.close()
    if problem is not None:
        raise FlakySpeech(problem, locale=locale)
    return prefix.rate, spans


def _spoken(
    utterances: Sequence[Utterance],
    voice: str,
    rate: int,
    locale: str,
    sink: Sink,
    read: int,
) -> tuple[Pcm, tuple[tuple[int, int], ...]]:
    """:func:`speak`'s spans, and the samples of its first ``read`` utterances with their
    pauses (what the reference reading is compared with)."""
    checked: list[bytes] = []
    spans: list[tuple[int, int]] = []
    sample_rate = offset = 0
    for utterance in utterances:
        try:
            pcm = say(utterance.text, voice, rate, locale)
        except FlakySpeech:
            raise
        except SpeechError as error:
            raise SpeechError(error.message, line=utterance.line, locale=locale) from None
        if sample_rate and pcm.rate != sample_rate:
            raise SpeechError(f"espeak-ng changed its sample rate to {pcm.rate} Hz", locale=locale)
        sample_rate = pcm.rate
        bounds = speech_bounds(pcm.data)
        if bounds is None:
            raise SpeechError(
                f"espeak-ng returned silence for {utterance.text!r}",
                line=utterance.line,
                locale=locale,
            )
        spans.append((offset + bounds[0], offset + bounds[1]))
        pause = bytes(2 * (pcm.rate * utterance.pause // 1000))
        if len(spans) <= read:
            checked += [pcm.data, pause]
        sink.speech(pcm.data, pcm.rate)
        sink.pause(pause, pcm.rate)
        offset += (len(pcm.data) + len(pause)) // 2
    if not spans:
        raise SpeechError("nothing to say", locale=locale)
    return Pcm(b"".join(checked), sample_rate), tuple(spans)


#: How far the speech heard in a track may be from the ``espeak-ng`` command's reading
#: of the same utterances, as a ratio of their 10 ms frames with sound in them (the
#: shipped tracks measure 0.999 to 1.018; a track spoken at the wrong rate, seen here
#: under heavy load, was 1.28 times as long).
REFERENCE_RANGE = (0.93, 1.07)
#: Frames allowed on top, for very short tracks.
REFERENCE_SLACK = 20
#: The reference reads a track's first utterances up to this many words (about 6 s at
#: 150 words per minute, some 500 frames with sound: the bounds then allow 9 to 11%, and
#: the fault it is there for, 28%, changed every utterance of a track). Reading the whole
#: track again cost as much CPU as its synthesis (a tenth of a cold build).
REFERENCE_WORDS = 15


def sounding_frames(data: bytes, rate: int) -> int:
    """How many 10 ms frames of 16-bit little-endian mono PCM have a sample of at least
    256 (-42 dBFS) in them: the length of the speech, without the pauses."""
    high = data[1::2]  # each sample's high byte: 0x00 or 0xff for |sample| < 256
    step = max(1, rate // 100)
    return sum(1 for i in range(0, len(high), step) if high[i : i + step].strip(b"\x00\xff"))


def reference_count(utterances: Sequence[Utterance]) -> int:
    """How many of a track's first utterances the reference reads: up to
    :data:`REFERENCE_WORDS` words (the one that reaches it included)."""
    words = 0
    for count, utterance in enumerate(utterances, 1):
        words += speech_units(utterance.text)
        if words >= REFERENCE_WORDS:
            return count
    return len(utterances)


class ReferenceReading:
    """The ``espeak-ng`` command reading utterances (one call, the utterances as SSML
    with each pause as a ``<break>``), started at once: it runs while the track is
    spoken, and :meth:`pcm` waits for it (the track waited for it at its end)."""

    def __init__(self, utterances: Sequence[Utterance], voice: str, rate: int) -> None:
        # &, < and > escaped as xml.sax.saxutils would (which imports urllib.request)
        body = "".join(
            f'{escape(u.text, quote=False)}<break time="{u.pause}ms"/>' for u in utterances
        )
        handle, name = tempfile.mkstemp(prefix="carepack-reference-", suffix=".wav")
        os.close(handle)
        self._path = Path(name)
        self._process: subprocess.Popen[bytes] | None = None
        command = ["espeak-ng", "-m", "-v", voice, "-s", str(rate), "--stdin", "-w", name]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._process.stdin is not None
            with self._process.stdin as stdin:  # a few hundred bytes: never blocks
                stdin.write(f"<speak>{body}</speak>".encode())
        except OSError as error:
            self.close()
            raise SpeechError(f"the espeak-ng command failed: {error}") from None

    def pcm(self, timeout: float = 300) -> Pcm:
        """The reading, once the command has finished (:class:`SpeechError` if it failed)."""
        assert self._process is not None
        try:
            status = self._process.wait(timeout=timeout)
            if status != 0:
                raise SpeechError(f"the espeak-ng command failed (exit status {status})")
            with wave.open(str(self._path), "rb") as reader:
                return Pcm(reader.readframes(reader.getnframes()), reader.getframerate())
        except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as error:
            raise SpeechError(f"the espeak-ng command failed: {error}") from None

    def close(self) -> None:
        """Stop the command if it still runs, and remove its file."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._path.unlink(missing_ok=True)


def reference_mismatch(reference: Pcm, track: Pcm, voice: str, rate: int) -> str | None:
    """Why the speech in ``track`` is not as long as in ``reference``, the ``espeak-ng``
    command's reading of the same utterances at the same voice and rate (a second,
    independent synthesis, of each track's first :data:`REFERENCE_WORDS` words: it
    catches a worker whose engine spoke at another rate or with another voice, whatever
    espeak-ng's own parameters said; :func:`pipeline.audio.engine.mismatch` checks those
    for every utterance); ``None`` if it is."""
    expected = sounding_frames(reference.data, reference.rate)
    heard = sounding_frames(track.data, track.rate)
    low, high = REFERENCE_RANGE
    if low * expected - REFERENCE_SLACK <= heard <= high * expected + REFERENCE_SLACK:
        return None
    return (
        f"pyttsx3 gave {heard / 100:.1f} s of speech for a track the espeak-ng command "
        f"speaks in {expected / 100:.1f} s at {rate} words per minute with {voice}: "
        "not spoken at the configured rate or voice"
    )
