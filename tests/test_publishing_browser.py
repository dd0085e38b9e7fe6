"""The index and an older page with the states of issue 14, in Chromium with axe-core and
the Nu HTML checker (as every page is checked), and a damaged publication record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import CarepackError

from . import browser as b
from .conftest import DOC, LATER, Result, add_front_matter, edit_one_word, only_locales


def test_index_and_older_page_with_every_state_pass_the_browser_checks(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    only_locales(project_dir, ["es", "ar", "fr"])
    assert cli("build", "--no-audio").code == 0
    edit_one_word(project_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", LATER)
    assert cli("update").code == 0
    assert cli("build", "--no-audio").code == 0  # es, ar, fr: published-older
    out = project_dir / "output"
    index = out / "index.html"
    older = [index, *(out / DOC).glob("*/index.html")]
    assert len(older) == 5
    _browser_checks(older)
    # a critical change: the older translations are taken down; yo is pending (no voice)
    add_front_matter(
        project_dir, "withdraw_older: 2026-12-01\nwithdraw_reason: The dose was corrected.\n"
    )
    only_locales(project_dir, ["es", "ar", "fr", "yo"])
    result = cli("build", "--no-audio")
    assert result.code == 0, result.err
    html = index.read_text(encoding="utf-8")
    assert "يجري تحديث هذه الترجمة" in html and "In preparation" in html
    _browser_checks([index])


def _browser_checks(pages: list[Path]) -> None:
    assert b.nu_check(pages) == []
    with b.chromium() as browser:
        for path in pages:
            with b.open_page(browser, path) as page:
                assert b.describe_violations(b.run_axe(page)) == [], path
            with b.open_page(browser, path, width=320, height=640) as page:
                assert not b.measure(page).horizontal_scroll, path


def test_a_damaged_publication_record_is_a_clear_error(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es"])
    assert cli("build", "--no-audio").code == 0
    record = project_dir / "output" / "published.json"
    record.write_text('{"documents": {"x": 3}}', encoding="utf-8")
    result = cli("build", "--no-audio")
    assert result.code == CarepackError.exit_code
    assert "output/published.json" in result.err and "damaged" in result.err
    assert "Traceback" not in result.err
    assert (project_dir / "output" / DOC / "es" / "index.html").is_file()
