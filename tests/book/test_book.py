"""The talking book (EPUB 3 with media overlays), checked by tools no one here wrote.

The shipped article is spoken and bound into a book for every shipped language; each
book goes through EPUBCheck and Ace by DAISY, and its media overlays are read back:
every ``<par>`` points at an element of its XHTML, clips are in order, do not overlap,
lie inside the decoded MP3 and cover every sentence of the spoken script, and each clip
starts and ends within 50 ms of the speech heard in the decoded audio.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

import polib
import pytest

from pipeline.audio.album import AudioResult, Track
from pipeline.audio.script import Script, spoken_script
from pipeline.audio.timing import Clip
from pipeline.audio.tracks import build_audio
from pipeline.book.epub import BookResult, book_files, build_book, epub_bytes, write_book
from pipeline.catalogs.translate import TranslatedDocument, UiText
from pipeline.catalogs.ui import BOOK_SUMMARY, OLDER_NOTICE
from pipeline.config import load_config
from pipeline.errors import BuildError
from pipeline.locales import parse_locale
from pipeline.page.render import PageBook, render_page
from pipeline.project import Project
from pipeline.publishing.record import OlderText
from pipeline.source.document import Role

from .. import book_tools as t
from ..conftest import ROOT, localized

LOCALES = ("en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr")
TOLERANCE = 0.050
"""How far (seconds) a clip boundary may be from the speech heard in the decoded MP3."""
LOUD = 328
"""A decoded sample louder than this (-40 dBFS) is speech; the pauses are digital silence."""


@dataclass(frozen=True)
class Book:
    doc: TranslatedDocument
    ui: UiText
    script: Script
    audio: AudioResult
    result: BookResult


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    """The shipped article's book in every shipped language (one audio cache for all)."""
    if t.missing_tools():
        pytest.fail("the book tests need: " + "; ".join(t.missing_tools()))
    project = Project(load_config(ROOT))
    document = next(d for d in project.documents() if d.id == "myeloma-second-line")
    root = tmp_path_factory.mktemp("books")
    speech = project.config.speech
    made = {}
    for code in LOCALES:
        doc, ui = localized(document, code, project)
        folder = root / code
        audio = build_audio(
            doc, ui, speech.voice_for(code), speech, folder / "audio", root / "cache"
        )
        result = build_book(doc, ui, audio, folder, document.reviewed)
        made[code] = Book(doc, ui, spoken_script(doc, ui), audio, result)
    return made


@pytest.mark.parametrize("code", LOCALES)
def test_epubcheck_finds_nothing(books: dict[str, Book], code: str) -> None:
    assert t.epubcheck(books[code].result.path) == []


@pytest.mark.parametrize("code", LOCALES)
def test_ace_finds_no_violation(books: dict[str, Book], code: str, tmp_path: Path) -> None:
    report = t.ace(books[code].result.path, tmp_path)
    assert t.ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert report["a11y-metadata"]["empty"] == []
    headings = report["outlines"]["headings"]
    assert books[code].script.sections[-1].title in headings  # the disclaimer, last


@pytest.mark.parametrize("code", LOCALES)
def test_overlays_read_back(books: dict[str, Book], code: str) -> None:
    book = books[code]
    with zipfile.ZipFile(book.result.path) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        pars = t.overlays(archive)
        assert len(pars) == len(book.script.sections)
        for section, (_, overlay) in zip(book.script.sections, sorted(pars.items()), strict=True):
            # every sentence of the script has its clip, in the script's order
            assert len(overlay) == len(section.utterances), section.id
            ids = t.element_ids(archive.read(overlay[0].document))
            samples, rate = t.decode(archive.read(overlay[0].audio))
            decoded = len(samples) / rate
            previous = 0.0
            for par in overlay:
                assert par.fragment in ids, par
                assert previous <= par.begin < par.end <= decoded, par
                previous = par.end


@pytest.mark.parametrize("code", LOCALES)
def test_clips_are_where_the_speech_is_heard(books: dict[str, Book], code: str) -> None:
    """Each clip starts and ends within 50 ms of the sound heard between its neighbours'
    clips: the clip is the speech, and the gap to the next clip is silence (the pause)."""
    with zipfile.ZipFile(books[code].result.path) as archive:
        for overlay in t.overlays(archive).values():
            samples, rate = t.decode(archive.read(overlay[0].audio))
            starts = [-TOLERANCE] + [p.end for p in overlay[:-1]]  # the previous clip's end
            stops = [p.begin for p in overlay[1:]] + [len(samples) / rate + TOLERANCE]
            for par, start, stop in zip(overlay, starts, stops, strict=True):
                # MP3 frames smear a little sound ahead of the next clip: not counted
                first, last = round((start + TOLERANCE) * rate), round((stop - TOLERANCE) * rate)
                window = range(max(0, first), min(len(samples), last))
                heard = [i for i in window if abs(samples[i]) > LOUD]
                assert heard, f"{par}: no speech"
                onset, offset = heard[0] / rate, heard[-1] / rate
                assert abs(onset - par.begin) <= TOLERANCE, (par, onset)
                assert abs(offset - par.end) <= TOLERANCE, (par, offset)


