"""The one build: pages, audio and packs for every published locale, incremental,
reproducible, safe to interrupt, one at a time."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pipeline.build.run import build, project_lock
from pipeline.catalogs.pofile import read_po
from pipeline.config import load_config
from pipeline.errors import BuildError, LockError
from pipeline.pack.verify import verify_pack
from pipeline.project import Project

from .conftest import DOC, LOCALES, Result, break_entry, only_locales


def quiet(_: str) -> None:
    pass


def test_build_without_audio_publishes_every_locale(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    out = project_dir / "output"
    for code in LOCALES:
        assert (out / DOC / code / "index.html").is_file()
        manifest = verify_pack(out / "packs" / f"{DOC}-{code}.zip")
        assert manifest["locale"]["code"] == code
        assert manifest["disclaimer"]["status"] == "complete"
        assert manifest["translation"]["completeness_percent"] == 100.0
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in (
        "español",
        "العربية",
        "中文 (简体)",
        "Tiếng Việt",
        "русский",
        "Kreyòl Ayisyen",
        "français",
    ):
        assert name in index
    assert index.count(".zip") == 8 and "In preparation" not in index
    assert "Published (8)" in result.out
    # the catalogs are compiled while the languages are checked, and said first
    lines = result.out.splitlines()
    assert lines[0] == "catalogs: 16 compiled, 0 unchanged" and "checked 8" in lines[1]
    for code in LOCALES[1:]:
        for domain in (DOC, "ui"):
            assert (out / "locale" / code / "LC_MESSAGES" / f"{domain}.mo").stat().st_size > 0
    assert (out / "reports" / "readability.html").is_file()


def test_withheld_locale_keeps_its_last_output_and_the_index_says_in_preparation(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    assert cli("build", "--no-audio").code == 0
    out = project_dir / "output"
    old_page = (out / DOC / "fr" / "index.html").read_bytes()
    line = break_entry(project_dir, "fr")
    result = cli("build", "--no-audio")
    assert result.code == BuildError.exit_code
    assert "Withheld: myeloma-second-line/fr" in result.out
    assert f"locales/fr/LC_MESSAGES/{DOC}.po:{line}" in result.out
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "In preparation" in index
    assert f"packs/{DOC}-fr.zip" not in index and f"{DOC}/fr/index.html" not in index
    assert f"packs/{DOC}-es.zip" in index
    assert (out / DOC / "fr" / "index.html").read_bytes() == old_page  # last good output kept
    for code in LOCALES:
        if code != "fr":
            verify_pack(out / "packs" / f"{DOC}-{code}.zip")


def test_second_document_is_picked_up_with_no_code_change(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es"])
    source = project_dir / "source" / f"{DOC}.md"
    other = project_dir / "source" / "myeloma-copy.md"
    other.write_text(
        source.read_text(encoding="utf-8").replace(f"id: {DOC}", "id: myeloma-copy"),
        encoding="utf-8",
    )
    result = cli("build", "--no-audio")  # no `carepack update` first: make is one step
    assert result.code == 0, result.err  # the new document is pending, not failing
    assert "not found" not in result.out + result.err
    assert (project_dir / "locales" / "myeloma-copy.pot").is_file()
    new_po = project_dir / "locales" / "es" / "LC_MESSAGES" / "myeloma-copy.po"
    assert new_po.is_file()
    assert "created locales/es/LC_MESSAGES/myeloma-copy.po" in result.out
    # (translation memory fills it from the other document, the disclaimer fuzzy)
    assert re.search(
        r"Pending: myeloma-copy/es: [\d.]+% translated .*nothing published yet", result.out
    )
    assert "Withheld" not in result.out
    assert (project_dir / "output" / "packs" / "myeloma-copy-en.zip").is_file()
    # translated (here: the same translations), it is published like the first
    old = read_po(project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po")
    po = read_po(new_po)
    translations = {(e.msgctxt, e.msgid): e.msgstr for e in old}
    for entry in po:
        entry.msgstr = translations[(entry.msgctxt, entry.msgid)]
        if "fuzzy" in entry.flags:  # the translator confirms what memory offered
            entry.flags.remove("fuzzy")
    po.save(str(new_po))
    result = cli("build", "--no-audio")
    assert result.code == 0, result.out + result.err
    verify_pack(project_dir / "output" / "packs" / "myeloma-copy-es.zip")


def test_lock_refuses_a_second_build(project: Project, cli: Callable[..., Result]) -> None:
    with project_lock(project):
        result = cli("build", "--no-audio")
    assert result.code == LockError.exit_code
    assert "another build is running" in result.err and "build.lock" in result.err


PACK_LIMITS = {"en": 4_500_000, "es": 5_200_000}
"""A pack's bytes, its printable handout aside, are no more than before the talking book
was added to it (the book's issue: en 4.5 MB, es 5.2 MB)."""


def test_incremental_build_with_audio(project_dir: Path) -> None:
    """Second build: nothing synthesized, no pack rewritten; a clean rebuild gives the same packs."""
    only_locales(project_dir, ["es"])
    project = Project(load_config(project_dir))
    first = build(project, progress=quiet)
    assert first.synthesized > 0 and not first.errors
    packs = sorted((project_dir / "output" / "packs").glob("*.zip"))
    assert [p.name for p in packs] == [f"{DOC}-en.zip", f"{DOC}-es.zip"]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in packs}
    second = build(Project(load_config(project_dir)), progress=quiet)
    assert second.synthesized == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in packs} == before
    for pack in packs:
        manifest = verify_pack(pack)
        assert manifest["audio"]["seconds"] > 60
        code = manifest["locale"]["code"]
        book = f"{DOC}-{code}.epub"
        with zipfile.ZipFile(pack) as archive:
            # the book carries the section tracks; beside it only the full-length file
            names = archive.namelist()
            assert [n for n in names if n.endswith(".mp3")] == ["audio/full.mp3"]
            handout = archive.getinfo(f"{DOC}-{code}.pdf").compress_size
            assert pack.stat().st_size - handout <= PACK_LIMITS[code]
            assert book in names and manifest["book"]["file"] == book
            readme = archive.read("README.txt").decode("utf-8")
            packed_page = archive.read("index.html").decode("utf-8")
        assert book in readme and "Thorium Reader" in readme
        assert packed_page.count("<audio") == 1 and f'href="{book}"' in packed_page
        web_page = (project_dir / "output" / DOC / code / "index.html").read_text("utf-8")
        assert web_page.count("<audio") > 1 and f'href="{book}"' in web_page
    index = (project_dir / "output" / "index.html").read_text("utf-8")
    assert f'href="{DOC}/es/{DOC}-es.epub"' in index and "Libro hablado (EPUB, " in index
    # a deleted track is made again from the cache, without speaking
    track = next((project_dir / "output" / DOC / "es" / "audio").glob("02-*.mp3"))
    track.unlink()
    third = build(Project(load_config(project_dir)), progress=quiet)
    assert third.synthesized == 0 and track.is_file()
    assert {p: p.read_bytes() for p in packs} == {p: data for p, (_, data) in before.items()}
    # an output edited by hand is made again, not trusted
    page = project_dir / "output" / DOC / "es" / "index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"<main", b"<main data-edited"))
    build(Project(load_config(project_dir)), progress=quiet)
    assert page.read_bytes() == good
    # a clean build (empty output, empty cache) gives byte-identical packs
    subprocess.run(
        ["rm", "-rf", str(project_dir / "output"), str(project_dir / ".cache")], check=True
    )
    build(Project(load_config(project_dir)), progress=quiet)
    assert {p: p.read_bytes() for p in packs} == {p: data for p, (_, data) in before.items()}


