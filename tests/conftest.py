"""Shared fixtures and helpers: a throw-away copy of the project, the CLI run in-process,
and the helpers several test modules use (none imports another test module)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser

from pipeline.audio.album import AudioResult
from pipeline.audio.script import Script
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import TranslatedDocument, UiText, translate
from pipeline.checks.locale import check_locale
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.fsutil import atomic_write_text
from pipeline.handout.fonts import forget_fonts
from pipeline.locales import parse_locale
from pipeline.page.render import (
    PageAudio,
    RenderedPage,
    language_links,
    page_path,
    render_page,
)
from pipeline.project import Project
from pipeline.source.document import Document
from tests import browser as b

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A copy of the shipped project (sources, config, catalogs), outputs empty."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "carepack.toml", root)
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(load_config(project_dir))


@pytest.fixture
def cli(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``carepack --root <copy> ARGS`` in-process; return its exit code and output."""

    def run(*args: str) -> Result:
        code = main(["--root", str(project_dir), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def in_a_new_interpreter(
    script: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``script`` run by a fresh Python with ``args`` (nothing of the program loaded yet),
    its output captured as text; the caller looks at its status."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=env,
    )


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """GNU gettext's own verdict on a PO/POT file."""
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


DOC = "myeloma-second-line"


LOCALES = ["en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"]


def only_locales(project_dir: Path, codes: list[str]) -> None:
    config = project_dir / "carepack.toml"
    text = config.read_text(encoding="utf-8")
    listed = ", ".join(f'"{c}"' for c in codes)
    config.write_text(
        re.sub(r"^locales = .*$", f"locales = [{listed}]", text, flags=re.M), encoding="utf-8"
    )


def empty_disclaimer(project_dir: Path, code: str) -> int:
    path = project_dir / "locales" / code / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(path, code)
    entry = next(e for e in po if "REQUIRED" in e.comment and e.msgctxt is None)
    entry.msgstr = ""
    po.save(str(path))
    return next(e.linenum for e in read_po(path, code) if e.msgid == entry.msgid)


def break_entry(project_dir: Path, code: str) -> int:
    """An error a translator can make: an unsafe link in a translated paragraph."""
    path = project_dir / "locales" / code / "LC_MESSAGES" / f"{DOC}.po"
    po = read_po(path, code)
    entry = next(e for e in po if e.msgstr and "REQUIRED" not in e.comment and not e.msgctxt)
    entry.msgstr += " [x](javascript:alert(1))"
    po.save(str(path))
    return next(e.linenum for e in read_po(path, code) if e.msgid == entry.msgid)


def outputs(project_dir: Path) -> dict[str, str]:
    """SHA-256 of every file under output/, by its path."""
    out = project_dir / "output"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Built:
    result: AudioResult
    script: Script
    out: Path
    cache: Path


def localized(
    doc: Document, code: str, project: Project | None
) -> tuple[TranslatedDocument, UiText]:
    info = parse_locale(code)
    if project is None or code == doc.lang:
        return translate(doc, info, None), UiText(info, None)
    return (
        translate(doc, info, project.catalog(code, doc.id)),
        UiText(info, project.catalog(code, "ui")),
    )


def texts(project: Project, code: str) -> tuple[TranslatedDocument, UiText]:
    check = check_locale(project, project.documents()[0], code)
    assert check.translated is not None and check.ui is not None
    return check.translated, check.ui


def without_cjk_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fontconfig that knows fonts-noto-core's fonts but not fonts-noto-cjk's."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/noto</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    forget_fonts()


def replace_in_po(project_dir: Path, code: str, old: str, new: str) -> int:
    """Change the first translation that contains ``old``; return the entry's line."""
    path = project_dir / "locales" / code / "LC_MESSAGES" / f"{DOC}.po"
    po = polib.pofile(str(path), wrapwidth=79)
    entry = next(e for e in po if old in e.msgstr)
    entry.msgstr = entry.msgstr.replace(old, new)
    po.save(str(path))
    return int(read_po(path).find(entry.msgid, msgctxt=entry.msgctxt).linenum)


LATER = str(int(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC).timestamp()))


def edit_one_word(project_dir: Path) -> None:
    source = project_dir / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    assert "This article explores the general" in text
    source.write_text(text.replace("This article explores", "This article describes"), "utf-8")


def add_front_matter(project_dir: Path, lines: str) -> None:
    source = project_dir / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("reading_level: 8\n", f"reading_level: 8\n{lines}", 1), "utf-8")


Edit = Callable[[polib.POFile], None]


def render(
    project: Project,
    code: str,
    *,
    audio: PageAudio | None = None,
    edit: Edit | None = None,
    edit_ui: Edit | None = None,
) -> RenderedPage:
    """One locale's page from the project's own source and catalogs (edited in memory)."""
    doc = project.documents()[0]
    info = parse_locale(code)
    po = None if code == doc.lang else project.catalog(code, doc.id)
    ui_po = None if code == doc.lang else project.catalog(code, "ui")
    if edit and po is not None:
        edit(po)
    if edit_ui and ui_po is not None:
        edit_ui(ui_po)
    published = [doc.lang, *project.config.locales]
    links = language_links(code, published)
    return render_page(translate(doc, info, po), UiText(info, ui_po), links, audio, doc.reviewed)


def sample_audio(project: Project, seconds: float = 125.0) -> PageAudio:
    sections = project.documents()[0].sections
    tracks = {s.id: f"audio/{n:02d}-{s.id}.mp3" for n, s in enumerate(sections, start=1)}
    lengths = {s.id: seconds / len(sections) for s in sections}
    return PageAudio(tracks, "audio/full.mp3", seconds, lengths)


def write(project: Project, out: Path, code: str, page: RenderedPage) -> Path:
    path = page_path(out, project.documents()[0].id, code)
    atomic_write_text(path, page.html)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    missing = b.missing_tools()
    if missing:
        pytest.fail("the browser tests need: " + "; ".join(missing))
    with b.chromium() as chromium:
        yield chromium
