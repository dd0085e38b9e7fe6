"""An update whose inputs did not change since the last one is done at once; any change
to an input (a catalog, a master text, a glossary, the configuration) updates in full."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pipeline.catalogs import merge
from pipeline.catalogs.merge_ahead import MergesAhead
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.update_run import run_update
from pipeline.catalogs.update_stamp import STAMP_NAME
from pipeline.config import load_config
from pipeline.errors import PoFileError
from pipeline.project import Project

from ..conftest import Result

DOC = "myeloma-second-line"
CATALOGS = 16
"""The shipped project's files an update deals with: 2 templates, 7 locales x 2 catalogs."""


def no_merging(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make any msgmerge run, here or ahead, fail the test; return the calls seen."""
    calls: list[Path] = []

    def refuse(old: Path, *_: object) -> None:
        calls.append(old)
        raise AssertionError("msgmerge ran although nothing had changed")

    monkeypatch.setattr(merge, "run_msgmerge", refuse)
    monkeypatch.setattr(MergesAhead, "_launch", lambda _, merges: refuse(merges[0].old))
    return calls


def test_unchanged_update_merges_nothing(
    cli: Callable[..., Result], project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("update").code == 0
    assert (project_dir / ".cache" / "carepack" / STAMP_NAME).is_file()
    before = {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")}
    calls = no_merging(monkeypatch)
    result = cli("update")
    assert (result.code, result.out) == (0, f"0 file(s) updated, {CATALOGS} unchanged.\n")
    assert calls == []
    outcome = Project(load_config(project_dir)).update()  # the library call too
    assert (outcome.written, len(outcome.unchanged), calls) == ([], CATALOGS, [])
    assert {p: p.read_bytes() for p in (project_dir / "locales").rglob("*.po*")} == before


def _rewrap(path: Path) -> None:
    """Join a wrapped msgid's lines, as an editor might: valid PO, not GNU's layout."""
    text = path.read_text(encoding="utf-8")
    joined = text.replace('"\n"', "", 1)
    assert joined != text
    path.write_text(joined, encoding="utf-8")


def _edit_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("is crucial for", "is vital for"), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "target"),
    [
        ("rewrap", f"locales/es/LC_MESSAGES/{DOC}.po"),
        ("delete", f"locales/fr/LC_MESSAGES/{DOC}.po"),
        ("delete", f"locales/{DOC}.pot"),
        ("edit source", f"source/{DOC}.md"),
    ],
)
def test_any_changed_input_updates_in_full(
    cli: Callable[..., Result], project_dir: Path, change: str, target: str
) -> None:
    assert cli("update").code == 0
    canonical = {p: p.read_text("utf-8") for p in (project_dir / "locales").rglob("*.po*")}
    path = project_dir / target
    if change == "rewrap":
        _rewrap(path)
    elif change == "delete":
        path.unlink()
    else:
        _edit_source(path)
    result = cli("update")
    assert result.code == 0, result.err
    if change == "edit source":
        assert f"updated locales/{DOC}.pot" in result.out
        es = read_po(project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po")
        assert any("fuzzy" in e.flags and "is vital for" in e.msgid for e in es)
    elif change == "delete":  # made again (new, so with its own date and no translations)
        assert f"updated {target}" in result.out
        assert [e.msgid for e in read_po(path)] == [e.msgid for e in polib.pofile(canonical[path])]
    else:  # in GNU's layout again, byte for byte as the last full update left it
        assert f"updated {target}" in result.out
        assert path.read_text("utf-8") == canonical[path]


def test_glossary_and_config_are_inputs(cli: Callable[..., Result], project_dir: Path) -> None:
    assert cli("update").code == 0
    glossary = project_dir / "locales" / "es" / "glossary.tbx"
    glossary.unlink()
    result = cli("update")
    assert f"updated locales/es/LC_MESSAGES/{DOC}.po" in result.out  # its Terms: comments go
    config = project_dir / "carepack.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"ht", "fr"]', '"ht"]'), encoding="utf-8")
    result = cli("update")
    assert result.out == f"0 file(s) updated, {CATALOGS - 2} unchanged.\n"  # fr is no more


def test_failed_update_is_not_stamped(cli: Callable[..., Result], project_dir: Path) -> None:
    broken = project_dir / "locales" / "ru" / "LC_MESSAGES" / f"{DOC}.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    for _ in range(2):  # the second update reports the broken file again, never "unchanged"
        result = cli("update")
        assert result.code == PoFileError.exit_code
        assert f"{broken}:" in result.err and "[ru]" in result.err
    assert not (project_dir / ".cache" / "carepack" / STAMP_NAME).exists()


@pytest.mark.parametrize("collecting", [True, False])
def test_an_update_runs_without_the_collector_and_leaves_it_as_it_was(
    project: Project, collecting: bool
) -> None:
    seen: list[bool] = []

    def load() -> Project:
        seen.append(gc.isenabled())
        return project

    collections: list[str] = []

    def collection(phase: str, info: dict[str, int]) -> None:
        collections.append(phase)

    was = gc.isenabled()
    (gc.enable if collecting else gc.disable)()
    gc.callbacks.append(collection)
    try:
        loaded, outcome = run_update(project.config, None, load)
        assert gc.isenabled() is collecting
        made = [[n] for n in range(100)]  # what the update made is not walked now
    finally:
        gc.callbacks.remove(collection)
        (gc.enable if was else gc.disable)()
    assert len(made) == 100 and collections == []
    assert seen == [False] and loaded is project and not outcome.errors
    assert run_update(project.config, None, load)[0] is None, "nothing changed: not loaded"
