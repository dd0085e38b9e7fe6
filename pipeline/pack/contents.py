"""What goes into one language's pack: the page, the audio, a README in that language
and the manifest's fields. :mod:`pipeline.pack.archive` does the zipping and verifying."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.dates import format_date

from ..audio.album import FULL_NAME, AudioResult
from ..book.epub import BookResult
from ..catalogs.translate import TranslatedDocument, UiText
from ..catalogs.ui import (
    BOOK_HOW_TO_OPEN,
    DRAFT_NOTICE,
    HANDOUT_README,
    HOW_TO_OPEN,
    HOW_TO_OPEN_WITH_BOOK,
    NOT_ADVICE,
    OLDER_NOTICE,
    REVIEWED_NOTICE,
)
from ..checks.locale import PublishedLocale
from ..handout.model import HandoutFile
from ..publishing.record import OlderText, Publication
from ..readability.render import report_json
from ..source.markdown import plain_text
from .archive import MANIFEST, README, PackResult, Ready, pack_epoch, write_pack


def review_notice(doc: TranslatedDocument, ui: UiText) -> str:
    """The review state in the reader's language ('' for the master text)."""
    if doc.review == "reviewed":
        return ui.gettext(REVIEWED_NOTICE)
    return ui.gettext(DRAFT_NOTICE) if doc.is_draft else ""


def older_notice(older: OlderText, doc: TranslatedDocument, ui: UiText) -> str:
    """ "This translation is of the text as it was on …" in the reader's language."""
    babel = doc.locale.babel
    return ui.gettext(OLDER_NOTICE).format(
        old_date=format_date(older.translated, format="long", locale=babel),
        new_date=format_date(older.updated, format="long", locale=babel),
    )


def readme_text(
    doc: TranslatedDocument,
    ui: UiText,
    reviewed: dt.date,
    files: list[str],
    older: OlderText | None = None,
    handout: str | None = None,
    book: str | None = None,
) -> str:
    """``README.txt``: what this is, that it is not medical advice, how to open it
    (and, with ``handout``, the PDF's name: print it or send it; with ``book``, the
    talking book's: open it in a reading app)."""
    date = format_date(reviewed, format="long", locale=doc.locale.babel)
    lines = [
        plain_text(doc.title),
        "",
        ui.gettext(NOT_ADVICE),
        "",
    ]
    if older is not None:
        lines += [older_notice(older, doc, ui), ""]
    lines.append(ui.gettext("Last reviewed on {date}").format(date=date))
    notice = review_notice(doc, ui)
    if notice:
        lines.append(notice)
    lines += [
        "",
        ui.gettext(HOW_TO_OPEN_WITH_BOOK if book else HOW_TO_OPEN),
        *([ui.gettext(BOOK_HOW_TO_OPEN).format(file=book)] if book else []),
        *([ui.gettext(HANDOUT_README).format(file=handout)] if handout else []),
        "",
        ui.gettext("What is in this pack") + ":",
        *(f"  {name}" for name in sorted([*files, MANIFEST])),
    ]
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on an old laptop shows it right


def manifest_fields(
    locale: PublishedLocale,
    audio: AudioResult | None,
    publication: Publication | None = None,
    handout: HandoutFile | None = None,
    book: BookResult | None = None,
) -> dict[str, Any]:
    """Everything the manifest says besides the file list."""
    check, doc = locale.check, locale.document
    completeness = 100.0 if check.gate is None else round(check.gate.completeness, 1)
    return {
        "format": "carepack-pack-1",
        "document": {
            "id": check.document.id,
            "version": check.document.version,
            "title": doc.title,
            "reviewed": check.document.reviewed.isoformat(),
        },
        "locale": {
            "code": check.locale.code,
            "tag": check.locale.tag,
            "name": check.locale.native_name,
            "english_name": check.locale.english_name,
            "direction": check.locale.direction,
        },
        "translation": {
            "completeness_percent": completeness,
            "review": doc.review,
            "review_date": check.po.metadata.get("PO-Revision-Date", "") if check.po else "",
        },
        "publication": None if publication is None else publication.as_dict(),
        "disclaimer": {
            "status": "complete",
            "entries": len(check.document.disclaimer),
        },
        "readability": report_json(locale.readability),
        "handout": None
        if handout is None
        else {
            "file": handout.path.name,
            "pages": handout.pages,
            "bytes": handout.size,
            "standard": "PDF/UA-1",
            "paper": "A4; the printed area fits US Letter at actual size",
        },
        "book": None
        if book is None
        else {
            "file": book.path.name,
            "bytes": book.size,
            "seconds": round(book.seconds, 1),
            "standard": "EPUB 3.3 with media overlays; EPUB Accessibility 1.1, WCAG 2.1 AA",
        },
        "audio": None
        if audio is None
        else {
            "seconds": round(audio.total_seconds, 1),
            "full_length_seconds": round(audio.full_seconds, 1),
            "full_length_file": f"audio/{FULL_NAME}",
            "tracks": [
                {
                    "section": t.section,
                    "title": t.title,
                    # With a book, the section tracks travel inside it, not beside it.
                    "file": f"{book.path.name}:EPUB/{t.href}" if book else t.href,
                    "seconds": round(t.seconds, 1),
                }
                for t in audio.tracks
            ],
        },
    }


def write_locale_pack(
    locale: PublishedLocale,
    page: Path,
    audio: AudioResult | None,
    dest: Path,
    publication: Publication | None = None,
    handout: HandoutFile | None = None,
    book: BookResult | None = None,
    pack_page: str | None = None,
    ready: Mapping[str, Ready] | None = None,
) -> PackResult:
    """Build ``dest`` (a zip) from the locale's page, handout and audio files.
    ``publication``: what is published (the text's date; for an older translation, both
    dates); ``book``: the talking book, which then carries the section tracks (the pack
    has the book and ``audio/full.mp3``, so no audio is in it twice), with ``pack_page``
    the page to put in the pack (without section players); ``ready``: members made ahead
    (:class:`~pipeline.pack.archive.Ready`), by name."""
    doc, ui = locale.document, locale.ui
    base = page.parent
    files = {"index.html": pack_page.encode("utf-8") if pack_page else page.read_bytes()}
    if handout is not None:
        files[handout.path.name] = handout.path.read_bytes()
    if book is not None:
        files[book.path.name] = book.path.read_bytes()
    if audio is not None:
        for path in audio.files:
            if book is None or path.name == FULL_NAME:
                files[path.relative_to(base).as_posix()] = path.read_bytes()
    older = publication.older if publication is not None else None
    name = handout.path.name if handout is not None else None
    reviewed = locale.check.document.reviewed
    book_name = book.path.name if book else None
    readme = readme_text(doc, ui, reviewed, list(files), older, name, book_name)
    files[README] = readme.encode("utf-8")
    manifest = manifest_fields(locale, audio, publication, handout, book)
    return write_pack(dest, files, manifest, pack_epoch(reviewed), ready)
