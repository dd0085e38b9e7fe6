"""Cold build, no-change rebuild and one-entry rebuild, in a fresh copy each time.

The one-entry edit: in one locale's document PO (``es`` when configured), the
msgstr of the last plain paragraph (not the disclaimer) gets one more sentence,
through polib, so the file stays valid and the entry stays translated. Only that
section's track, that page and that pack should be made again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from bench_book import measure_books
from bench_floor import build_audio_seconds
from bench_util import ROOT, BenchError, carepack, copy_project, median, tracks_spoken

from pipeline.config import load_config
from pipeline.project import Project

EDIT_LOCALE = "es"
"""The locale whose document PO is edited (the first configured locale if absent)."""
EDIT_SENTENCE = {"es": "Pregunte a su equipo de salud."}
"""Appended to the msgstr; other locales get the msgstr's first word again."""


@dataclass(frozen=True)
class BuildFigures:
    """Median seconds of each build, and what the last repeat reported."""

    cold: float
    """``carepack build``, empty output and cache."""
    noop: float
    """The same build again, nothing changed."""
    one_entry: float
    """The build after one msgstr changed in one locale."""
    cold_rss_mb: float
    """``ru_maxrss`` of the cold build, MiB."""
    cold_tree_rss_mb: float
    """Sampled peak resident size of the cold build's process tree, MiB (in a cold
    build of its own: the timed ones are not sampled, see :func:`bench_util.run`)."""
    cold_tree_pss_mb: float
    """Sampled peak PSS of the cold build's process tree, MiB (the same build)."""
    spoken: dict[str, int]
    """Tracks spoken by each build (cold, noop, one_entry), from its summary."""
    edited: str
    outputs: tuple[str, ...]
    """The kinds of output the cold build made (``page``, ``audio``, ``pack``, and
    ``book`` and ``handout`` once the build makes them)."""
    """Which entry was edited: ``<po path>:<line>``."""
    samples: dict[str, list[float]]
    """Every measurement, by build."""
    books: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per ``<doc>/<lang>``: the talking book's own time, its size and length."""
    audio_seconds: float = 0.0
    """Total length of the cold build's section tracks (the floor speaks the same)."""


OUTPUT_KINDS = {
    ".html": "page",
    ".mp3": "audio",
    ".zip": "pack",
    ".epub": "book",
    ".pdf": "handout",
}
"""What each kind of output file is."""


def output_kinds(output: Path) -> tuple[str, ...]:
    """The kinds of output found under a build's output folder."""
    suffixes = {path.suffix for path in output.rglob("*") if path.is_file()}
    return tuple(kind for suffix, kind in OUTPUT_KINDS.items() if suffix in suffixes)


def edit_one_entry(root: Path) -> str:
    """Change one msgstr (see the module docstring); return ``path:line`` of the entry."""
    config = load_config(root)
    project = Project(config)
    document = project.documents()[0]
    code = EDIT_LOCALE if EDIT_LOCALE in config.locales else config.locales[0]
    path = project.po_path(code, document.id)
    po = polib.pofile(str(path), wrapwidth=79)
    paragraphs = [
        entry
        for entry in po
        if entry.translated()
        and not entry.obsolete
        and "Role: paragraph." in entry.comment
        and not entry.msgid_plural
    ]
    if not paragraphs:
        raise BenchError(f"{path}: no translated paragraph entry to edit")
    entry = paragraphs[-1]
    extra = EDIT_SENTENCE.get(code) or entry.msgstr.split()[0]
    entry.msgstr = f"{entry.msgstr.rstrip()} {extra}"
    po.save(str(path))
    return f"{project.relative(path)}:{entry.linenum}"


def measure_builds(work: Path, repeats: int, tracks: int) -> BuildFigures:
    """Cold, no-change and one-entry builds, ``repeats`` times each; every cold build
    must speak all ``tracks`` (its cache starts empty), the no-change build none."""
    samples: dict[str, list[float]] = {"cold": [], "noop": [], "one_entry": []}
    spoken: dict[str, int] = {}
    rss, edited, outputs, audio = 0.0, "", (), 0.0
    books: dict[str, dict[str, Any]] = {}
    for attempt in range(repeats):
        root = copy_project(work / f"build-{attempt}", ROOT)
        cold = carepack(root, "build", sample_memory=False)
        outputs = output_kinds(root / "output")
        audio = build_audio_seconds(root / "output")
        if not books and "book" in outputs:
            books = measure_books(root)
        noop = carepack(root, "build", sample_memory=False)
        edited = edit_one_entry(root)
        one = carepack(root, "build", sample_memory=False)
        for name, result in (("cold", cold), ("noop", noop), ("one_entry", one)):
            samples[name].append(result.seconds)
            spoken[name] = tracks_spoken(result)
        if spoken["cold"] != tracks or spoken["noop"] != 0:
            raise BenchError(
                f"the cold build spoke {spoken['cold']} of {tracks} tracks and the no-change "
                f"build {spoken['noop']}: the cache was not empty, or a rebuild is not a no-op"
            )
        rss = max(rss, cold.maxrss_mb)
        shutil.rmtree(root)
    # The cold build's memory, sampled, in a build of its own (not one of the timed ones).
    root = copy_project(work / "build-memory", ROOT)
    sampled = carepack(root, "build")
    rss, tree, pss = max(rss, sampled.maxrss_mb), sampled.tree_mb, sampled.tree_pss_mb
    shutil.rmtree(root)
    return BuildFigures(
        cold=median(samples["cold"]),
        noop=median(samples["noop"]),
        one_entry=median(samples["one_entry"]),
        cold_rss_mb=rss,
        cold_tree_rss_mb=tree,
        cold_tree_pss_mb=pss,
        outputs=outputs,
        spoken=spoken,
        edited=edited,
        samples=samples,
        books=books,
        audio_seconds=audio,
    )
