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
from collections.abc import Sequence
from functools import cache

from ..errors import SpeechError
from .engine import FlakySpeech, Pcm, say_checked
from .script import Utterance, speech_units
from .timing import speech_bounds
from .workers import run_parallel

__all__ = ["FlakySpeech", "Pcm", "require_voice", "run_parallel", "say", "synthesize"]

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
    library = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
    with contextlib.suppress(OSError):
        lib = ctypes.CDLL(library)
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


def synthesize(
    utterances: Sequence[Utterance], voice: str, rate: int, locale: str
) -> tuple[Pcm, tuple[tuple[int, int], ...]]:
    """Every utterance spoken in turn, each followed by its pause; and, for each, the
    first and one-past-last sample of its speech in the result (for the book's clips).

    An utterance that comes back empty or silent raises :class:`SpeechError` with the
    utterance's line (in the master text) and its text.
    """
    chunks: list[bytes] = []
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
        chunks += [pcm.data, pause]
        offset += (len(pcm.data) + len(pause)) // 2
    if not chunks:
        raise SpeechError("nothing to say", locale=locale)
    return Pcm(b"".join(chunks), sample_rate), tuple(spans)
