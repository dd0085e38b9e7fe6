"""What people write reaches the disk before it replaces the old file (``fsync``); what a
build makes again from it does not wait for the disk (:func:`pipeline.fsutil.atomic_write`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.fsutil import atomic_write
from pipeline.project import Project


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The file descriptors given to ``os.fsync`` meanwhile."""
    calls: list[int] = []
    real = os.fsync

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", counting)
    return calls


@pytest.mark.parametrize("durable", [True, False])
def test_both_kinds_replace_the_file_whole(
    tmp_path: Path, synced: list[int], durable: bool
) -> None:
    path = tmp_path / "out" / "file.txt"
    assert atomic_write(path, b"first", durable=durable)
    assert atomic_write(path, b"second", durable=durable)
    assert not atomic_write(path, b"second", durable=durable)  # same bytes: left alone
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["file.txt"]  # no temporary left
    assert len(synced) == (2 if durable else 0)


def test_an_update_writes_the_translators_catalogs_durably(
    project_dir: Path, synced: list[int]
) -> None:
    (project_dir / "locales" / "es" / "LC_MESSAGES" / "ui.po").unlink()  # made again
    outcome = Project(load_config(project_dir)).update(["es"])
    assert not outcome.errors
    written = [path.name for path in outcome.written]
    assert "ui.po" in written
    assert len(synced) >= len(written)
