"""A locale's audio as it is written: one MP3 per section, a full-length MP3 with an ID3
chapter per section, and a playlist (:func:`write_album`); and what the build knows of
them (:class:`AudioResult`). How the tracks are made is :mod:`pipeline.audio.tracks`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpeechError
from ..fsutil import atomic_write, atomic_write_text
from .engine import Pcm
from .mp3 import Chapter, Stream, encode, iso639_2, join, tagged
from .script import Script, ScriptSection
from .timing import Clip

FULL_NAME = "full.mp3"
"""File name of the full-length recording."""
PLAYLIST_NAME = "playlist.m3u8"
"""File name of the playlist."""
SECTION_GAP = 700
"""Milliseconds of silence added between sections in the full-length file."""
_TRACK_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.mp3$")


@dataclass(frozen=True)
class Track:
    """One section's MP3."""

    section: str
    """The section id."""
    title: str
    """The section title (the track's ID3 title)."""
    href: str
    """Path relative to the locale's page: ``audio/01-intro.mp3``."""
    seconds: float
    """Length of the audio."""
    disclaimer: bool
    """Whether this is the disclaimer's track."""
    clips: tuple[Clip, ...] = ()
    """Where each utterance of the section is heard in the track, in order."""


@dataclass(frozen=True)
class AudioResult:
    """What :func:`~pipeline.audio.tracks.build_audio` made for one document in one locale."""

    locale: str
    """The locale code."""
    tracks: tuple[Track, ...]
    """The section tracks, in playing order (the disclaimer last)."""
    full_href: str
    """The full-length file, relative to the locale's page."""
    full_seconds: float
    """Length of the full-length file (the tracks plus the pauses between them)."""
    playlist_href: str
    """The playlist, relative to the locale's page."""
    total_seconds: float
    """The tracks' total length."""
    synthesized: int
    """How many tracks were spoken and encoded by this call."""
    cached: int
    """How many tracks came from the cache."""
    files: tuple[Path, ...]
    """Every file written (or left unchanged), for packs and manifests."""

    @property
    def problems(self) -> tuple[SpeechError, ...]:
        """Nothing: audio is made whole or not at all (:class:`pipeline.build.outputs.Product`)."""
        return ()

    @property
    def summary(self) -> str:
        return f"audio {self.synthesized} spoken, {self.cached} cached"

    @property
    def minutes(self) -> int:
        """Whole minutes of audio, at least one (for ``{count} minutes of audio``)."""
        return max(1, round(self.total_seconds / 60))


def write_album(
    locale: str,
    script: Script,
    full_title: str,
    audio: list[tuple[Stream, tuple[Clip, ...]]],
    out_dir: Path,
    synthesized: int,
    bitrate: int,
) -> AudioResult:
    """Write the tracks, the full-length file and the playlist; remove stale tracks."""
    album, sections, language = script.title, script.sections, iso639_2(locale)
    prefix = out_dir.name
    width = max(2, len(str(len(sections))))
    count = len(sections)
    tracks: list[Track] = []
    files: list[Path] = []
    streams = [stream for stream, _ in audio]
    for number, (section, (stream, timed)) in enumerate(zip(sections, audio, strict=True), 1):
        name = f"{number:0{width}d}-{section.id}.mp3"
        data = tagged(
            stream, title=section.title, album=album, language=language, track=(number, count)
        )
        atomic_write(out_dir / name, data, durable=False)
        files.append(out_dir / name)
        tracks.append(
            Track(
                section.id,
                section.title,
                f"{prefix}/{name}",
                stream.seconds,
                section.disclaimer,
                timed,
            )
        )
    full, chapters = _full_length(sections, streams, bitrate)
    atomic_write(
        out_dir / FULL_NAME,
        tagged(full, title=full_title, album=album, language=language, chapters=chapters),
        durable=False,
    )
    atomic_write_text(out_dir / PLAYLIST_NAME, playlist(album, tracks), durable=False)
    files += [out_dir / FULL_NAME, out_dir / PLAYLIST_NAME]
    keep = {path.name for path in files}
    for path in out_dir.iterdir():
        if _TRACK_FILE.match(path.name) and path.name not in keep:
            path.unlink()
    return AudioResult(
        locale=locale,
        tracks=tuple(tracks),
        full_href=f"{prefix}/{FULL_NAME}",
        full_seconds=full.seconds,
        playlist_href=f"{prefix}/{PLAYLIST_NAME}",
        total_seconds=sum(track.seconds for track in tracks),
        synthesized=synthesized,
        cached=len(sections) - synthesized,
        files=tuple(files),
    )


def _full_length(
    sections: tuple[ScriptSection, ...], streams: list[Stream], bitrate: int
) -> tuple[Stream, list[Chapter]]:
    """The tracks joined with a pause between them, and a chapter per section."""
    first = streams[0]
    gap = encode(
        Pcm(bytes(2 * (first.sample_rate * SECTION_GAP // 1000)), first.sample_rate), bitrate
    )
    parts: list[Stream] = []
    chapters: list[Chapter] = []
    samples = 0
    for index, (section, stream) in enumerate(zip(sections, streams, strict=True)):
        pieces = [stream] if index == len(streams) - 1 else [stream, gap]
        start = samples
        samples += sum(piece.samples for piece in pieces)
        parts += pieces
        chapters.append(
            Chapter(
                section.id,
                section.title,
                round(start * 1000 / first.sample_rate),
                round(samples * 1000 / first.sample_rate),
            )
        )
    return join(parts), chapters


def playlist(title: str, tracks: list[Track]) -> str:
    """An extended M3U playlist (UTF-8) of the tracks, with titles and whole seconds."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(title)}"]
    for track in tracks:
        lines.append(f"#EXTINF:{round(track.seconds)},{_one_line(track.title)}")
        lines.append(track.href.rsplit("/", 1)[-1])
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
