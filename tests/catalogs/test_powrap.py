"""PO files are laid out and wrapped exactly as GNU gettext's own tools write them."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalogs import powrap
from pipeline.catalogs.pofile import generate_po, new_po, read_po
from pipeline.errors import CarepackError

from ..conftest import ROOT

WORDS = [
    "the", "myeloma", "well-being", "1-800-422-6237", "治疗", "多发性骨髓瘤，", "包括。",
    "العلاج", "المتعدد", "лечение", "Tiếng", "Việt", '"quoted"', "back\\slash", "tab\there",
    "a" * 90, "x", "http://example.com/a-very-long-url/with/path", "**bold**",
    "[link](https://www.cancer.gov/espanol)", "(paren)", "«guillemets»", "—", "100%", "5 mg",
    "e.g.", "  ", "end\n",
]  # fmt: skip


def msgcat(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "msgcat.po"
    subprocess.run(["msgcat", str(path), "-o", str(out)], check=True, capture_output=True)
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(4))
def test_wrapping_matches_msgcat_on_mixed_scripts(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    po = new_po({"Content-Type": "text/plain; charset=UTF-8", "Language": "xx"}, header="test")
    seen = set()
    while len(po) < 300:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40)))
        if rng.random() < 0.3:
            text = text.replace(" ", "", rng.randint(0, 5))
        if text in seen:
            continue
        seen.add(text)
        translation = text[::-1] if rng.random() < 0.5 else ""
        po.append(polib.POEntry(msgid=text, msgstr=translation))
    path = tmp_path / "mixed.po"
    path.write_text(generate_po(po), encoding="utf-8")
    assert msgcat(path, tmp_path) == path.read_text(encoding="utf-8")


SHIPPED = sorted((ROOT / "locales").rglob("*.po*"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_catalogs_are_in_gnu_layout(path: Path, tmp_path: Path) -> None:
    """What carepack writes is what msgcat would write: no diff noise for translators."""
    text = generate_po(read_po(path))
    copy = tmp_path / path.name
    copy.write_text(text, encoding="utf-8")
    assert msgcat(copy, tmp_path) == text


def test_strings_at_the_edge_of_a_line_match_msgcat(tmp_path: Path) -> None:
    """Around the width where a string stops fitting on its first line (the short path
    that skips the break opportunities ends there): ASCII, wide characters, escapes,
    with and without a break opportunity near the end, current and obsolete entries."""
    po = new_po({"Content-Type": "text/plain; charset=UTF-8", "Language": "xx"}, header="test")
    pieces = ["a", "b c", "治", "疗，", '"', "\\", "\t", "—", "é", "x-y", "5 mg"]
    entries = []
    for length in range(55, 82):
        for number, piece in enumerate(pieces):
            text = ("word " * 20)[: length - len(piece)] + piece
            obsolete = number % 3 == 0
            entry = polib.POEntry(msgid=text, msgstr=text[::-1], obsolete=obsolete)
            if number % 4 == 1:
                entry.msgctxt = text[:length]
            if number % 5 == 2 and not obsolete:
                entry.flags.append("fuzzy")
                entry.previous_msgid = text + "x"
            if number == 0:
                entry.msgid += "\n" + text  # two portions, each near the edge
            entries.append(entry)
    for entry in sorted(entries, key=lambda entry: entry.obsolete):  # msgcat's order
        po.append(entry)
    path = tmp_path / "edge.po"
    path.write_text(generate_po(po), encoding="utf-8")
    assert msgcat(path, tmp_path) == path.read_text(encoding="utf-8")


def test_without_libunistring_the_package_to_install_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The wrapping is GNU libunistring's own (as msgmerge's): without it, a clear error."""
    monkeypatch.setattr(powrap, "LIBUNISTRING", "libunistring-not-here.so.0")
    powrap._width_linebreaks.cache_clear()
    powrap._wrap_field.cache_clear()
    try:
        with pytest.raises(CarepackError, match=r"apt-get install gettext"):
            powrap.wrap_field("msgid", "a string too long for one line " * 4)
    finally:
        powrap._width_linebreaks.cache_clear()
        powrap._wrap_field.cache_clear()


def test_a_short_plain_string_is_written_without_looking_for_breaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Printable ASCII that fits on its first line is one line, as msgcat writes it (the
    edge cases above compare with msgcat): libunistring is not even asked."""
    monkeypatch.setattr(powrap, "LIBUNISTRING", "libunistring-not-here.so.0")
    powrap._width_linebreaks.cache_clear()
    powrap._wrap_field.cache_clear()
    try:
        assert powrap.wrap_field("msgid", "Take 5 mg [daily] ~ call 911!") == [
            'msgid "Take 5 mg [daily] ~ call 911!"'
        ]
        assert powrap.wrap_field("msgstr", "", "#~ ") == ['#~ msgstr ""']
        with pytest.raises(CarepackError):
            powrap.wrap_field("msgid", 'a "quoted" word')  # an escape: the full path
    finally:
        powrap._width_linebreaks.cache_clear()
        powrap._wrap_field.cache_clear()
