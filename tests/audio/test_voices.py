"""The table from CLDR codes to espeak-ng voices, checked against ``espeak-ng --voices``."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.audio.voices import ESPEAK_VOICES, default_voice
from pipeline.errors import LocaleError
from pipeline.locales import parse_locale


def espeak_voices() -> dict[str, str]:
    """espeak-ng's own list: language tag → voice id (the first voice of each tag)."""
    lines = subprocess.run(
        ["espeak-ng", "--voices"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[1:]
    result: dict[str, str] = {}
    for line in lines:
        fields = line.split()
        result.setdefault(fields[1], fields[4])
    return result


def cldr_code(tag: str) -> str | None:
    """The gettext code of an espeak-ng language tag, when CLDR knows it as written
    (``pt-br`` → ``pt_BR``); ``None`` for variants, private use and codes CLDR lacks."""
    language, *rest = tag.split("-")
    if "x" in rest or len(rest) > 1:
        return None
    if rest:
        language += "_" + (rest[0].title() if len(rest[0]) == 4 else rest[0].upper())
    try:
        return parse_locale(language).code
    except LocaleError:
        return None


def test_every_voice_in_the_table_is_one_espeak_ng_has() -> None:
    voices = set(espeak_voices().values())
    missing = {code: voice for code, voice in ESPEAK_VOICES.items() if voice not in voices}
    assert missing == {}


def test_every_language_espeak_ng_speaks_that_cldr_knows_is_in_the_table() -> None:
    derived = {}
    for tag, voice in espeak_voices().items():
        code = cldr_code(tag)
        if code is not None:
            derived[code] = voice
    assert len(derived) > 100
    # fr-fr is espeak-ng's name for France's French; the table adds plain "fr" for it.
    for code, voice in derived.items():
        assert ESPEAK_VOICES.get(code) == voice, code


def test_every_code_in_the_table_is_a_cldr_locale() -> None:
    for code in ESPEAK_VOICES:
        assert parse_locale(code).code == code


@pytest.mark.parametrize(
    ("code", "voice"),
    [
        ("pt_BR", "roa/pt-BR"),
        ("pt_AO", "roa/pt"),
        ("es_MX", "roa/es"),
        ("zh_Hans", "sit/cmn-Latn-pinyin"),
        ("zh_Hant_TW", "sit/cmn-Latn-pinyin"),
        ("de_AT", "gmw/de"),
        ("yo", None),  # Yoruba: CLDR knows it, espeak-ng does not speak it
    ],
)
def test_default_voice_falls_back_to_the_language(code: str, voice: str | None) -> None:
    parse_locale(code)
    assert default_voice(code) == voice
