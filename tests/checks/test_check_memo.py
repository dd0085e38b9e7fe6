"""A language's check is remembered while its files are the same (review_locale), so a
rebuild checks again only the languages whose files changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import run
from pipeline.build.plan import make_plan
from pipeline.checks import locale as checks
from pipeline.config import load_config
from pipeline.project import Project

from ..conftest import DOC, LOCALES, Result, replace_in_po


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages check_target really checks (not taken from memory)."""
    calls: list[str] = []
    real = checks.check_target

    def counting(target, config, root):  # type: ignore[no-untyped-def]
        calls.append(target.code)
        return real(target, config, root)

    monkeypatch.setattr(checks, "check_target", counting)
    return calls


def review(project_dir: Path, code: str) -> checks.LocaleReview:
    plan = make_plan(Project(load_config(project_dir)), audio=False)
    return checks.review_locale(plan, next(t for t in plan.locales if t.code == code))


def test_a_language_is_checked_again_only_when_its_files_change(
    project_dir: Path, counted: list[str]
) -> None:
    first = review(project_dir, "es")
    again = review(project_dir, "es")
    assert counted == ["es"]  # the second review took the check from memory
    assert again.check.findings == first.check.findings
    assert again.check.published == first.check.published
    assert again.check.translated == first.check.translated
    review(project_dir, "fr")
    assert counted == ["es", "fr"]  # another language is its own check

    po = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    text = po.read_text(encoding="utf-8")
    word = next(w for w in ("mieloma", "tratamiento") if w in text)
    replace_in_po(project_dir, "es", word, word.upper())
    changed = review(project_dir, "es")
    assert counted == ["es", "fr", "es"]
    assert changed.check.translated != first.check.translated


def test_a_check_that_found_an_unreadable_file_is_not_remembered(
    project_dir: Path, counted: list[str]
) -> None:
    po = project_dir / "locales" / "es" / "LC_MESSAGES" / f"{DOC}.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    assert review(project_dir, "es").check.errors
    assert review(project_dir, "es").check.errors
    assert counted == ["es", "es"]


def test_the_language_lexicon_of_a_regional_code_is_an_input(project_dir: Path) -> None:
    shared = project_dir / "locales" / "zh" / "lexicon.toml"
    shared.parent.mkdir(parents=True, exist_ok=True)
    shared.write_text("[settings]\n", encoding="utf-8")
    plan = make_plan(Project(load_config(project_dir)), audio=False)
    target = next(t for t in plan.locales if t.code == "zh_Hans")
    assert shared in target.lexicons and shared in target.inputs


def test_a_memo_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    from pipeline.build.freshness import remembered

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the memo folder should be", encoding="utf-8")
    calls: list[int] = []

    def compute() -> tuple[int, ...]:
        calls.append(1)
        return (1, 2)

    assert remembered(blocked, "key", tuple, compute) == (1, 2)
    assert remembered(blocked, "key", tuple, compute) == (1, 2)
    assert len(calls) == 2  # nothing kept, nothing failed
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_a_build_reviews_the_changed_languages_first(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their checks and first tracks do not wait behind the unchanged ones; the report
    keeps the configured order."""
    assert cli("build", "--no-audio").code == 0
    replace_in_po(project_dir, "fr", "myélome", "Myélome")
    started: list[str] = []
    real = run._review

    def noting(plan: Any, target: Any, early: bool = False) -> Any:
        started.append(target.code)
        return real(plan, target, early)

    monkeypatch.setattr(run, "_review", noting)
    result = cli("build", "--no-audio")
    assert result.code == 0, result.out + result.err
    assert started[0] == "fr" and sorted(started) == sorted(LOCALES)
    lines = [line for line in result.out.splitlines() if line.startswith(f"  {DOC} [")]
    assert [line.split("[")[1].split("]")[0] for line in lines] == list(LOCALES)
    assert "fr]: " in lines[LOCALES.index("fr")] and "up to date" not in lines[LOCALES.index("fr")]
