"""Merges started ahead (:mod:`pipeline.catalogs.merge_ahead`): taken only when neither
file changed since the merge started, and an update that takes them writes what an
update without them writes, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.catalogs.merge_ahead import MergesAhead, _Merge
from pipeline.catalogs.msgmerge import run_msgmerge
from pipeline.config import load_config
from pipeline.fsutil import file_state
from pipeline.project import Project

from ..conftest import DOC, Result


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``locales/``, by its path there."""
    folder = root / "locales"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def twin(project_dir: Path, tmp_path: Path) -> Path:
    """A second copy of the project, to update without merges ahead."""
    other = tmp_path / "twin"
    shutil.copytree(project_dir, other)
    return other


def finished(ahead: MergesAhead, project: Project, locale: str, domain: str) -> Path:
    """Wait for one merge started ahead to finish; its catalog file."""
    catalog = project.po_path(locale, domain)
    merge = ahead._merges[(catalog, project.pot_path(domain))]
    ahead._wait(merge)
    assert merge.done, "the merge started ahead never finished"
    return catalog


def test_a_merge_of_unchanged_files_is_taken(project: Project) -> None:
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        catalog = finished(ahead, project, "es", DOC)
        result = ahead.take(catalog, project.pot_path(DOC))
        assert result is not None and result.returncode == 0
        assert 'msgid "' in result.output.read_text(encoding="utf-8")
        scratch = result.output.parent
    assert not scratch.exists(), "closing leaves the merges' files behind"


def test_a_catalog_edited_since_the_merge_started_is_merged_again(
    project: Project, project_dir: Path, tmp_path: Path
) -> None:
    other = twin(project_dir, tmp_path)
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        catalog = finished(ahead, project, "fr", DOC)
        for root in (project_dir, other):  # a translator saves while the update loads
            path = root / catalog.relative_to(project_dir)
            path.write_text("# Relu par Claire.\n" + path.read_text(encoding="utf-8"), "utf-8")
        assert ahead.take(catalog, project.pot_path(DOC)) is None
        outcome = Project(project.config).update(None, None, ahead)
    assert not outcome.errors
    assert "# Relu par Claire." in catalog.read_text(encoding="utf-8")
    assert not Project(load_config(other)).update().errors
    assert snapshot(project_dir) == snapshot(other)


def _edit_master_text(*roots: Path) -> None:
    for root in roots:
        source = root / "source" / f"{DOC}.md"
        text = source.read_text(encoding="utf-8")
        assert "treatment" in text
        source.write_text(text.replace("treatment", "therapy", 1), encoding="utf-8")


def test_a_template_extracted_anew_is_merged_again(
    project: Project, project_dir: Path, tmp_path: Path
) -> None:
    """A master text edited: its template changes, the merges started ahead with the
    old one are never taken (they are started again once it is written, and those may
    be); the interface's, whose template did not change, are taken."""
    other = twin(project_dir, tmp_path)
    _edit_master_text(project_dir, other)
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        for code in project.config.locales:
            finished(ahead, project, code, DOC)
            finished(ahead, project, code, "ui")
        first = {pair: merge.states for pair, merge in ahead._merges.items()}
        taken: list[Path] = []
        take = ahead.take

        def counted(old: Path, template: Path) -> object:
            result = take(old, template)
            if result is not None:
                taken.append(template)
                merge = ahead._merges[(old, template)]
                assert merge.states == (file_state(old), file_state(template))
            return result

        ahead.take = counted  # type: ignore[method-assign]
        outcome = Project(project.config).update(None, None, ahead)
        for pair, merge in ahead._merges.items():
            started_again = merge.states != first[pair]
            assert started_again == (pair[1].name == f"{DOC}.pot"), pair
    assert not outcome.errors
    assert taken.count(project.pot_path("ui")) == len(project.config.locales)
    assert not Project(load_config(other)).update().errors
    assert snapshot(project_dir) == snapshot(other)


