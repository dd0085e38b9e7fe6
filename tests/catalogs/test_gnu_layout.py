"""GNU's own lines for the strings msgmerge wrote: read back exactly, used only where asked."""

from __future__ import annotations

import random
import subprocess
import threading
from pathlib import Path

import polib
import pytest

from pipeline.catalogs.gnu_layout import gnu_layout, known_lines, read_layout
from pipeline.catalogs.pofile import generate_po, new_po
from pipeline.catalogs.powrap import wrap_field

from ..conftest import ROOT
from .test_powrap import SHIPPED, WORDS, msgcat


def _mixed(seed: int) -> polib.POFile:
    rng = random.Random(seed)
    po = new_po({"Content-Type": "text/plain; charset=UTF-8", "Language": "xx"}, header="t")
    seen: set[str] = set()
    while len(po) < 200:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        if text in seen:
            continue
        seen.add(text)
        entry = polib.POEntry(msgid=text, msgstr=text[::-1] if rng.random() < 0.5 else "")
        if rng.random() < 0.2:
            entry.obsolete = True
        elif rng.random() < 0.2:
            entry.flags.append("fuzzy")
            entry.previous_msgid = text.upper()
        po.append(entry)
    return po


@pytest.mark.parametrize("seed", range(3))
def test_every_string_reads_back_with_gnu_s_lines(seed: int, tmp_path: Path) -> None:
    """Strings msgcat wrote (escapes, CJK, Arabic, obsolete and previous strings) read back
    to the text they spell, with msgcat's lines; written with them, the file is msgcat's."""
    path = tmp_path / "mixed.po"
    path.write_text(generate_po(_mixed(seed)), encoding="utf-8")
    gnu = msgcat(path, tmp_path)
    layout = read_layout(gnu)
    po = polib.pofile(gnu, wrapwidth=79)
    for entry in po:
        prefix = "#~ " if entry.obsolete else ""
        assert layout[(prefix, "msgid", entry.msgid)] == tuple(
            wrap_field("msgid", entry.msgid, prefix)
        )
        if entry.previous_msgid:
            assert ("#| ", "msgid", entry.previous_msgid) in layout
    assert len(layout) > 300
    with gnu_layout(gnu):
        assert generate_po(po) == gnu


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_catalogs_are_written_the_same_with_gnu_s_lines(path: Path, tmp_path: Path):
    merged = tmp_path / "merged.po"
    subprocess.run(["msgcat", str(path), "-o", str(merged)], check=True, capture_output=True)
    text = merged.read_text(encoding="utf-8")
    po = polib.pofile(text, wrapwidth=79)
    plain = generate_po(po)
    with gnu_layout(text):
        assert generate_po(po) == plain == text


def test_no_wrap_entries_and_unknown_escapes_are_left_to_the_wrapper() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, no-wrap\nmsgid "kept on one line"\nmsgstr ""\n\n'
        'msgid "an octal \\101 escape"\nmsgstr ""\n\n'
        'msgid ""\n"two "\n"lines"\nmsgstr "x"\n'
    )
    layout = read_layout(text)
    assert ("", "msgid", "kept on one line") not in layout
    assert not any("octal" in key[2] for key in layout)
    assert layout[("", "msgid", "two lines")] == ('msgid ""', '"two "', '"lines"')


def test_the_lines_are_used_only_inside_the_block_and_its_thread() -> None:
    text = 'msgid "a"\nmsgstr ""\n"deliberately "\n"odd"\n'
    odd = ('msgstr ""', '"deliberately "', '"odd"')
    seen: list[tuple[str, ...] | None] = []
    with gnu_layout(text):
        assert tuple(wrap_field("msgstr", "deliberately odd")) == odd
        other = threading.Thread(
            target=lambda: seen.append(known_lines("", "msgstr", "deliberately odd"))
        )
        other.start()
        other.join()
    assert seen == [None]
    assert wrap_field("msgstr", "deliberately odd") == ['msgstr "deliberately odd"']
