"""One locale's handout printed: its markup (:mod:`pipeline.handout.markup`, made in the
build) checked against the installed fonts and printed by WeasyPrint to PDF/UA-1.

WeasyPrint writes a tagged PDF (headings, lists, table headers, figures with
alternative text), with the document's language and title, bookmarks from the
headings, and only the three Noto families, embedded and subset. The same inputs
give the same bytes: no clock, the dates come from the caller.

This is what the renderer process loads (:mod:`pipeline.handout.worker`): WeasyPrint and
the font check, nothing of the page's templates.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import threading
from functools import cache
from typing import TYPE_CHECKING

from .fonts import Uncovered, uncovered
from .library import load_weasyprint
from .model import RenderedHandout

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

    from .markup import HandoutMarkup


def missing_in(markup: HandoutMarkup) -> list[tuple[str | None, Uncovered]]:
    """Characters of the handout that no installed handout font covers, each with the
    block it is first written in (:attr:`~pipeline.handout.markup.HandoutMarkup.texts`)."""
    found: list[tuple[str | None, Uncovered]] = []
    chars: set[str] = set()
    for block, where, text in markup.texts:
        for missing in uncovered([(where, text)]):
            if missing.char not in chars:
                chars.add(missing.char)
                found.append((block, missing))
    return found


# -- rendering ----------------------------------------------------------------------

_RENDERING = threading.Lock()
"""One handout rendered at a time: WeasyPrint and the font map it shares are not
thread-safe (and rendering is Python-bound: two threads would not be faster)."""


@cache
def _font_config(fontconfig_file: str | None) -> FontConfiguration:
    """One WeasyPrint font configuration (and Pango font map) for every handout of the
    process. A new one per handout, WeasyPrint's default, leaves native memory behind
    each time (the process grew by about 4 MiB a handout over 64 handouts; shared, it
    stays flat) and loads the fonts again (about 15% of a handout's time). Keyed by
    ``FONTCONFIG_FILE``, the fontconfig set-up it was made under."""
    load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def load_renderer() -> None:
    """Load WeasyPrint and the handouts' font configuration (what a first handout would
    wait for: about 0.3 s), so that the first handout starts at once."""
    load_weasyprint()
    with _RENDERING:
        _font_config(os.environ.get("FONTCONFIG_FILE"))


def renderer_loaded() -> bool:
    """Whether this process has loaded WeasyPrint and the font configuration (the
    handout renderer's process, once warmed up: :mod:`pipeline.handout.worker`)."""
    return "weasyprint" in sys.modules and _font_config.cache_info().currsize > 0


def print_handout(markup: HandoutMarkup, created: dt.datetime) -> RenderedHandout:
    """Print one locale's handout (:func:`~pipeline.handout.markup.handout_markup`) to PDF.

    ``created`` is the PDF's creation and modification date (from the review date or
    ``SOURCE_DATE_EPOCH``: never the clock). Check :func:`missing_in` first: a missing
    font prints boxes.
    """
    weasyprint = load_weasyprint()  # heavy: imported only when a handout is rendered

    # WeasyPrint warns about the page's screen-only CSS it does not support; not news.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    html = weasyprint.HTML(string=markup.html)
    stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with _RENDERING:
        document = html.render(font_config=_font_config(os.environ.get("FONTCONFIG_FILE")))
        document.metadata.created = document.metadata.modified = stamp
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return RenderedHandout(pdf, len(document.pages))
