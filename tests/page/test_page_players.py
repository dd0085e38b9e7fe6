"""The page at a desktop width (issue 13, point 12): table words are never cut in the
middle, and every audio player says how long its recording is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from pipeline.project import Project
from tests import browser as b

from ..conftest import LOCALES, render, sample_audio, write

# For every word of every table cell: whether its letters are laid out on more than one
# line (a word cut in the middle: "Opci|ón").
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('th, td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("code", LOCALES)
def test_table_words_are_whole_at_1280_px(
    project: Project, browser: Browser, tmp_path: Path, code: str
) -> None:
    path = write(project, tmp_path, code, render(project, code))
    with b.open_page(browser, path, width=1280, height=800) as page:
        broken = page.evaluate(_BROKEN_WORDS)
        cells = page.evaluate("document.querySelectorAll('td').length")
    assert cells > 0
    assert broken == [], f"words cut in the middle: {broken}"


def test_every_player_shows_its_length(project: Project, tmp_path: Path) -> None:
    audio = sample_audio(project, seconds=125.0)
    html = render(project, "es", audio=audio).html
    players = re.findall(r"<audio [^>]*>", html)
    assert players and all('preload="metadata"' in p for p in players)
    lengths = re.findall(r'<time datetime="PT(\d+)M(\d\d)S">(\d+):(\d\d)</time>', html)
    assert len(lengths) == len(audio.tracks)  # one per section track, next to its label
    per_track = round(125.0 / len(audio.tracks))
    for minutes, seconds, shown_m, shown_s in lengths:
        assert (minutes, seconds) == (shown_m, shown_s)
        assert int(minutes) * 60 + int(seconds) == per_track
