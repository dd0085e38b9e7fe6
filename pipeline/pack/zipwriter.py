"""Zip archives laid out byte for byte as Python's :mod:`zipfile` writes them, from members
whose compressed form may have been made beforehand.

:mod:`zipfile` compresses a member while it writes it. A pack's largest member, the
talking book, can be deflated as soon as the book is made, on a thread of its own while
the build renders the page (zlib lets go of the interpreter lock), in pieces of fixed
size on as many threads as there are cores (:func:`deflate_piece`): then the pack only
has to lay the bytes out. The layout is :mod:`zipfile`'s for the same members (version
2.0, made on Unix, no data descriptors, no extra fields; a name that is not ASCII is
flagged UTF-8; a member of one piece is deflated as zipfile deflates it); a test compares
the two. No ZIP64: a pack is far below 4 GiB, and a member that is not raises
:class:`ValueError`.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

STORED = 0
"""The compression method of a member kept as it is (``zipfile.ZIP_STORED``)."""
DEFLATED = 8
"""The compression method of a deflated member (``zipfile.ZIP_DEFLATED``)."""
_VERSION = 20  # 2.0: deflate; what zipfile writes as both "made by" and "needed"
_UNIX = 3
_UTF8_NAME = 1 << 11
_LIMIT = (1 << 32) - 1
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Member:
    """One member of an archive, as it is stored."""

    name: str
    """Its path in the archive."""
    method: int
    """:data:`STORED` or :data:`DEFLATED`."""
    crc: int
    """CRC-32 of its data."""
    size: int
    """Bytes of its data."""
    payload: bytes
    """What is stored: the data itself, or its raw deflate stream."""
    mode: int = 0o100644
    """Its Unix file type and permissions."""


def stored(name: str, data: bytes) -> Member:
    """``data`` kept as it is (already compressed: MP3, PNG)."""
    return Member(name, STORED, zlib.crc32(data), len(data), data)


def deflated(name: str, data: bytes, level: int) -> Member:
    """``data`` deflated at zlib ``level``, piece by piece (:func:`deflate_piece`): up to
    :data:`PIECE` bytes, exactly as :mod:`zipfile` deflates it."""
    pieces = [deflate_piece(data, start, end, level) for start, end in piece_bounds(len(data))]
    return deflated_from(name, zlib.crc32(data), len(data), pieces)


WINDOW = 32 * 1024
"""How far back deflate refers: the part of the data before a piece that primes it."""
PIECE = 512 * 1024
"""Bytes of data a piece of a deflate stream holds (the last may hold fewer). Fixed, so
that a member is the same bytes on any machine, whatever its number of cores."""


def piece_bounds(size: int) -> list[tuple[int, int]]:
    """The spans of :data:`PIECE` bytes that ``size`` bytes are deflated in (one, empty,
    for no data)."""
    return [(start, min(start + PIECE, size)) for start in range(0, size, PIECE)] or [(0, 0)]


def deflate_piece(data: bytes, start: int, end: int, level: int) -> bytes:
    """The raw deflate of ``data[start:end]`` as one piece of the stream of all of
    ``data``, as pigz makes them: primed with the 32 KiB before it (so its references
    reach back as one stream's would), and ended on a byte boundary by an empty stored
    block, but for the last piece, which ends the stream. The pieces, made on as many
    threads, joined in order, are a valid deflate stream of ``data``, the same bytes
    whichever thread made which."""
    if start:
        prime = data[max(0, start - WINDOW) : start]
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=prime)
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    body = compressor.compress(memoryview(data)[start:end])
    return body + compressor.flush(zlib.Z_FINISH if end == len(data) else zlib.Z_SYNC_FLUSH)


def deflated_from(name: str, crc: int, size: int, pieces: Sequence[bytes]) -> Member:
    """The deflated member of data of CRC-32 ``crc`` and ``size`` bytes, from its pieces
    (:func:`deflate_piece`), in order."""
    return Member(name, DEFLATED, crc, size, b"".join(pieces))


def _dos_stamp(epoch: int) -> tuple[int, int]:
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    date = (moment.year - 1980) << 9 | moment.month << 5 | moment.day
    time = moment.hour << 11 | moment.minute << 5 | moment.second // 2
    return time, date


def _name(member: Member) -> tuple[bytes, int]:
    try:
        return member.name.encode("ascii"), 0
    except UnicodeEncodeError:
        return member.name.encode("utf-8"), _UTF8_NAME


def zip_bytes(members: Sequence[Member], epoch: int) -> bytes:
    """The archive of ``members``, in this order, each dated ``epoch`` (seconds; zip keeps
    two-second steps from 1980)."""
    time, date = _dos_stamp(epoch)
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        if max(member.size, len(member.payload), offset) > _LIMIT:
            raise ValueError(f"{member.name}: too large for a zip without ZIP64")
        name, flags = _name(member)
        fields = (member.method, time, date, member.crc, len(member.payload), member.size)
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, *fields, len(name), 0)
        local += [header, name, member.payload]
        central += [
            _CENTRAL.pack(
                b"PK\x01\x02",
                _VERSION,
                _UNIX,
                _VERSION,
                0,
                flags,
                *fields,
                len(name),
                0,  # extra
                0,  # comment
                0,  # disk
                0,  # internal attributes
                (member.mode & 0xFFFF) << 16,
                offset,
            ),
            name,
        ]
        offset += len(header) + len(name) + len(member.payload)
    directory = b"".join(central)
    count = len(members)
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(local) + directory + end
