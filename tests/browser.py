"""Open pages as a reader would: Debian's headless Chromium (via Playwright), axe-core, vnu.

Nothing here downloads anything: Chromium is ``/usr/bin/chromium`` (Debian package
``chromium``), and axe-core and the Nu Html Checker come from npm::

    npm install --no-save --prefix . axe-core vnu-jar

Zoom: "200% zoom" is emulated as a browser at 200% on a 1280×800 window does it:
a 640×400 CSS-pixel viewport with ``device_scale_factor=2``. The reader's text-size
setting is emulated separately by doubling the root font size.

Run ``python -m tests.browser OUTPUT_DIR`` to save a screenshot of every
``OUTPUT_DIR/<doc>/<lang>/index.html`` as ``OUTPUT_DIR/screenshots/<doc>-<lang>.png``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_INSTALL = "npm install --no-save --prefix . axe-core vnu-jar"

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
AXE_EXTRA_RULES = ("color-contrast-enhanced", "target-size")

#: WCAG 1.4.12 text spacing, as the W3C's test bookmarklet applies it.
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
#: The reader's browser text size at 200% (everything on the page is in rem/em).
DOUBLE_TEXT_CSS = "html { font-size: 200% !important; }"


def missing_tools() -> list[str]:
    """What the browser tests need and is not installed, with how to install it."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE_JS.exists() or not VNU_JAR.exists():
        missing.append(f"axe-core and vnu-jar ({NPM_INSTALL})")
    return missing


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(
    browser: Browser,
    html_path: Path,
    *,
    width: int = 1280,
    height: int = 800,
    scale: float = 1,
    css: str | None = None,
    media: str = "screen",
) -> Iterator[Page]:
    """``html_path`` in a fresh context of the given viewport, with ``css`` injected."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        java_script_enabled=True,
        offline=True,
    )
    try:
        page = context.new_page()
        page.emulate_media(media="print" if media == "print" else "screen")
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        if css:
            page.add_style_tag(content=css)
        yield page
    finally:
        context.close()


def run_axe(page: Page) -> dict[str, Any]:
    """axe-core's results for WCAG 2 A/AA/AAA, 2.1, 2.2 AA and best practice.

    ``color-contrast-enhanced`` (7:1) and ``target-size`` are off by default in axe
    and are enabled by id.
    """
    page.add_script_tag(path=str(AXE_JS))
    options = {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "rules": {rule: {"enabled": True} for rule in AXE_EXTRA_RULES},
    }
    result: dict[str, Any] = page.evaluate(
        "async (options) => JSON.parse(JSON.stringify(await axe.run(document, options)))",
        options,
    )
    return result


def rules_run(result: dict[str, Any]) -> set[str]:
    """Ids of every axe rule that ran, whatever its outcome."""
    kinds = ("violations", "passes", "incomplete", "inapplicable")
    return {rule["id"] for kind in kinds for rule in result.get(kind, [])}


def describe_violations(result: dict[str, Any]) -> list[str]:
    """One line per failing node, for assertion messages."""
    lines = []
    for rule in result.get("violations", []):
        for node in rule["nodes"]:
            lines.append(f"{rule['id']}: {rule['help']} at {node['target']}: {node['html'][:120]}")
    return lines


def nu_check(paths: list[Path]) -> list[dict[str, Any]]:
    """The Nu Html Checker's errors for ``paths`` (one JVM start for all of them)."""
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
    done = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True, check=False)
    # vnu writes its JSON report on stderr and exits 1 when there are errors.
    report = json.loads(done.stderr or done.stdout)
    return list(report.get("messages", []))


@dataclass(frozen=True)
class Layout:
    """What the browser measured on one page in one setting."""

    min_font_px: float
    """Smallest computed font size of any visible text."""
    scroll_width: int
    """``document.documentElement.scrollWidth``."""
    client_width: int
    """``document.documentElement.clientWidth``."""
    clipped: tuple[str, ...]
    """Elements whose content overflows their box (clipped or spilling out)."""

    @property
    def horizontal_scroll(self) -> bool:
        return self.scroll_width > self.client_width


_MEASURE_JS = """
() => {
  const hidden = (el) => el.closest('.vh') !== null ||
    (el.getBoundingClientRect().width <= 1 && el.getBoundingClientRect().height <= 1);
  let minFont = Infinity;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.checkVisibility() || hidden(el)) continue;
    minFont = Math.min(minFont, parseFloat(getComputedStyle(el).fontSize));
  }
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['AUDIO', 'BR'].includes(el.tagName) || hidden(el) || !el.checkVisibility()) continue;
    // Glyphs may ink past a line box harmlessly; content is lost only where a box
    // clips it (or makes it scroll), so only those boxes count.
    const style = getComputedStyle(el);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const tall = el.scrollHeight > el.clientHeight + 1 && el.clientHeight > 0;
    const wide = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
    if (tall || wide) {
      clipped.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
        ` ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`);
    }
  }
  const root = document.documentElement;
  return {minFont, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, clipped};
}
"""


