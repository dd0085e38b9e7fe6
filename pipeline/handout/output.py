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
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..checks.locale import LocaleCheck
from ..errors import FontError
from ..fsutil import atomic_write
from ..pack.archive import pack_epoch
from ..project import Project
from .render import HandoutFile, handout_path, missing_glyphs, page_url, render_handout

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


def locale_handout(
    project: Project, check: LocaleCheck
) -> tuple[HandoutFile | None, list[FontError]]:
    """One checked locale's handout, next to its page, dated like its pack."""
    doc, ui = check.translated, check.ui
    assert doc is not None and ui is not None
    config = project.config
    doc_id, code = check.document.id, check.locale.code
    url = page_url(config.publish_url, doc_id, code) if config.publish_url else None
    created = dt.datetime.fromtimestamp(pack_epoch(check.document.reviewed), dt.UTC)

    def locate(block: str | None) -> tuple[Path | None, int | None]:
        if check.is_source:
            source = project.relative(project.root / check.document.path)
            return source, None if block is None else check.line_of(block)
        if block is None:
            return project.relative(project.po_path(code, UI_DOMAIN)), None
        return project.relative(project.po_path(code, doc_id)), check.line_of(block)

    dest = handout_path(config.output_dir, doc_id, code)
    return make_handout(doc, ui, check.document.reviewed, created, dest, url=url, locate=locate)
