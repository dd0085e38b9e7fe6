"""The large-print handout (PDF/UA), checked with poppler's tools: pdfinfo, pdffonts,
pdftotext and pdftoppm, none of them written here."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
import zlib
from pathlib import Path

import polib
import pytest
import tinycss2

from pipeline.catalogs.translate import TranslatedBlock, TranslatedDocument, UiText
from pipeline.catalogs.ui import DRAFT_NOTICE, OLDER_NOTICE
from pipeline.checks.locale import check_locale
from pipeline.handout.fonts import FAMILIES, Uncovered, family_charset, forget_fonts
from pipeline.handout.markup import css_string, handout_markup, printed_text
from pipeline.handout.model import RenderedHandout, page_url
from pipeline.handout.render import missing_in, print_handout
from pipeline.locales import parse_locale
from pipeline.project import Project
from pipeline.publishing.record import OlderText
from pipeline.source.document import Role
from pipeline.source.markdown import plain_text

from ..conftest import ROOT


def render_handout(
    doc: TranslatedDocument,
    ui: UiText,
    reviewed: dt.date,
    created: dt.datetime,
    url: str | None = None,
    older: OlderText | None = None,
) -> RenderedHandout:
    """The handout's markup made and printed here (the build makes the markup, its
    renderer process prints it)."""
    return print_handout(handout_markup(doc, ui, reviewed, url, older), created)


def missing_glyphs(
    doc: TranslatedDocument,
    ui: UiText,
    reviewed: dt.date,
    url: str | None = None,
    older: OlderText | None = None,
) -> list[tuple[str | None, Uncovered]]:
    """What the renderer's font check finds in the handout's markup."""
    return missing_in(handout_markup(doc, ui, reviewed, url, older))


CODES = ["en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr"]
CREATED = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
URL = "https://example.org/care"
MM = 72 / 25.4
A4_HEIGHT = 297 * MM
LETTER_CUT = (297 - 279.4) / 2 * MM  # what US Letter leaves off each end of A4, centred


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def locale_texts(project: Project, code: str) -> tuple[TranslatedDocument, UiText]:
    document = project.documents()[0]
    check = check_locale(project, document, code)
    assert check.translated is not None and check.ui is not None
    return check.translated, check.ui


@pytest.fixture(scope="module")
def shipped() -> Project:
    from pipeline.config import load_config

    return Project(load_config(ROOT))


@pytest.fixture(scope="module")
def handouts(shipped: Project, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every shipped language's handout, the first with a QR code."""
    out = tmp_path_factory.mktemp("handouts")
    paths = {}
    for code in CODES:
        doc, ui = locale_texts(shipped, code)
        url = page_url(URL, doc.document.id, code) if code == "es" else None
        rendered = render_handout(doc, ui, doc.document.reviewed, CREATED, url)
        paths[code] = out / f"{code}.pdf"
        paths[code].write_bytes(rendered.pdf)
    return paths


