"""The handout as an output: written atomically, refused when a font is missing, linked
from the page, and its setting (publish_url) validated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError, FontError
from pipeline.handout.fonts import forget_fonts
from pipeline.handout.markup import handout_markup
from pipeline.handout.output import write_handout
from pipeline.handout.worker import prepare_handout
from pipeline.page.render import PageHandout, render_page
from pipeline.project import Project

from ..conftest import texts, without_cjk_fonts

CREATED = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def test_written_once_then_left_alone(project: Project, tmp_path: Path) -> None:
    doc, ui = texts(project, "ht")
    dest = tmp_path / "out" / "h.pdf"
    made, errors = write_handout(
        prepare_handout(handout_markup(doc, ui, doc.document.reviewed), CREATED), doc, dest
    )
    assert errors == [] and made is not None and made.written
    assert dest.read_bytes().startswith(b"%PDF-1.7") and made.size == dest.stat().st_size
    again, _ = write_handout(
        prepare_handout(handout_markup(doc, ui, doc.document.reviewed), CREATED), doc, dest
    )
    assert again is not None and not again.written
    assert [p.name for p in dest.parent.iterdir()] == ["h.pdf"]  # no temporary left


def test_missing_font_no_handout_and_the_old_one_removed(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, ui = texts(project, "zh_Hans")
    dest = tmp_path / "zh.pdf"
    dest.write_bytes(b"%PDF-1.7 an older handout")
    po = project.po_path("zh_Hans", doc.document.id)
    without_cjk_fonts(tmp_path, monkeypatch)
    try:
        prepared = prepare_handout(handout_markup(doc, ui, doc.document.reviewed), CREATED)
        made, errors = write_handout(prepared, doc, dest, locate=lambda block: (po, 12))
    finally:
        forget_fonts()
    assert made is None and not dest.exists()
    assert errors and all(isinstance(e, FontError) for e in errors)
    first = str(errors[0])
    assert first.startswith(f"{po}:12 [zh_Hans]: no handout made")
    assert "Noto Sans CJK SC (Debian package fonts-noto-cjk)" in first
    assert errors[0].exit_code != 0


def test_other_locales_are_not_affected_by_a_missing_cjk_font(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_cjk_fonts(tmp_path, monkeypatch)
    try:
        doc, ui = texts(project, "ru")
        prepared = prepare_handout(handout_markup(doc, ui, doc.document.reviewed), CREATED)
        made, errors = write_handout(prepared, doc, tmp_path / "ru.pdf")
    finally:
        forget_fonts()
    assert errors == [] and made is not None and made.pages >= 2


def test_the_page_links_to_its_handout(project: Project) -> None:
    doc, ui = texts(project, "es")
    handout = PageHandout('x"><script>.pdf', 7, 41_500)
    html = render_page(doc, ui, (), None, doc.document.reviewed, handout=handout).html
    assert (
        '<p class="handout-link"><a href="x&#34;&gt;&lt;script&gt;.pdf" type="application/pdf"'
        " download>Hoja para imprimir o enviar (PDF, 7 páginas, 42\u00a0kB)</a></p>"
    ) in html
    assert 'class="handout-link"' not in render_page(doc, ui, (), None, doc.document.reviewed).html


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ('"https://example.org/care/"', True),
        ('"http://localhost:8000"', True),
        ('"javascript:alert(1)"', False),
        ('"https://example.org/a b"', False),
        ('"https://example.org/\\"><script>"', False),
        ("42", False),
    ],
)
def test_publish_url_is_checked(project_dir: Path, value: str, ok: bool) -> None:
    config = project_dir / "carepack.toml"
    config.write_text(f"publish_url = {value}\n" + config.read_text())
    if ok:
        assert load_config(project_dir).publish_url == value.strip('"')
    else:
        with pytest.raises(ConfigError) as raised:
            load_config(project_dir)
        assert str(raised.value).startswith(f"{config}:1: publish_url: must be an http(s)")
