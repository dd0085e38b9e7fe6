"""A catalog msgfmt accepted is not checked again while its text is the same (a record
named by its digest in the project's cache); a changed or refused text always is."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalogs import pofile
from pipeline.config import load_config
from pipeline.errors import PoFileError
from pipeline.project import Project

DOC = "myeloma-second-line"


def count_msgfmt(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the runs of msgfmt from here on (the in-process memo forgotten)."""
    pofile._msgfmt_verdict.cache_clear()
    calls: list[Path] = []
    real = pofile.msgfmt_problem

    def counted(path: Path) -> tuple[int | None, str] | None:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(pofile, "msgfmt_problem", counted)
    return calls


def test_an_accepted_text_is_read_without_msgfmt_next_time(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(load_config(project_dir))
    path = project.po_path("es", DOC)
    calls = count_msgfmt(monkeypatch)
    first = project.catalog("es", DOC)
    assert calls == [path]
    records = list((project.config.cache_dir / "msgfmt-accepted").iterdir())
    assert len(records) == 1 and records[0].stat().st_size == 0
    pofile._msgfmt_verdict.cache_clear()  # as in the next command
    again = Project(load_config(project_dir)).catalog("es", DOC)
    assert calls == [path]  # not run again
    assert [e.msgstr for e in again] == [e.msgstr for e in first]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    Project(load_config(project_dir)).catalog("es", DOC)
    assert calls == [path, path]  # another text: checked


def test_a_refused_text_is_checked_and_reported_every_time(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(load_config(project_dir))
    path = project.po_path("ru", DOC)
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    calls = count_msgfmt(monkeypatch)
    for attempt in range(1, 3):
        pofile._msgfmt_verdict.cache_clear()
        with pytest.raises(PoFileError) as raised:
            Project(load_config(project_dir)).catalog("ru", DOC)
        assert raised.value.path == path and raised.value.line is not None
        assert len(calls) == attempt
    assert not (project.config.cache_dir / "msgfmt-accepted").exists()
