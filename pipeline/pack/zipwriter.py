"""Zip archives laid out byte for byte as Python's :mod:`zipfile` writes them, from members
whose compressed form may have been made beforehand.

:mod:`zipfile` compresses a member while it writes it. A pack's largest member, the
talking book, can be deflated as soon as the book is made, on a thread of its own while
the build renders the page (zlib lets go of the interpreter lock): then the pack only
has to lay the bytes out. The layout is :mod:`zipfile`'s for the same members (version
2.0, made on Unix, no data descriptors, no extra fields; a name that is not ASCII is
flagged UTF-8); a test compares the two. No ZIP64: a pack is far below 4 GiB, and a
member that is not raises :class:`ValueError`.
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
    """``data`` deflated at zlib ``level``, exactly as :mod:`zipfile` deflates it."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    return Member(name, DEFLATED, zlib.crc32(data), len(data), payload)


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
