"""``carepack verify``: check a pack received from someone else, trusting nothing in it.

A zip file is hostile input. Nothing in it is read whole: each entry is streamed
with a bound taken from the manifest, so a zip bomb stops at the size it claims.
Names that could escape a folder when unpacked (``..``, absolute paths, drive
letters, backslashes), symbolic links, duplicate names, entries the manifest does
not list and damaged entries are each reported; a damaged zip is a message
("file X is corrupt"), never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import PackError
from .archive import MANIFEST

MAX_MANIFEST_BYTES = 1 << 20
"""A manifest lists a few dozen files; anything larger is refused unread."""
MAX_PACK_CONTENT_BYTES = 1_000_000_000
"""The most a pack may unpack to (a leaflet's pack is a few MB)."""
MAX_ENTRIES = 10_000
"""The most entries a pack may hold."""
_CHUNK = 1 << 16
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: What reading a damaged or unusual entry can raise, from zipfile and zlib.
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)
_UNSUPPORTED = NotImplementedError


def unsafe_name(name: str) -> str | None:
    """Why ``name`` could escape the folder it is unpacked into, or ``None`` if it is safe."""
    if not name or "\x00" in name:
        return "an empty name or a NUL byte"
    if "\\" in name:
        return "a backslash in the name"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute name"
    if ".." in name.split("/"):
        return "a '..' in the name"
    if any(part in ("", ".") for part in name.split("/")):
        return "an empty or '.' part in the name (or a folder entry)"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The entry's bytes, or ``None`` when it holds more than ``limit`` bytes."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(min(_CHUNK, limit + 1 - total)):
            total += len(chunk)
            if total > limit:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def _stream_digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[int, str]:
    """Size and SHA-256 of the entry, reading at most ``limit + 1`` bytes of it."""
    digest = hashlib.sha256()
    total = 0
    with archive.open(info) as handle:
        while chunk := handle.read(min(_CHUNK, limit + 1 - total)):
            total += len(chunk)
            digest.update(chunk)
            if total > limit:
                break
    return total, digest.hexdigest()


def _listed_files(manifest: Any, path: Path) -> dict[str, dict[str, Any]]:
    """The manifest's file list, checked for shape; raises :class:`PackError`."""
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        raise PackError(f"{MANIFEST} is not a valid manifest: no list of files", path)
    listed: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(files, 1):
        valid = (
            isinstance(item, dict)
            and isinstance(item.get("path"), str)
            and type(item.get("size")) is int
            and item["size"] >= 0
            and isinstance(item.get("sha256"), str)
            and _SHA256.fullmatch(item["sha256"]) is not None
        )
        if not valid:
            raise PackError(
                f"{MANIFEST} is not a valid manifest: file {number} needs a path, "
                "a size in bytes and a SHA-256",
                path,
            )
        name = item["path"]
        if name in listed or name == MANIFEST:
            raise PackError(f"{MANIFEST} is not a valid manifest: {name} is listed twice", path)
        listed[name] = item
    return listed


def _check_entries(
    archive: zipfile.ZipFile, listed: dict[str, dict[str, Any]], problems: list[str]
) -> dict[str, zipfile.ZipInfo]:
    """Report unsafe, linked, duplicate and unlisted entries; return the ones safe to read."""
    counts = Counter(info.filename for info in archive.infolist())
    readable: dict[str, zipfile.ZipInfo] = {}
    for name in sorted(name for name, count in counts.items() if count > 1):
        problems.append(f"{name}: refused (the pack holds this name {counts[name]} times)")
    for info in archive.infolist():
        name = info.filename
        reason = unsafe_name(name)
        if counts[name] > 1:
            continue
        if reason is not None:
            problems.append(f"{name!r}: refused ({reason})")
        elif _is_symlink(info):
            problems.append(f"{name}: refused (a symbolic link)")
        elif name != MANIFEST and name not in listed:
            problems.append(f"{name}: in the pack but not in the manifest")
        elif info.flag_bits & 0x1:
            problems.append(f"{name}: refused (encrypted)")
        else:
            readable[name] = info
    return readable


def _load_manifest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Any:
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackError(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES} bytes", path)
    try:
        data = _read_bounded(archive, info, MAX_MANIFEST_BYTES)
    except _DAMAGE:
        raise PackError(f"file {MANIFEST} is corrupt", path) from None
    if data is None:
        raise PackError(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES} bytes", path)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackError(f"{MANIFEST} is not a valid manifest: {error}", path) from None


def verify_pack(path: Path) -> dict[str, Any]:
    """Check a pack against its manifest; return the manifest, or raise :class:`PackError`.

    Every problem is listed in the message: missing, extra, resized, altered,
    corrupt, unsafe, linked or duplicated files, or a missing or invalid manifest.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (*_DAMAGE, _UNSUPPORTED) as error:
        raise PackError(f"not a readable zip file: {error}", path) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackError(f"the pack holds {len(infos)} entries (at most {MAX_ENTRIES})", path)
        manifests = [info for info in infos if info.filename == MANIFEST]
        if not manifests:
            raise PackError(f"no {MANIFEST} in the pack", path)
        if len(manifests) > 1:
            raise PackError(f"{MANIFEST} is in the pack more than once", path)
        manifest = _load_manifest(archive, manifests[0], path)
        listed = _listed_files(manifest, path)
        total = sum(item["size"] for item in listed.values())
        if total > MAX_PACK_CONTENT_BYTES:
            raise PackError(
                f"the manifest lists {total / 1e6:.1f} MB of files (a pack may hold at most "
                f"{MAX_PACK_CONTENT_BYTES / 1e6:.0f} MB); refused unread",
                path,
            )
        problems: list[str] = []
        readable = _check_entries(archive, listed, problems)
        present = {info.filename for info in infos}
        for name, item in sorted(listed.items()):
            if unsafe_name(name) is not None:
                problems.append(f"{name!r}: refused in the manifest ({unsafe_name(name)})")
                continue
            if name not in readable:
                if name not in present:
                    problems.append(f"{name}: listed in the manifest but missing")
                continue
            problems.extend(_check_entry(archive, readable[name], item))
    if problems:
        raise PackError("pack does not match its manifest:\n  " + "\n  ".join(problems), path)
    return dict(manifest)


def _check_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, item: dict[str, Any]
) -> list[str]:
    name, size = info.filename, item["size"]
    if info.file_size != size:
        return [f"{name}: {info.file_size} bytes, manifest says {size}"]
    try:
        read, digest = _stream_digest(archive, info, size)
    except _UNSUPPORTED:
        return [f"{name}: stored with a compression method carepack cannot read"]
    except _DAMAGE:
        return [f"file {name} is corrupt"]
    if read != size:
        return [f"file {name} is corrupt (it unpacks to more or fewer bytes than it says)"]
    if digest != item["sha256"]:
        return [f"{name}: content differs from the manifest (SHA-256)"]
    return []
