"""``carepack verify`` on hostile and damaged packs (issue 13, point 2): a message and a
non-zero exit for each, never a traceback, never "OK", never the whole zip in memory."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import PackError
from pipeline.pack.archive import MANIFEST
from pipeline.pack.verify import MAX_PACK_CONTENT_BYTES, unsafe_name, verify_pack

from ..conftest import DOC, Result, only_locales


@pytest.fixture
def pack(project_dir: Path, cli: Callable[..., Result]) -> Path:
    """The Spanish pack of a fresh copy of the shipped project, built."""
    only_locales(project_dir, ["es"])
    assert cli("build", "--no-audio").code == 0
    path = project_dir / "output" / "packs" / f"{DOC}-es.zip"
    assert cli("verify", str(path)).code == 0
    return path


def entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rewrite(
    path: Path,
    items: list[tuple[zipfile.ZipInfo, bytes]],
    listed: dict[str, bytes] | None = None,
) -> None:
    """Write ``items`` as the pack; ``listed`` files are added to the manifest as well."""
    manifest: dict[str, object] | None = None
    for info, data in items:
        if info.filename == MANIFEST:
            manifest = json.loads(data)
    assert manifest is not None
    files = list(manifest["files"])  # type: ignore[call-overload]
    for name, data in (listed or {}).items():
        files.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    manifest["files"] = files
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in items:
            if info.filename == MANIFEST:
                data = json.dumps(manifest).encode()
            archive.writestr(info, data)


def named(name: str, data: bytes, mode: int = 0o100644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info, data


def refused(cli: Callable[..., Result], path: Path, *expected: str) -> Result:
    result = cli("verify", str(path))
    assert result.code == PackError.exit_code, result.out
    assert "OK" not in result.out and "Traceback" not in result.err
    assert result.err.startswith(f"carepack: error: {path}: ")
    for text in expected:
        assert text in result.err, result.err
    return result


def test_one_flipped_byte_is_reported_as_a_corrupt_file(
    pack: Path, cli: Callable[..., Result]
) -> None:
    with zipfile.ZipFile(pack) as archive:
        info = archive.getinfo("index.html")
    data = bytearray(pack.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0x01
    pack.write_bytes(bytes(data))
    refused(cli, pack, "file index.html is corrupt")


def test_no_flipped_byte_anywhere_gives_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        body = b"Tome 2 comprimidos al dia. " * 20
        archive.writestr("a.txt", body)
        listing = [{"path": "a.txt", "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}]
        archive.writestr(MANIFEST, json.dumps({"files": listing}))
    good = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("a.txt")
    start = info.header_offset + 30 + len(info.filename)
    content = range(start, start + info.compress_size)
    passed: list[int] = []
    for offset in range(len(good)):
        damaged = bytearray(good)
        damaged[offset] ^= 0xFF
        path.write_bytes(bytes(damaged))
        try:
            verify_pack(path)
        except PackError:
            continue
        with zipfile.ZipFile(path) as archive:  # "OK" only when the content is the same
            assert archive.read("a.txt") == body, f"a flipped byte at {offset} passed"
        passed.append(offset)
    assert len([o for o in passed if o in content]) <= 1  # deflate's last byte has pad bits


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../evil.txt", "a '..' in the name"),
        ("audio/../../evil.txt", "a '..' in the name"),
        ("/etc/cron.d/evil", "an absolute name"),
        ("C:/Windows/evil.txt", "an absolute name"),
        ("..\\evil.txt", "a backslash"),
    ],
)
def test_names_that_escape_the_folder_are_refused_even_when_listed(
    pack: Path, cli: Callable[..., Result], name: str, reason: str
) -> None:
    payload = b"owned\n"
    rewrite(pack, [*entries(pack), named(name, payload)], listed={name: payload})
    refused(cli, pack, reason)


def test_a_symlink_entry_is_refused_even_when_listed(
    pack: Path, cli: Callable[..., Result]
) -> None:
    target = b"/etc/passwd"
    link = named("audio/notes.txt", target, stat.S_IFLNK | 0o777)
    rewrite(pack, [*entries(pack), link], listed={"audio/notes.txt": target})
    refused(cli, pack, "audio/notes.txt: refused (a symbolic link)")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_two_entries_of_one_name_are_refused(pack: Path, cli: Callable[..., Result]) -> None:
    items = entries(pack)
    fake = named("index.html", b"<!doctype html><title>fake</title>")
    rewrite(pack, [fake, *items])  # the first one, the one many tools show, is fake
    refused(cli, pack, "index.html: refused (the pack holds this name 2 times)")


def test_an_entry_not_in_the_manifest_is_refused(pack: Path, cli: Callable[..., Result]) -> None:
    rewrite(pack, [*entries(pack), named("run-me.sh", b"#!/bin/sh\n")])
    refused(cli, pack, "run-me.sh: in the pack but not in the manifest")


def test_a_listed_zip_bomb_is_refused_unread(pack: Path, cli: Callable[..., Result]) -> None:
    """The manifest claims 6.2 GB: refused from the numbers, before anything is unpacked."""
    items = entries(pack)
    manifest = json.loads(next(d for i, d in items if i.filename == MANIFEST))
    manifest["files"].append({"path": "bomb.bin", "size": 6_200_000_000, "sha256": "0" * 64})
    with zipfile.ZipFile(pack, "w") as archive:
        for info, data in items:
            archive.writestr(info, json.dumps(manifest) if info.filename == MANIFEST else data)
        archive.writestr("bomb.bin", b"\0" * 1000, zipfile.ZIP_DEFLATED)
    result = refused(cli, pack, "6200.0 MB of files", "refused unread")
    assert f"at most {MAX_PACK_CONTENT_BYTES / 1e6:.0f} MB" in result.err


def test_entries_are_streamed_not_read_whole(tmp_path: Path) -> None:
    """64 MB of zeros (64 KB zipped), listed truthfully: checked in bounded memory."""
    path = tmp_path / "big.zip"
    body = bytes(64 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", body)
        listing = [
            {"path": "zeros.bin", "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        ]
        archive.writestr(MANIFEST, json.dumps({"files": listing}))
    del body
    tracemalloc.start()
    try:
        verify_pack(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"peak {peak} bytes"


def test_an_entry_larger_than_listed_is_refused(pack: Path, cli: Callable[..., Result]) -> None:
    items = entries(pack)
    manifest = json.loads(next(d for i, d in items if i.filename == MANIFEST))
    for item in manifest["files"]:
        if item["path"] == "index.html":
            item["size"] = 10
    with zipfile.ZipFile(pack, "w") as archive:
        for info, data in items:
            archive.writestr(info, json.dumps(manifest) if info.filename == MANIFEST else data)
    refused(cli, pack, "index.html: ", "bytes, manifest says 10")


def test_a_manifest_without_sizes_is_refused(pack: Path, cli: Callable[..., Result]) -> None:
    items = entries(pack)
    manifest = json.loads(next(d for i, d in items if i.filename == MANIFEST))
    manifest["files"][0]["size"] = "many"
    with zipfile.ZipFile(pack, "w") as archive:
        for info, data in items:
            archive.writestr(info, json.dumps(manifest) if info.filename == MANIFEST else data)
    refused(cli, pack, "not a valid manifest: file 1 needs a path, a size")


def test_a_truncated_pack_is_not_a_traceback(pack: Path, cli: Callable[..., Result]) -> None:
    copy = pack.with_name("half.zip")
    shutil.copy(pack, copy)
    copy.write_bytes(pack.read_bytes()[: pack.stat().st_size // 2])
    refused(cli, copy, "not a readable zip file")


@pytest.mark.parametrize("name", ["index.html", "audio/01-intro.mp3", "a b/ñ.txt"])
def test_ordinary_names_are_safe(name: str) -> None:
    assert unsafe_name(name) is None
