"""Speech synthesis through pyttsx3 over espeak-ng, one engine per worker process.

pyttsx3 is known to hang in ``runAndWait`` at times, and espeak-ng can only be
initialised once per process, so every engine lives in a worker process of its
own (started through multiprocessing's ``forkserver``, one per track, as many
at once as there are cores) and the parent waits for each with a timeout: a
hang becomes a :class:`SpeechError` naming the locale and the section, and the
worker is killed.

pyttsx3 2.99 has been seen here to write no file for an engine's first
``save_to_file`` and to save the next call's file twice. So every worker first
speaks a short text to a throw-away file, every utterance goes to a fresh file
name, and every file that comes back is checked (it exists, it is a mono 16-bit
WAV, and its length fits its number of words) before it is used.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib.metadata
import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
import wave
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

from ..errors import SpeechError
from .script import Utterance, speech_units
from .timing import speech_bounds
from .voices import default_voice

T = TypeVar("T")
R = TypeVar("R")

WARM_UP_TEXT = "1 2 3"
"""Spoken once by every new engine (and after a voice change) to a throw-away file."""
MIN_SECONDS_PER_WORD = 0.1
"""At 175 words per minute: the shortest plausible time per word (scaled by the rate)."""
MAX_SECONDS_PER_WORD = 1.6
"""At 175 words per minute: the longest plausible time per word (scaled by the rate)."""
SLACK_SECONDS = 1.5
"""Allowed on top of the longest plausible time (espeak-ng's end pause, short texts)."""


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


# -- in the worker process ---------------------------------------------------


@dataclass
class _EngineState:
    """The worker's one pyttsx3 engine, with the voice and rate it is set to."""

    engine: Any = None
    """The pyttsx3 engine, made on first use."""
    voice: str | None = None
    """The voice it is set to and warmed up with (``None``: warm it up again)."""
    rate: int | None = None
    """The rate it is set to."""
    voices: dict[str, list[str]] = field(default_factory=dict)
    """espeak-ng's voice ids (lower case) and their languages."""
    folder: Path | None = None
    """The worker's folder for the WAV files pyttsx3 writes."""
    serial: int = 0
    """Number of the last WAV file name used (every call gets a fresh one)."""


_Engine = _EngineState()


def _temp_wav() -> Path:
    if _Engine.folder is None:
        _Engine.folder = Path(tempfile.mkdtemp(prefix="carepack-speech-"))
    _Engine.serial += 1
    return _Engine.folder / f"{_Engine.serial:06d}.wav"


def _engine(voice: str, rate: int, locale: str) -> Any:
    """The worker's engine set to ``voice`` and ``rate``; warmed up after any change."""
    import pyttsx3  # imported in the worker only

    if _Engine.engine is None:
        _Engine.engine = pyttsx3.init("espeak")
        _Engine.voices = {
            str(v.id).lower(): [str(lang).lower() for lang in (v.languages or [])]
            for v in _Engine.engine.getProperty("voices")
        }
    engine = _Engine.engine
    if voice != _Engine.voice:
        check_voice(voice, locale, _Engine.voices)
        engine.setProperty("voice", voice)
        _Engine.voice = None
    if rate != _Engine.rate:
        engine.setProperty("rate", rate)
    if _Engine.voice is None or rate != _Engine.rate:
        _run(engine, WARM_UP_TEXT, _temp_wav())
        _Engine.voice, _Engine.rate = voice, rate
    return engine


def check_voice(voice: str, locale: str, voices: dict[str, list[str]]) -> None:
    """Raise :class:`SpeechError` unless espeak-ng has ``voice`` (a variant ``+f3`` is allowed)."""
    base = voice.split("+", 1)[0].lower()
    if base in voices:
        return
    language = locale.split("_", 1)[0].lower()
    matches = sorted(
        vid
        for vid, langs in voices.items()
        if vid.rsplit("/", 1)[-1].startswith(language) or any(lang == language for lang in langs)
    )
    default = default_voice(locale)
    hints = []
    if default:
        hints.append(f"the default for {locale} is {default!r}")
    if matches:
        hints.append(f"voices for {language!r}: {', '.join(matches)}")
    hints.append("`espeak-ng --voices` lists them all")
    raise SpeechError(
        f"espeak-ng has no voice {voice!r}: no audio is made for {locale} "
        f"(set [speech.voices] {locale} in carepack.toml; {'; '.join(hints)})",
        locale=locale,
    )


def _run(engine: Any, text: str, path: Path) -> None:
    errors: list[BaseException] = []
    token = engine.connect("error", lambda exception=None, **_: errors.append(exception))
    try:
        engine.save_to_file(text, str(path))
        engine.runAndWait()
    finally:
        engine.disconnect(token)
    if errors:
        raise SpeechError(f"pyttsx3 failed: {errors[0]}")


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


class FlakySpeech(SpeechError):
    """pyttsx3 returned no audio or audio that does not fit the text (a known race).

    The whole track is made again in a fresh worker: retrying in the same engine
    would change what espeak-ng says next, and the audio would not be reproducible.
    """


#: How far pyttsx3's audio may differ in length from espeak-ng's own for the same text.
REFERENCE_TOLERANCE = 0.03
#: Seconds allowed on top (the espeak-ng command and the library end some texts differently).
REFERENCE_SLACK = 0.15


def reference_seconds(text: str, voice: str, rate: int) -> float:
    """Length of ``text`` as the espeak-ng command speaks it.

    pyttsx3 has been seen to save one call's audio under the next call's file name;
    a length check against espeak-ng itself catches audio of the wrong sentence.
    """
    try:
        done = subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", text],
            capture_output=True,
            check=True,
            timeout=60,
        )
        with wave.open(io.BytesIO(done.stdout)) as reader:
            # Streamed to a pipe, the header cannot say how long it is: count the samples.
            frames: int = len(reader.readframes(reader.getnframes())) // reader.getsampwidth()
            seconds: float = frames / float(reader.getframerate())
    except (OSError, subprocess.SubprocessError, wave.Error, EOFError) as error:
        raise SpeechError(f"the espeak-ng command failed for {text[:60]!r}: {error}") from None
    if seconds <= 0:
        raise SpeechError(f"the espeak-ng command gave no audio for {text[:60]!r}")
    return seconds


