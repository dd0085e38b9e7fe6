"""The talking book's time and size per locale, in a project a cold build has just made.

The audio comes from the build's cache (nothing is spoken), so the time is the book's
own: reading the section tracks, rendering the XHTML, SMIL and OPF, and zipping.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.audio.output import AudioOutput
from pipeline.book.output import BookOutput
from pipeline.build.outputs import Products
from pipeline.build.plan import make_plan
from pipeline.checks.locale import review_locale
from pipeline.config import load_config
from pipeline.project import Project


def measure_books(root: Path) -> dict[str, dict[str, Any]]:
    """``<doc>/<lang>`` → seconds to make its book, its size, its overlays' length."""
    plan = make_plan(Project(load_config(root)))
    figures: dict[str, dict[str, Any]] = {}
    for document in plan.documents:
        reviews = [review_locale(plan, target) for target in plan.of_document(document.id)]
        languages = tuple(r.target.code for r in reviews if r.check.published)
        for review in reviews:
            locale = review.published(languages)
            if locale is None or not BookOutput().wanted(plan, locale):
                continue
            made = Products()
            audio = AudioOutput().make(plan, locale, made)
            if audio.synthesized:
                raise RuntimeError(f"{document.id}/{locale.code}: the audio was not in the cache")
            made.add("audio", audio)
            start = time.perf_counter()
            book = BookOutput().make(plan, locale, made)
            seconds = time.perf_counter() - start
            if book is None:
                continue
            figures[f"{document.id}/{locale.code}"] = {
                "seconds": round(seconds, 3),
                "bytes": book.size,
                "overlay_seconds": round(book.seconds, 1),
            }
    return figures
