"""The handout in the build: one more output of every published locale, in the pack, the
manifest, the README, the page and the index; redone only when its inputs change; a
missing font stops only that locale's handout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date

from pipeline.audio.output import AudioOutput
from pipeline.errors import BuildError
from pipeline.handout.fonts import forget_fonts
from pipeline.handout.output import HandoutOutput
from pipeline.handout.worker import RENDERER
from pipeline.pack.verify import verify_pack

from ..conftest import DOC, LOCALES, Result, only_locales, without_cjk_fonts


def pdf(out: Path, code: str) -> Path:
    return out / DOC / code / f"{DOC}-{code}.pdf"


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def test_every_published_locale_has_its_handout_everywhere(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    out = project_dir / "output"
    index = (out / "index.html").read_text()
    for code in LOCALES:
        path = pdf(out, code)
        pages = pages_of(path)
        assert path.stat().st_size < 1_000_000
        page = (out / DOC / code / "index.html").read_text()
        assert f'href="{path.name}" type="application/pdf"' in page
        assert f'href="{DOC}/{code}/{path.name}"' in index
        pack = out / "packs" / f"{DOC}-{code}.zip"
        manifest = verify_pack(pack)
        assert manifest["handout"]["file"] == path.name
        assert manifest["handout"]["pages"] == pages
        assert manifest["handout"]["bytes"] == path.stat().st_size
        with zipfile.ZipFile(pack) as archive:
            assert archive.read(path.name) == path.read_bytes()
            readme = archive.read("README.txt").decode()
        assert readme.count(path.name) == 2  # "print it or send it", and in the file list
    es_index = re.search(r'href="myeloma-second-line/es/[^"]+\.pdf"[^>]*>([^<]+)<', index)
    assert es_index is not None
    assert re.fullmatch(r"Hoja para imprimir o enviar \(PDF, \d+ páginas, \d+\xa0kB\)", es_index[1])


def test_a_handout_is_redone_only_when_its_inputs_change(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    assert cli("build", "--no-audio").code == 0
    out = project_dir / "output"
    before = {code: pdf(out, code).stat().st_mtime_ns for code in LOCALES}
    assert cli("build", "--no-audio").code == 0
    assert {code: pdf(out, code).stat().st_mtime_ns for code in LOCALES} == before
    config = project_dir / "carepack.toml"
    config.write_text('publish_url = "https://example.org/care/"\n' + config.read_text())
    assert cli("build", "--no-audio").code == 0
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf(out, "fr")), "-"], capture_output=True, text=True
    ).stdout
    assert f"https://example.org/care/{DOC}/fr/index.html" in text.replace("\n", "")


def test_a_missing_font_stops_only_that_handout(
    project_dir: Path,
    cli: Callable[..., Result],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli("build", "--no-audio").code == 0
    out = project_dir / "output"
    without_cjk_fonts(tmp_path, monkeypatch)
    po = project_dir / "locales" / "zh_Hans" / "LC_MESSAGES" / f"{DOC}.po"
    po.write_text("# A translator's note.\n" + po.read_text())  # the locale is redone
    try:
        result = cli("build", "--no-audio")
    finally:
        forget_fonts()
    assert result.code != 0
    message = result.out + result.err
    assert re.search(
        rf"locales/zh_Hans/LC_MESSAGES/{DOC}\.po:\d+ \[zh_Hans\]: no handout made: .*"
        r"Noto Sans CJK SC \(Debian package fonts-noto-cjk\)",
        message,
    ), message
    assert "Traceback" not in message
    assert not pdf(out, "zh_Hans").exists()  # the older one is gone: it would not match
    manifest = verify_pack(out / "packs" / f"{DOC}-zh_Hans.zip")
    assert manifest["handout"] is None  # the page and pack are still made
    for code in ("en", "es", "ar", "ru", "vi"):
        assert pages_of(pdf(out, code)) >= 2


def test_the_handout_is_rendered_while_the_audio_is_made_and_written_after_it(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language's handout is begun as its turn comes (in memory, in the renderer
    process) and the build then waits for its audio; the PDF is written in its turn,
    after the audio, and is the same as one rendered in turn."""
    only_locales(project_dir, ["es"])
    events: list[str] = []
    begin, audio, submit = HandoutOutput.begin, AudioOutput.make, RENDERER.submit

    def noting_begin(self: HandoutOutput, plan: Any, locale: Any) -> None:
        events.append(f"begin {locale.code}")
        begin(self, plan, locale)

    def noting_audio(self: AudioOutput, plan: Any, locale: Any, made: Any) -> Any:
        events.append(f"audio {locale.code}")
        return audio(self, plan, locale, made)

    def noting_submit(function: Callable[..., Any], *args: Any) -> Any:
        events.append(f"to the renderer: {function.__name__}")
        return submit(function, *args)

    monkeypatch.setattr(HandoutOutput, "begin", noting_begin)
    monkeypatch.setattr(AudioOutput, "make", noting_audio)
    monkeypatch.setattr(RENDERER, "submit", noting_submit)
    assert cli("build").code == 0
    for code in ("en", "es"):
        assert events.index(f"begin {code}") < events.index(f"audio {code}")
    assert events.count("to the renderer: prepare_handout") == 2
    ahead = pdf(project_dir / "output", "es").read_bytes()
    shutil.rmtree(project_dir / "output")  # again, rendered in its turn (audio cached)
    monkeypatch.setattr(HandoutOutput, "begin", lambda self, plan, locale: None)
    events.clear()
    assert cli("build").code == 0
    assert events.count("to the renderer: prepare_handout") == 2
    assert sorted(e for e in events if e.startswith("audio")) == ["audio en", "audio es"]
    assert pdf(project_dir / "output", "es").read_bytes() == ahead


