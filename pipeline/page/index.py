"""``output/index.html``: the entry page that lists every language of every document."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from string import Template

from babel.numbers import format_decimal

from ..catalogs.translate import UiText
from ..locales import LocaleInfo
from .inline import plain_text
from .render import template


@dataclass(frozen=True)
class IndexEntry:
    """One language of one document on the index."""

    locale: LocaleInfo
    """The language."""
    title: str
    """The document's title in that language (inline Markdown)."""
    page: str | None
    """Link to its page, relative to ``output/`` (``None``: in preparation)."""
    pack: str | None
    """Link to its pack (``None``: no pack)."""
    pack_bytes: int
    """The pack's size."""
    audio_seconds: float
    """Length of its audio (0: none)."""


@dataclass(frozen=True)
class IndexDocument:
    """A document and its languages."""

    id: str
    """The document id."""
    title: str
    """The title in the page's language."""
    entries: tuple[IndexEntry, ...]
    """Every configured language, published or in preparation."""


def megabytes(size: int, page: LocaleInfo) -> str:
    """``3.2 MB`` formatted with the page locale's decimal symbols (Babel)."""
    value = format_decimal(size / 1_000_000, format="#,##0.0", locale=page.babel)
    return f"{value}\u00a0MB"


def _lang(info: LocaleInfo, text: str, page: LocaleInfo) -> str:
    if info.code == page.code:
        return escape(text)
    return f'<span lang="{info.tag}" dir="{info.direction}">{escape(text)}</span>'


def _entry(entry: IndexEntry, ui: UiText, page: LocaleInfo) -> str:
    info = entry.locale
    name = _lang(info, info.native_name, page)
    if info.code != page.code:
        name += f" ({escape(info.name_in(page))})"
    parts = [f'<li><h3 class="lang-name">{name}</h3>']
    parts.append(f"<p>{_lang(info, plain_text(entry.title), page)}</p>")
    links = []
    # Every language has the same link texts: name the language for link-only purpose (2.4.9).
    which = f'<span class="vh"> – {_lang(info, info.native_name, page)}</span>'
    if entry.page:
        label = escape(ui.gettext("Read the page"))
        links.append(f'<a href="{escape(entry.page)}" hreflang="{info.tag}">{label}{which}</a>')
    if entry.pack:
        label = ui.gettext("Download the pack ({size})").format(
            size=megabytes(entry.pack_bytes, page)
        )
        links.append(f'<a href="{escape(entry.pack)}" download>{escape(label)}{which}</a>')
    if entry.audio_seconds:
        minutes = max(1, round(entry.audio_seconds / 60))
        text = ui.ngettext("{count} minute of audio", "{count} minutes of audio", minutes)
        links.append(escape(text.format(count=format_decimal(minutes, locale=page.babel))))
    parts.append("<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul></li>")
    return "".join(parts)


def render_index(documents: Sequence[IndexDocument], ui: UiText, page: LocaleInfo) -> str:
    """The index page in ``page``'s language."""
    body = []
    for document in documents:
        ready = [e for e in document.entries if e.page and e.pack]
        waiting = [e for e in document.entries if not (e.page and e.pack)]
        body.append(f'<section aria-labelledby="doc-{document.id}">')
        body.append(f'<h2 id="doc-{document.id}">{escape(plain_text(document.title))}</h2>')
        count = ui.ngettext("{count} language", "{count} languages", len(ready))
        body.append(
            f"<p>{escape(count.format(count=format_decimal(len(ready), locale=page.babel)))}</p>"
        )
        body.append(
            '<ul class="index-languages">' + "".join(_entry(e, ui, page) for e in ready) + "</ul>"
        )
        if waiting:
            body.append(f"<h3>{escape(ui.gettext('In preparation'))}</h3><ul>")
            for e in waiting:
                name = _lang(e.locale, e.locale.native_name, page)
                body.append(f"<li>{name} ({escape(e.locale.name_in(page))})</li>")
            body.append("</ul>")
        body.append("</section>")
    title = ui.gettext("Patient information")
    main = (
        f"<h1>{escape(title)}</h1>\n<p>{escape(ui.gettext('Choose your language'))}</p>\n"
        + "\n".join(body)
        + "\n"
    )
    return Template(template("page.html")).substitute(
        lang=page.tag,
        dir=page.direction,
        title=escape(title),
        css=template("page.css"),
        skip=escape(ui.gettext("Skip to main content")),
        header="",
        main=main,
        footer="<p>carepack</p>\n",
    )
