"""The entry page a health worker opens first, and the pack's README, as their readers meet them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import UiText
from pipeline.catalogs.ui import DRAFT_NOTICE, HOW_TO_OPEN, NOT_ADVICE
from pipeline.locales import parse_locale

from . import browser as b
from .conftest import Result
from .test_build import DOC, empty_disclaimer


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with b.chromium() as browser:
        yield browser


def test_index_page_passes_the_browser_checks(
    project_dir: Path, cli: Callable[..., Result], chromium: Browser
) -> None:
    empty_disclaimer(project_dir, "ht")
    assert cli("build", "--no-audio").code != 0
    out = project_dir / "output"
    index = out / "index.html"
    assert b.nu_check([index, out / "reports" / "readability.html"]) == []
    with b.open_page(chromium, index) as page:
        axe = b.run_axe(page)
        assert b.describe_violations(axe) == []
        layout = b.measure(page)
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        names = page.eval_on_selector_all("[lang]", "els => els.map(e => e.getAttribute('lang'))")
    assert layout.min_font_px >= 24 and not layout.horizontal_scroll
    packs = [link for link in links if link.endswith(".zip")]
    assert len(packs) == 7 and f"packs/{DOC}-ht.zip" not in packs
    assert all((out / link).is_file() for link in links if not link.startswith("#"))
    assert {"es", "ar", "zh-Hans", "ht"} <= set(names)  # names marked in their own language
    with b.open_page(chromium, index, width=320, height=640) as page:
        assert not b.measure(page).horizontal_scroll


def test_pack_readme_is_in_the_pack_language(project_dir: Path, cli: Callable[..., Result]) -> None:
    assert cli("build", "--no-audio").code == 0
    with zipfile.ZipFile(project_dir / "output" / "packs" / f"{DOC}-es.zip") as archive:
        readme = archive.read("README.txt").decode("utf-8")
    ui = UiText(
        parse_locale("es"), read_po(project_dir / "locales" / "es" / "LC_MESSAGES" / "ui.po")
    )
    for msgid in (NOT_ADVICE, HOW_TO_OPEN, DRAFT_NOTICE):
        assert ui.translated(msgid) and ui.gettext(msgid) in readme
    assert "27 de noviembre de 2026" in readme  # Babel's long date in Spanish
    assert "index.html" in readme and "manifest.json" in readme
