"""The speech worker's one pyttsx3 engine over espeak-ng, and the check of every file it saves.

pyttsx3 2.99 has been seen here to write no file, or an empty one, for an engine's first
``save_to_file``, and to file one call's audio under another call's name: its espeak
driver collects the samples espeak-ng hands to a callback and writes them to the file
named last when espeak-ng reports a message finished. So every new engine first speaks a
short text to a throw-away file, every utterance goes to a fresh file name, and every
file that comes back is checked against what espeak-ng itself delivered for that call.
A call returns when espeak-ng has ended its message and the driver has written the file,
not when pyttsx3's polling loop gives up waiting (:func:`_one_pass`).

The check is made in the callback pyttsx3 gives espeak-ng (a thin wrapper around the
driver's own, which collects the samples and writes the file): while one utterance is
spoken it counts the samples espeak-ng delivers and notes, at each end of a message, the
text the driver had handed to espeak-ng and the file it was about to write. The call
must have ended exactly one message, for this text and this file name, and the file must
hold exactly the samples espeak-ng delivered before that end, none left out. Audio of
another sentence, a truncated or empty file, a file written twice or samples left over
from an earlier call all fail it, exactly, and at no cost: nothing is spoken twice (the
length check against a second synthesis by the ``espeak-ng`` command that this replaces
took a process and a synthesis per sentence, as much CPU as the synthesis itself).
"""

from __future__ import annotations

import contextlib
import ctypes
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpeechError

WARM_UP_TEXT = "1 2 3"
"""Spoken once by every new engine (and after a voice change) to a throw-away file."""
SYNTHESIS_WAIT = 10.0
"""Seconds one utterance may take espeak-ng to speak before the call counts as failed
(:class:`FlakySpeech`: the track is made again in a fresh worker). A sentence takes a few
milliseconds; the track's own timeout, in the parent, still bounds the whole."""
# espeak-ng's event types and its rate parameter (speak_lib.h).
_LIST_TERMINATED, _MSG_TERMINATED = 0, 6
_RATE = 1


@dataclass(frozen=True)
class Pcm:
    """Mono, 16-bit little-endian audio."""

    data: bytes
    """The samples."""
    rate: int
    """Samples per second."""

    @property
    def seconds(self) -> float:
        return len(self.data) / 2 / self.rate


class FlakySpeech(SpeechError):
    """pyttsx3 returned no audio or audio that is not the text's (a known race).

    The whole track is made again in a fresh worker: retrying in the same engine
    would change what espeak-ng says next, and the audio would not be reproducible.
    """


@dataclass
class Delivered:
    """What espeak-ng handed to pyttsx3's driver during one call, counted in its callback."""

    samples: int = 0
    """Samples delivered before the end of the message (what pyttsx3 writes to the file)."""
    dropped: int = 0
    """Samples delivered with or after the end, or while the driver was not listening."""
    ends: list[tuple[str, str]] = field(default_factory=list)
    """At each end of a message while the driver was listening: the text it had handed
    to espeak-ng and the file it was about to write (one per call)."""
    settings: list[tuple[int, str]] = field(default_factory=list)
    """At each of those ends: the rate espeak-ng was speaking at and its voice's identifier,
    read from espeak-ng itself (``espeak_GetParameter``, ``espeak_GetCurrentVoice``)."""


@dataclass
class _EngineState:
    """The worker's one pyttsx3 engine, with the voice and rate it is set to."""

    engine: Any = None
    """The pyttsx3 engine, made on first use."""
    voice: str | None = None
    """The voice it is set to and warmed up with (``None``: warm it up again)."""
    rate: int | None = None
    """The rate it is set to."""
    folder: Path | None = None
    """The worker's folder for the WAV files pyttsx3 writes."""
    serial: int = 0
    """Number of the last WAV file name used (every call gets a fresh one)."""
    delivered: Delivered = field(default_factory=Delivered)
    """What espeak-ng delivered during the current call."""
    callback: Any = None
    """The ctypes callback given to espeak-ng (kept alive here)."""
    finished: threading.Event = field(default_factory=threading.Event)
    """Set in that callback once a message has ended and the driver has written its file."""


_Engine = _EngineState()