def info(path: Path) -> dict[str, str]:
    lines = run("pdfinfo", str(path)).splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def normalized(text: str) -> str:
    """NFKC, no whitespace, no bidi controls (pdftotext adds them around RTL lines) and
    no hyphens (pdftotext drops a hyphen that ends a line, as in "up-to-|date")."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069-]+", "", text)


def body_text(path: Path, pages: int) -> str:
    """pdftotext of the body of every page, without the running header and footer."""
    top, height = 34 * MM, (297 - 68) * MM
    area = ["-x", "0", "-y", f"{top:.0f}", "-W", f"{210 * MM:.0f}", "-H", f"{height:.0f}"]
    return "".join(
        run("pdftotext", "-f", str(n), "-l", str(n), *area, str(path), "-")
        for n in range(1, pages + 1)
    )


@pytest.mark.parametrize("code", CODES)
def test_pdf_ua_as_poppler_sees_it(shipped: Project, handouts: dict[str, Path], code: str) -> None:
    doc, _ = locale_texts(shipped, code)
    path = handouts[code]
    meta = info(path)
    assert meta["Tagged"] == "yes"
    assert meta["Title"] == plain_text(doc.title)
    assert meta["Page size"].endswith("(A4)")
    assert int(meta["Pages"]) >= 2
    assert meta["CreationDate"].startswith("Fri Nov 27 12:00:00 2026")
    assert path.stat().st_size < 1_000_000
    fonts = run("pdffonts", str(path)).splitlines()[2:]
    assert fonts
    for row in fonts:
        name, emb, sub, uni = row.split()[0], *row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+Noto-Sans", name), row  # only the handout's families
    xmp = run("pdfinfo", "-meta", str(path))
    assert 'pdfuaid:part="1"' in xmp
    assert any(f"/Lang ({parse_locale(code).tag})".encode() in s for s in _streams(path))
    tree = run("pdfinfo", "-struct", str(path))
    for tag in ("H1", "H2", "P", "Table", "THead", "TH", "TD", "Caption", "Sect"):
        assert re.search(rf"^\s+{tag}\b", tree, re.M), tag


def test_display_title_and_bookmarks(shipped: Project, handouts: dict[str, Path]) -> None:
    data = b"".join(_streams(handouts["es"]))
    assert b"/DisplayDocTitle true" in data
    doc, _ = locale_texts(shipped, "es")
    headings = [b for b in doc.blocks if b.block.role.is_heading or b.block.role is Role.TITLE]
    assert data.count(b"/Outlines") >= 1
    assert data.count(b"/Dest") >= len(headings)


@pytest.mark.parametrize("code", [c for c in CODES if c != "ar"])
def test_every_block_is_in_the_text_in_reading_order(
    shipped: Project, handouts: dict[str, Path], code: str
) -> None:
    doc, _ = locale_texts(shipped, code)
    pages = int(info(handouts[code])["Pages"])
    text = normalized(body_text(handouts[code], pages))
    links = re.compile(r"\((?:https?://|mailto:|tel:)[^()]*\)")
    hrefs = [m.group() for m in links.finditer(text)]
    text = links.sub("", text)
    position = 0
    for block in printed_order(doc):
        expected = normalized(plain_text(block.text))
        found = text.find(expected, position)
        assert found >= 0, f"{block.block.id} not found after position {position}: {expected}"
        position = found + len(expected)
    for href in re.findall(
        r"\]\(((?:https?://|mailto:|tel:)[^)]+)\)", "".join(b.text for b in doc.blocks)
    ):
        assert f"({href})" in hrefs  # printed after the link's text


def printed_order(doc: TranslatedDocument) -> list[TranslatedBlock]:
    """The blocks as printed: a table's caption (last in Markdown) above the table."""
    blocks = list(doc.blocks)
    for caption in [b for b in blocks if b.block.role is Role.CAPTION]:
        blocks.remove(caption)
        first = next(i for i, b in enumerate(blocks) if b.block.group == caption.block.group)
        blocks.insert(first, caption)
    return blocks


def poppler_arabic(text: str) -> str:
    """What poppler makes of Arabic text: the two letters of each lam ligature swapped."""
    for ligature, reversed_ in ARABIC_LIGATURES.items():
        text = text.replace(ligature, reversed_)
    return text


ARABIC_LIGATURES = {"لا": "ال", "لأ": "أل", "لإ": "إل", "لآ": "آل", "لى": "ىل"}


def test_arabic_extraction_and_poppler_lam_alef(
    shipped: Project, handouts: dict[str, Path]
) -> None:
    """poppler (22.12) reverses the two letters of a lam-alef ligature when it puts an
    Arabic line back in logical order, and moves words that carry vowel marks: the
    PDF's ToUnicode map is right (the ligature glyph maps to U+0644 U+0627, in that
    order), so the defect is the extractor's. Every word is still found, once the
    known reversal is undone; a word with a vowel mark may come out with a letter moved
    elsewhere, so those are left aside. (So for Arabic this checks that the words are
    printed, not their order: the structure tree holds them in order.)"""
    doc, _ = locale_texts(shipped, "ar")
    path = handouts["ar"]
    raw = run("pdftotext", str(path), "-")
    assert "عالج" in raw and "علاج" not in raw  # what poppler does to علاج (treatment)
    assert "علاج" in plain_text(doc.title)
    assert b"<06440627>" in _tounicode(path)  # the PDF says lam then alef
    extracted = _arabic_words(body_text(path, int(info(path)["Pages"])))
    words, joined = set(extracted), "".join(extracted)
    marked = checked = 0
    for block in doc.blocks:
        for word in plain_text(block.text).split():
            if re.search(r"[\u064b-\u065f\u0670]", word):
                marked += 1  # poppler may print this word's marked letter elsewhere
                continue
            for bare in _arabic_words(word):
                checked += 1
                bare = poppler_arabic(bare)
                assert bare in words or bare in joined, f"{block.block.id}: {bare}"
    assert checked > 10 * marked  # the words left aside are few