def test_the_book_is_in_the_languages_own_language_and_direction(books: dict[str, Book]) -> None:
    for code, book in books.items():
        info = parse_locale(code)
        with zipfile.ZipFile(book.result.path) as archive:
            opf = ElementTree.fromstring(archive.read("EPUB/package.opf"))
            ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
            assert opf.findtext(".//dc:language", namespaces=ns) == info.tag
            spine = opf.find("opf:spine", ns)
            assert spine is not None
            assert spine.get("page-progression-direction") == ("rtl" if code == "ar" else None)
            for name in archive.namelist():
                if name.endswith(".xhtml"):
                    root = ElementTree.fromstring(archive.read(name))
                    assert root.get("lang") == info.tag and root.get("dir") == info.direction
            features = {
                el.text
                for el in opf.iter("{http://www.idpf.org/2007/opf}meta")
                if el.get("property") == "schema:accessibilityFeature"
            }
            assert {"synchronizedAudioText", "tableOfContents", "structuralNavigation"} <= features
            summary = [
                el
                for el in opf.iter("{http://www.idpf.org/2007/opf}meta")
                if el.get("property") == "schema:accessibilitySummary"
            ]
            assert summary[0].text == book.ui.gettext(BOOK_SUMMARY)
            assert book.ui.translated(BOOK_SUMMARY) or code == "en"


def test_the_table_is_a_real_table_and_drafts_say_so(books: dict[str, Book]) -> None:
    book = books["es"]
    with zipfile.ZipFile(book.result.path) as archive:
        names = archive.namelist()
        table = next(n for n in names if n.endswith(".xhtml") and b"<table>" in archive.read(n))
        root = ElementTree.fromstring(archive.read(table))
        heads = list(root.iter("{http://www.w3.org/1999/xhtml}th"))
        assert len(heads) == 3 and all(th.get("scope") == "col" for th in heads)
        first = archive.read(next(n for n in names if n.endswith("01-intro.xhtml")))
    assert book.doc.is_draft and b'class="notice"' in first


# -- the builder on its own: plain data in ------------------------------------------

HOSTILE = '<script>alert("x")</script> & ]]> <!-- "quoted" \'single\' {size}'


def _hostile_inputs(books: dict[str, Book]) -> tuple[TranslatedDocument, UiText, list[Track]]:
    """The English book's document with hostile text in every kind of block and UI string."""
    book = books["en"]
    blocks = tuple(
        replace(b, text=f"{b.text} {HOSTILE}")
        if b.block.role
        in {Role.TITLE, Role.HEADING, Role.PARAGRAPH, Role.TABLE_CELL, Role.TABLE_HEADER}
        or b.block.role in {Role.CAPTION, Role.DISCLAIMER_PARAGRAPH, Role.DISCLAIMER_HEADING}
        else b
        for b in book.doc.blocks
    )
    doc = replace(book.doc, blocks=blocks, review="draft")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, context in (
        (BOOK_SUMMARY, None),
        ("Contents", "navigation"),
        ("Landmarks", "navigation"),
    ):
        po.append(polib.POEntry(msgid=msgid, msgstr=HOSTILE, msgctxt=context))
    ui = UiText(parse_locale("en"), po)
    # the spoken script of the hostile text, with made-up clips one second apart
    script = spoken_script(doc, ui)
    tracks = []
    for section in script.sections:
        clips = tuple(
            Clip(u.block, u.sentence, i + 0.1, i + 0.9, u.line, u.text)
            for i, u in enumerate(section.utterances)
        )
        tracks.append(Track(section.id, section.title, "", len(clips) + 1.0, False, clips))
    return doc, ui, tracks


def test_hostile_text_goes_through_every_template_as_text(books: dict[str, Book]) -> None:
    doc, ui, tracks = _hostile_inputs(books)
    audio = {track.section: b"\xff\xfb" for track in tracks}
    files, _ = book_files(doc, ui, tracks, audio, dt.date(2026, 11, 27))
    templates = {name.rsplit(".", 1)[-1] for name in files}
    assert {"xhtml", "smil", "opf", "xml", "css"} <= templates
    seen = 0
    for name, data in files.items():
        if name.endswith((".xhtml", ".smil", ".opf", ".xml")):
            root = ElementTree.fromstring(data)  # well-formed whatever the text
            assert not [el for el in root.iter() if el.tag.endswith("script")], name
            text = "".join(root.itertext()) + " ".join(el.get("content", "") for el in root.iter())
            seen += HOSTILE in text
    assert seen >= 3  # chapters, navigation and the package document carry it as text


