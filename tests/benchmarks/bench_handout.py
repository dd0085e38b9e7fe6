"""The handout per language: seconds to make its markup and print it (median), size
and pages.

Rendered in this process from a copy of the project, after one warm-up render (the
first pays for importing WeasyPrint and loading the fonts); the build renders the
same handouts on a thread while the audio is spoken, so these seconds overlap speech.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from bench_util import copy_project, median

from pipeline.checks.locale import check_locale
from pipeline.config import load_config
from pipeline.handout.markup import handout_markup
from pipeline.handout.render import print_handout
from pipeline.project import Project

CREATED = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def measure_handouts(work: Path, repeats: int) -> dict[str, dict[str, Any]]:
    """``{locale: {"seconds", "bytes", "pages"}}`` for every language of the first document."""
    project = Project(load_config(copy_project(work / "handouts")))
    document = project.documents()[0]
    figures: dict[str, dict[str, Any]] = {}
    for number, code in enumerate(project.config.all_languages()):
        check = check_locale(project, document, code)
        if check.translated is None or check.ui is None:
            continue
        doc, ui = check.translated, check.ui
        if number == 0:
            print_handout(handout_markup(doc, ui, document.reviewed), CREATED)  # warm-up
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            rendered = print_handout(handout_markup(doc, ui, document.reviewed), CREATED)
            samples.append(time.perf_counter() - start)
        figures[code] = {
            "seconds": round(median(samples), 3),
            "bytes": len(rendered.pdf),
            "pages": rendered.pages,
        }
    return figures