def _with_actual_text(pdf: bytes, glyph: bytes, text: str) -> bytes:
    """An uncompressed one-line PDF from WeasyPrint with the glyph ``glyph`` (hex, as in
    its ``TJ`` array) wrapped in marked content whose ``/ActualText`` is ``text``."""
    start = pdf.index(b"[<")
    end = pdf.index(b"] TJ", start) + len(b"] TJ")
    show = pdf[start + 1 : end - len(b"] TJ")]
    before, after = show.split(b"<" + glyph + b">0", 1)
    actual = b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
    ops = (
        b"[" + before + b"] TJ /Span <</ActualText " + actual + b">> BDC [<" + glyph
        + b">0] TJ EMC [" + after + b"] TJ"
    )  # fmt: skip
    # The content stream's /Length, before the text: it grows by what was put in.
    content = re.search(rb"<</Length (\d+)>>\nstream\n(?:(?!endstream).)*?TJ", pdf, re.S)
    assert content is not None and content.end() > start
    length = int(content.group(1)) + len(ops) - (end - start)
    head = pdf[: content.start()] + b"<</Length %d>>" % length + pdf[content.end(1) + 2 : start]
    return head + ops + pdf[end:]


def test_actual_text_does_not_change_what_poppler_extracts(tmp_path: Path) -> None:
    """ActualText cannot fix poppler's lam-alef either. The ligature glyph of علاج,
    wrapped in ``/Span <</ActualText (لا)>>``, still comes out as عالج: poppler puts an
    ActualText's letters where the glyph is drawn and reverses them with the line, as it
    does the ToUnicode map's. Only the letters in the wrong order (ال) would come out
    right, and every other reader of the PDF would then get them wrong; so the PDF keeps
    the right text (its ToUnicode map, its structure tree) and the test above shows
    poppler's defect."""
    from pipeline.handout.library import load_weasyprint

    weasyprint = load_weasyprint()
    html = (
        '<html lang="ar" dir="rtl"><body style="font-family: \'Noto Sans Arabic\'">'
        "<p>علاج</p></body></html>"
    )
    pdf = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True)
    found = re.search(rb"<([0-9a-f]{4})> <06440627>", pdf)
    assert found is not None, "no lam-alef ligature glyph in the ToUnicode map"
    glyph = found.group(1)

    def extracted(data: bytes) -> str:
        path = tmp_path / "ar.pdf"
        path.write_bytes(data)
        return run("pdftotext", str(path), "-").strip().strip("\u202b\u202c")

    assert extracted(pdf) == "عالج"
    assert extracted(_with_actual_text(pdf, glyph, "لا")) == "عالج"  # no better
    assert extracted(_with_actual_text(pdf, glyph, "ال")) == "علاج"  # only by lying


def _arabic_words(text: str) -> list[str]:
    """Words without their vowel marks (poppler prints a mark apart from its letter)."""
    text = re.sub(r"\s?[\u064b-\u065f\u0670]", "", unicodedata.normalize("NFKC", text))
    return [
        w
        for w in re.split(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069.,:;()،؛؟!\"'«»]+", text)
        if w
    ]


def _streams(path: Path) -> list[bytes]:
    """The PDF's bytes and every Flate stream inflated (objects may sit in object streams)."""
    data = path.read_bytes()
    streams = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            streams.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue
    return streams


def _tounicode(path: Path) -> bytes:
    return b"".join(s for s in _streams(path) if b"beginbfchar" in s)


def _word_boxes(path: Path) -> list[tuple[float, float, float, float, str]]:
    xml = run("pdftotext", "-bbox", str(path), "-")
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, xml)
    ]


def _em_height(family: str) -> float:
    """(ascender - descender) / em of a family's regular face, as poppler sizes word boxes."""
    from fontTools.ttLib import TTCollection, TTFont

    file = run("fc-match", "--format", "%{file}", f"{family}:style=Regular")
    font = TTCollection(file).fonts[0] if file.endswith(".ttc") else TTFont(file)
    hhea, head = font["hhea"], font["head"]
    return float((hhea.ascent - hhea.descent) / head.unitsPerEm)


@pytest.mark.parametrize("code", ["en", "ru", "vi"])
def test_body_text_is_at_least_18_points(handouts: dict[str, Path], code: str) -> None:
    em = _em_height("Noto Sans")
    body = [b for b in _word_boxes(handouts[code]) if 34 * MM < b[1] < A4_HEIGHT - 34 * MM]
    sizes = [round((y1 - y0) / em, 1) for _, y0, _, y1, _ in body]
    assert sizes
    assert min(sizes) >= 18.0, sorted(sizes)[:5]
    # and the headings are larger than the body
    assert max(sizes) >= 26.0


