"""The floor: the build's spoken scripts through the espeak-ng and lame command lines.

The scripts are exactly what ``build_audio`` speaks: ``check_locale`` then
``spoken_script`` for every document in every language, one track per section.
Each section is one ``espeak-ng -m`` call (SSML, so that every utterance is
followed by its pause as a ``<break>``, as the build's silences), at the
configured voice and rate, piped into ``lame`` with the settings of
``pipeline/mp3.py`` (mono, CBR at the configured bitrate, ``-q 2``). Tracks are
made one after another, on one core.

A pause of 0 ms (between the sentences of a paragraph) is no ``<break>`` at all:
the build adds nothing there, and espeak-ng reads ``<break time="0ms"/>`` as "no
pause here", running the sentences together. With it, the floor spoke 5% less
audio than the build (its ``audio_seconds`` against the build's, in the results).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pipeline.audio.mp3 import QUALITY
from pipeline.audio.script import spoken_script
from pipeline.checks.locale import check_locale
from pipeline.config import load_config
from pipeline.project import Project


@dataclass(frozen=True)
class FloorTrack:
    """One section's track, as the command lines make it."""

    name: str
    """``<document>/<locale>/<section>``."""
    ssml: str
    """The section's utterances and pauses as SSML."""
    voice: str
    """espeak-ng voice."""
    rate: int
    """Words per minute."""
    bitrate: int
    """kbit/s."""


def floor_tracks(root: Path) -> list[FloorTrack]:
    """Every track a build of the project at ``root`` speaks."""
    project = Project(load_config(root))
    speech = project.config.speech
    tracks: list[FloorTrack] = []
    for document in project.documents():
        for code in project.config.all_languages():
            check = check_locale(project, document, code)
            assert check.translated is not None and check.ui is not None, check.reasons()
            voice = speech.voice_for(check.locale.code)
            assert voice, f"no voice for {code}"
            for section in spoken_script(check.translated, check.ui).sections:
                body = "".join(
                    escape(u.text) + (f'<break time="{u.pause}ms"/>' if u.pause else " ")
                    for u in section.utterances
                )
                tracks.append(
                    FloorTrack(
                        f"{document.id}/{check.locale.code}/{section.id}",
                        f"<speak>{body}</speak>",
                        voice,
                        speech.rate,
                        speech.bitrate,
                    )
                )
    return tracks


def _espeak(track: FloorTrack) -> list[str]:
    return ["espeak-ng", "-m", "-v", track.voice, "-s", str(track.rate), "--stdin", "--stdout"]


def _lame(track: FloorTrack, out: Path) -> list[str]:
    return [
        "lame", "--quiet", "-q", str(QUALITY), "-m", "m", "--cbr", "-b", str(track.bitrate),
        "-", str(out),
    ]  # fmt: skip


def speak_and_encode(track: FloorTrack, out: Path) -> None:
    """``espeak-ng ... --stdout | lame ... - OUT`` for one track."""
    speak = subprocess.Popen(
        _espeak(track), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    encode = subprocess.Popen(_lame(track, out), stdin=speak.stdout, stderr=subprocess.PIPE)
    assert speak.stdin is not None and speak.stdout is not None
    speak.stdout.close()  # lame owns the read end now
    speak.stdin.write(track.ssml.encode("utf-8"))
    speak.stdin.close()
    _, errors = encode.communicate()
    if speak.wait() != 0 or encode.returncode != 0 or not out.stat().st_size:
        raise RuntimeError(f"floor failed for {track.name}: {errors.decode(errors='replace')}")


def speak_only(track: FloorTrack, out: Path) -> None:
    """``espeak-ng ... --stdout > OUT.wav`` for one track (synthesis without encoding)."""
    with out.open("wb") as handle:
        subprocess.run(_espeak(track), input=track.ssml.encode("utf-8"), stdout=handle, check=True)


def time_floor(tracks: list[FloorTrack], work: Path, encode: bool = True) -> float:
    """Seconds to make every track in turn (with lame, or synthesis only)."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for number, track in enumerate(tracks):
        if encode:
            speak_and_encode(track, work / f"{number:03d}.mp3")
        else:
            speak_only(track, work / f"{number:03d}.wav")
    return time.perf_counter() - started


def build_audio_seconds(output: Path) -> float:
    """Total length of a build's section tracks under ``output`` (not ``full.mp3``)."""
    from mutagen.id3 import ID3

    from pipeline.audio.mp3 import parse_stream

    total = 0.0
    for path in sorted(output.glob("*/*/audio/*.mp3")):
        if path.name != "full.mp3":
            tag = ID3(path)
            total += parse_stream(path.read_bytes()[tag.size :]).seconds
    return total


def audio_seconds(work: Path) -> float:
    """Total length of the WAV files ``speak_only`` left in ``work``."""
    import wave

    total = 0.0
    for path in sorted(work.glob("*.wav")):
        data = path.read_bytes()
        # espeak-ng writes a streaming header (unknown length): count the bytes after it.
        with wave.open(str(path), "rb") as handle:
            rate, width = handle.getframerate(), handle.getsampwidth()
        total += (len(data) - 44) / width / rate
    return total
