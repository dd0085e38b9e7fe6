"""The lazily read pronouncing dictionary gives what NLTK's own reader gives, word for word."""

from __future__ import annotations

import os
from pathlib import Path

import nltk
import pytest
from nltk.corpus.reader.cmudict import CMUDictCorpusReader

from pipeline.readability.cmudict import CORPUS_DIR, CORPUS_FILE, ensure_cmudict
from pipeline.readability.pronunciations import LazyCmudictReader, Pronunciations

from ..conftest import ROOT, in_a_new_interpreter


def test_the_whole_corpus_reads_as_nltk_reads_it(tmp_path: Path):
    root = ensure_cmudict(tmp_path / "nltk_data")
    nltk_dict = CMUDictCorpusReader(str(root / CORPUS_DIR), [CORPUS_FILE]).dict()
    ours = Pronunciations((root / CORPUS_DIR / CORPUS_FILE).read_text("utf-8"))
    assert len(ours) == len(nltk_dict) > 120_000
    assert list(ours) == list(nltk_dict)  # the same words, in the same order
    assert all(ours[word] == pronunciations for word, pronunciations in nltk_dict.items())
    assert ours["tomato"] == [
        ["T", "AH0", "M", "EY1", "T", "OW2"],
        ["T", "AH0", "M", "AA1", "T", "OW2"],
    ]
    with pytest.raises(KeyError):
        ours["notawordanywhere"]  # textstat falls back to pyphen on KeyError


def test_odd_lines_read_as_nltk_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    corpus = tmp_path / "nltk_data" / CORPUS_DIR
    corpus.mkdir(parents=True)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path / "nltk_data"), *nltk.data.path])
    text = "a 1 AH0\nword  1   W ER1 D \nbare\nword 2 W ER0 D\n\nx 1\n"
    (corpus / "cmudict").write_text(text, "utf-8")
    expected = CMUDictCorpusReader(str(corpus), ["cmudict"]).dict()
    ours = Pronunciations(text)
    assert dict(ours.items()) == expected
    assert ours["word"] == [["W", "ER1", "D"], ["W", "ER0", "D"]]
    assert ours["x"] == [[]] and "bare" in ours and ours["bare"] == [[]]


def test_textstat_counts_with_the_lazy_reader(tmp_path: Path):
    from textstat.backend.counts._count_syllables import count_syllables

    ensure_cmudict(tmp_path / "nltk_data")
    assert isinstance(nltk.corpus.cmudict, LazyCmudictReader)
    found = nltk.corpus.cmudict.dict()
    assert isinstance(found, Pronunciations)
    assert found is nltk.corpus.cmudict.dict()  # read once per file
    # Words in the dictionary count its vowels (phones with a stress mark); others go
    # to pyphen, which splits "myeloma" wrongly (NLTK's own reader does the same).
    assert count_syllables("tomato", "en") == 3
    assert count_syllables("treatment", "en") == 2
    assert "myeloma" not in found and count_syllables("myeloma", "en") == 3


DEFERRED = """
import sys
from pipeline.catalogs.translate import translate
from pipeline.locales import parse_locale
from pipeline.readability.score import assess
from pipeline.source.parse import read_document

from pathlib import Path

import polib

document = read_document(Path(sys.argv[1]))
po = polib.pofile(sys.argv[2])
spanish = assess(translate(document, parse_locale("es"), po), 8.0)
assert spanish.sections and spanish.overall.scores, "Spanish was scored"
assert "nltk.data" not in sys.modules, "NLTK was loaded for Spanish"
if sys.argv[3] == "corpus-used":  # something of nltk.corpus is used before English is scored
    import nltk
    nltk.corpus.wordnet
english = assess(translate(document, parse_locale("en"), None), 8.0)
assert "nltk.data" in sys.modules, "NLTK is loaded for English syllables"
from pipeline.readability.pronunciations import LazyCmudictReader, Pronunciations
import textstat.backend.utils._get_cmudict as holder
from textstat.backend.utils import get_cmudict
reader = holder.nltk.corpus.cmudict  # what textstat reads, through its own reference
assert isinstance(reader, LazyCmudictReader), f"textstat reads {type(reader).__name__}"
assert isinstance(get_cmudict("en"), Pronunciations), "English syllables from the lazy reader"
assert reader.dict()["tomato"]
print("ok")
"""


@pytest.mark.parametrize("before", ["nothing", "corpus-used"])
def test_nltk_is_loaded_for_english_only(tmp_path: Path, before: str):
    """Spanish is scored first (textstat is loaded with NLTK deferred), then English:
    textstat reads English syllables from the lazy reader, whatever of NLTK was used
    between (one cold build in four read NLTK's own, and held 24 MiB more for it)."""
    master = ROOT / "source" / "myeloma-second-line.md"
    po = ROOT / "locales" / "es" / "LC_MESSAGES" / "myeloma-second-line.po"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = in_a_new_interpreter(DEFERRED, str(master), str(po), before, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