def test_the_same_inputs_give_the_same_bytes(books: dict[str, Book], tmp_path: Path) -> None:
    book = books["zh_Hans"]
    folder = book.result.path.parent
    audio = {t.section: (folder / t.href).read_bytes() for t in book.audio.tracks}
    path = tmp_path / book.result.path.name
    reviewed = book.doc.document.reviewed
    again = write_book(path, book.doc, book.ui, book.audio.tracks, audio, reviewed)
    assert again.path.read_bytes() == book.result.path.read_bytes()
    assert (
        again.sha256 == book.result.sha256
        and not write_book(path, book.doc, book.ui, book.audio.tracks, audio, reviewed).written
    )  # unchanged bytes: the file is left alone
    assert epub_bytes({"a": b"1"}, 315532800) == epub_bytes({"a": b"1"}, 315532800)


def test_a_clip_that_does_not_fit_stops_the_book_naming_file_line_and_sentence(
    books: dict[str, Book], tmp_path: Path
) -> None:
    book = books["fr"]
    tracks = list(book.audio.tracks)
    bad = tracks[1].clips[2]
    late = replace(bad, begin=tracks[1].seconds + 5, end=tracks[1].seconds + 6)
    tracks[1] = replace(tracks[1], clips=(*tracks[1].clips[:2], late, *tracks[1].clips[3:]))
    audio = {track.section: b"" for track in tracks}
    path = tmp_path / "fr.epub"
    with pytest.raises(BuildError) as caught:
        write_book(path, book.doc, book.ui, tracks, audio, book.doc.document.reviewed)
    error = caught.value
    assert (error.path, error.line, error.locale) == (book.doc.document.path, bad.line, "fr")
    assert bad.text[:40] in error.message and "does not fit" in error.message
    assert not path.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "label"),
    [("en", "Talking book (EPUB, 2.6\u00a0MB)"), ("es", "Libro hablado (EPUB, 2,6\u00a0MB)")],
)
def test_the_page_links_the_book_with_its_size_in_the_reader_s_language(
    code: str, label: str
) -> None:
    project = Project(load_config(ROOT))
    document = next(d for d in project.documents() if d.id == "myeloma-second-line")
    doc, ui = localized(document, code, project)
    book = PageBook(f"{document.id}-{code}.epub", 2_583_465)
    html = render_page(doc, ui, (), None, document.reviewed, book=book).html
    assert (
        f'<a href="{document.id}-{code}.epub" type="application/epub+zip" download>{label}</a>'
        in html
    )


def test_an_older_translation_says_so_under_the_book_title(books: dict[str, Book]) -> None:
    """The page, pack and handout of a translation of an older master text say so; the
    book does too, in the book's language, with both dates as the locale writes them."""
    book = books["es"]
    folder = book.result.path.parent
    audio = {t.section: (folder / t.href).read_bytes() for t in book.audio.tracks}
    older = OlderText(dt.date(2026, 11, 2), dt.date(2026, 12, 1))
    reviewed = book.doc.document.reviewed
    files, _ = book_files(book.doc, book.ui, book.audio.tracks, audio, reviewed, older)
    plain, _ = book_files(book.doc, book.ui, book.audio.tracks, audio, reviewed)
    first, *rest = sorted(name for name in files if name.endswith(".xhtml") and "nav" not in name)
    notice = (
        "Esta traducción corresponde al texto tal como estaba el 2 de noviembre de 2026; "
        "el texto en inglés se actualizó el 1 de diciembre de 2026."
    )
    text = "".join(ElementTree.fromstring(files[first]).itertext())
    assert notice in text and notice not in "".join(ElementTree.fromstring(plain[first]).itertext())
    assert all(files[name] == plain[name] for name in rest)  # under the title only
    # a translation whose placeholder is broken: the English notice, marked as English
    po = polib.POFile()
    po.append(polib.POEntry(msgid=OLDER_NOTICE, msgstr="El texto del {fecha}."))
    broken = UiText(book.doc.locale, po)
    files, _ = book_files(book.doc, broken, book.audio.tracks, audio, reviewed, older)
    root = ElementTree.fromstring(files[first])
    marked = [el for el in root.iter() if el.get("{http://www.w3.org/XML/1998/namespace}lang")]
    assert any(
        "This translation is of the text as it was on 2 de noviembre de 2026"
        in "".join(el.itertext())
        for el in marked
    )
