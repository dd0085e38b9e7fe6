"""Scale: the project with N copies of its document, built cold in every language.

Copy ``k`` of the document is ``source/doc-kk.md`` with ``id: doc-kk`` (title and
text unchanged), and every locale gets ``doc-kk.po``, a copy of the document's
PO file (the template too). The copies' text is identical, so with audio on the
content-keyed audio cache makes copies 2..N cost no synthesis; the runs with
``--no-audio`` show the cost of everything else per document and locale.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench_util import ROOT, Run, carepack, copy_project, median

from pipeline.config import load_config
from pipeline.project import Project

_ID_LINE = re.compile(r"^id:.*$", re.MULTILINE)


@dataclass(frozen=True)
class ScalePoint:
    """One size's figures (medians over the repeats)."""

    documents: int
    """How many documents."""
    doc_locales: int
    """Documents times languages (the source language included)."""
    seconds: float
    """Wall time of the cold build."""
    per_doc_locale: float
    """``seconds / doc_locales``."""
    peak_rss_mb: float
    """``ru_maxrss`` of the build process, MiB (largest over the repeats)."""
    peak_tree_rss_mb: float
    """Largest sampled total of the build's process tree, MiB."""
    samples: list[float]
    """Every wall time measured."""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def scaled_copy(dest: Path, copies: int) -> Path:
    """A copy of the project whose one document is repeated ``copies`` times."""
    root = copy_project(dest, ROOT)
    config = load_config(root)
    documents = Project(config).documents()
    if len(documents) != 1:
        raise RuntimeError(f"the scale runs expect one document in source/, not {len(documents)}")
    original = documents[0]
    text = (config.source_dir / f"{original.id}.md").read_text(encoding="utf-8")
    (config.source_dir / f"{original.id}.md").unlink()
    catalogs = [config.locales_dir, *sorted(config.locales_dir.glob("*/LC_MESSAGES"))]
    for number in range(1, copies + 1):
        new = f"doc-{number:02d}"
        (config.source_dir / f"{new}.md").write_text(
            _ID_LINE.sub(f"id: {new}", text, count=1), encoding="utf-8"
        )
        for folder in catalogs:
            for suffix in (".po", ".pot"):
                old = folder / f"{original.id}{suffix}"
                if old.exists():
                    shutil.copy2(old, folder / f"{new}{suffix}")
    for folder in catalogs:
        for suffix in (".po", ".pot"):
            (folder / f"{original.id}{suffix}").unlink(missing_ok=True)
    return root


def measure_scale(work: Path, copies: int, repeats: int, audio: bool) -> ScalePoint:
    """Cold builds (fresh copy, empty output and cache) of ``copies`` documents."""
    runs: list[Run] = []
    languages = 0
    for attempt in range(repeats):
        root = scaled_copy(
            work / f"scale-{copies}-{'audio' if audio else 'text'}-{attempt}", copies
        )
        languages = len(load_config(root).all_languages())
        runs.append(carepack(root, "build", *([] if audio else ["--no-audio"])))
        shutil.rmtree(root)
    seconds = median([r.seconds for r in runs])
    cells = copies * languages
    return ScalePoint(
        documents=copies,
        doc_locales=cells,
        seconds=seconds,
        per_doc_locale=seconds / cells,
        peak_rss_mb=max(r.maxrss_mb for r in runs),
        peak_tree_rss_mb=max(r.tree_mb for r in runs),
        samples=[r.seconds for r in runs],
    )
