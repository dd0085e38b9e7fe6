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


def test_the_memo_of_a_process_keeps_no_catalog_text(project_dir: Path) -> None:
    """The in-process memo is keyed by the text's digest: a build reads each of its
    catalogs, and the texts of a 16-document build were held to its end (up to 256)."""
    import gc
    import tracemalloc

    project = Project(load_config(project_dir))
    path = project.po_path("es", DOC)
    padding = "# " + "x" * 78 + "\n"
    path.write_text(padding * 20_000 + path.read_text(encoding="utf-8"), encoding="utf-8")
    pofile._msgfmt_verdict.cache_clear()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        text = pofile.read_checked(path, "es")
        assert len(text) > 1_600_000
        del text
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert pofile._msgfmt_verdict.cache_info().currsize == 1
    assert kept < 100_000, f"{kept} bytes kept after reading a 1.6 MB catalog"
