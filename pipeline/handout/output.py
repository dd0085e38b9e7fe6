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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.outputs import Products
from ..build.plan import BuildPlan
from ..catalogs.translate import TranslatedDocument, UiText
from ..checks.locale import PublishedLocale
from ..errors import FontError
from ..fsutil import atomic_write
from ..pack.archive import pack_epoch
from ..publishing.record import OlderText
from .render import HandoutFile, handout_name, missing_glyphs, page_url, render_handout

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
    older: OlderText | None = None,
) -> tuple[HandoutFile | None, list[FontError]]:
    """Write ``dest`` (see the module docstring); the file, or the reasons there is none."""
    missing = missing_glyphs(doc, ui, reviewed, url, older)
    if missing:
        dest.unlink(missing_ok=True)
        errors = []
        for block, problem in missing:
            path, line = locate(block) if locate is not None else (None, None)
            errors.append(FontError(problem.message, path, line, doc.locale.code))
        return None, errors
    rendered = render_handout(doc, ui, reviewed, created, url, older)
    written = atomic_write(dest, rendered.pdf)
    return HandoutFile(dest, len(rendered.pdf), rendered.pages, written), []


@dataclass(frozen=True)
class HandoutProduct:
    """What the handout output made for one locale: the PDF, or why there is none."""

    file: HandoutFile | None
    """The PDF (``None`` when a font is missing)."""
    problems: tuple[FontError, ...] = ()
    """Each character no installed font covers, with the file and line it is written at."""

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.file.path,) if self.file is not None else ()

    @property
    def summary(self) -> str:
        if self.file is None:
            return "no handout"
        return f"handout {'written' if self.file.written else 'unchanged'}"


class HandoutOutput:
    """The large-print PDF next to the page, dated like the pack; it uses no other output
    (the page and the pack link and carry it, so it comes before them)."""

    name = "handout"

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        return True

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        publication = locale.publication.as_dict() if locale.publication else None
        return {"publish_url": plan.config.publish_url, "publication": publication}

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> HandoutProduct:
        document = locale.check.document
        publish = plan.config.publish_url
        url = page_url(publish, document.id, locale.code) if publish else None
        created = dt.datetime.fromtimestamp(pack_epoch(document.reviewed), dt.UTC)
        ui_catalog = locale.target.ui_catalog
        text_file = locale.catalog_name(plan.root)

        def locate(block: str | None) -> tuple[Path | None, int | None]:
            if block is not None:
                return text_file, locale.check.line_of(block)
            return (ui_catalog.relative_to(plan.root) if ui_catalog else text_file), None

        dest = locale.target.out_dir / handout_name(document.id, locale.code)
        older = locale.publication.older if locale.publication is not None else None
        file, errors = make_handout(
            locale.document,
            locale.ui,
            document.reviewed,
            created,
            dest,
            url=url,
            locate=locate,
            older=older,
        )
        return HandoutProduct(file, tuple(errors))
