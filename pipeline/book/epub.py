"""The talking book: an EPUB 3 with media overlays, from a translated document and its audio.

``build_book`` is a function over plain data: the translated document, its interface
strings, the section tracks with their clips (:mod:`pipeline.audio.timing`), and the
path to write. Every file in the book comes from a Jinja2 template in ``templates/``
with autoescaping on, so translated text is always data.

The zip is reproducible: ``mimetype`` first and stored, then the other entries sorted,
every one dated from the review date (or ``SOURCE_DATE_EPOCH``), MP3s stored. It is
written to a temporary file and renamed, so a failed book leaves the last good one.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape

from ..audio.album import AudioResult, Track
from ..audio.timing import Clip
from ..build.outputs import OneFile
from ..catalogs.translate import TranslatedDocument, UiText, fill_placeholders
from ..catalogs.ui import BOOK_SUMMARY, DRAFT_NOTICE, OLDER_NOTICE
from ..errors import BuildError
from ..fsutil import atomic_write, sha256_bytes
from ..locales import parse_locale
from ..pack.archive import pack_epoch
from ..publishing.record import OlderText
from ..source.markdown import plain_text
from ..templating import kept_templates
from .content import Chapter, Text, chapters

PUBLISHER = "carepack"
"""Publisher and accessibility certifier named in the package document."""
FEATURES = (
    "synchronizedAudioText",
    "tableOfContents",
    "readingOrder",
    "structuralNavigation",
    "displayTransformability",
    "largePrint",
)
"""``schema:accessibilityFeature`` values: text and audio in sync, navigation by heading,
CSS that leaves size, font and colour to the reader (large print is theirs to set)."""
IDENTIFIER_NAMESPACE = uuid.UUID("6f1a3c1e-4b7d-5e2a-9c0f-3d8e2b1a7c55")
"""Namespace of the books' UUIDs: one per document and language, the same every build."""


@dataclass(frozen=True)
class BookResult(OneFile):
    """A talking book on disk (the build's product of :class:`pipeline.book.output.BookOutput`)."""

    label: ClassVar[str] = "book"

    path: Path
    """The ``.epub`` file."""
    size: int
    """Its size in bytes."""
    sha256: str
    """Its SHA-256."""
    seconds: float
    """Total length of its media overlays."""
    written: bool
    """Whether the file changed in this build."""


def book_path(locale_dir: Path, doc_id: str, code: str) -> Path:
    """``output/<doc>/<lang>/<doc>-<lang>.epub``, from a validated locale code."""
    return locale_dir / f"{doc_id}-{parse_locale(code).code}.epub"


def book_identifier(doc_id: str, code: str) -> str:
    """A stable ``urn:uuid:`` for the book of ``doc_id`` in ``code``."""
    return f"urn:uuid:{uuid.uuid5(IDENTIFIER_NAMESPACE, f'{doc_id}/{code}')}"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.book", "templates"),
        autoescape=True,  # every template: XHTML, SMIL, OPF and XML alike
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=kept_templates(),
    )


def render(name: str, **values: object) -> str:
    """One template, autoescaped."""
    return _environment().get_template(name).render(**values)