#: Modules the fork server imports once, so that each worker starts with them loaded.
FORKSERVER_PRELOAD = ("pipeline.cli", "pipeline.audio.tracks")

#: How many times a track is made again in a fresh worker after :class:`FlakySpeech`.
TRACK_RETRIES = 3


def say(text: str, voice: str, rate: int, locale: str) -> Pcm:
    """``text`` spoken by ``voice`` at ``rate`` wpm, checked; :class:`FlakySpeech` if not."""
    low, high = plausible_seconds(speech_units(text), rate)
    engine = _engine(voice, rate, locale)
    path = _temp_wav()
    _run(engine, text, path)
    pcm = _read_wav(path)
    if pcm is None:
        raise FlakySpeech(f"espeak-ng wrote no audio file for {text[:60]!r}", locale=locale)
    expected = reference_seconds(text, voice, rate)
    if abs(pcm.seconds - expected) > REFERENCE_TOLERANCE * expected + REFERENCE_SLACK:
        raise FlakySpeech(
            f"pyttsx3 gave {pcm.seconds:.2f} s of audio where espeak-ng itself gives "
            f"{expected:.2f} s: not the audio of {text[:60]!r}",
            locale=locale,
        )
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


def _worker_main(conn: Connection, function: Callable[[T], R], task: T) -> None:
    """A worker process: run ``function(task)`` once, send the outcome, and exit."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - pyttsx3 prints every file it saves
    try:
        conn.send(("ok", function(task)))
    except FlakySpeech as error:
        conn.send(("flaky", error.message))
    except SpeechError as error:
        conn.send(("error", error.message, error.line))
    except Exception as error:
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()
        if _Engine.folder is not None:
            for path in _Engine.folder.glob("*"):
                path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                _Engine.folder.rmdir()


# -- in the parent process ---------------------------------------------------


@dataclass
class _Worker:
    """A running worker process and the task it was given."""

    process: multiprocessing.process.BaseProcess
    """The process."""
    conn: Connection
    """The parent's end of its pipe."""
    task: int
    """Index of its task."""
    started: float
    """``time.monotonic()`` when it started."""