def test_refresh_merges_a_rewritten_template_ahead_again(project: Project) -> None:
    _edit_master_text(project.root)
    template = project.pot_path(DOC)
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        for code in project.config.locales:
            finished(ahead, project, code, DOC)
            finished(ahead, project, code, "ui")
        assert ahead.refresh() == 0, "nothing changed yet"
        Project(project.config).extract()  # writes the new template
        assert ahead.refresh() == len(project.config.locales)
        catalog = finished(ahead, project, "es", DOC)
        result = ahead.take(catalog, template)
        assert result is not None and result.returncode == 0
        assert "therapy" in result.output.read_text(encoding="utf-8")


def test_no_workers_starts_nothing(project: Project) -> None:
    with MergesAhead.start(project.config, None, workers=0) as ahead:
        catalog = project.po_path("es", DOC)
        assert ahead.take(catalog, project.pot_path(DOC)) is None
        assert not ahead._batches
        assert not list(ahead._folder.iterdir())


def test_a_merge_the_update_claimed_first_is_skipped(project: Project) -> None:
    pairs = [(project.po_path(c, DOC), project.pot_path(DOC)) for c in ("es", "fr")]
    with MergesAhead(pairs, workers=0) as ahead:
        claimed, following = (ahead._merges[pair] for pair in pairs)
        assert ahead._claim(claimed)  # the update runs this one itself
        ahead._workers = 1
        ahead._launch([claimed, following])
        ahead._wait(claimed)
        assert claimed.done and following.done
        assert claimed.result is None
        assert not (ahead._folder / f"{claimed.number}.po").exists()
        assert following.result is not None and following.result.returncode == 0
        assert not ahead._claim(following), "a merge the batch ran is the batch's"


def test_a_broken_catalog_is_reported_as_without_merges_ahead(
    project: Project, project_dir: Path, tmp_path: Path
) -> None:
    other = twin(project_dir, tmp_path)
    for root in (project_dir, other):
        path = root / "locales" / "vi" / "LC_MESSAGES" / f"{DOC}.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('msgstr "', 'msgstr "unclosed\nmsgstr "', 1), "utf-8")
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        finished(ahead, project, "vi", DOC)
        ours = Project(project.config).update(None, None, ahead)
    theirs = Project(load_config(other)).update()
    assert [str(e) for e in ours.errors] == [
        str(e).replace(str(other), str(project_dir)) for e in theirs.errors
    ]
    assert ours.errors and ours.errors[0].line is not None
    assert snapshot(project_dir) == snapshot(other)


