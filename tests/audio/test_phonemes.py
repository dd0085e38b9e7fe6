"""Voices that speak their language, and the phoneme lint (real espeak-ng)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.audio.lexicon import speech_rules
from pipeline.audio.lint import (
    LANGUAGE_CHECK,
    VOICE_CHECK,
    analyse,
    audio_blocked,
    lint_script,
)
from pipeline.audio.phonemes import phonemes
from pipeline.audio.script import spoken_script
from pipeline.catalogs.pofile import read_po
from pipeline.catalogs.translate import TranslatedDocument, UiText, translate
from pipeline.checks.findings import Finding
from pipeline.config import DEFAULT_VOICES
from pipeline.locales import parse_locale
from pipeline.project import Project
from pipeline.source.parse import parse_document, read_document

from ..conftest import in_a_new_interpreter

DATA = Path(__file__).resolve().parents[1] / "data" / "normalize"
MARK = re.compile(r"\([a-z]{2,3}(?:-[a-z0-9]+)*\)")

SENTENCES = {
    "en": "Take one tablet with water every morning.",
    "es": "Tome una tableta con agua cada mañana.",
    "zh_Hans": "每天早上用水服用一片药。",
    "vi": "Mỗi sáng uống một viên thuốc với nước.",
    "ar": "تناول قرصا واحدا مع الماء كل صباح.",
    "ru": "Принимайте одну таблетку с водой каждое утро.",
    "ht": "Pran yon grenn ak dlo chak maten.",
    "fr": "Prenez un comprimé avec de l'eau chaque matin.",
}


def espeak_x(voice: str, text: str) -> str:
    """What ``espeak-ng -q -x`` prints, clauses joined by spaces."""
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", voice, text], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


# -- voices --------------------------------------------------------------------------


def test_every_shipped_locale_has_a_default_voice() -> None:
    assert set(DEFAULT_VOICES) == set(SENTENCES)


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_each_default_voice_speaks_its_language_without_switching(code: str) -> None:
    printed = espeak_x(DEFAULT_VOICES[code], SENTENCES[code])
    assert printed and not MARK.search(printed), printed
    # The same sentence in a voice of another language does switch (or, for English,
    # reads letters): the check can fail.
    other = "zle/ru" if code != "ru" else "roa/fr"
    assert MARK.search(espeak_x(other, SENTENCES[code])) or code in {"en", "es", "ht", "fr"}


def test_sit_cmn_reads_chinese_as_english_spelled_pinyin_and_the_pinyin_voice_as_mandarin() -> None:
    wrong = espeak_x("sit/cmn", SENTENCES["zh_Hans"])
    right = espeak_x("sit/cmn-Latn-pinyin", SENTENCES["zh_Hans"])
    assert "(en)" in wrong and "(cmn)" in wrong
    assert not MARK.search(right)
    # 每 (měi): English-spelled "mei" with tone number 3 in sit/cmn, Mandarin m'ei in pinyin.
    assert right.startswith("m'ei") and wrong.startswith("(en)")


@pytest.mark.parametrize("voice", ["gmw/en-US", "zle/ru", "roa/fr", "sit/cmn"])
def test_the_library_gives_the_phonemes_the_command_line_prints(voice: str) -> None:
    text = "Примите 500 mg, 38 °C. Hello stress web."
    (ours,) = phonemes([text], voice)
    printed = espeak_x(voice, text)
    if voice.startswith("sit/"):  # tone numbers differ between the two entry points
        ours, printed = (re.sub(r"\d", "", p) for p in (ours, printed))
    assert ours == printed


# -- the lint on the shipped project ---------------------------------------------------


def shipped(project: Project, code: str) -> tuple[TranslatedDocument, UiText, polib.POFile | None]:
    doc = project.documents()[0]
    info = parse_locale(code)
    if code == project.config.source_language:
        return translate(doc, info, None), UiText(info, None), None
    po = project.catalog(code, doc.id)
    return translate(doc, info, po), UiText(info, project.catalog(code, "ui")), po


def lint_shipped(project: Project, code: str, voice: str | None = None) -> list[Finding]:
    translated, ui, po = shipped(project, code)
    rules = speech_rules(code, project.config.locales_dir)
    script = spoken_script(translated, ui, rules)
    path = None if po is None else project.relative(project.po_path(code, translated.document.id))
    return lint_script(script, translated, voice or DEFAULT_VOICES[code], po, path)


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_every_shipped_locale_passes_the_phoneme_lint(project: Project, code: str) -> None:
    findings = lint_shipped(project, code)
    assert not [f for f in findings if f.severity == "error"], findings
    assert not audio_blocked(findings)
    for finding in findings:
        assert finding.check == LANGUAGE_CHECK and finding.locale == code
        assert finding.line is not None


def test_a_borrowed_name_is_a_warning_with_the_words_and_the_po_entrys_line(
    project: Project,
) -> None:
    findings = lint_shipped(project, "ru")
    path = project.po_path("ru", project.documents()[0].id)
    entry = next(e for e in read_po(path) if "American Cancer Society" in e.msgstr)
    found = next(f for f in findings if f.msgid == entry.msgid)
    assert found.severity == "warning" and found.line == entry.linenum
    assert found.path == project.relative(path)
    assert "'American Cancer Society', 'National Cancer Institute'" in found.message
    assert "English" in found.message


def test_a_word_in_a_table_row_points_at_its_cell(project: Project) -> None:
    findings = lint_shipped(project, "ru")
    path = project.po_path("ru", project.documents()[0].id)
    entry = next(e for e in read_po(path) if e.msgid == "Therapy B")
    found = next(f for f in findings if "'B'" in f.message)
    assert (found.msgctxt, found.msgid, found.line) == ("table cell", "Therapy B", entry.linenum)


def test_sit_cmn_for_zh_hans_is_reported_with_the_voice_to_use(project: Project) -> None:
    findings = lint_shipped(project, "zh_Hans", voice="sit/cmn")
    assert len(findings) == 1
    (finding,) = findings
    assert (finding.check, finding.severity, finding.locale) == (VOICE_CHECK, "error", "zh_Hans")
    assert finding.path == Path("carepack.toml")
    assert "'sit/cmn-Latn-pinyin'" in finding.message and "English" in finding.message
    assert audio_blocked(findings) and audio_blocked(findings, "zh_Hans")
    assert not audio_blocked(findings, "fr")


@pytest.mark.parametrize(
    ("voice", "message"),
    [
        ("roa/es", "speaks es, not French (fr); the default voice for fr is 'roa/fr'"),
        ("roa/nope", "espeak-ng has no voice 'roa/nope'; the default voice for fr is 'roa/fr'"),
        (None, "no espeak-ng voice is configured for fr"),
    ],
)
def test_a_voice_that_cannot_speak_the_locale_is_an_error(
    project: Project, voice: str | None, message: str
) -> None:
    translated, ui, po = shipped(project, "fr")
    findings = lint_script(spoken_script(translated, ui), translated, voice, po)
    assert [(f.check, f.severity) for f in findings] == [(VOICE_CHECK, "error")]
    assert message in findings[0].message and audio_blocked(findings)


# -- severity, and where findings point ------------------------------------------------


def test_an_untranslated_segment_is_mostly_another_language_an_error() -> None:
    po = read_po(DATA / "ru.po")
    english = "Take 500 mg twice a day, e.g. with breakfast and supper."
    next(e for e in po if e.msgid == english).msgstr = ""
    info = parse_locale("ru")
    translated = translate(read_document(DATA / "doses.md"), info, po)
    findings = lint_script(
        spoken_script(translated, UiText(info, None)), translated, "zle/ru", po, DATA / "ru.po"
    )
    assert [f.msgid for f in findings] == [english]
    (finding,) = findings
    assert finding.severity == "error" and "not translated" in finding.message
    assert finding.line == next(e for e in po if e.msgid == english).linenum
    assert audio_blocked(findings)


def test_the_fixture_translations_pass_the_lint_once_normalized() -> None:
    for code in ["es", "fr", "ru", "ar", "zh_Hans"]:
        info = parse_locale(code)
        po = read_po(DATA / f"{code}.po")
        translated = translate(read_document(DATA / "doses.md"), info, po)
        script = spoken_script(translated, UiText(info, None))
        assert lint_script(script, translated, DEFAULT_VOICES[code], po) == [], code


def test_severity_grows_with_the_share_of_foreign_words() -> None:
    name, sentence, clean = analyse(
        [
            "Обратитесь в American Cancer Society.",
            "Read the leaflet before you take the tablets.",
            "Обратитесь к врачу.",
        ],
        "zle/ru",
    )
    assert name.severity == "warning" and [s.words for s in name.switches] == [
        "American Cancer Society"
    ]
    assert sentence.severity == "error" and sentence.share > 0.9
    assert clean.severity is None and not clean.switches


def test_a_finding_in_the_master_text_names_the_source_file_and_line(tmp_path: Path) -> None:
    text = (
        "---\nid: stress\ntitle: Le stress\nlang: fr\nreviewed: 2026-01-15\n"
        "reading_level: 8\n---\n\n# Le stress\n\nLe stress peut fatiguer.\n\n"
        "::: disclaimer\n## Avertissement\n\nCeci est une information générale.\n:::\n"
    )
    doc = parse_document(text, Path("source/stress.md"))
    info = parse_locale("fr")
    translated = translate(doc, info, None)
    findings = lint_script(spoken_script(translated, UiText(info, None)), translated, "roa/fr")
    assert {(f.path, f.line, f.severity) for f in findings} == {
        (Path("source/stress.md"), 9, "warning"),
        (Path("source/stress.md"), 11, "warning"),
    }
    assert all("'stress'" in f.message for f in findings)


LIBRARY_LOOKUPS = """
import sys
runs = []
sys.addaudithook(lambda event, args: runs.append(args[1]) if event == "subprocess.Popen" else None)
from pipeline.audio.phonemes import voices
from pipeline.audio.synthesis import engine_versions

assert engine_versions()["espeak-ng"] not in ("", "unknown")
assert any(v for v in voices())
print(sum(1 for args in runs if "ldconfig" in str(args)))
"""


def test_the_espeak_library_is_looked_up_once_a_process():
    """``find_library`` runs ``ldconfig -p`` (a fork of the whole build): the version for
    cache keys and the phoneme library share one lookup."""
    done = in_a_new_interpreter(LIBRARY_LOOKUPS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
