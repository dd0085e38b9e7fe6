"""The large-print page: a translated document → one self-contained HTML file.

The page carries its own CSS (``templates/page.css``) and needs no script, font
or image from anywhere. :mod:`pipeline.page.content` turns the translated document
into plain data; the Jinja2 template ``templates/page.html`` writes it, with
autoescaping on, so every piece of text, translated or interface, is data. Inline
Markdown goes through :mod:`pipeline.page.inline`, which keeps only bold, and
http(s)/mailto/tel links, and reports anything it drops. Text that falls back to
the source language (an untranslated block, or an interface string without a
translation) carries that language's ``lang`` and ``dir`` so that a screen reader
switches voice. The same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..catalogs.translate import TranslatedDocument, UiText
from ..checks.finding import Finding
from ..locales import parse_locale
from ..publishing.record import OlderText
from ..templating import kept_templates
from .content import ContentBuilder, element_run
from .links import LanguageLink, PageAudio, PageBook, PageHandout, kilobytes, language_links

__all__ = [
    "LanguageLink",
    "PageAudio",
    "PageBook",
    "PageHandout",
    "RenderedPage",
    "element_run",
    "kilobytes",
    "language_links",
    "page_path",
    "render_page",
]


@dataclass(frozen=True)
class RenderedPage:
    """A rendered page, not yet written."""

    html: str
    """The complete HTML document."""
    findings: tuple[Finding, ...]
    """Problems found while rendering, in reading order."""


def page_path(output_dir: Path, doc_id: str, code: str) -> Path:
    """``output/<doc>/<lang>/index.html``, from a validated locale code."""
    return output_dir / doc_id / parse_locale(code).code / "index.html"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.page", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=kept_templates(),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(
    doc: TranslatedDocument,
    ui: UiText,
    languages: Sequence[LanguageLink],
    audio: PageAudio | None,
    reviewed: dt.date,
    older: OlderText | None = None,
    voice: bool = True,
    after_title: Markup | str = "",
    extra_css: str = "",
    handout: PageHandout | None = None,
    book: PageBook | None = None,
) -> RenderedPage:
    """Render one locale's large-print page (see the module docstring). ``older``: the
    translation is of an older master text (the page says so, with both dates);
    ``voice=False``: no voice speaks the language (the page says so instead of audio);
    ``after_title``: safe markup put under the title and notices (the handout's QR code,
    from its own autoescaped template); ``extra_css``: rules that follow the page's own
    (the handout's print stylesheet, from its template, where text is only ever a CSS
    string); ``handout``: the PDF of the page, linked under the title; ``book``: the
    talking book, linked next to it."""
    builder = ContentBuilder(doc, ui, audio, older, voice)
    content = builder.content(languages, reviewed, handout, book)
    html = (
        _environment()
        .get_template("page.html")
        .render(
            page=content,
            after_title=Markup(after_title),
            extra_css=Markup(extra_css),
        )
    )
    return RenderedPage(html, tuple(builder.findings))
