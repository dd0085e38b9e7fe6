"""Scale: the project with N distinct documents, built cold in every language.

Document ``k`` is the project's document with the number ``k`` woven into every
sentence, in the master text and in every catalog alike (:func:`weave`): before
each sentence's closing mark, or at the end of a heading or table cell that has
none. So every sentence of every copy differs from every other copy's, in every
language, and the numbers of each msgid and its msgstr stay the same: no copy
can take its audio or its reading level from another copy's cache. The catalogs
are then made canonical with ``carepack update`` (untimed; every woven msgid is
in the new template as it is, so every entry stays translated).

Each size is built cold (fresh copy, no output, no cache), and the build must
report every track of every document in every language as spoken.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polib
from bench_floor import floor_tracks
from bench_util import ROOT, BenchError, Run, carepack, copy_project, median, tracks_spoken

from pipeline.config import load_config
from pipeline.project import Project

_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)
_TITLE_LINE = re.compile(r"^title: *(.*)$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=\S)(?:[.!?;؟؛](?=\s|$)|[。！？；])")
"""A sentence's closing mark: Latin, Arabic (followed by a space or the end), or CJK."""


def weave(text: str, number: int) -> str:
    """``text`` with `` number`` before every sentence's closing mark (or at its end)."""
    woven, count = _SENTENCE_END.subn(lambda mark: f" {number}{mark.group(0)}", text)
    return woven if count else f"{text} {number}"


@dataclass(frozen=True)
class ScalePoint:
    """One size's figures (medians over the repeats)."""

    documents: int
    """How many documents."""
    doc_locales: int
    """Documents times languages (the source language included)."""
    tracks: int
    """Audio tracks a cold build speaks (0 without audio); every one was spoken."""
    seconds: float
    """Wall time of the cold build."""
    per_doc_locale: float
    """``seconds / doc_locales``."""
    peak_rss_mb: float
    """``ru_maxrss`` of the build process, MiB (largest over the repeats)."""
    peak_tree_rss_mb: float
    """Largest sampled total resident size of the build's whole process tree, MiB."""
    peak_tree_pss_mb: float
    """Largest sampled total PSS of the build's whole process tree, MiB (shared pages
    counted once)."""
    samples: list[float]
    """Every wall time measured."""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _weave_source(text: str, pot: polib.POFile, name: str, number: int) -> str:
    """The master text with every entry's msgid woven where the template says it is."""
    cursor = text.find("\n---", 3) + 4 if text.startswith("---") else 0  # past front matter
    for entry in pot:  # in the order of the master text; #: names the file, not the line
        start = text.find(entry.msgid, cursor)
        if start < 0:
            raise BenchError(f"{name}: msgid not found: {entry.msgid[:60]!r}")
        woven = weave(entry.msgid, number)
        text = text[:start] + woven + text[start + len(entry.msgid) :]
        cursor = start + len(woven)
    title = _TITLE_LINE.search(text)
    if title:
        text = text[: title.start(1)] + weave(title.group(1), number) + text[title.end(1) :]
    return _ID_LINE.sub(f"id: doc-{number:02d}", text, count=1)


def _weave_catalog(source: Path, dest: Path, number: int) -> None:
    po = polib.pofile(str(source), wrapwidth=79)
    for entry in po:
        entry.msgid = weave(entry.msgid, number)
        if entry.msgstr:
            entry.msgstr = weave(entry.msgstr, number)
        if entry.previous_msgid:
            entry.previous_msgid = weave(entry.previous_msgid, number)
    po.save(str(dest))


def scaled_copy(dest: Path, copies: int) -> Path:
    """A copy of the project with ``copies`` distinct documents (see the module docstring)."""
    root = copy_project(dest, ROOT)
    config = load_config(root)
    documents = Project(config).documents()
    if len(documents) != 1:
        raise BenchError(f"the scale runs expect one document in source/, not {len(documents)}")
    original = documents[0].id
    source = config.source_dir / f"{original}.md"
    text = source.read_text(encoding="utf-8")
    template = config.locales_dir / f"{original}.pot"
    pot = polib.pofile(str(template))
    catalogs = sorted(config.locales_dir.glob("*/LC_MESSAGES"))
    for number in range(1, copies + 1):
        new = f"doc-{number:02d}"
        woven = _weave_source(text, pot, source.name, number)
        (config.source_dir / f"{new}.md").write_text(woven, encoding="utf-8")
        _weave_catalog(template, config.locales_dir / f"{new}.pot", number)
        for folder in catalogs:
            _weave_catalog(folder / f"{original}.po", folder / f"{new}.po", number)
    source.unlink()
    template.unlink()
    for folder in catalogs:
        (folder / f"{original}.po").unlink()
    carepack(root, "update")
    return root


def measure_scale(work: Path, copies: int, repeats: int, audio: bool) -> ScalePoint:
    """Cold builds (fresh copy, empty output and cache) of ``copies`` distinct documents."""
    runs: list[Run] = []
    languages, tracks = 0, 0
    for attempt in range(repeats):
        root = scaled_copy(
            work / f"scale-{copies}-{'audio' if audio else 'text'}-{attempt}", copies
        )
        languages = len(load_config(root).all_languages())
        tracks = len(floor_tracks(root)) if audio else 0
        run = carepack(root, "build", *([] if audio else ["--no-audio"]))
        spoken = tracks_spoken(run)
        if spoken != tracks:
            raise BenchError(
                f"the cold build of {copies} document(s) spoke {spoken} of {tracks} tracks: "
                "the copies are not distinct, or a cache was not empty"
            )
        runs.append(run)
        shutil.rmtree(root)
    seconds = median([r.seconds for r in runs])
    cells = copies * languages
    return ScalePoint(
        documents=copies,
        doc_locales=cells,
        tracks=tracks,
        seconds=seconds,
        per_doc_locale=seconds / cells,
        peak_rss_mb=max(r.maxrss_mb for r in runs),
        peak_tree_rss_mb=max(r.tree_mb for r in runs),
        peak_tree_pss_mb=max(r.tree_pss_mb for r in runs),
        samples=[r.seconds for r in runs],
    )
