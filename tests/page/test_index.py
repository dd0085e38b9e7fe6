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

from .. import browser as b
from ..conftest import DOC, Result, break_entry


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with b.chromium() as browser:
        yield browser


def test_index_page_passes_the_browser_checks(
    project_dir: Path, cli: Callable[..., Result], chromium: Browser
) -> None:
    break_entry(project_dir, "ht")
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


HOSTILE = '<script>alert(1)</script> "quoted" & <img src=x onerror=alert(1)>'


def _ui(code: str) -> UiText:
    from ..conftest import ROOT

    return UiText(parse_locale(code), read_po(ROOT / "locales" / code / "LC_MESSAGES" / "ui.po"))


def test_each_index_entry_is_in_its_own_language_with_its_state() -> None:
    import datetime as dt

    from pipeline.page.index import EntryState, IndexDocument, IndexEntry, render_index

    en, es, ar, pt = (parse_locale(c) for c in ("en", "es", "ar", "pt_BR"))
    entries = (
        IndexEntry(
            es,
            "Título " + HOSTILE,
            "d/es/index.html",
            "packs/d-es.zip",
            2_345_678,
            300.0,
            EntryState.OLDER,
            "reviewed",
            True,
            dt.date(2026, 11, 27),
            dt.date(2026, 12, 1),
        ),
        IndexEntry(
            ar,
            "عنوان",
            None,
            None,
            0,
            0.0,
            EntryState.WITHDRAWN,
            "draft",
            updated_date=dt.date(2026, 12, 1),
            source_page="d/en/index.html",
        ),
        IndexEntry(
            pt,
            "Título",
            "d/pt_BR/index.html",
            "packs/d-pt_BR.zip",
            1_000_000,
            0.0,
            EntryState.PUBLISHED,
            "draft",
            has_voice=False,
        ),
    )
    uis = {"es": _ui("es"), "ar": _ui("ar")}  # pt_BR has no ui.po: English, marked
    html = render_index([IndexDocument("d", HOSTILE, entries)], UiText(en, None), en, uis)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp;" in html
    spanish = html[html.index('<li lang="es"') : html.index('<li lang="ar"')]
    assert (
        "Esta traducción corresponde al texto tal como estaba el 27 de noviembre de 2026; "
        "el texto en inglés se actualizó el 1 de diciembre de 2026." in spanish
    )
    assert "Traducción revisada." in spanish
    assert "Descargar el paquete (2,3\u00a0MB)" in spanish and "5 minutos" in spanish
    arabic = html[html.index('<li lang="ar" dir="rtl"') : html.index('<li lang="pt-BR"')]
    assert "يجري تحديث هذه الترجمة" in arabic and 'href="d/en/index.html" hreflang="en"' in arabic
    assert "packs/d-ar.zip" not in html
    portuguese = html[html.index('<li lang="pt-BR"') :]
    assert '<span lang="en" dir="ltr">Read the page</span>' in portuguese
    assert "no voice on this system speaks it" in portuguese
    assert "2 languages" in html  # older still counts as readable; withdrawn does not