def test_one_changed_entry_rebuilds_only_that_locale(project_dir: Path) -> None:
    only_locales(project_dir, ["es", "fr"])
    build(Project(load_config(project_dir)), progress=quiet)
    packs = {p.name: p.read_bytes() for p in (project_dir / "output" / "packs").glob("*.zip")}
    path = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(path)
    entry = next(e for e in po if e.msgid.startswith("Lifestyle adjustments"))
    entry.msgstr = entry.msgstr.replace("  ", " ") + " "
    entry.msgstr = entry.msgstr.strip().replace("ejercicio", "actividad física")
    polib.POFile.save(po, str(path))
    report = build(Project(load_config(project_dir)), progress=quiet)
    assert report.synthesized == 1  # only the section with the changed sentence
    after = {p.name: p.read_bytes() for p in (project_dir / "output" / "packs").glob("*.zip")}
    assert after[f"{DOC}-es.zip"] != packs[f"{DOC}-es.zip"]
    assert after[f"{DOC}-fr.zip"] == packs[f"{DOC}-fr.zip"]
    # the talking book: only the changed section's text, overlay and audio are redone
    changed = set()
    for name in (f"{DOC}-es.zip", f"{DOC}-fr.zip"):
        with (
            zipfile.ZipFile(io.BytesIO(packs[name])) as old,
            zipfile.ZipFile(io.BytesIO(after[name])) as new,
        ):
            epub = name.replace(".zip", ".epub")
            with (
                zipfile.ZipFile(io.BytesIO(old.read(epub))) as a,
                zipfile.ZipFile(io.BytesIO(new.read(epub))) as b,
            ):
                assert a.namelist() == b.namelist()
                changed |= {f"{name}:{n}" for n in a.namelist() if a.read(n) != b.read(n)}
    section = f"{DOC}-es.zip:EPUB/04-supportive-care-and-lifestyle-considerations"
    assert changed == {
        f"{section}.xhtml",
        f"{section}.smil",
        f"{section.replace('EPUB/', 'EPUB/audio/')}.mp3",
        f"{DOC}-es.zip:EPUB/package.opf",
    }


