"""Peers: the same extract-and-update of the master text into the seven POs.

- **ours**: ``carepack update`` (extract the templates, merge them into every
  locale's PO files; it also does the ``ui`` domain, which the peers do not have),
  in a fresh copy; and again with nothing changed, which reads the inputs and
  the record of the first update only;
- **po4a** (Debian's package; its text module in Markdown mode), driven by a
  ``po4a.conf`` as its manual recommends: ``po4a --no-translations`` makes the
  template and runs ``msgmerge`` into the seven POs; plain ``po4a`` also writes
  the seven translated texts;
- **mdpo** (PyPI): ``md2po`` makes the template, GNU ``msgmerge`` merges it into
  each PO (mdpo has no merge of its own); ``po2md`` writes each translated text.

Same inputs, same outputs written: ``carepack update`` also brings the ``ui``
domain's seven catalogs up to date with ``locales/ui.pot``, which neither peer can
extract (it is not made from Markdown); so each peer's run ends with the same
step as its own merge, ``msgmerge --update`` of ``ui.pot`` into each ``ui.po``,
and every tool writes the same sixteen files' worth of work (before this, the
peers did two thirds of it).

Each figure is the wall time of the whole sequence of commands, in a fresh copy
of the catalogs each time. The issue's peer workflows include the translated
texts (po4a's normal run, mdpo's ``po2md``): those are the ``ours_over_*`` ratios.
The peers' update alone (template and merge only, the stricter comparison, since
``carepack update`` writes no translated text) is reported beside them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_util import BENCH_BIN, ROOT, BenchError, carepack, copy_project, median, run

from pipeline.config import load_config
from pipeline.project import Project


@dataclass(frozen=True)
class PeerFigures:
    """Median seconds of each tool (all repeats are kept too)."""

    ours: float
    """``carepack update`` (fresh copy: no record of an earlier update)."""
    ours_noop: float
    """``carepack update`` again, nothing changed since the first (its stamp is read)."""
    po4a: float
    """po4a: template and merge into the seven POs (then ``ui.pot`` into the seven ``ui.po``)."""
    po4a_translate: float
    """po4a: the same, plus the seven translated texts."""
    mdpo: float
    """md2po, then msgmerge into the seven POs (and ``ui.pot`` into the seven ``ui.po``)."""
    mdpo_translate: float
    """The same, plus po2md for each locale."""
    samples: dict[str, list[float]]
    """Every measurement, by tool."""


def _documents(root: Path) -> tuple[list[str], list[str]]:
    config = load_config(root)
    project = Project(config)
    return [d.id for d in project.documents()], list(config.locales)


def timed(command: Sequence[str | Path], root: Path) -> float:
    """Seconds ``command`` takes in ``root`` (not sampled for memory: see ``bench_util.run``)."""
    return run(command, cwd=root, sample_memory=False).seconds


def _po4a_conf(root: Path, documents: list[str], locales: list[str]) -> Path:
    lines = [f"[po4a_langs] {' '.join(locales)}"]
    lines += ['[options] opt:"-o markdown -M UTF-8 -L UTF-8 -k 0"']
    for doc in documents:
        lines.append(f"[po4a_paths] locales/{doc}.pot $lang:locales/$lang/LC_MESSAGES/{doc}.po")
        lines.append(f"[type: text] source/{doc}.md $lang:peer-out/$lang/{doc}.md")
    path = root / "po4a.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def merge_ui(root: Path, locales: list[str]) -> float:
    """The peers' update of the interface catalogs: ``msgmerge`` of ``ui.pot`` into each
    locale's ``ui.po`` (what ``carepack update`` also does); seconds taken."""
    template = root / "locales" / "ui.pot"
    seconds = 0.0
    for code in locales:
        po = root / "locales" / code / "LC_MESSAGES" / "ui.po"
        seconds += timed(["msgmerge", "--quiet", "--update", "--backup=none", po, template], root)
    return seconds


def po4a(root: Path, translate: bool) -> float:
    documents, locales = _documents(root)
    conf = _po4a_conf(root, documents, locales)
    flags = [] if translate else ["--no-translations"]
    seconds = timed(["po4a", "--no-backups", *flags, conf.name], root)
    return seconds + merge_ui(root, locales)


def mdpo(root: Path, translate: bool) -> float:
    documents, locales = _documents(root)
    seconds = 0.0
    for doc in documents:
        pot = root / "peer-out" / f"{doc}.pot"
        pot.parent.mkdir(parents=True, exist_ok=True)
        md = f"source/{doc}.md"
        seconds += timed([BENCH_BIN / "md2po", md, "--save", "--po-filepath", pot, "--quiet"], root)
        for code in locales:
            po = root / "locales" / code / "LC_MESSAGES" / f"{doc}.po"
            seconds += timed(["msgmerge", "--quiet", "--update", "--backup=none", po, pot], root)
            if translate:
                out = root / "peer-out" / code / f"{doc}.md"
                out.parent.mkdir(parents=True, exist_ok=True)
                seconds += timed(
                    [BENCH_BIN / "po2md", md, "--pofiles", po, "--save", out, "--quiet"], root
                )
    return seconds + merge_ui(root, locales)


def ours(root: Path) -> float:
    return carepack(root, "update", sample_memory=False).seconds


def ours_noop(root: Path) -> float:
    carepack(root, "update")
    result = carepack(root, "update", sample_memory=False)
    if "0 file(s) updated" not in result.stdout:
        raise BenchError(f"a second update changed files:\n{result.stdout}")
    return result.seconds


def measure_peers(work: Path, repeats: int) -> PeerFigures:
    """Each tool ``repeats`` times, each time on a fresh copy of the project."""
    tools: dict[str, Callable[[Path], float]] = {
        "ours": ours,
        "ours_noop": ours_noop,
        "po4a": lambda root: po4a(root, translate=False),
        "po4a_translate": lambda root: po4a(root, translate=True),
        "mdpo": lambda root: mdpo(root, translate=False),
        "mdpo_translate": lambda root: mdpo(root, translate=True),
    }
    samples: dict[str, list[float]] = {name: [] for name in tools}
    for attempt in range(repeats):
        for name, tool in tools.items():
            root = copy_project(work / f"peer-{name}-{attempt}", ROOT)
            samples[name].append(tool(root))
            shutil.rmtree(root)
    return PeerFigures(
        ours=median(samples["ours"]),
        ours_noop=median(samples["ours_noop"]),
        po4a=median(samples["po4a"]),
        po4a_translate=median(samples["po4a_translate"]),
        mdpo=median(samples["mdpo"]),
        mdpo_translate=median(samples["mdpo_translate"]),
        samples=samples,
    )
