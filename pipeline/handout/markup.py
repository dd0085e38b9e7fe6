"""What one locale's handout prints, made in the build: its markup and its texts.

The handout is the large-print page (:func:`pipeline.page.render.render_page`) with
a print stylesheet on top (``templates/handout.css``): A4 paper whose printed area
fits US Letter too, the title in a running header, the review state and "page N of
M" (in the reader's language) in a running footer, 18 pt body text, the disclaimer
boxed and last, table rows whole and headers repeated. When the project is
published at an address, a QR code to the language's page goes under the title.

All of that is templates (Jinja2, Babel's dates, the QR code), which the build has
loaded for its pages anyway: the build makes a :class:`HandoutMarkup` and sends it to
the renderer process, which only checks the fonts and prints it
(:mod:`pipeline.handout.render`), with nothing of the page's code to load first.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

import segno
from babel.dates import format_date
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..catalogs.translate import TranslatedDocument, UiText, fill_placeholders
from ..catalogs.ui import DRAFT_NOTICE, REVIEWED_NOTICE
from ..page.render import render_page
from ..publishing.record import OlderText
from ..source.markdown import plain_text
from ..templating import kept_templates

PAGE_NUMBER = "Page {page} of {pages}"
"""The running footer's page number (an interface string)."""
QR_CAPTION = "Scan this code to open this page, with its audio, on a phone:"
QR_ALT = "QR code"


# -- text the handout draws --------------------------------------------------------


def review_line(doc: TranslatedDocument, ui: UiText, reviewed: dt.date) -> str:
    """The review date as the locale writes dates, then the review state."""
    date = format_date(reviewed, format="long", locale=doc.locale.babel)
    line = _format(ui, "Last reviewed on {date}", date=date)
    if doc.review == "reviewed":
        return f"{line} · {ui.gettext(REVIEWED_NOTICE)}"
    return f"{line} · {ui.gettext(DRAFT_NOTICE)}" if doc.is_draft else line


def _format(ui: UiText, msgid: str, **values: str) -> str:
    return fill_placeholders(ui.gettext(msgid), msgid, values)[0]


def page_number_parts(ui: UiText) -> tuple[str, str, str]:
    """The literal text before ``{page}``, between it and ``{pages}``, and after."""
    for msgid in (ui.gettext(PAGE_NUMBER), PAGE_NUMBER):
        try:
            fields = list(string.Formatter().parse(msgid))
        except ValueError:
            continue
        names = [name for _, name, _, _ in fields if name is not None]
        if names == ["page", "pages"]:
            literals = [text for text, _, _, _ in fields]
            return literals[0], literals[1], "".join(literals[2:])
    return "", " / ", ""


def drawn_texts(
    doc: TranslatedDocument, ui: UiText, reviewed: dt.date, url: str | None
) -> Iterator[tuple[str | None, str, str]]:
    """Everything the handout prints, as ``(block id, what it is, text)``."""
    for block in doc.blocks:
        yield block.block.id, f"block {block.block.id}", plain_text(block.text)
    yield None, "the review line", review_line(doc, ui, reviewed)
    yield None, "the page numbers", "".join(page_number_parts(ui))
    if url is not None:
        yield None, "the QR code's caption", ui.gettext(QR_CAPTION) + url


_NOT_DRAWN = ("style", "script", "template")


class _PrintedText(HTMLParser):
    """The text of a page's ``<body>``, as WeasyPrint lays it out (no style, no script)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._body = self._body or tag == "body"
        if tag in _NOT_DRAWN:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_DRAWN and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._body and not self._skip:
            self.parts.append(data)


def printed_text(html: str) -> str:
    """Every character the handout's markup draws (its body's text)."""
    parser = _PrintedText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


_CSS_UNSAFE = re.compile(r"[^\w ,.:;!?()\[\]/+\-–—·'’%]", re.UNICODE)


class CssString(str):
    """Text already written as one quoted CSS string."""


def css_string(text: str) -> CssString:
    """``text`` as a double-quoted CSS string: anything but letters, digits and plain
    punctuation is a hex escape (its space ends the escape and is not part of the text)."""
    escaped = _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", text)
    return CssString(f'"{escaped}"')


def _only_css_strings(value: object) -> object:
    if not isinstance(value, CssString):
        raise TypeError("handout.css inserts text only through the css_string filter")
    return value


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.handout", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=kept_templates(),
    )
    env.filters["css_string"] = css_string
    return env


@cache
def _css_environment() -> Environment:
    env = _environment().overlay(autoescape=False, finalize=_only_css_strings)
    env.filters["css_string"] = css_string
    return env


def handout_css(doc: TranslatedDocument, ui: UiText, reviewed: dt.date) -> str:
    """The print stylesheet with this locale's running header and footer."""
    before, between, after = page_number_parts(ui)
    return (
        _css_environment()
        .get_template("handout.css")
        .render(
            title=plain_text(doc.title),
            review=review_line(doc, ui, reviewed),
            page_before=before,
            page_between=between,
            page_after=after,
            rtl=doc.locale.direction == "rtl",
        )
    )


def qr_html(ui: UiText, url: str) -> str:
    """The QR code to ``url``, with a caption and the address printed under it."""
    image = segno.make(url, error="m").svg_data_uri(scale=4, border=2, omitsize=True)
    return (
        _environment()
        .get_template("qr.html")
        .render(caption=ui.gettext(QR_CAPTION), alt=ui.gettext(QR_ALT), image=image, url=url)
    )


@dataclass(frozen=True)
class HandoutMarkup:
    """One locale's handout as the renderer is given it: what it prints and every text
    in it, by where it comes from (for the font check's messages)."""

    html: str
    """The markup WeasyPrint prints: the page's, with the print stylesheet (and the QR
    code)."""
    texts: tuple[tuple[str | None, str, str], ...]
    """Everything the handout draws, as ``(block id, what it is, text)``: the blocks and
    the running header and footer first (so that a character is named with the block it
    is written in), then the rest of the markup's text (the notices, headings, labels)."""


def handout_markup(
    doc: TranslatedDocument,
    ui: UiText,
    reviewed: dt.date,
    url: str | None = None,
    older: OlderText | None = None,
) -> HandoutMarkup:
    """The handout of ``doc`` in ``ui``'s language, reviewed on ``reviewed``: ``url`` is
    the page's published address (for the QR code), ``older`` set when the translation
    is of an older master text (the handout says so, as the page does)."""
    extra = qr_html(ui, url) if url else ""
    css = handout_css(doc, ui, reviewed)
    page = render_page(doc, ui, (), None, reviewed, older, after_title=extra, extra_css=css)
    html = page.html
    texts = [*drawn_texts(doc, ui, reviewed, url)]
    texts.append((None, "the handout's notices and labels", printed_text(html)))
    return HandoutMarkup(html, tuple(texts))
