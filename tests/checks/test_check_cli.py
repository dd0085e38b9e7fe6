"""`carepack check`: the reading level, the findings and the gate, in text and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import CheckError

from ..conftest import DOC, Result, empty_disclaimer


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


def set_voice(project_dir: Path, code: str, voice: str) -> None:
    config = project_dir / "carepack.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("[speech.voices]\n", f'[speech.voices]\n{code} = "{voice}"\n'),
        encoding="utf-8",
    )


def test_check_catches_a_voice_that_does_not_speak_the_language(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    set_voice(project_dir, "zh_Hans", "sit/cmn")
    result = cli("check")
    assert result.code == CheckError.exit_code
    line = next(line for line in result.out.splitlines() if "[zh_Hans] error: speech-" in line)
    assert "sit/cmn-Latn-pinyin" in line and "carepack.toml" in line


def test_wrong_voice_stops_that_locales_audio_only(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    from ..conftest import only_locales

    only_locales(project_dir, ["zh_Hans", "es"])
    set_voice(project_dir, "zh_Hans", "sit/cmn")
    result = cli("build")
    assert result.code != 0
    assert "No audio: myeloma-second-line/zh_Hans" in result.out
    out = project_dir / "output" / DOC
    assert not (out / "zh_Hans" / "audio").exists()
    assert (out / "zh_Hans" / "index.html").is_file()  # the page is still published
    assert (out / "es" / "audio" / "full.mp3").is_file()


def test_script_prints_what_will_be_spoken(cli: Callable[..., Result]) -> None:
    result = cli("script", DOC, "es")
    assert result.code == 0
    headings = [line for line in result.out.splitlines() if line.startswith("## ")]
    assert len(headings) == 5 and headings[-1].startswith("## 05 disclaimer")
    assert "Opción: Terapia A." in result.out  # table rows read with their header labels
    unknown = cli("script", "no-such-doc", "es")
    assert unknown.code != 0 and "no document 'no-such-doc'" in unknown.err
    bad = cli("script", DOC, "../es")
    assert bad.code != 0 and "malformed locale code" in bad.err


def test_the_project_target_applies_where_the_front_matter_sets_none(
    cli: Callable[..., Result], project_dir: Path
) -> None:
    """``reading_level_target`` in carepack.toml is the target of every master text whose
    front matter has no ``reading_level``; a document's own ``reading_level`` wins."""
    source = project_dir / "source" / f"{DOC}.md"
    settings = project_dir / "carepack.toml"

    def english_above_target() -> bool:
        data = json.loads(cli("check", "--json").out)
        english = next(r for r in data["readability"] if r["locale"] == "en")
        return bool(english["above_target"])

    text = source.read_text(encoding="utf-8")
    assert "reading_level: 8\n" in text
    source.write_text(text.replace("reading_level: 8\n", "", 1), encoding="utf-8")
    toml = settings.read_text(encoding="utf-8")
    settings.write_text(
        toml.replace("reading_level_target = 8", "reading_level_target = 16"), encoding="utf-8"
    )
    assert not english_above_target()  # grade 13.3 is under the project's 16
    settings.write_text(toml, encoding="utf-8")
    assert english_above_target()  # and above its 8
    source.write_text(text.replace("reading_level: 8\n", "reading_level: 16\n", 1), "utf-8")
    assert not english_above_target()  # the document's own target wins
