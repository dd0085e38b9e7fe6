"""The large-print page: safe inline Markdown, page assembly, and every page in a real browser.

The browser tests open each shipped locale's page (rendered from the shipped
source and PO files) in Debian's headless Chromium through one module-wide
browser, run axe-core and the Nu Html Checker, and measure the layout.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import polib
import pytest
from playwright.sync_api import Browser

from pipeline.catalogs.translate import UiText, translate
from pipeline.catalogs.ui import MESSAGES
from pipeline.fsutil import atomic_write_text
from pipeline.locales import parse_locale
from pipeline.page.inline import render_inline
from pipeline.page.render import LanguageLink, PageAudio, PageBook, PageHandout, render_page
from pipeline.project import Project
from pipeline.publishing.record import OlderText
from tests import browser as b

from ..conftest import Edit, render, sample_audio, write

DATA = Path(__file__).resolve().parents[1] / "data" / "html"
LOCALES = ("en", "es", "zh_Hans", "vi", "ar", "ru", "ht", "fr")
UNSAFE = (
    "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "
    "[y](JaVaScRiPt:alert(2)) <javascript:alert(3)> [z](&#106;avascript:alert(4))"
)
# A4 is 210 mm wide and US Letter 215.9 mm; the print margins are 15 mm each side.
PRINT_WIDTHS = {"A4": 210, "Letter": 215.9}
PRINT_MARGIN_MM = 15


# -- rendering helpers ---------------------------------------------------------------


def set_msgstr(msgid_start: str, value: str) -> Edit:
    def edit(po: polib.POFile) -> None:
        entry = next(e for e in po if e.msgid.startswith(msgid_start))
        entry.msgstr = value

    return edit


# -- inline Markdown -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["*word*", "_word_", "**word**", "__word__", "***word***"])
def test_emphasis_is_bold_never_italic(text: str) -> None:
    assert render_inline(f"a {text} b").html == "a <strong>word</strong> b"


def test_text_is_escaped() -> None:
    rendered = render_inline("<b>bold</b> & \"quoted\" 'single' &lt;")
    expected = "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;single&#x27; &lt;"
    assert rendered.html == expected
    assert rendered.dropped == ()


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[ACS](https://www.cancer.org/)", "https://www.cancer.org/"),
        ("[NCI](http://cancer.gov/a?b=1&c=2)", "http://cancer.gov/a?b=1&amp;c=2"),
        ("[mail](mailto:help@example.org)", "mailto:help@example.org"),
        ("[call](tel:+1-800-227-2345)", "tel:+1-800-227-2345"),
        ("<https://example.org>", "https://example.org"),
    ],
)
def test_safe_links_are_kept(markdown: str, href: str) -> None:
    rendered = render_inline(f"see {markdown}")
    assert f'<a href="{href}">' in rendered.html
    assert rendered.dropped == ()


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "page.html",
        "//evil.example/x",
        "#section",
        "https:evil.example",
    ],
)
def test_unsafe_links_are_dropped_and_reported(target: str) -> None:
    rendered = render_inline(f"before [the text](<{target}>) after")
    assert "<a" not in rendered.html
    assert rendered.html == "before the text after"
    assert [d.kind for d in rendered.dropped] == ["link"]
    assert rendered.dropped[0].text == "the text"


def test_autolinks_and_images_are_checked_too() -> None:
    rendered = render_inline("<javascript:alert(1)> ![a chart](chart.png)")
    assert "<a" not in rendered.html and "<img" not in rendered.html
    assert rendered.html == "javascript:alert(1) a chart"
    assert [d.kind for d in rendered.dropped] == ["link", "image"]


# -- page assembly -------------------------------------------------------------------


def test_same_inputs_give_identical_bytes(project: Project, tmp_path: Path) -> None:
    first = render(project, "ar", audio=sample_audio(project))
    path = write(project, tmp_path, "ar", first)
    again = render(project, "ar", audio=sample_audio(project))
    assert again.html == first.html
    assert atomic_write_text(path, again.html) is False  # nothing changed on disk
    assert path == tmp_path / "myeloma-second-line" / "ar" / "index.html"


@pytest.mark.parametrize(
    ("code", "date"),
    [
        ("en", "November 27, 2026"),
        ("es", "27 de noviembre de 2026"),
        ("zh_Hans", "2026年11月27日"),
        ("ru", "27 ноября 2026\u202fг."),
        ("fr", "27 novembre 2026"),
    ],
)
def test_review_date_is_formatted_for_the_locale(project: Project, code: str, date: str) -> None:
    assert project.documents()[0].reviewed == dt.date(2026, 11, 27)
    assert date in render(project, code).html


def test_draft_and_reviewed_notices(project: Project) -> None:
    draft = "Traducción preliminar"
    assert draft in render(project, "es").html

    def reviewed(po: polib.POFile) -> None:
        po.metadata["X-Review-Status"] = "reviewed"

    html = render(project, "es", edit=reviewed).html
    assert draft not in html
    english = render(project, "en").html
    assert "Draft translation" not in english and "Reviewed translation." not in english


def test_untranslated_text_is_marked_with_the_source_language(project: Project) -> None:
    edit_doc = set_msgstr("Multiple myeloma is a complex condition", "")
    html = render(project, "ar", edit=edit_doc, edit_ui=set_msgstr("Contents", "")).html
    assert '<p lang="en" dir="ltr">Multiple myeloma is a complex condition' in html
    assert '<span lang="en" dir="ltr">Contents</span>' in html
    assert "خيارات" in html  # the translated blocks are still there, unmarked
    # Draft and no-audio notices, and now one saying that parts are untranslated (in Arabic).
    assert render(project, "ar").html.count('class="notice"') == 2
    assert html.count('class="notice"') == 3
    assert "Parts of this page" not in html

    def clear_table_header(po: polib.POFile) -> None:
        next(e for e in po if e.msgctxt == "table header" and e.msgid == "Option").msgstr = ""

    table = render(project, "es", edit=clear_table_header).html
    assert '<th scope="col" lang="en" dir="ltr">Option</th>' in table
    assert 'data-label="Option"' in table


def test_audio_players_and_total_length(project: Project) -> None:
    audio = sample_audio(project, seconds=125)
    html = render(project, "ru", audio=audio).html
    assert "2 минуты аудиозаписи" in html
    assert "5 минут аудиозаписи" in render(project, "ru", audio=sample_audio(project, 300)).html
    assert html.count('<audio controls preload="metadata"') == len(audio.tracks) + 1
    for href in [*audio.tracks.values(), audio.full]:
        assert f'<audio controls preload="metadata" src="{href}"' in html
        assert f'<a href="{href}" type="audio/mpeg">' in html
    without = render(project, "en").html
    assert "<audio" not in without
    assert "Audio is not available in this language yet." in without


def test_language_switcher_names_each_language_in_itself(project: Project) -> None:
    html = render(project, "en").html
    zh = 'href="../zh_Hans/index.html" hreflang="zh-Hans" lang="zh-Hans" dir="ltr">中文 (简体)<'
    assert zh in html
    assert 'href="../ar/index.html" hreflang="ar" lang="ar" dir="rtl">العربية<' in html
    assert ">español<" in html and ">русский<" in html
    assert 'href="../en/index.html"' not in html
    assert (
        'href="../en/index.html" hreflang="en" lang="en" dir="ltr">English<'
        in render(project, "es").html
    )


def test_unsafe_msgstr_never_reaches_the_markup(project: Project) -> None:
    edit = set_msgstr("Multiple myeloma is a complex condition", UNSAFE)
    page = render(project, "es", edit=edit)
    assert "<script" not in page.html and "<img" not in page.html
    assert "javascript:" not in page.html.replace("javascript:alert(3)", "")  # text only
    assert 'href="javascript' not in page.html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert [(f.locale, f.block, f.line, f.severity) for f in page.findings] == [
        ("es", "intro.p1", 11, "error")
    ] * 4
    assert all("only http(s)://, mailto: and tel:" in f.message for f in page.findings)


HOSTILE = "<script>alert(1)</script> \"q\" 'a' & <img src=x onerror=alert(1)>"


class _Shape(HTMLParser):
    """Every element and attribute of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_hostile_text_in_every_interface_string_and_link_is_only_text(project: Project) -> None:
    """Every interface string translated as markup, and every address and name the page
    gets from outside (audio, handout, book, other languages) hostile: the template
    writes all of it as text and attribute values, never as elements or attributes."""
    doc = project.documents()[0]
    info = parse_locale("es")
    ui_po = polib.POFile()
    for message in MESSAGES:
        if message.plural:
            forms = {0: HOSTILE, 1: HOSTILE}
            ui_po.append(
                polib.POEntry(
                    msgid=message.msgid,
                    msgid_plural=message.plural,
                    msgstr_plural=forms,
                    msgctxt=message.context,
                )
            )
        else:
            ui_po.append(
                polib.POEntry(msgid=message.msgid, msgstr=HOSTILE, msgctxt=message.context)
            )
    ui_po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    translated = translate(doc, info, project.catalog("es", doc.id))
    sections = [s.id for s in doc.sections]
    audio = PageAudio({s: HOSTILE for s in sections}, HOSTILE, 200.0, {s: 40.0 for s in sections})
    page = render_page(
        translated,
        UiText(info, ui_po),
        [LanguageLink("fr", HOSTILE, HOSTILE)],
        audio,
        doc.reviewed,
        older=OlderText(dt.date(2026, 11, 2), dt.date(2026, 12, 1)),
        handout=PageHandout(HOSTILE, 3, 45_000),
        book=PageBook(HOSTILE, 2_000_000),
    )
    shape = _Shape()
    shape.feed(page.html)
    assert "script" not in shape.tags and "img" not in shape.tags
    assert not [name for name, _ in shape.attrs if name.startswith("on") or name == "src=x"]
    text = "".join(shape.text)
    # the interface strings (skip link, notices, players, links, footer) and the name
    assert text.count("<script>alert(1)</script>") >= 10
    values = [value for _, value in shape.attrs]
    assert values.count(HOSTILE) >= len(sections) + 3  # players, downloads, handout, book


