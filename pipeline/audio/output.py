"""The audio as an output of the build: ``output/<doc>/<lang>/audio/``."""

from __future__ import annotations

from typing import Any

from ..build.outputs import Products
from ..build.plan import BuildPlan
from ..checks.locale import PublishedLocale
from .album import AudioResult
from .synthesis import engine_versions
from .tracks import build_audio

AUDIO_FOLDER = "audio"
"""The tracks' folder in the locale's folder."""


class AudioOutput:
    """A track per section, the full-length recording and a playlist, from the locale's
    spoken script; not made with ``--no-audio`` or when the speech lint forbids it."""

    name = "audio"

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        voice = plan.speech.voice_for(locale.code)  # none: no audio, and the page says so
        return plan.audio and voice is not None and not locale.audio_blocked

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        return {"engine": engine_versions(), "voice": plan.speech.voice_for(locale.code)}

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> AudioResult:
        return build_audio(
            locale.document,
            locale.ui,
            plan.speech.voice_for(locale.code),
            plan.speech,
            locale.target.out_dir / AUDIO_FOLDER,
            plan.audio_cache,
            script=locale.script,
        )
