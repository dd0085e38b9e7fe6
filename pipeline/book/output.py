"""The talking book as an output of the build: ``output/<doc>/<lang>/<doc>-<lang>.epub``."""

from __future__ import annotations

from typing import Any

from ..audio.album import AudioResult
from ..build.outputs import Products
from ..build.plan import BuildPlan
from ..checks.locale import PublishedLocale
from .epub import BookResult, build_book


class BookOutput:
    """An EPUB 3 with media overlays, made from the section tracks just made (none
    without audio)."""

    name = "book"

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        return plan.audio and not locale.audio_blocked

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        # the book says when the translation is of an older text (the audio is its own key)
        return locale.publication.as_dict() if locale.publication else None

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> BookResult | None:
        audio = made.get(AudioResult)
        if audio is None:
            return None
        reviewed = locale.check.document.reviewed
        older = locale.publication.older if locale.publication is not None else None
        return build_book(locale.document, locale.ui, audio, locale.target.out_dir, reviewed, older)