# -- in the browser ------------------------------------------------------------------


@pytest.mark.parametrize("code", LOCALES)
def test_page_in_the_browser(project: Project, browser: Browser, tmp_path: Path, code: str) -> None:
    path = write(project, tmp_path, code, render(project, code, audio=sample_audio(project)))
    info = parse_locale(code)
    with b.open_page(browser, path) as page:
        axe = b.run_axe(page)
        assert b.describe_violations(axe) == []
        assert set(b.AXE_EXTRA_RULES) <= b.rules_run(axe)
        assert [r["id"] for r in axe["incomplete"] if r["id"].startswith("color-contrast")] == []
        shape = b.structure(page)
        layout = b.measure(page)
        text = b.text_metrics(page)
    assert (shape["lang"], shape["dir"]) == (info.tag, info.direction)
    assert shape["firstLink"] and shape["skipTarget"]
    assert shape["landmarks"] == ["header", "nav", "main", "footer"]
    assert len(shape["navLabels"]) == len(set(shape["navLabels"])) == 2
    assert shape["h1"] == 1 and shape["headings"][0] == 1
    levels = shape["headings"]
    assert all(y - x <= 1 for x, y in pairwise(levels))
    assert shape["captionFirst"] and shape["headerScopes"] == ["col"] * 3
    assert shape["disclaimerLabel"] and shape["disclaimerBorder"] != "0px"
    assert len(shape["audio"]) == 6
    assert all(a["preload"] == "metadata" and a["controls"] for a in shape["audio"])
    assert layout.min_font_px >= 24
    assert not layout.horizontal_scroll and layout.clipped == ()
    assert text["lineHeightRatio"] >= 1.5 and text["paragraphGap"] >= 1.5
    assert text["alignments"] == ["start"] and text["italic"] == 0
    assert 20 <= text["longestLine"] <= 75

    settings = {
        "320 px": {"width": 320, "height": 640},
        "200% zoom": {"width": 640, "height": 400, "scale": 2},
        "text spacing": {"width": 320, "height": 640, "css": b.TEXT_SPACING_CSS},
        "text spacing, wide": {"css": b.TEXT_SPACING_CSS},
        "200% text": {"css": b.DOUBLE_TEXT_CSS},
    }
    for mm in PRINT_WIDTHS.values():
        width = round((mm - 2 * PRINT_MARGIN_MM) / 25.4 * 96)
        settings[f"print {mm} mm"] = {"width": width, "media": "print"}
    for name, options in settings.items():
        with b.open_page(browser, path, **options) as page:
            seen = b.measure(page)
        assert seen.min_font_px >= (48 if name == "200% text" else 24), name
        assert not seen.horizontal_scroll, (name, seen.scroll_width, seen.client_width)
        assert seen.clipped == (), name

    png = tmp_path / "screenshots" / f"myeloma-second-line-{code}.png"
    b.screenshot(browser, path, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unsafe_msgstr_never_reaches_the_dom(
    project: Project, browser: Browser, tmp_path: Path
) -> None:
    edit = set_msgstr("Multiple myeloma is a complex condition", UNSAFE)
    path = write(project, tmp_path, "es", render(project, "es", edit=edit))
    with b.open_page(browser, path) as page:
        shape = b.structure(page)
        text = page.inner_text("main")
    assert shape["scripts"] == 0 and shape["handlers"] == 0 and shape["images"] == 0
    assert not [h for h in shape["hrefs"] if not h.startswith(("#", "../", "audio/"))]
    assert "<script>alert(1)</script>" in text  # shown as the text it is


def test_print_shows_link_targets(project: Project, browser: Browser, tmp_path: Path) -> None:
    link = "[la Sociedad Americana contra el Cáncer](https://www.cancer.org/es.html)"
    path = write(project, tmp_path, "es", render(project, "es", edit=set_msgstr("For more", link)))
    after = "getComputedStyle(document.querySelector('main a[href^=\"https\"]'), '::after').content"
    with b.open_page(browser, path) as page:
        assert page.evaluate(after) in ("none", "normal")
    with b.open_page(browser, path, media="print") as page:
        assert page.evaluate(after) == '" (https://www.cancer.org/es.html)"'
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"


def test_nu_checker_accepts_every_page(project: Project, tmp_path: Path) -> None:
    if b.missing_tools():
        pytest.fail("the Nu Html Checker needs: " + "; ".join(b.missing_tools()))
    audio = sample_audio(project)
    paths = [write(project, tmp_path, c, render(project, c, audio=audio)) for c in LOCALES]
    unsafe = render(project, "es", edit=set_msgstr("Multiple myeloma is a complex", UNSAFE))
    paths.append(write(project, tmp_path / "unsafe", "es", unsafe))
    assert b.nu_check(paths) == []


def test_the_checks_catch_a_bad_page(browser: Browser) -> None:
    bad = DATA / "bad-layout.html"
    with b.open_page(browser, bad, width=320, height=640) as page:
        failed = {rule["id"] for rule in b.run_axe(page)["violations"]}
        layout = b.measure(page)
        text = b.text_metrics(page)
    expected = {"color-contrast-enhanced", "html-has-lang", "page-has-heading-one", "target-size"}
    assert expected <= failed
    assert layout.min_font_px < 24 and layout.horizontal_scroll
    assert any(item.startswith("p ") for item in layout.clipped)
    assert text["italic"] > 0 and "justify" in text["alignments"]
    assert any("Duplicate ID" in m["message"] for m in b.nu_check([bad]))
