"""The one configured parser for the master text, and plain text from inline Markdown."""

from __future__ import annotations

from pathlib import Path

from pipeline.page.inline import render_inline
from pipeline.source.markdown import (
    inline_parser,
    inline_tokens,
    master_parser,
    plain_text,
    verbatim_parser,
)
from pipeline.source.parse import read_document

ROOT = Path(__file__).resolve().parents[2]


def test_each_parser_is_made_once():
    assert master_parser() is master_parser()
    assert inline_parser() is inline_parser()
    assert verbatim_parser() is verbatim_parser()
    assert len({id(master_parser()), id(inline_parser()), id(verbatim_parser())}) == 3


def test_the_master_parser_has_tables_front_matter_and_any_container():
    text = "---\nid: x\n---\n\n::: disclamer\nText\n:::\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    types = [t.type for t in master_parser().parse(text)]
    assert types[0] == "front_matter"
    assert "container_any_open" in types  # a misspelled name is seen, so it can be reported
    assert "table_open" in types and "td_open" in types


def test_raw_html_is_text_except_for_the_verbatim_parser():
    text = "Take <b>two</b> [x](javascript:alert(1))"
    kinds = {t.type for t in inline_tokens(text)}
    assert "html_inline" not in kinds and "link_open" in kinds  # the bad link is seen
    verbatim = verbatim_parser().parseInline(text)[0].children or []
    assert "html_inline" in {t.type for t in verbatim}
    link = next(t for t in verbatim if t.type == "link_open")
    assert link.attrGet("href") == "javascript:alert(1)"  # as written, not normalised


def test_plain_text_keeps_every_word_and_drops_every_mark():
    markdown = "Read **this** *short* [note](https://x.org/a) `now`, ![a *dose* chart](c.png)"
    assert plain_text(markdown) == "Read this short note now, a dose chart"
    # A dropped (unsafe) link keeps its text: no word of the author's is lost.
    assert plain_text("Call [the nurse](javascript:x) today") == "Call the nurse today"
    assert plain_text("Keep <script>x</script> as text") == "Keep <script>x</script> as text"


def test_collapse_spaces_is_the_text_as_read():
    markdown = "  Take  **2 mg**\nat night.  \nThen rest. "
    # As shown: the translator's spacing is kept.
    assert plain_text(markdown) == "  Take  2 mg at night. Then rest. "
    assert plain_text(markdown, collapse_spaces=True) == "Take 2 mg at night. Then rest."


def test_the_page_shows_the_same_text_as_plain_text():
    doc = read_document(ROOT / "source" / "myeloma-second-line.md")
    samples = [b.text for b in doc.blocks] + ["a ![b](c) [d](javascript:e) `f`  g\nh"]
    for text in samples:
        assert render_inline(text).text == plain_text(text), text
