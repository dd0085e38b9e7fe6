"""The talking book's time and size per locale, in a project a cold build has just made.

The audio comes from the build's cache (nothing is spoken), so the time is the book's
own: reading the section tracks, rendering the XHTML, SMIL and OPF, and zipping.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.audio.tracks import build_audio
from pipeline.book.epub import build_book
from pipeline.checks.locale import check_locale, speech_script
from pipeline.config import load_config
from pipeline.page.render import page_path
from pipeline.project import Project


def measure_books(root: Path) -> dict[str, dict[str, Any]]:
    """``<doc>/<lang>`` → seconds to make its book, its size, its overlays' length."""
    project = Project(load_config(root))
    config = project.config
    figures: dict[str, dict[str, Any]] = {}
    for document in project.documents():
        for code in config.all_languages():
            check = check_locale(project, document, code)
            doc, ui = check.translated, check.ui
            voice = config.speech.voice_for(code)
            if not check.published or doc is None or ui is None or not voice:
                continue
            folder = page_path(config.output_dir, document.id, code).parent
            script = speech_script(project, check)  # as the build speaks it
            cache = config.cache_dir / "audio"
            audio = build_audio(doc, ui, voice, config.speech, folder / "audio", cache, script)
            if audio.synthesized:
                raise RuntimeError(f"{document.id}/{code}: the audio was not in the cache")
            start = time.perf_counter()
            book = build_book(doc, ui, audio, folder, document.reviewed)
            figures[f"{document.id}/{code}"] = {
                "seconds": round(time.perf_counter() - start, 3),
                "bytes": book.size,
                "overlay_seconds": round(book.seconds, 1),
            }
    return figures