def test_file_state_tells_a_rewritten_file(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text("one", encoding="utf-8")
    before = file_state(path)
    assert before is not None and before == file_state(path)
    path.write_text("two", encoding="utf-8")  # same size
    assert file_state(path) != before
    assert file_state(tmp_path / "missing.po") is None


def test_the_command_writes_what_an_update_without_merges_ahead_writes(
    cli: Callable[..., Result], project_dir: Path, tmp_path: Path
) -> None:
    other = twin(project_dir, tmp_path)
    for root in (project_dir, other):
        source = root / "source" / f"{DOC}.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("treatment", "therapy", 1), encoding="utf-8")
    result = cli("update")
    assert result.code == 0, result.err
    assert not Project(load_config(other)).update().errors
    assert snapshot(project_dir) == snapshot(other)


@pytest.mark.parametrize("cores", [1, 2, 4])
def test_one_core_fewer_than_the_machine_has(
    project: Project, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    with MergesAhead.start(project.config, None) as ahead:
        assert len(ahead._batches) == min(cores - 1, len(ahead._merges))


def test_without_gettext_the_update_says_so(project_dir: Path, tmp_path: Path) -> None:
    """GNU gettext missing: the merges ahead fail quietly, the update names the package."""
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--root", str(project_dir), "update"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PATH": str(empty)},
    )
    assert done.returncode != 0
    assert "is not installed (apt-get install gettext)" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_a_catalog_saved_while_the_update_loads_is_what_its_stamp_records(
    cli: Callable[..., Result], project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an earlier stamp, the update starts its merges ahead before it digests
    its inputs: a catalog saved in between is merged as saved, and the next update,
    finding the same bytes, has nothing to do."""
    catalog = project_dir / "locales" / "fr" / "LC_MESSAGES" / f"{DOC}.po"
    start = MergesAhead.start.__func__  # type: ignore[attr-defined]

    def start_then_save(cls: type[MergesAhead], *args: object, **kwargs: object) -> MergesAhead:
        ahead = start(cls, *args, **kwargs)
        catalog.write_text("# Relu par Claire.\n" + catalog.read_text("utf-8"), "utf-8")
        return ahead

    monkeypatch.setattr(MergesAhead, "start", classmethod(start_then_save))
    first = cli("update")
    assert first.code == 0, first.err
    assert "# Relu par Claire." in catalog.read_text(encoding="utf-8")

    def no_work(cls: type[MergesAhead], *args: object, **kwargs: object) -> MergesAhead:
        raise AssertionError("the stamp did not record the catalog as saved")

    monkeypatch.setattr(MergesAhead, "start", classmethod(no_work))
    again = cli("update")
    assert again.code == 0, again.err
    assert again.out.startswith("0 file(s) updated"), again.out
    assert "# Relu par Claire." in catalog.read_text(encoding="utf-8")


def _slow_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches that take a second over each merge (the update's own merges do not)."""
    slow = tmp_path / "slow-msgmerge"
    real = shutil.which("msgmerge")
    assert real is not None
    slow.write_text(f'#!/bin/sh\nsleep 1\nexec {real} "$@"\n', encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setattr("pipeline.catalogs.merge_ahead.msgmerge_program", lambda: str(slow))


def _started(ahead: MergesAhead, merge: _Merge) -> None:
    claim = ahead._folder / f"{merge.number}.claim"
    for _ in range(500):  # the batch claims its first merge as soon as it starts
        if claim.exists():
            return
        time.sleep(0.01)
    raise AssertionError("the batch never started")


def test_a_batch_behind_has_its_last_merge_run_by_the_update_meanwhile(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch is busy with the merge the update wants and has most of the others still
    to start: rather than only wait, the update runs the batch's last merge itself (the
    batch then skips it) and takes it later as it would have taken the batch's, byte for
    byte what msgmerge writes."""
    _slow_batch(tmp_path, monkeypatch)
    with MergesAhead.start(project.config, None, workers=1) as ahead:
        pairs = list(ahead._merges)
        assert len(pairs) == 2 * len(project.config.locales)
        first, last = ahead._merges[pairs[0]], ahead._merges[pairs[-1]]
        _started(ahead, first)
        assert ahead.take(*pairs[0]) is not None  # waited for the batch's first merge...
        assert last.done and last.result is not None  # ...running the last one meanwhile
        assert not (ahead._folder / f"{last.number}.err").exists(), "the batch ran it"
        taken = ahead.take(*pairs[-1])
        assert taken is not None and taken.returncode == 0
        expected = tmp_path / "expected.po"
        assert run_msgmerge(*pairs[-1], expected).returncode == 0
        assert taken.output.read_bytes() == expected.read_bytes()


def test_a_batch_ahead_is_left_to_its_merges(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two merges left to start against three results still to take: the batch keeps up,
    and the update, which takes every result in turn, would only lose time running one."""
    _slow_batch(tmp_path, monkeypatch)
    pairs = [(project.po_path(code, DOC), project.pot_path(DOC)) for code in ("es", "fr", "vi")]
    with MergesAhead(pairs, workers=1) as ahead:
        first, last = ahead._merges[pairs[0]], ahead._merges[pairs[-1]]
        _started(ahead, first)
        assert ahead.take(*pairs[0]) is not None
        assert not last.done and not (ahead._folder / f"{last.number}.claim").exists()
