"""The handout as one output of the build: check the fonts, render, write atomically.

Plain data in (the translated document, its interface strings, the review date, the
PDF's date, where to write it); a :class:`~pipeline.handout.render.HandoutFile` out,
or a :class:`~pipeline.errors.FontError` per character no installed font can print,
naming the block's file and line and the package to install. When the fonts are
missing no PDF is written, and a handout left by an earlier build is removed: it
would not match the page any more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..catalogs.translate import TranslatedDocument, UiText
from ..errors import FontError
from ..fsutil import atomic_write
from .render import HandoutFile, missing_glyphs, render_handout

Locate = Callable[[str | None], tuple[Path | None, int | None]]
"""A block id (``None``: an interface string) → the file and line its text is written at."""


def make_handout(
    doc: TranslatedDocument,
    ui: UiText,
    reviewed: dt.date,
    created: dt.datetime,
    dest: Path,
    *,
    url: str | None = None,
    locate: Locate | None = None,
) -> tuple[HandoutFile | None, list[FontError]]:
    """Write ``dest`` (see the module docstring); the file, or the reasons there is none."""
    missing = missing_glyphs(doc, ui, reviewed, url)
    if missing:
        dest.unlink(missing_ok=True)
        errors = []
        for block, problem in missing:
            path, line = locate(block) if locate is not None else (None, None)
            errors.append(FontError(problem.message, path, line, doc.locale.code))
        return None, errors
    rendered = render_handout(doc, ui, reviewed, created, url)
    written = atomic_write(dest, rendered.pdf)
    return HandoutFile(dest, len(rendered.pdf), rendered.pages, written), []
