"""`carepack check`: the reading level, the findings and the gate, in text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import CheckError

from .conftest import Result
from .test_build import DOC, empty_disclaimer


def test_check_reports_the_seed_reading_level_as_a_warning(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    result = cli("check")
    assert result.code == 0, result.err  # above target is a warning by default
    assert "Flesch-Kincaid grade 13.3" in result.out and "above target" in result.out
    assert "no validated formula" in result.out  # zh_Hans, vi, ht
    assert "Every locale passes the disclaimer gate." in result.out
    assert (project_dir / "output" / "reports" / "readability.html").is_file()
    strict = cli("check", "--strict")
    assert strict.code == CheckError.exit_code


def test_check_json(cli: Callable[..., Result]) -> None:
    data = json.loads(cli("check", "--json").out)
    english = next(r for r in data["readability"] if r["locale"] == "en")
    assert english["overall"]["grade"]["name"] == "Flesch-Kincaid grade"
    assert 13 <= english["overall"]["grade"]["value"] <= 15 and english["above_target"]
    assert data["errors"] == 0 and data["warnings"] >= 1
    assert {g["locale"] for g in data["gate"]["results"]} == {
        "es",
        "zh_Hans",
        "vi",
        "ar",
        "ru",
        "ht",
        "fr",
    }


def test_check_names_the_withheld_locale_with_file_and_line(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    line = empty_disclaimer(project_dir, "vi")
    result = cli("check")
    assert result.code == CheckError.exit_code
    assert f"locales/vi/LC_MESSAGES/{DOC}.po:{line}" in result.out
    assert "[vi] Vietnamese: WITHHELD" in result.out
