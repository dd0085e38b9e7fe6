"""A document's audio in one locale: one MP3 per section, a full-length MP3 with
chapters, and a playlist, made from the spoken script and cached.

Output, in the directory the caller gives (``output/<doc>/<lang>/audio/``):

- ``NN-<section-id>.mp3``: one track per section, the disclaimer last;
- ``full.mp3``: every section in turn with a short pause between them, made
  from the tracks' frames (nothing is spoken or encoded again), with an ID3
  chapter per section and a table of contents;
- ``playlist.m3u8``: the tracks with their titles and lengths

(written by :func:`pipeline.audio.album.write_album`).

Each track's encoded audio is cached under a key made of everything that
affects its sound (the utterances and pauses, voice, rate, bitrate, and the
versions of espeak-ng, pyttsx3 and the encoder): an unchanged section is
neither spoken nor encoded again. The rest are made in parallel, one worker
process per core.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from ..build.freshness import content_key, fresh, record
from ..catalogs.translate import TranslatedDocument, UiText
from ..config import SpeechConfig
from ..errors import SpeechError
from ..fsutil import atomic_write, atomic_write_text
from .album import AudioResult, write_album
from .mp3 import (
    Stream,
    encoder_version,
    iso639_2,
    parse_stream,
)
from .script import Script, spoken_script
from .synthesis import engine_versions, require_voice, run_parallel
from .timing import Clip, clips
from .track_job import TrackAudio, TrackJob, make_track
from .track_queue import active_queue

CACHE_FORMAT = "carepack-audio-4"
"""Changes whenever the way a track is made changes, so that old cache entries are ignored."""


def cache_key(job: TrackJob) -> str:
    """SHA-256 over everything that affects how a track sounds."""
    identity = {
        "format": CACHE_FORMAT,
        "utterances": [[u.text, u.pause] for u in job.utterances],
        "voice": job.voice,
        "rate": job.rate,
        "bitrate": job.bitrate,
        "engine": engine_versions(),
        "encoder": encoder_version(),
    }
    blob = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.mp3"


def _cached(cache_dir: Path, key: str) -> TrackAudio | None:
    path = _cache_path(cache_dir, key)
    try:
        timing = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        spans = tuple((int(begin), int(end)) for begin, end in timing["spans"])
        return TrackAudio(path.read_bytes(), spans, int(timing["sample_rate"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: made again


def _store(cache_dir: Path, key: str, audio: TrackAudio) -> None:
    path = _cache_path(cache_dir, key)
    timing = {"spans": audio.spans, "sample_rate": audio.sample_rate}
    atomic_write_text(path.with_suffix(".json"), json.dumps(timing), durable=False)
    atomic_write(path, audio.data, durable=False)  # last: the MP3 is there only with its timings


def build_audio(
    doc: TranslatedDocument,
    ui: UiText,
    voice: str | None,
    speech: SpeechConfig,
    out_dir: Path,
    cache_dir: Path,
    script: Script | None = None,
) -> AudioResult:
    """Make the audio of ``doc`` in its locale into ``out_dir`` (see the module docstring).

    ``script`` replaces :func:`spoken_script`'s (for a normalized script, say).

    Raises :class:`SpeechError` (with the locale) when anything fails: no voice,
    a voice espeak-ng does not have, a hang, or audio that does not fit its text.
    Nothing in ``out_dir`` is changed then.
    """
    code = doc.locale.code
    if not voice:
        raise SpeechError(
            f"no espeak-ng voice is configured for {code}: set [speech.voices] {code} "
            "in carepack.toml (`espeak-ng --voices` lists them)",
            locale=code,
        )
    script = script or spoken_script(doc, ui)
    iso639_2(code)  # fail early, before any synthesis, if the language has no code
    require_voice(voice, code)
    jobs = track_jobs(script, voice, speech, code, cache_dir)
    keys = [cache_key(job) for job in jobs]
    full_title = ui.gettext("Full recording")
    stamp = _stamp_key(keys, script, full_title, speech.bitrate)
    stamp_path = _stamp_path(cache_dir, out_dir)
    unchanged = _unchanged(stamp_path, stamp)
    if unchanged is not None:
        return unchanged
    audios: dict[int, TrackAudio] = {}
    for index, key in enumerate(keys):
        cached = _cached(cache_dir, key)
        if cached is not None:
            audios[index] = cached
    missing = [index for index in range(len(jobs)) if index not in audios]
    queue = active_queue()
    try:
        if queue is None:
            made = run_parallel(
                make_track,
                [jobs[index] for index in missing],
                timeout=speech.timeout,
                locale=code,
                describe=lambda job: describe_job(job)[0],
                size=lambda job: describe_job(job)[2],
            )
        else:
            made = queue.results([(keys[index], jobs[index]) for index in missing])
    except SpeechError as error:  # named with the master text's file (and line, if known)
        raise SpeechError(error.message, doc.document.path, error.line, code) from None
    for index, audio in zip(missing, made, strict=True):
        _store(cache_dir, keys[index], audio)
        audios[index] = audio
    ordered: list[tuple[Stream, tuple[Clip, ...]]] = []
    for index, job in enumerate(jobs):
        audio = audios[index]
        try:
            stream = parse_stream(audio.data)
        except ValueError as error:
            raise SpeechError(f"section {job.section!r}: {error}", locale=code) from None
        ordered.append((stream, clips(job.utterances, audio.spans, audio.sample_rate)))
    result = write_album(code, script, full_title, ordered, out_dir, len(missing), speech.bitrate)
    record(stamp_path, stamp, result.files, result)
    return result


def track_jobs(
    script: Script, voice: str, speech: SpeechConfig, code: str, cache_dir: Path
) -> list[TrackJob]:
    """One job per section of ``script``, in order (chunks kept under ``cache_dir``)."""
    chunks = cache_dir / "chunks"
    return [
        TrackJob(s.id, s.utterances, voice, speech.rate, speech.bitrate, code, chunks)
        for s in script.sections
    ]


def start_tracks(script: Script, voice: str | None, speech: SpeechConfig, cache_dir: Path) -> int:
    """Put the tracks of ``script`` that are not in the cache in the build's queue, if a
    build holds one (:mod:`pipeline.audio.track_queue`), so that they are spoken while
    other locales are checked; :func:`build_audio` takes them from there. How many."""
    queue = active_queue()
    if queue is None or not voice:
        return 0
    todo = [
        (key, job)
        for job in track_jobs(script, voice, speech, script.locale, cache_dir)
        if not _cache_path(cache_dir, key := cache_key(job)).exists()
    ]
    queue.start(todo)
    return len(todo)


def describe_job(job: TrackJob) -> tuple[str, str, float]:
    """What a track is (for messages), its locale, and its size (characters to speak)."""
    return f"section {job.section!r}", job.locale, float(sum(len(u.text) for u in job.utterances))


def _stamp_path(cache_dir: Path, out_dir: Path) -> Path:
    """Where the cache records what ``out_dir`` was made from (outputs stay pure)."""
    name = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()
    return cache_dir / "folders" / f"{name}.pickle"


def _stamp_key(keys: list[str], script: Script, full_title: str, bitrate: int) -> str:
    sections = [[s.id, s.title, s.disclaimer] for s in script.sections]
    return content_key(CACHE_FORMAT, keys, sections, script.title, full_title, bitrate)


def _unchanged(path: Path, stamp: str) -> AudioResult | None:
    """The previous result when its inputs and every file it wrote are unchanged,
    so that a build with nothing to do neither re-tags nor re-joins the tracks."""
    saved = fresh(path, stamp)
    if not isinstance(saved, AudioResult):
        return None
    return dataclasses.replace(saved, synthesized=0, cached=len(saved.tracks))
