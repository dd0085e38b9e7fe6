"""MP3 encoding (LAME through lameenc), frame counting, and ID3 tags (mutagen).

Every track is encoded once, as a plain stream of MPEG audio frames with no tag.
Files are made by putting an ID3v2.3 tag in front of those frames, and the
full-length file is the tracks' frames one after another (LAME starts each
stream with an empty bit reservoir, so the joined stream decodes as one), which
is why chapter times can be exact to the sample: they are counted in frames.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lameenc
import mutagen.id3

from ..errors import SpeechError
from .engine import Pcm

QUALITY = 2
"""LAME's algorithm quality (0 best, 9 fastest); 2 is LAME's recommended high quality."""
ENCODE_PIECE = 2 * 1152 * 48
"""Bytes of samples handed to LAME at a time (48 MPEG-1 frames' worth, under glibc's
128 KiB threshold for giving each allocation pages of its own)."""
ARTIST = "carepack"
"""Artist and publisher in every tag."""
ISO_639 = Path("/usr/share/iso-codes/json/iso_639-2.json")
"""Debian's ``iso-codes`` table, for ISO 639-2 language codes."""

_id3: Any = mutagen.id3  # mutagen's frame classes have no type hints

# Layer III bitrates (kbit/s) by header index, for MPEG-1 and for MPEG-2 and 2.5.
_BITRATES = {
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
# Sample rates by the header's version bits (3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5).
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class Stream:
    """An MP3 stream: Layer III frames only, no tag."""

    data: bytes
    """The frames."""
    frames: int
    """How many frames."""
    samples_per_frame: int
    """1152 for MPEG-1, 576 for MPEG-2 and 2.5."""
    sample_rate: int
    """Samples per second."""

    @property
    def samples(self) -> int:
        return self.frames * self.samples_per_frame

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate


@dataclass(frozen=True)
class Chapter:
    """One ID3 chapter of the full-length file."""

    id: str
    """Element id (the section id)."""
    title: str
    """The section title."""
    start: int
    """Start, in milliseconds from the start of the audio."""
    end: int
    """End, in milliseconds (the next chapter's start)."""


def encoder_version() -> str:
    """The encoder, for cache keys: lameenc bundles LAME 3.100."""
    return f"lameenc {importlib.metadata.version('lameenc')} q{QUALITY}"


def encode(pcm: Pcm, bitrate: int) -> Stream:
    """Mono CBR MP3 at ``bitrate`` kbit/s; the same input gives the same bytes."""
    encoder = TrackEncoder(bitrate)
    encoder.feed(pcm.data, pcm.rate)
    return encoder.finish()


class TrackEncoder:
    """An MP3 made from samples given in pieces, the same bytes as :func:`encode` of them all.

    LAME is given the samples in pieces: it copies its whole input into buffers of floats
    first, so one call with a track's samples had it allocate (and the kernel zero) some
    16 MB a track. The frames are the same bytes whatever the pieces (LAME buffers them
    itself; a test checks it).
    """

    def __init__(self, bitrate: int) -> None:
        self._bitrate = bitrate
        self._lame: lameenc.Encoder | None = None
        self._rate = 0
        self._frames: list[bytes] = []

    def feed(self, data: bytes, rate: int) -> None:
        """Encode ``data`` (16-bit mono samples at ``rate`` Hz) after what came before."""
        if self._lame is None:
            self._lame = lameenc.Encoder()
            self._lame.set_bit_rate(self._bitrate)
            self._lame.set_in_sample_rate(rate)
            self._lame.set_channels(1)
            self._lame.set_quality(QUALITY)
            self._rate = rate
        elif rate != self._rate:
            raise ValueError(f"the sample rate changed from {self._rate} to {rate} Hz")
        for start in range(0, len(data), ENCODE_PIECE):
            self._frames.append(bytes(self._lame.encode(data[start : start + ENCODE_PIECE])))

    def finish(self) -> Stream:
        """The stream of everything fed (``ValueError`` if nothing was)."""
        if self._lame is None:
            raise ValueError("empty or truncated MP3 stream")
        self._frames.append(bytes(self._lame.flush()))
        return parse_stream(b"".join(self._frames))


def _frame(header: bytes, offset: int) -> tuple[int, tuple[int, int]]:
    """The size in bytes and the (sample rate, samples per frame) of the Layer III frame
    whose header starts with ``header`` (its first three bytes), at byte ``offset``."""
    if len(header) < 3 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        raise ValueError(f"no MP3 frame at byte {offset}")
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    rate_index, bitrate_index = (header[2] >> 2) & 3, header[2] >> 4
    if version == 1 or layer != 1 or rate_index == 3 or bitrate_index in (0, 15):
        raise ValueError(f"not an MPEG Layer III frame at byte {offset}")
    mpeg1 = version == 3
    rate = _SAMPLE_RATES[version][rate_index]
    bitrate = _BITRATES[mpeg1][bitrate_index] * 1000
    size = (144 if mpeg1 else 72) * bitrate // rate + ((header[2] >> 1) & 1)
    return size, (rate, 1152 if mpeg1 else 576)


def parse_stream(data: bytes) -> Stream:
    """Count the Layer III frames of an untagged stream; ``ValueError`` if it is anything else."""
    offset = frames = 0
    layout: tuple[int, int] | None = None
    # A stream's frames have a handful of distinct headers (the padding bit varies):
    # each is decoded once (a track has thousands of frames).
    decoded: dict[bytes, tuple[int, tuple[int, int]]] = {}
    while offset < len(data):
        header = data[offset : offset + 3]
        known = decoded.get(header)
        if known is None:
            known = decoded[header] = _frame(header, offset)
        size, current = known
        if layout is not None and current != layout:
            raise ValueError(f"the sample rate changes at byte {offset}")
        layout = current
        offset += size
        frames += 1
    if layout is None or offset != len(data):
        raise ValueError("empty or truncated MP3 stream")
    return Stream(data, frames, layout[1], layout[0])


def join(streams: Sequence[Stream]) -> Stream:
    """Streams of the same layout played one after another."""
    layouts = {(s.sample_rate, s.samples_per_frame) for s in streams}
    if len(layouts) != 1:
        raise ValueError("cannot join MP3 streams with different sample rates")
    first = streams[0]
    return Stream(
        b"".join(s.data for s in streams),
        sum(s.frames for s in streams),
        first.samples_per_frame,
        first.sample_rate,
    )


@cache
def iso639_2(locale: str) -> str:
    """The ISO 639-2 (terminology) code of a locale's language: ``zh_Hans`` → ``zho``."""
    language = locale.split("_", 1)[0]
    try:
        table = json.loads(ISO_639.read_text(encoding="utf-8"))["639-2"]
    except (OSError, ValueError, KeyError) as error:
        raise SpeechError(
            f"cannot read the ISO 639-2 table for the audio's language tag ({error}); "
            "install Debian's iso-codes package",
            ISO_639,
            locale=locale,
        ) from None
    for entry in table:
        if language in (entry.get("alpha_2"), entry.get("alpha_3")):
            return str(entry["alpha_3"])
    raise SpeechError(f"language {language!r} has no ISO 639-2 code", ISO_639, locale=locale)


def tagged(
    stream: Stream,
    *,
    title: str,
    album: str,
    language: str,
    track: tuple[int, int] | None = None,
    chapters: Sequence[Chapter] = (),
) -> bytes:
    """An MP3 file: an ID3v2.3 tag (no dates, so reproducible) followed by ``stream``."""
    tags = _id3.ID3()
    tags.add(_id3.TIT2(encoding=3, text=[title]))
    tags.add(_id3.TALB(encoding=3, text=[album]))
    tags.add(_id3.TPE1(encoding=3, text=[ARTIST]))
    tags.add(_id3.TPUB(encoding=3, text=[ARTIST]))
    tags.add(_id3.TLAN(encoding=3, text=[language]))
    if track is not None:
        tags.add(_id3.TRCK(encoding=3, text=[f"{track[0]}/{track[1]}"]))
    for chapter in chapters:
        tags.add(
            _id3.CHAP(
                element_id=chapter.id,
                start_time=chapter.start,
                end_time=chapter.end,
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[_id3.TIT2(encoding=3, text=[chapter.title])],
            )
        )
    if chapters:
        tags.add(
            _id3.CTOC(
                element_id="toc",
                flags=_id3.CTOCFlags.TOP_LEVEL | _id3.CTOCFlags.ORDERED,
                child_element_ids=[chapter.id for chapter in chapters],
                sub_frames=[_id3.TIT2(encoding=3, text=[album])],
            )
        )
    buffer = io.BytesIO()
    tags.save(buffer, v2_version=3, padding=lambda info: 0)
    return _chapters_in_time_order(buffer.getvalue()) + stream.data


def _chapters_in_time_order(tag: bytes) -> bytes:
    """The tag with its CHAP frames in time order.

    mutagen writes frames of the same kind shortest first, so the disclaimer (the
    shortest title) came first and players that list chapters in file order (ffprobe,
    some podcast apps) showed it as chapter 0. The frames are moved back into the order
    of their start times, each unchanged; nothing else in the tag moves.
    """
    end = 10 + sum((byte & 0x7F) << (7 * (3 - i)) for i, byte in enumerate(tag[6:10]))
    frames: list[bytes] = []
    position = 10
    while position + 10 <= end and tag[position : position + 4] != b"\0\0\0\0":
        size = int.from_bytes(tag[position + 4 : position + 8], "big")  # ID3v2.3: plain
        frames.append(tag[position : position + 10 + size])
        position += 10 + size
    chapters = [i for i, frame in enumerate(frames) if frame[:4] == b"CHAP"]

    def start(frame: bytes) -> int:
        body = frame[10:]
        after_id = body.index(b"\0") + 1
        return int.from_bytes(body[after_id : after_id + 4], "big")

    ordered = sorted((frames[i] for i in chapters), key=start)
    for index, frame in zip(chapters, ordered, strict=True):
        frames[index] = frame
    return tag[:10] + b"".join(frames) + tag[position:]