def clock(seconds: float) -> str:
    """A SMIL clock value, ``H:MM:SS.fff``."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def book_files(
    doc: TranslatedDocument,
    ui: UiText,
    tracks: Sequence[Track],
    audio: Mapping[str, bytes],
    reviewed: dt.date,
    older: OlderText | None = None,
) -> tuple[dict[str, bytes], float]:
    """Every file of the book (path in the zip → bytes) and its overlays' total length.

    ``audio`` maps each section id to its MP3; ``older``: the translation is of an
    older master text (the book says so under its title, with both dates, as the page
    does). Raises :class:`BuildError` naming the file, line and sentence when a clip
    has no element to highlight or does not fit.
    """
    locale = doc.locale
    notices = book_notices(doc, ui, older)
    untitled = _ui(ui, "Important", doc, "disclaimer")
    lang = None if ui.translated("Important", "disclaimer") else parse_locale("en")
    book_chapters = chapters(doc, notices, Text("", untitled, lang))
    by_section = {track.section: track for track in tracks}
    files: dict[str, bytes] = {}
    durations: dict[str, str] = {}
    hrefs: dict[str, str] = {}
    total = 0.0
    for chapter in book_chapters:
        track = by_section.get(chapter.id)
        if track is None or chapter.id not in audio:
            raise BuildError(f"no audio track for section {chapter.id!r}", locale=locale.code)
        pars = _pars(chapter, track, doc)
        hrefs[chapter.id] = f"audio/{chapter.name}.mp3"
        seconds = sum(par.end - par.begin for par in pars)
        durations[chapter.id] = clock(seconds)
        total += seconds
        files[f"EPUB/{hrefs[chapter.id]}"] = audio[chapter.id]
        files[f"EPUB/{chapter.name}.smil"] = _text(
            render("chapter.smil", chapter=chapter, pars=pars, audio=hrefs[chapter.id])
        )
        files[f"EPUB/{chapter.name}.xhtml"] = _text(
            render("chapter.xhtml", chapter=chapter, book=locale)
        )
    summary_translated = ui.translated(BOOK_SUMMARY)
    book = {
        "tag": locale.tag,
        "direction": locale.direction,
        "title": plain_text(doc.title),
        "identifier": book_identifier(doc.document.id, locale.code),
        "reviewed": reviewed.isoformat(),
        # the same moment as the zip's entries: the review date, or SOURCE_DATE_EPOCH
        "modified": dt.datetime.fromtimestamp(pack_epoch(reviewed), dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "review": doc.review,
        "publisher": PUBLISHER,
        "features": FEATURES,
        "summary": ui.gettext(BOOK_SUMMARY),
        "summary_lang": "" if summary_translated or locale.code == "en" else "en",
        "duration": clock(total),
        "contents": ui.gettext("Contents", "navigation"),
        "landmarks": ui.gettext("Landmarks", "navigation"),
    }
    files["EPUB/package.opf"] = _text(
        render("package.opf", book=book, chapters=book_chapters, durations=durations, audio=hrefs)
    )
    files["EPUB/nav.xhtml"] = _text(render("nav.xhtml", book=book, chapters=book_chapters))
    files["EPUB/book.css"] = _text(render("book.css"))
    files["META-INF/container.xml"] = _text(render("container.xml"))
    return files, total


def write_book(
    path: Path,
    doc: TranslatedDocument,
    ui: UiText,
    tracks: Sequence[Track],
    audio: Mapping[str, bytes],
    reviewed: dt.date,
    older: OlderText | None = None,
) -> BookResult:
    """Make the book and write it to ``path`` atomically (untouched when identical)."""
    files, seconds = book_files(doc, ui, tracks, audio, reviewed, older)
    data = epub_bytes(files, pack_epoch(reviewed))
    written = atomic_write(path, data, durable=False)
    return BookResult(path, len(data), sha256_bytes(data), seconds, written)


def epub_bytes(files: Mapping[str, bytes], epoch: int) -> bytes:
    """The OCF zip: ``mimetype`` first and stored, the rest sorted and dated ``epoch``."""
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entries = [("mimetype", b"application/epub+zip"), *sorted(files.items())]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            stored = name == "mimetype" or name.endswith(".mp3")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Par:
    target: str
    begin: float
    end: float


def _pars(chapter: Chapter, track: Track, doc: TranslatedDocument) -> list[_Par]:
    """The overlay's ``<par>``s: each clip with the element it highlights, checked."""
    pars: list[_Par] = []
    previous = 0.0
    for index, clip in enumerate(track.clips):
        target = chapter.target(clip.block, clip.sentence, index == 0)
        if target is None:
            _fail(doc, clip, "has no element in the book to highlight")
        if not previous <= clip.begin < clip.end <= track.seconds + 0.001:
            _fail(
                doc,
                clip,
                f"has a clip ({clip.begin:.3f}-{clip.end:.3f} s) that does not fit the "
                f"{track.seconds:.3f} s track after {previous:.3f} s",
            )
        pars.append(_Par(str(target), clip.begin, clip.end))
        previous = clip.end
    return pars


def _fail(doc: TranslatedDocument, clip: Clip, problem: str) -> None:
    raise BuildError(
        f"talking book: the sentence {clip.text[:80]!r} {problem}; no book is made",
        doc.document.path,
        clip.line,
        doc.locale.code,
    )


def book_notices(doc: TranslatedDocument, ui: UiText, older: OlderText | None) -> list[Markup]:
    """The notices under the book's title, in the page's order: the translation is of
    an older text (with both dates), the translation is a draft."""
    notices = []
    if older is not None:
        dates = {
            "old_date": format_date(older.translated, "long", locale=doc.locale.babel),
            "new_date": format_date(older.updated, "long", locale=doc.locale.babel),
        }
        notices.append(_ui(ui, OLDER_NOTICE, doc, values=dates))
    if doc.is_draft:
        notices.append(_ui(ui, DRAFT_NOTICE, doc))
    return notices


def _ui(
    ui: UiText,
    msgid: str,
    doc: TranslatedDocument,
    context: str | None = None,
    values: Mapping[str, str] | None = None,
) -> Markup:
    """An interface string, escaped, in English's ``lang`` when it is not translated
    (or when its translation has a broken placeholder: the English, not a crash)."""
    text, filled = ui.gettext(msgid, context), True
    if values is not None:
        text, filled = fill_placeholders(text, msgid, values)
    text = escape(text)
    if filled and (ui.translated(msgid, context) or doc.locale.code == "en"):
        return Markup(text)
    return Markup('<span lang="en" xml:lang="en" dir="ltr">{}</span>').format(text)


def _text(text: str) -> bytes:
    return text.encode("utf-8")


def build_book(
    doc: TranslatedDocument,
    ui: UiText,
    audio: AudioResult,
    locale_dir: Path,
    reviewed: dt.date,
    older: OlderText | None = None,
) -> BookResult:
    """The book of one locale next to its page, from the section tracks just made."""
    tracks = audio.tracks
    data = {track.section: (locale_dir / track.href).read_bytes() for track in tracks}
    path = book_path(locale_dir, doc.document.id, doc.locale.code)
    return write_book(path, doc, ui, tracks, data, reviewed, older)
