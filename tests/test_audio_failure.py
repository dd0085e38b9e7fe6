"""An audio failure does not downgrade a good pack (issue 13, point 4): a language whose
audio cannot be made keeps its last good page, audio and pack, the index is unchanged for
it, the message names the cause and the build exits non-zero; the others are built."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.audio.output import AudioOutput
from pipeline.build.outputs import Products
from pipeline.build.plan import BuildPlan
from pipeline.checks.locale import PublishedLocale
from pipeline.errors import BuildError, SpeechError

from .conftest import DOC, Result, only_locales, outputs, replace_in_po


def set_voice(project_dir: Path, code: str, voice: str) -> None:
    config = project_dir / "carepack.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("[speech.voices]\n", f'[speech.voices]\n{code} = "{voice}"\n', 1)
    config.write_text(text, encoding="utf-8")


def test_a_voice_that_does_not_exist_keeps_the_last_good_language(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    only_locales(project_dir, ["es", "fr"])
    first = cli("build")
    assert first.code == 0, first.out + first.err
    before = outputs(project_dir)
    assert f"{DOC}/es/audio/full.mp3" in before
    set_voice(project_dir, "es", "roa/no-such-voice")
    result = cli("build")
    assert result.code == BuildError.exit_code, result.out + result.err
    assert "Traceback" not in result.err
    assert "no-such-voice" in result.out + result.err
    after = outputs(project_dir)
    spanish = [n for n in before if n.startswith(f"{DOC}/es/") or n == f"packs/{DOC}-es.zip"]
    assert spanish
    for name in spanish:  # the last good Spanish page, audio and pack, byte for byte
        assert after.get(name) == before[name], name
    assert after["index.html"] == before["index.html"]  # the index still offers it
    assert f"packs/{DOC}-fr.zip" in after  # French is built as before
    assert after[f"{DOC}/fr/audio/full.mp3"] == before[f"{DOC}/fr/audio/full.mp3"]


def test_audio_that_fails_while_it_is_made_keeps_the_last_handout_too(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handout is rendered ahead, while the audio is made, but written only after it:
    when the audio then fails, the last good handout stays with the last good page and
    pack, though the changed translation would give another one."""
    only_locales(project_dir, ["es", "fr"])
    assert cli("build").code == 0
    before = outputs(project_dir)
    replace_in_po(project_dir, "es", "mieloma", "MIELOMA")  # a handout of different text
    real = AudioOutput.make

    def failing(self: AudioOutput, plan: BuildPlan, locale: PublishedLocale, made: Products):  # type: ignore[no-untyped-def]
        if locale.code == "es":
            raise SpeechError("the speech workers failed: test", locale="es")
        return real(self, plan, locale, made)

    monkeypatch.setattr(AudioOutput, "make", failing)
    result = cli("build")
    assert result.code == BuildError.exit_code and "Traceback" not in result.err
    assert "the speech workers failed: test" in result.out + result.err
    after = outputs(project_dir)
    spanish = [n for n in before if n.startswith(f"{DOC}/es/") or n == f"packs/{DOC}-es.zip"]
    assert f"{DOC}/es/{DOC}-es.pdf" in spanish
    for name in spanish:
        assert after.get(name) == before[name], name