@pytest.mark.parametrize("code", CODES)
def test_everything_printed_is_on_us_letter_too(handouts: dict[str, Path], code: str) -> None:
    for x0, y0, x1, y1, word in _word_boxes(handouts[code]):
        assert y0 > LETTER_CUT and y1 < A4_HEIGHT - LETTER_CUT, word
        assert x0 > 0 and x1 < 210 * MM, word


@pytest.mark.parametrize(
    ("code", "page"),
    [("en", "Page {n} of {m}"), ("es", "Página {n} de {m}"), ("ar", "الصفحة {n} من {m}")],
)
def test_running_header_and_footer(
    shipped: Project, handouts: dict[str, Path], code: str, page: str
) -> None:
    doc, ui = locale_texts(shipped, code)
    pages = int(info(handouts[code])["Pages"])
    for n in range(1, pages + 1):
        text = normalized(run("pdftotext", "-f", str(n), "-l", str(n), str(handouts[code]), "-"))
        assert normalized(page.format(n=n, m=pages)) in text
        title = normalized(plain_text(doc.title))
        assert (poppler_arabic(title) if code == "ar" else title) in text
        if code != "en":
            assert (
                normalized("2026") in text
                and normalized(ui.gettext("Reviewed translation.")) not in text
            )


def test_disclaimer_is_whole_on_the_last_page(shipped: Project, handouts: dict[str, Path]) -> None:
    for code in ("en", "ru", "zh_Hans"):
        doc, _ = locale_texts(shipped, code)
        pages = int(info(handouts[code])["Pages"])
        last = normalized(
            run("pdftotext", "-f", str(pages), "-l", str(pages), str(handouts[code]), "-")
        )
        disclaimer = [b for b in doc.blocks if b.block.role.is_disclaimer]
        assert disclaimer
        for block in disclaimer:
            assert normalized(plain_text(block.text)) in last, block.block.id


def test_table_header_repeats_and_rows_are_whole(
    shipped: Project, handouts: dict[str, Path]
) -> None:
    tree = run("pdfinfo", "-struct-text", str(handouts["en"]))
    assert "Opti" not in re.findall(r'"([^"]*)"', tree)  # no word broken in a narrow column
    for code in CODES:  # and no word hyphenated anywhere (large print: whole words)
        assert "\u2010" not in run("pdftotext", str(handouts[code]), "-"), code
    doc, _ = locale_texts(shipped, "en")
    header = normalized(
        plain_text(next(b.text for b in doc.blocks if b.block.role is Role.TABLE_HEADER))
    )
    pages = int(info(handouts["en"])["Pages"])
    with_table = [
        n
        for n in range(1, pages + 1)
        if "Therapy" in run("pdftotext", "-f", str(n), "-l", str(n), str(handouts["en"]), "-")
    ]
    for n in with_table:
        text = normalized(run("pdftotext", "-f", str(n), "-l", str(n), str(handouts["en"]), "-"))
        assert header in text, f"page {n} has table rows without the header row"


def test_qr_code_only_when_published(handouts: dict[str, Path], shipped: Project) -> None:
    es = run("pdftotext", "-l", "1", str(handouts["es"]), "-")
    doc, _ = locale_texts(shipped, "es")
    url = page_url(URL, doc.document.id, "es")
    assert url in es.replace("\n", "")
    assert "Figure" in run("pdfinfo", "-struct", str(handouts["es"]))
    fr = run("pdftotext", "-l", "1", str(handouts["fr"]), "-")
    assert "https://example.org" not in fr
    assert "Figure" not in run("pdfinfo", "-struct", str(handouts["fr"]))


def test_pdftoppm_renders_every_page(handouts: dict[str, Path], tmp_path: Path) -> None:
    pages = int(info(handouts["zh_Hans"])["Pages"])
    run("pdftoppm", "-r", "20", "-png", str(handouts["zh_Hans"]), str(tmp_path / "p"))
    assert len(list(tmp_path.glob("p-*.png"))) == pages


