"""The packs' zip writer lays members out byte for byte as Python's ``zipfile`` does, and
what it writes reads back (``zipfile``, ``unzip -t``) with every CRC checked."""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline.pack.zipwriter import (
    DEFLATED,
    PIECE,
    Member,
    deflate_piece,
    deflated,
    piece_bounds,
    stored,
    zip_bytes,
)

RANDOM = random.Random(7)
FILES = {
    "index.html": b"<!doctype html><title>x</title>" * 50,
    "audio/full.mp3": bytes(RANDOM.getrandbits(8) for _ in range(20_000)),
    "book.epub": b"PK" + bytes(RANDOM.getrandbits(8) for _ in range(5_000)) + b"\0" * 4_000,
    "LÉAME — 说明.txt": "Información, no consejo médico.\n".encode() * 30,
    "empty.txt": b"",
}


def _members(level: int) -> list[Member]:
    return [
        stored(name, data) if name.endswith(".mp3") else deflated(name, data, level)
        for name, data in sorted(FILES.items())
    ]


def _zipfile_bytes(level: int, epoch: int) -> bytes:
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(FILES.items()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith(".mp3") else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


@pytest.mark.parametrize("level", [1, 6, 9])
@pytest.mark.parametrize("epoch", [315532800, 1764504001, 1700000000])
def test_the_same_bytes_as_zipfile(level: int, epoch: int) -> None:
    assert zip_bytes(_members(level), epoch) == _zipfile_bytes(level, epoch)


def test_it_reads_back_with_every_crc_checked(tmp_path: Path) -> None:
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_bytes(_members(1), 1764504000))
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == FILES
        assert archive.getinfo("book.epub").compress_type == DEFLATED
    done = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_member_past_four_gibibytes_is_refused() -> None:
    huge = Member("big.bin", DEFLATED, 0, 1 << 32, b"")
    with pytest.raises(ValueError, match=r"big\.bin: too large"):
        zip_bytes([huge], 1764504000)


def test_a_large_member_is_deflated_in_pieces_that_make_one_stream() -> None:
    """Over :data:`PIECE` bytes, a member is deflated in pieces (each primed with the
    32 KiB before it, so nearly as small as one stream), made in any order on any thread:
    the same bytes, and zlib inflates them as one stream."""
    data = b"".join(f"line {n % 977} of the talking book\n".encode() for n in range(60_000))
    data += bytes(RANDOM.getrandbits(8) for _ in range(300_000))
    assert len(data) > 3 * PIECE
    member = deflated("book.epub", data, 1)
    bounds = piece_bounds(len(data))
    assert len(bounds) == -(-len(data) // PIECE)
    backwards = {bound: deflate_piece(data, *bound, 1) for bound in reversed(bounds)}
    assert b"".join(backwards[bound] for bound in bounds) == member.payload
    assert zlib.decompress(member.payload, -15) == data
    one = zlib.compressobj(1, zlib.DEFLATED, -15)
    whole = one.compress(data) + one.flush()
    assert len(member.payload) <= len(whole) * 1.002
    with zipfile.ZipFile(io.BytesIO(zip_bytes([member], 1764504000))) as archive:
        assert archive.read("book.epub") == data
