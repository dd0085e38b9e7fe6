"""Zip packs for community health workers, reproducible and verifiable.

A pack holds one language's page, audio and playlist, a ``README.txt`` in that
language and a ``manifest.json`` listing every file with its size and SHA-256.
Entries are sorted, dated from the document (or ``SOURCE_DATE_EPOCH``) and given
fixed permissions, so the same inputs give byte-identical zips.
:mod:`pipeline.pack.verify` checks a pack received from someone else against its manifest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..build.outputs import OneFile
from ..fsutil import atomic_write, sha256_bytes
from .zipwriter import Member, deflated, stored, zip_bytes

MANIFEST = "manifest.json"
README = "README.txt"
_STORED_SUFFIXES = {".mp3", ".png", ".zip"}  # already compressed
#: Deflate levels: text gets zlib's best (it is small); the talking book is mostly MP3
#: frames, which deflate saves 11% of at any level: level 1 takes 0.05 s a book where
#: level 9 took 0.07 s (0.15 s of a cold build's 8 packs), for 0.7% more bytes.
_FAST_SUFFIXES = {".epub"}


@dataclass(frozen=True)
class PackResult(OneFile):
    """A pack on disk (the build's product of :class:`pipeline.pack.output.PackOutput`)."""

    label: ClassVar[str] = "pack"

    path: Path
    """The zip file."""
    size: int
    """Its size in bytes."""
    sha256: str
    """Its SHA-256."""
    written: bool
    """Whether the file changed in this build."""


def pack_epoch(reviewed: dt.date) -> int:
    """The timestamp for every entry: ``SOURCE_DATE_EPOCH`` or the review date (UTC noon)."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return max(int(env), 315532800)  # zip cannot store dates before 1980
    moment = dt.datetime.combine(reviewed, dt.time(12), tzinfo=dt.UTC)
    return int(moment.timestamp())


def level_for(name: str) -> int | None:
    """The zlib level the pack deflates the file ``name`` at (``None``: stored, as an
    already compressed file is): the book at 1, the rest at zlib's best."""
    suffix = Path(name).suffix.lower()
    if suffix in _STORED_SUFFIXES:
        return None
    return 1 if suffix in _FAST_SUFFIXES else 9


def member(name: str, data: bytes) -> Member:
    """How the pack keeps the file ``name`` (:func:`level_for`)."""
    level = level_for(name)
    return stored(name, data) if level is None else deflated(name, data, level)


@dataclass(frozen=True)
class Ready:
    """A member made before the pack (:func:`member`), with the digest of its data."""

    sha256: str
    """SHA-256 of the file's bytes it was made from."""
    member: Member
    """The member."""


def manifest_files(
    files: dict[str, bytes], digests: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every file's name, size and SHA-256, sorted by name (``digests``: those already
    computed, by name)."""
    known = digests or {}
    return [
        {"path": name, "size": len(data), "sha256": known.get(name) or sha256_bytes(data)}
        for name, data in sorted(files.items())
    ]


def pack_bytes(
    files: dict[str, bytes],
    manifest: dict[str, Any],
    epoch: int,
    ready: Mapping[str, Ready] | None = None,
) -> bytes:
    """The zip's bytes: ``files`` plus ``manifest.json`` (with the file list added).
    ``ready``: members already made, by name, each used only for the very bytes it was
    made from (their SHA-256, which the manifest lists anyway)."""
    if MANIFEST in files:
        raise ValueError(f"{MANIFEST} is written by the pack itself")
    digests = {name: sha256_bytes(files[name]) for name in ready or {} if name in files}
    full = dict(manifest)
    full["files"] = manifest_files(files, digests)
    body = json.dumps(full, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    entries = {**files, MANIFEST: body.encode("utf-8")}
    made = ready or {}
    members = []
    for name in sorted(entries):
        early = made.get(name)
        if early is not None and early.sha256 == digests.get(name):
            members.append(early.member)
        else:
            members.append(member(name, entries[name]))
    return zip_bytes(members, epoch)


def write_pack(
    path: Path,
    files: dict[str, bytes],
    manifest: dict[str, Any],
    epoch: int,
    ready: Mapping[str, Ready] | None = None,
) -> PackResult:
    """Build the pack and write it atomically (untouched when identical)."""
    data = pack_bytes(files, manifest, epoch, ready)
    written = atomic_write(path, data, durable=False)
    return PackResult(path, len(data), sha256_bytes(data), written)