def measure(page: Page) -> Layout:
    """Font sizes, horizontal scroll and clipped elements, as laid out now."""
    data = page.evaluate(_MEASURE_JS)
    return Layout(
        float(data["minFont"]),
        int(data["scrollWidth"]),
        int(data["clientWidth"]),
        tuple(data["clipped"]),
    )


_TEXT_JS = """
() => {
  // Characters on the longest line of any paragraph, found by laying out each character.
  let longest = 0;
  for (const p of document.querySelectorAll('main p')) {
    if (p.closest('.vh')) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.vh')) continue;
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        const top = Math.round(rect.top);
        lines.set(top, (lines.get(top) || 0) + 1);
      }
    }
    for (const count of lines.values()) longest = Math.max(longest, count);
  }
  const styles = [...document.querySelectorAll('main p, main li, td, th, caption')]
    .map((el) => getComputedStyle(el));
  const paragraphs = [...document.querySelectorAll('#intro > p, main section > p')]
    .filter((el) => el.nextElementSibling !== null)
    .map((el) => getComputedStyle(el));
  return {
    longestLine: longest,
    lineHeightRatio: Math.min(...styles.map((s) => parseFloat(s.lineHeight) / parseFloat(s.fontSize))),
    paragraphGap: Math.min(...paragraphs.map((s) => parseFloat(s.marginBottom) / parseFloat(s.lineHeight))),
    alignments: [...new Set(styles.map((s) => s.textAlign))],
    italic: [...document.querySelectorAll('body *')]
      .filter((el) => getComputedStyle(el).fontStyle !== 'normal').length,
  };
}
"""


def text_metrics(page: Page) -> dict[str, Any]:
    """Line length, line height, paragraph spacing, alignment and italics of the text."""
    result: dict[str, Any] = page.evaluate(_TEXT_JS)
    return result


_STRUCTURE_JS = """
() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  const skip = document.querySelector('body > a.skip');
  const region = document.querySelector('section.disclaimer');
  const labelled = region && document.getElementById(region.getAttribute('aria-labelledby'));
  return {
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    firstLink: document.body.querySelector('a') === skip,
    skipTarget: skip ? document.querySelector(skip.getAttribute('href')) !== null : false,
    landmarks: ['header', 'nav', 'main', 'footer'].filter((tag) => all(tag).length > 0),
    navLabels: all('nav').map((nav) =>
      document.getElementById(nav.getAttribute('aria-labelledby'))?.textContent ?? ''),
    h1: all('h1').length,
    headings: all('h1, h2, h3, h4, h5, h6').map((h) => Number(h.tagName[1])),
    captionFirst: all('table').every((t) => t.firstElementChild?.tagName === 'CAPTION'),
    headerScopes: all('th').map((th) => th.getAttribute('scope')),
    disclaimerLabel: labelled ? labelled.textContent : null,
    disclaimerBorder: region ? getComputedStyle(region).borderTopWidth : null,
    scripts: all('script').length,
    handlers: all('*').filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
      .length,
    hrefs: all('[href], [src]').map((el) => el.getAttribute('href') ?? el.getAttribute('src')),
    images: all('img, iframe, object, embed').length,
    audio: all('audio').map((a) => ({src: a.getAttribute('src'), preload: a.preload,
                                     controls: a.controls})),
  };
}
"""


def structure(page: Page) -> dict[str, Any]:
    """The page's document structure, as the browser parsed it."""
    result: dict[str, Any] = page.evaluate(_STRUCTURE_JS)
    return result


def screenshot(browser: Browser, html_path: Path, png_path: Path, width: int = 1024) -> None:
    """A full-page PNG of ``html_path`` at ``width`` CSS pixels."""
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with open_page(browser, html_path, width=width, height=800) as page:
        page.screenshot(path=str(png_path), full_page=True)


def screenshot_page(html_path: Path, png_path: Path) -> None:
    """A full-page PNG of one page (starts its own browser)."""
    with chromium() as browser:
        screenshot(browser, html_path, png_path)


def screenshot_all(output_dir: Path) -> list[Path]:
    """``output/screenshots/<doc>-<lang>.png`` for every ``output/<doc>/<lang>/index.html``."""
    pages = sorted(output_dir.glob("*/*/index.html"))
    written = []
    with chromium() as browser:
        for html_path in pages:
            lang, doc = html_path.parent.name, html_path.parent.parent.name
            png = output_dir / "screenshots" / f"{doc}-{lang}.png"
            screenshot(browser, html_path, png)
            written.append(png)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "output")
    for path in screenshot_all(target):
        print(path)