def _temp_wav() -> Path:
    if _Engine.folder is None:
        _Engine.folder = Path(tempfile.mkdtemp(prefix="carepack-speech-"))
    _Engine.serial += 1
    return _Engine.folder / f"{_Engine.serial:06d}.wav"


def remove_files() -> None:
    """Delete the worker's WAV folder (at the worker's end)."""
    if _Engine.folder is not None:
        for path in _Engine.folder.glob("*"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            _Engine.folder.rmdir()


def _speaking_settings(espeak: Any) -> tuple[int, str]:
    """The rate (words per minute) and the voice identifier espeak-ng is speaking with now
    (``espeak.dll.espeak_GetParameter`` given its prototype by :func:`_count_deliveries`)."""
    rate = int(espeak.dll.espeak_GetParameter(_RATE, 1))  # 1: the value in use, not the default
    voice = espeak.GetCurrentVoice()
    identifier = voice.contents.identifier if voice else None
    return rate, (identifier or b"").decode("utf-8", "replace")


def _count_deliveries(driver: Any, espeak: Any) -> Any:
    """A synthesis callback that counts what espeak-ng delivers, then hands it to
    ``driver``'s own (which collects the samples and writes the file)."""

    def callback(wav: Any, samples: int, events: Any) -> int:
        delivered = _Engine.delivered
        listening = bool(driver._speaking)
        ended = False
        index = 0
        while events[index].type != _LIST_TERMINATED:
            event = events[index]
            if listening and event.type == _MSG_TERMINATED:
                delivered.ends.append((str(driver._text_to_say), str(driver._save_file)))
                delivered.settings.append(_speaking_settings(espeak))
                ended = True
            index += 1
        if listening and not ended:
            delivered.samples += max(0, samples)
        else:
            delivered.dropped += max(0, samples)
        result = int(driver._onSynth(wav, samples, events))
        if ended:  # the driver wrote the file in _onSynth, at the end of the message
            _Engine.finished.set()
        return result

    # pyttsx3's own GetParameter binding passes one argument to a function of two: the
    # library's function gets its real prototype, once.
    get_parameter = espeak.dll.espeak_GetParameter
    get_parameter.restype, get_parameter.argtypes = ctypes.c_int, [ctypes.c_int, ctypes.c_int]
    wrapped = espeak.t_espeak_callback(callback)
    espeak.cSetSynthCallback(wrapped)
    return wrapped


def _one_pass(driver: Any) -> Callable[[], None]:
    """pyttsx3 2.99's ``EspeakDriver.startLoop`` for one call, without its polling.

    The driver's loop runs the queued commands (``save_to_file``, then the engine's
    ``endLoop``), starts the synthesis, which espeak-ng runs in a thread of its own, then
    sleeps 10 ms at a time until the loop has ended. ``endLoop`` had often already run
    from the queue, so the loop returned after one sleep whether or not espeak-ng had
    finished (a long sentence, or a busy machine: no file yet, the "first call wrote no
    file" seen here); and a sentence spoken in 3 ms still took 10. This pass does what
    the loop's first turn does; :func:`_run` then waits for the end of the message itself
    (:attr:`_EngineState.finished`)."""

    def start_loop() -> None:
        driver._looping = True
        driver._proxy.setBusy(False)  # runs the queued commands
        if driver._text_to_say:
            driver._start_synthesis(driver._text_to_say)
        driver.iterate()

    return start_loop


def engine(voice: str, rate: int) -> Any:
    """The worker's engine set to ``voice`` and ``rate``; warmed up after any change.

    The voice must be one espeak-ng has (:func:`pipeline.audio.lint.check_voice`).
    espeak-ng runs a thread of its own, so the engine cannot be made before a fork:
    every worker makes its own.
    """
    import pyttsx3  # imported in the worker only
    from pyttsx3.drivers import _espeak

    if _Engine.engine is None:
        _Engine.engine = pyttsx3.init("espeak")
        driver = _Engine.engine.proxy._driver
        _Engine.callback = _count_deliveries(driver, _espeak)
        driver.startLoop = _one_pass(driver)
    current = _Engine.engine
    if voice != _Engine.voice:
        current.setProperty("voice", voice)
        _Engine.voice = None
    if rate != _Engine.rate:
        current.setProperty("rate", rate)
    if _Engine.voice is None or rate != _Engine.rate:
        _run(current, WARM_UP_TEXT, _temp_wav())
        _Engine.voice, _Engine.rate = voice, rate
    return current


def _run(current: Any, text: str, path: Path) -> Delivered:
    """Have pyttsx3 save ``text`` spoken to ``path``, and wait until espeak-ng has ended
    the message (:func:`_one_pass`); what espeak-ng delivered meanwhile."""
    errors: list[BaseException] = []
    token = current.connect("error", lambda exception=None, **_: errors.append(exception))
    _Engine.delivered = Delivered()
    _Engine.finished.clear()
    try:
        current.save_to_file(text, str(path))
        current.runAndWait()
    finally:
        current.disconnect(token)
    if errors:
        raise SpeechError(f"pyttsx3 failed: {errors[0]}")
    if not _Engine.finished.wait(SYNTHESIS_WAIT):
        raise FlakySpeech(f"espeak-ng did not finish {text[:60]!r} in {SYNTHESIS_WAIT:g} s")
    _until_idle()
    return _Engine.delivered


def _until_idle() -> None:
    """Wait until espeak-ng's thread has finished the message (some microseconds after
    the end of the message is reported). pyttsx3 asks espeak-ng to cancel whatever is
    still playing as the next call starts, and its loop then cancels that call's own
    speech: the next sentence would come back empty."""
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + SYNTHESIS_WAIT
    while _espeak.IsPlaying():
        if time.monotonic() > deadline:
            raise FlakySpeech(f"espeak-ng was still busy {SYNTHESIS_WAIT:g} s after a message")
        time.sleep(0.0002)


def _read_wav(path: Path) -> Pcm | None:
    """The audio in ``path``, or ``None`` if it is missing or not a mono 16-bit WAV."""
    try:
        with wave.open(str(path), "rb") as handle:
            if handle.getnchannels() != 1 or handle.getsampwidth() != 2:
                return None
            return Pcm(handle.readframes(handle.getnframes()), handle.getframerate())
    except (FileNotFoundError, wave.Error, EOFError):
        return None
    finally:
        path.unlink(missing_ok=True)


def mismatch(
    text: str, path: Path, pcm: Pcm, delivered: Delivered, voice: str, rate: int
) -> str | None:
    """Why ``pcm``, read from ``path``, is not the audio espeak-ng delivered for ``text``
    in this call, spoken by ``voice`` at ``rate``; ``None`` if it is."""
    if delivered.ends != [(text, str(path))]:
        said = [f"{spoken[:40]!r} to {Path(name).name}" for spoken, name in delivered.ends]
        return f"in this call pyttsx3 saved {'; '.join(said) or 'nothing'}"
    if delivered.settings != [(rate, voice)]:  # a variant (+f3) is part of the identifier
        (spoken_rate, spoken_voice), *_ = delivered.settings
        return (
            f"espeak-ng spoke it at {spoken_rate} words per minute with {spoken_voice or '?'}, "
            f"not {rate} with {voice}"
        )
    if delivered.dropped:
        return f"pyttsx3 left out {delivered.dropped} samples espeak-ng delivered"
    samples = len(pcm.data) // 2
    if samples != delivered.samples:
        return f"the file has {samples} samples where espeak-ng delivered {delivered.samples}"
    return None


def say_checked(text: str, voice: str, rate: int, locale: str) -> Pcm:
    """``text`` spoken by the worker's engine; :class:`FlakySpeech` unless its file holds
    exactly the audio espeak-ng delivered for ``text`` (see the module docstring)."""
    current = engine(voice, rate)
    path = _temp_wav()
    delivered = _run(current, text, path)
    pcm = _read_wav(path)
    if pcm is None:
        raise FlakySpeech(f"espeak-ng wrote no audio file for {text[:60]!r}", locale=locale)
    problem = mismatch(text, path, pcm, delivered, voice, rate)
    if problem is not None:
        raise FlakySpeech(f"not the audio of {text[:60]!r}: {problem}", locale=locale)
    return pcm