@pytest.mark.parametrize("delay", [2.0, 6.0])
def test_interrupted_build_is_finished_by_the_next(project_dir: Path, delay: float) -> None:
    only_locales(project_dir, ["es", "ar"])
    command = [sys.executable, "-m", "pipeline.cli", "--root", str(project_dir), "build"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    out = project_dir / "output"
    for pack in (out / "packs").glob("*.zip") if (out / "packs").exists() else ():
        verify_pack(pack)  # whatever exists is whole
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    for code in ("en", "es", "ar"):
        verify_pack(out / "packs" / f"{DOC}-{code}.zip")
    assert not list(out.rglob(".*.tmp"))


def test_unsafe_link_in_the_master_text_is_named_with_its_line(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es"])
    source = project_dir / "source" / f"{DOC}.md"
    lines = source.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("For more information"))
    lines[number - 1] += " [Click](javascript:alert(1))"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("build", "--no-audio")
    assert result.code != 0
    assert f"source/{DOC}.md:{number} [en]" in result.err and "javascript:alert(1)" in result.err
    page = (project_dir / "output" / DOC / "en" / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in page.split("<style>")[0] + page.split("</style>")[1]


def test_the_report_keeps_no_catalog_or_script_of_a_finished_locale(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every locale's outcome stays in the report to the end of the build (the index and
    the summary read it): once its outputs are made and its state settled, it holds
    neither the catalog as read nor the spoken script, so what a build keeps grows with
    the number of documents by what the index shows, not by their catalogs."""
    from pipeline.build import run
    from pipeline.publishing.steps import Plan

    project = Project(load_config(project_dir))
    held: list[tuple[str, object, object]] = []
    real = run.settle

    def settle(project: Project, published: object, plan: Plan, pack: object) -> None:
        # still there while it settles (the master text's language has no catalog)
        held.append((plan.check.locale.code, plan.check.po, plan.review.script))
        real(project, published, plan, pack)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "settle", settle)
    report = build(project, quiet, audio=False)
    assert not report.errors, report.errors
    assert len(held) == len(report.outcomes) == len(LOCALES)
    assert all(script is not None for _, _, script in held)
    assert all(po is not None for code, po, _ in held if code != "en")
    for outcome in report.outcomes:
        assert outcome.check.po is None and outcome.review.script is None
        assert outcome.plan is not None
        assert outcome.plan.review.check.po is None and outcome.plan.current.script is None
        assert outcome.check.translated is not None  # what the index shows
    index = (project_dir / "output" / "index.html").read_text(encoding="utf-8")
    assert index.count(".zip") == len(LOCALES)
