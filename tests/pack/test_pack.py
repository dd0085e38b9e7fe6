"""Packs: reproducible zips that a health worker can verify against their manifest."""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from pathlib import Path

import pytest

from pipeline.build.run import build
from pipeline.config import load_config
from pipeline.errors import PackError
from pipeline.fsutil import sha256_bytes
from pipeline.pack import archive
from pipeline.pack import output as pack_output
from pipeline.pack.archive import MANIFEST, Ready, pack_epoch, write_pack
from pipeline.pack.verify import verify_pack
from pipeline.pack.zipwriter import Member, piece_bounds
from pipeline.project import Project

from ..conftest import only_locales

FILES = {
    "index.html": b"<!doctype html><title>x</title>",
    "audio/01-intro.mp3": bytes(range(256)) * 40,
    "README.txt": "Información, no consejo médico.\n".encode(),
}
META = {"document": "demo", "locale": "es", "review": "draft"}


def test_same_inputs_give_byte_identical_packs(tmp_path: Path) -> None:
    epoch = pack_epoch(dt.date(2026, 11, 27))
    one = write_pack(tmp_path / "a.zip", dict(FILES), META, epoch)
    two = write_pack(tmp_path / "b.zip", dict(reversed(list(FILES.items()))), META, epoch)
    assert one.sha256 == two.sha256 and one.written
    again = write_pack(tmp_path / "a.zip", dict(FILES), META, epoch)
    assert not again.written  # an unchanged pack is not rewritten
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(2026, 11, 27, 12, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_source_date_epoch_sets_the_timestamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "p.zip"
    write_pack(path, dict(FILES), META, pack_epoch(dt.date(2026, 1, 1)))
    with zipfile.ZipFile(path) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_verify_accepts_a_good_pack(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    write_pack(path, dict(FILES), META, pack_epoch(dt.date(2026, 11, 27)))
    manifest = verify_pack(path)
    assert manifest["locale"] == "es"
    assert {f["path"] for f in manifest["files"]} == set(FILES)


def _rewrite(path: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = {i.filename: archive.read(i) for i in archive.infolist()}
    for name, data in change.items():
        if data is None:
            entries.pop(name)
        else:
            entries[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"index.html": b"<!doctype html><title>tampered</title>"}, "index.html: "),
        ({"README.txt": "Información, no consejo médico!\n".encode()}, "content differs"),
        ({"audio/01-intro.mp3": None}, "listed in the manifest but missing"),
        ({"extra.exe": b"MZ"}, "extra.exe: in the pack but not in the manifest"),
        ({MANIFEST: b"{not json"}, "not a valid manifest"),
    ],
)
def test_verify_rejects_a_tampered_pack(
    tmp_path: Path, change: dict[str, bytes | None], expected: str
) -> None:
    path = tmp_path / "p.zip"
    write_pack(path, dict(FILES), META, pack_epoch(dt.date(2026, 11, 27)))
    _rewrite(path, change)
    with pytest.raises(PackError) as caught:
        verify_pack(path)
    assert expected in caught.value.message
    assert caught.value.path == path


def test_verify_rejects_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(PackError, match="not a readable zip"):
        verify_pack(path)


def test_a_member_made_ahead_is_used_only_for_its_own_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The book is deflated as soon as it is made (the pack output's ``follow``); the pack
    takes that member only while the file's bytes are the ones deflated (the same SHA-256),
    and the pack is the same bytes either way."""
    epoch = pack_epoch(dt.date(2026, 11, 27))
    book = bytes(range(256)) * 300
    files = {**FILES, "demo-es.epub": book}
    plain = write_pack(tmp_path / "plain.zip", dict(files), META, epoch)
    made: list[str] = []
    real = archive.member

    def counted(name: str, data: bytes) -> Member:
        made.append(name)
        return real(name, data)

    monkeypatch.setattr(archive, "member", counted)
    ready = {"demo-es.epub": Ready(sha256_bytes(book), real("demo-es.epub", book))}
    ahead = write_pack(tmp_path / "ahead.zip", dict(files), META, epoch, ready)
    assert ahead.sha256 == plain.sha256 and "demo-es.epub" not in made
    made.clear()
    changed = {**files, "demo-es.epub": book[::-1]}
    again = write_pack(tmp_path / "changed.zip", changed, META, epoch, ready)
    assert "demo-es.epub" in made  # the bytes changed after: deflated again
    with zipfile.ZipFile(tmp_path / "changed.zip") as zipped:
        assert zipped.read("demo-es.epub") == book[::-1] and zipped.testzip() is None
    assert again.sha256 != plain.sha256


def test_the_build_deflates_the_book_while_the_page_is_made(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a build, each book is deflated once, in pieces on the deflating threads, started
    by the pack output's ``follow`` as soon as the book is made; the pack takes it."""
    threads: list[str] = []
    real = pack_output.deflate_piece

    def counted(data: bytes, start: int, end: int, level: int) -> bytes:
        threads.append(threading.current_thread().name)
        return real(data, start, end, level)

    real_member = archive.member

    def refused(name: str, data: bytes) -> Member:
        assert not name.endswith(".epub"), "the pack deflated the book again"
        return real_member(name, data)

    monkeypatch.setattr(pack_output, "deflate_piece", counted)
    monkeypatch.setattr(archive, "member", refused)
    only_locales(project_dir, ["es"])
    report = build(Project(load_config(project_dir)), progress=lambda _: None)
    assert not report.errors
    books = sorted((project_dir / "output").rglob("*.epub"))
    assert len(books) == 2
    pieces = sum(len(piece_bounds(book.stat().st_size)) for book in books)
    assert len(threads) == pieces > 2
    assert all(name.startswith("carepack-deflate") for name in threads)
    for pack in sorted((project_dir / "output" / "packs").glob("*.zip")):
        verify_pack(pack)