def run_parallel(
    function: Callable[[T], R],
    tasks: Sequence[T],
    *,
    timeout: float,
    locale: str,
    describe: Callable[[T], str],
    workers: int | None = None,
) -> list[R]:
    """``[function(task) for task in tasks]``, each in a new worker process, within ``timeout`` s.

    At most ``workers`` (default: one per core) run at once. Each task gets a
    process of its own because espeak-ng's output depends on what the engine
    said before: a fresh engine per track keeps the audio byte-for-byte
    reproducible, whichever worker makes it. ``function`` must be a module-level
    function (it is sent to the worker by name). The first failure, hang or crash
    stops every worker and raises a :class:`SpeechError` for ``locale`` naming
    ``describe(task)``.
    """
    context = multiprocessing.get_context("forkserver")
    # Load the program once in the fork server, not once per track: without this every
    # worker re-imports it from the main script (about 0.4 s each, 44% of a cold build).
    context.set_forkserver_preload(list(FORKSERVER_PRELOAD))
    count = max(1, workers or os.cpu_count() or 1)
    pending = deque(range(len(tasks)))
    running: list[_Worker] = []
    results: dict[int, R] = {}
    attempts: dict[int, int] = {}
    try:
        while pending or running:
            while pending and len(running) < count:
                index = pending.popleft()
                parent, child = context.Pipe(duplex=False)
                process = context.Process(
                    target=_worker_main, args=(child, function, tasks[index]), daemon=True
                )
                process.start()
                child.close()
                running.append(_Worker(process, parent, index, time.monotonic()))
            deadline = min(w.started for w in running) + timeout
            ready = wait([w.conn for w in running], timeout=max(0.0, deadline - time.monotonic()))
            for worker in list(running):
                what = describe(tasks[worker.task])
                if worker.conn in ready:
                    running.remove(worker)
                    try:
                        results[worker.task] = _receive(worker, what, locale)
                    except FlakySpeech:
                        attempts[worker.task] = attempts.get(worker.task, 0) + 1
                        if attempts[worker.task] > TRACK_RETRIES:
                            raise
                        pending.appendleft(worker.task)  # again, in a fresh worker
                    finally:
                        worker.process.join()
                        worker.conn.close()
                elif time.monotonic() - worker.started >= timeout:
                    raise SpeechError(
                        f"{what}: speech synthesis hung (no result after {timeout:g} s; "
                        "the worker was stopped; raise [speech] timeout if the text is long)",
                        locale=locale,
                    )
    finally:
        for worker in running:
            worker.process.kill()
        for worker in running:
            worker.process.join()
            worker.conn.close()
    return [results[index] for index in range(len(tasks))]


def _receive(worker: _Worker, what: str, locale: str) -> Any:
    """The worker's result; a :class:`SpeechError` if it failed or died."""
    try:
        status, value, *line = worker.conn.recv()
    except (EOFError, OSError):
        worker.process.join()
        code = worker.process.exitcode
        raise SpeechError(
            f"{what}: the speech worker died (exit code {code})", locale=locale
        ) from None
    if status == "flaky":
        raise FlakySpeech(f"{what}: {value} ({TRACK_RETRIES + 1} tries)", locale=locale)
    if status != "ok":
        raise SpeechError(f"{what}: {value}", line=(line or [None])[0], locale=locale)
    return value