def test_same_inputs_same_bytes(shipped: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    doc, ui = locale_texts(shipped, "vi")
    first = render_handout(doc, ui, doc.document.reviewed, CREATED)
    assert render_handout(doc, ui, doc.document.reviewed, CREATED).pdf == first.pdf
    later = render_handout(doc, ui, doc.document.reviewed, CREATED + dt.timedelta(days=1))
    assert later.pdf != first.pdf


def test_css_string_holds_any_text() -> None:
    for text in ['"; } @page { content: "x', "a\\b\nc", "</style><script>", "«ok» 1/2 — é"]:
        tokens = [
            t
            for t in tinycss2.parse_component_value_list(css_string(text))
            if t.type != "whitespace"
        ]
        assert len(tokens) == 1 and tokens[0].type == "string" and tokens[0].value == text


def test_hostile_text_is_printed_as_text(project: Project, tmp_path: Path) -> None:
    hostile = '"; } @page { content: "pwned" } </style><script>alert(1)</script> & <b>x</b>'
    po_path = project.po_path("fr", "ui")
    po = polib.pofile(str(po_path))
    po.find("Page {page} of {pages}").msgstr = "Page {page} / {pages} " + hostile.replace("{", "")
    po.find("Scan this code to open this page, with its audio, on a phone:").msgstr = hostile
    po.save(str(po_path))
    document = project.documents()[0]
    check = check_locale(project, document, "fr")
    assert check.translated is not None and check.ui is not None
    doc = check.translated
    blocks = tuple(
        b if b.block.role is not Role.TITLE else type(b)(b.block, hostile, True) for b in doc.blocks
    )
    doc = TranslatedDocument(doc.document, doc.locale, blocks, doc.review)
    rendered = render_handout(doc, check.ui, document.reviewed, CREATED, URL + '/"><script>x')
    path = tmp_path / "h.pdf"
    path.write_bytes(rendered.pdf)
    text = normalized(run("pdftotext", str(path), "-"))
    assert normalized(hostile) in text  # the title, as text, in the body
    assert text.count(normalized("</style><script>alert(1)</script>")) >= 3  # and header, footer
    assert info(path)["Title"] == hostile
    assert "pwned" in text and rendered.pages >= 2


def test_a_missing_font_is_named_with_its_package(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fonts-noto-cjk, the Chinese handout is refused; the others are fine."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/noto</dir>"
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    forget_fonts()
    try:
        zh, zh_ui = locale_texts(project, "zh_Hans")
        missing = missing_glyphs(zh, zh_ui, zh.document.reviewed)
        assert missing
        block, first = missing[0]
        assert block is not None  # the block the character is in
        assert "fonts-noto-cjk" in first.message and "Noto Sans CJK SC" in first.message
        for code in ("en", "ar", "ru", "vi"):
            doc, ui = locale_texts(project, code)
            assert missing_glyphs(doc, ui, doc.document.reviewed) == [], code
    finally:
        forget_fonts()


def test_a_character_no_font_has_is_reported_with_its_block(project: Project) -> None:
    doc, ui = locale_texts(project, "es")
    blocks = tuple(
        type(b)(b.block, b.text + " \ue000", True) if b.block.role is Role.PARAGRAPH else b
        for b in doc.blocks
    )
    broken = TranslatedDocument(doc.document, doc.locale, blocks, doc.review)
    missing = missing_glyphs(broken, ui, doc.document.reviewed)
    assert len(missing) == 1
    block, problem = missing[0]
    first_paragraph = next(b for b in doc.blocks if b.block.role is Role.PARAGRAPH)
    assert block == first_paragraph.block.id
    assert "U+E000" in problem.message and "box" in problem.message
    assert all(family_charset(f.name) for f in FAMILIES)
    assert isinstance(render_handout(doc, ui, doc.document.reviewed, CREATED), RenderedHandout)


@pytest.mark.parametrize("notice", ["older", "draft"])
def test_a_character_no_font_has_in_a_notice_is_reported(project: Project, notice: str) -> None:
    """The notices the page can show (a translation of an older text, a draft) are
    printed too: a character in their translation that no font covers is refused,
    named as an interface string (no block), before anything is rendered."""
    doc, ui = locale_texts(project, "es")
    msgid = OLDER_NOTICE if notice == "older" else DRAFT_NOTICE
    po = polib.POFile()
    po.append(polib.POEntry(msgid=msgid, msgstr=ui.gettext(msgid) + " \ue001"))
    shown = UiText(doc.locale, po)
    older = OlderText(dt.date(2026, 11, 2), dt.date(2026, 12, 1))
    if notice == "draft":
        doc = TranslatedDocument(doc.document, doc.locale, doc.blocks, "draft")
        assert doc.is_draft
    missing = missing_glyphs(doc, shown, doc.document.reviewed, None, older)
    assert [(block, problem.char) for block, problem in missing] == [(None, "\ue001")]
    assert "U+E001" in missing[0][1].message
    # without the notice on the handout, nothing is missing
    if notice == "older":
        assert missing_glyphs(doc, shown, doc.document.reviewed) == []


def test_printed_text_is_the_body_text_without_style_or_script() -> None:
    html = (
        "<html><head><title>T</title><style>p::after{content:'\ue000'}</style></head>"
        "<body><p>A &amp; <b>b</b></p><script>x='\ue000'</script><p>c</p></body></html>"
    )
    assert printed_text(html) == "A & bc"
