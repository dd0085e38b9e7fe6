"""The talking book's outside checkers (EPUBCheck, Ace by DAISY) and a media-overlay reader.

``python -m tests.book_tools output`` runs Ace on every book under ``output/`` and
writes, for people to look at, each report's outline (table of contents, headings,
HTML outline) and its list of images to ``output/reports/ace/<book>.html``.
"""

from __future__ import annotations

import array
import html
import json
import os
import subprocess
import sys
import tempfile
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
ACE = ROOT / "node_modules" / ".bin" / "ace-puppeteer"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "make test-sysdeps (Debian epubcheck) and the Makefile's NODE_TOOLS (npm @daisy/ace)"
SMIL = "{http://www.w3.org/ns/SMIL}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def missing_tools() -> list[str]:
    """What the book checks need and is not installed."""
    missing = [str(p) for p in (EPUBCHECK, ACE, CHROMIUM) if not p.exists()]
    return [f"{', '.join(missing)} ({INSTALL})"] if missing else []


def epubcheck(path: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings for ``path`` (its JSON report)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            ["java", "-jar", str(EPUBCHECK), str(path), "--json", str(report)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    return [
        f"{m['severity']} {m['ID']}: {m['message']} "
        f"{[loc.get('path') for loc in m.get('locations', [])]}"
        for m in data["messages"]
        if m["severity"] in {"FATAL", "ERROR", "WARNING"}
    ]


def ace(path: Path, out: Path) -> dict[str, Any]:
    """Ace by DAISY's report (``report.json``) on ``path``, written under ``out``."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)}
    subprocess.run(
        [str(ACE), "--silent", "--force", "--outdir", str(out), str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=600,
    )
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report


def ace_violations(report: dict[str, Any]) -> list[str]:
    """Every violation in an Ace report, of any severity."""
    return [
        f"{item['earl:test'].get('earl:impact')} {item['earl:test']['dct:title']}: "
        f"{item['earl:result'].get('dct:description', '')} {item['earl:result'].get('earl:pointer')}"
        for group in report["assertions"]
        for item in group["assertions"]
    ]


def ace_summary(report: dict[str, Any], title: str) -> str:
    """The report's outlines and list of images as one HTML page."""
    outlines = report.get("outlines", {})
    images = report.get("data", {}).get("images", [])
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>Ace: {html.escape(title)}</title>',
        "</head><body>",
        f"<h1>Ace by DAISY: {html.escape(title)}</h1>",
        f"<p>Outcome: {html.escape(str(report['earl:result']['earl:outcome']))}; "
        f"violations: {len(ace_violations(report))}</p>",
    ]
    for name in ("toc", "headings", "html"):
        parts += [f"<h2>Outline: {name}</h2>", str(outlines.get(name, ""))]
    parts.append(f"<h2>Images ({len(images)})</h2><ul>")
    parts += [f"<li>{html.escape(json.dumps(image, ensure_ascii=False))}</li>" for image in images]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Par:
    """One ``<par>`` of a media overlay."""

    smil: str
    """The overlay's path in the book."""
    document: str
    """The XHTML content document (path in the book)."""
    fragment: str
    """The element id."""
    audio: str
    """The audio file (path in the book)."""
    begin: float
    """``clipBegin`` in seconds."""
    end: float
    """``clipEnd`` in seconds."""


def _seconds(value: str) -> float:
    assert value.endswith("s"), value
    return float(value[:-1])


def overlays(book: zipfile.ZipFile) -> dict[str, list[Par]]:
    """Every SMIL file of the book, its ``<par>``s in order."""
    result: dict[str, list[Par]] = {}
    for name in sorted(n for n in book.namelist() if n.endswith(".smil")):
        folder = name.rsplit("/", 1)[0] + "/"
        root = ElementTree.fromstring(book.read(name))
        pars = []
        for par in root.iter(f"{SMIL}par"):
            text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
            assert text is not None and audio is not None
            document, fragment = text.attrib["src"].split("#", 1)
            pars.append(
                Par(
                    name,
                    folder + document,
                    fragment,
                    folder + audio.attrib["src"],
                    _seconds(audio.attrib["clipBegin"]),
                    _seconds(audio.attrib["clipEnd"]),
                )
            )
        result[name] = pars
    return result


def element_ids(data: bytes) -> dict[str, ElementTree.Element]:
    """The elements of an XHTML document by id."""
    root = ElementTree.fromstring(data)
    return {el.attrib["id"]: el for el in root.iter() if "id" in el.attrib}


def decode(data: bytes) -> tuple[array.array[int], int]:
    """An MP3 decoded by LAME's own decoder: its samples and sample rate."""
    with tempfile.TemporaryDirectory() as folder:
        mp3, wav = Path(folder) / "a.mp3", Path(folder) / "a.wav"
        mp3.write_bytes(data)
        subprocess.run(["lame", "--decode", "--silent", str(mp3), str(wav)], check=True)
        with wave.open(str(wav), "rb") as reader:
            samples = array.array("h", reader.readframes(reader.getnframes()))
            if sys.byteorder == "big":
                samples.byteswap()
            return samples, reader.getframerate()


def write_reports(output: Path) -> list[Path]:
    """Ace's outline and images for every book under ``output`` into ``output/reports/ace``."""
    written = []
    for book in sorted(output.glob("*/*/*.epub")):
        with tempfile.TemporaryDirectory() as folder:
            report = ace(book, Path(folder))
        target = output / "reports" / "ace" / f"{book.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(ace_summary(report, book.name), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_reports(Path(sys.argv[1] if len(sys.argv) > 1 else "output")):
        print(path)
