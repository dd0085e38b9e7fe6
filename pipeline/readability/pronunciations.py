"""NLTK's cmudict reader, read lazily: the pronouncing dictionary as a mapping that
splits a word's pronunciations only when the word is looked up.

textstat counts an English word's syllables with ``nltk.corpus.cmudict.dict()[word]``.
NLTK's ``dict()`` parses all 135,000 lines of the corpus into lists of lists first
(half a second, 60 MB), where a document looks up a few thousand words.
:class:`Pronunciations` indexes the same file's lines by word in one pass and gives
exactly what NLTK's ``dict()`` gives for every word (a test compares the two over
the whole corpus); :func:`install` puts a reader that returns it where textstat
looks, ``nltk.corpus.cmudict``.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..lazy_imports import LOADING

#: The corpus file, as NLTK finds it under an ``nltk_data`` root.
CORPUS_RESOURCE = "corpora/cmudict/cmudict"


class Pronunciations(Mapping[str, list[list[str]]]):
    """``word`` → its pronunciations (lists of phones), in the corpus's order.

    The corpus is NLTK's format: ``WORD N PH1 PH2 …`` per line, ``N`` numbering a word's
    variants. As NLTK's reader does, a line's first field is the word and its fields
    from the third on are the phones.
    """

    def __init__(self, text: str) -> None:
        lines: dict[str, list[str]] = {}
        for line in text.splitlines():
            fields = line.split(None, 1)
            if fields:
                lines.setdefault(fields[0], []).append(fields[1] if len(fields) > 1 else "")
        self._lines = lines

    def __getitem__(self, word: str) -> list[list[str]]:
        return [rest.split()[1:] for rest in self._lines[word]]

    def __contains__(self, word: object) -> bool:
        return word in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


class LazyCmudictReader:
    """What textstat uses of NLTK's ``CMUDictCorpusReader``: :meth:`dict`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: dict[Path, Pronunciations] = {}

    def dict(self) -> Pronunciations:
        """The corpus that NLTK finds first on ``nltk.data.path``, read once per file."""
        import nltk

        path = Path(nltk.data.find(CORPUS_RESOURCE))
        with self._lock:
            if path not in self._read:
                self._read[path] = Pronunciations(path.read_text(encoding="utf-8"))
            return self._read[path]


def install() -> None:
    """Make ``nltk.corpus.cmudict`` a :class:`LazyCmudictReader` (once per process).

    It is set on the module ``nltk.corpus`` itself, and ``nltk.corpus`` is made that
    module if it is still NLTK's ``LazyModule``, which would copy the module's
    attributes when first used: a copy taken before the reader is set keeps NLTK's."""
    with LOADING:
        corpus = importlib.import_module("nltk.corpus")
        nltk = sys.modules["nltk"]
        if getattr(nltk, "corpus", None) is not corpus:
            setattr(nltk, "corpus", corpus)  # noqa: B010 - a module's attribute, by name
        if not isinstance(getattr(corpus, "cmudict", None), LazyCmudictReader):
            setattr(corpus, "cmudict", LazyCmudictReader())  # noqa: B010
