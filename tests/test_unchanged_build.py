"""A build with nothing changed since the last one that succeeded stops at once (the whole
build's stamp, :mod:`pipeline.build.unchanged`); anything changed means a full build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.build.run import project_lock
from pipeline.build.unchanged import STAMP_NAME
from pipeline.config import load_config
from pipeline.errors import BuildError, LockError
from pipeline.project import Project

from .conftest import DOC, Result, break_entry, only_locales, outputs, replace_in_po

NOTHING = "Nothing changed since the last build"


@pytest.fixture
def built(project_dir: Path, cli: Callable[..., Result]) -> dict[str, str]:
    """The project with two locales, built once without audio (the stamp written)."""
    only_locales(project_dir, ["es", "fr"])
    first = cli("build", "--no-audio")
    assert first.code == 0, first.out + first.err
    assert NOTHING not in first.out
    return outputs(project_dir)


def test_second_build_stops_at_once_and_touches_nothing(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    times = {p: p.stat().st_mtime_ns for p in (project_dir / "output").rglob("*")}
    again = cli("build", "--no-audio")
    assert again.code == 0, again.err
    assert NOTHING in again.out and "0 audio track(s) spoken" in again.out
    assert f"Published (3): {DOC}/en, {DOC}/es, {DOC}/fr" in again.out  # the last summary
    assert outputs(project_dir) == built
    assert {p: p.stat().st_mtime_ns for p in (project_dir / "output").rglob("*")} == times


def test_an_edited_catalog_builds_again(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    replace_in_po(project_dir, "es", "mieloma", "MIELOMA")
    again = cli("build", "--no-audio")
    assert again.code == 0, again.err
    assert NOTHING not in again.out
    page = project_dir / "output" / DOC / "es" / "index.html"
    assert "MIELOMA" in page.read_text(encoding="utf-8")
    assert NOTHING in cli("build", "--no-audio").out  # and that build is recorded in turn


def test_a_new_file_in_source_or_locales_builds_again(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    (project_dir / "locales" / "fr" / "glossary.csv").write_text("source,target\n", "utf-8")
    assert NOTHING not in cli("build", "--no-audio").out


def test_a_deleted_or_edited_output_is_made_again(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    pack = project_dir / "output" / "packs" / f"{DOC}-fr.zip"
    pack.unlink()
    page = project_dir / "output" / DOC / "es" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    again = cli("build", "--no-audio")
    assert again.code == 0 and NOTHING not in again.out
    assert outputs(project_dir) == built


def test_other_options_or_date_build_again(
    project_dir: Path,
    cli: Callable[..., Result],
    built: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert NOTHING not in cli("build", "--no-audio", "--strict").out
    assert NOTHING in cli("build", "--no-audio", "--strict").out
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert NOTHING not in cli("build", "--no-audio").out


def test_a_failed_build_is_not_recorded(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    line = break_entry(project_dir, "es")
    for _ in range(2):  # the error is reported every time, never "nothing changed"
        failed = cli("build", "--no-audio")
        assert failed.code == BuildError.exit_code
        assert NOTHING not in failed.out
        assert f"{DOC}.po:{line}" in failed.out + failed.err


def test_a_running_build_is_still_reported(
    project_dir: Path, cli: Callable[..., Result], built: dict[str, str]
) -> None:
    with project_lock(Project(load_config(project_dir))):
        result = cli("build", "--no-audio")
    assert result.code == LockError.exit_code
    assert "another build is running" in result.err


def test_a_catalog_edited_during_the_build_is_not_trusted(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inputs are read again when the build ends: a catalog edited while it ran
    leaves no record, so putting the file back as it was when the build began makes a
    full build (the outputs were made from the edit), not "nothing changed"."""
    only_locales(project_dir, ["es"])
    catalog = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    original = catalog.read_bytes()
    replace_in_po(project_dir, "es", "mieloma", "MIELOMA")
    edited = catalog.read_bytes()
    catalog.write_bytes(original)
    from pipeline.build import run

    real = run.build

    def edit_then_build(*args: Any, **kwargs: Any) -> Any:
        catalog.write_bytes(edited)  # after the inputs were read, before the build reads them
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "build", edit_then_build)
    assert cli("build", "--no-audio").code == 0
    monkeypatch.setattr(run, "build", real)
    page = project_dir / "output" / DOC / "es" / "index.html"
    assert "MIELOMA" in page.read_text(encoding="utf-8")
    catalog.write_bytes(original)  # as when that build began
    again = cli("build", "--no-audio")
    assert again.code == 0 and NOTHING not in again.out
    assert "MIELOMA" not in page.read_text(encoding="utf-8")
    assert NOTHING in cli("build", "--no-audio").out
    assert (load_config(project_dir).cache_dir / STAMP_NAME).is_file()
