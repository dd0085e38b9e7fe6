"""Packs: reproducible zips that a health worker can verify against their manifest."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import PackError
from pipeline.pack.archive import MANIFEST, pack_epoch, write_pack
from pipeline.pack.verify import verify_pack

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