class _Poison:
    """Kills the process that unpickles it (as a crash in a native library would)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os._exit, (9,))


def test_a_renderer_that_dies_on_a_handout_stops_only_that_locale(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer process dies whenever it is given the Spanish handout: Spanish gets a
    clear error and no handout; English and French, given to the same process before
    and after it, get theirs."""
    from pipeline.handout import output

    only_locales(project_dir, ["es", "fr"])
    markup = output.handout_markup

    def poisoned(doc: Any, *args: Any) -> Any:
        made = markup(doc, *args)
        return dataclasses.replace(made, html=_Poison()) if doc.locale.code == "es" else made

    monkeypatch.setattr(output, "handout_markup", poisoned)
    result = cli("build", "--no-audio")
    message = result.out + result.err
    assert result.code == BuildError.exit_code, message
    assert re.search(r"\[es\]: the handout renderer \(WeasyPrint\) stopped twice", message), message
    assert "Traceback" not in message
    out = project_dir / "output"
    assert not pdf(out, "es").exists(), message
    for code in ("en", "fr"):
        assert pdf(out, code).exists(), message
        assert pages_of(pdf(out, code)) >= 2
        assert verify_pack(out / "packs" / f"{DOC}-{code}.zip")["handout"] is not None


def test_the_renderer_loads_while_the_build_starts(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer process is told to load WeasyPrint before the first language is
    checked (it loads on the core the checks leave idle)."""
    from pipeline.build import run

    events: list[str] = []
    warm, review = run.warm_up_handouts, run._review

    def noting_warm_up() -> None:
        events.append("warm up")
        warm()

    def noting_review(plan: Any, target: Any, early: bool = False) -> Any:
        events.append(f"review {target.code}")
        return review(plan, target, early)

    monkeypatch.setattr(run, "warm_up_handouts", noting_warm_up)
    monkeypatch.setattr(run, "_review", noting_review)
    only_locales(project_dir, ["es"])
    assert cli("build", "--no-audio").code == 0
    assert events[0] == "warm up" and sorted(events[1:3]) == ["review en", "review es"]


def test_a_changed_language_is_rendered_from_its_review_and_once(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language whose files changed has its handout begun as soon as it is checked
    (in a one-entry rebuild it waited for the other languages' reviews, and ended last);
    the rendering is used when the locale's turn comes, not begun again. Unchanged
    languages are not rendered at all."""
    from pipeline.handout import output

    only_locales(project_dir, ["es", "fr"])
    assert cli("build", "--no-audio").code == 0
    po = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace("Cómo entender", "Cómo comprender", 1), encoding="utf-8")
    begun: list[str] = []
    real_begin, real_anticipate = output.begin, output.HandoutOutput.anticipate

    def counted(markup: Any, *args: Any) -> Any:  # the handout's language, from its markup
        begun.append(re.search(r'<html[^>]* lang="([^"]+)"', markup.html).group(1))
        return real_begin(markup, *args)

    def anticipating(self: Any, plan: Any, target: Any, check: Any) -> None:
        begun.append(f"anticipated {target.code}")
        real_anticipate(self, plan, target, check)

    monkeypatch.setattr(output, "begin", counted)
    monkeypatch.setattr(output.HandoutOutput, "anticipate", anticipating)
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    assert begun == ["anticipated es", "es"]  # begun from the review, once
    assert f"{DOC} [es]: " in result.out and "handout written" in result.out
    assert pages_of(pdf(project_dir / "output", "es")) >= 2


def test_an_anticipated_handout_of_other_inputs_is_not_used(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Begun from the review as the current text, then published as a translation of an
    older text: the handout is rendered again from what is published (its notice)."""
    from pipeline.build.outputs import Products
    from pipeline.build.plan import make_plan
    from pipeline.checks.locale import review_locale
    from pipeline.config import load_config
    from pipeline.handout import output
    from pipeline.project import Project
    from pipeline.publishing.record import OlderText, Publication

    only_locales(project_dir, ["es"])
    plan = make_plan(Project(load_config(project_dir)), audio=False)
    target = next(t for t in plan.locales if t.code == "es")
    review = review_locale(plan, target)
    begun: list[Any] = []
    real_begin = output.begin

    def counted(markup: Any, created: Any) -> Any:
        future = real_begin(markup, created)
        begun.append((markup, future))
        return future

    monkeypatch.setattr(output, "begin", counted)
    handouts = output.HandoutOutput()
    handouts.anticipate(plan, target, review.check)
    current = review.published(("en", "es"))
    assert current is not None
    handouts.begin(plan, current)  # the same inputs: kept
    assert len(begun) == 1
    older = OlderText(dt.date(2026, 1, 2), dt.date(2026, 12, 1))
    publication = Publication("fingerprint", dt.date(2026, 1, 2), older)
    kept_older = dataclasses.replace(current, publication=publication)
    handouts.begin(plan, kept_older)  # other inputs: rendered again, with the notice
    assert len(begun) == 2
    notice = html.escape(format_date(older.updated, format="long", locale="es"))
    assert notice not in begun[0][0].html and notice in begun[1][0].html
    made = handouts.make(plan, kept_older, Products())
    assert made.file is not None and made.file.path.exists()
    assert len(begun) == 2  # the second rendering was the one used
    handouts.forget(plan, kept_older)
