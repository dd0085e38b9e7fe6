"""Glossaries read ahead in a forked process (``carepack update``): the same glossaries,
errors included, or none at all, never stale ones.

Each case runs in a fresh interpreter: whether a process is forked depends on the
threads running, and a test run's own threads come and go."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..conftest import ROOT, in_a_new_interpreter, only_locales

SCRIPT = r"""
import os, sys, threading
from pathlib import Path
from pipeline.termbase import glossaries_ahead as ahead
from pipeline.termbase.glossary import load_glossary

root, case = Path(sys.argv[1]), sys.argv[2]
locales = root / "locales"
codes = ["es", "fr", "zh_Hans"]

def read(code):
    return load_glossary(locales, code, "en", root)

if case == "dies":  # the reading process fails before it answers
    def fail(*args):
        raise RuntimeError("no answer")
    ahead.read_glossaries = fail
if case == "thread":  # another thread runs: no process may be forked
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()
    def no_fork():
        raise AssertionError("forked while another thread ran")
    os.fork = no_fork
with ahead.GlossariesAhead(locales, codes, "en", root) as terms:
    if case == "same":  # read over there: this process could not read them any more
        ahead.load_glossary = None
        for code in codes:
            assert terms.take(code) == (read(code)[0], []), code
    elif case == "changed":
        assert terms.take("fr") is not None  # the answer is in
        path = locales / "es" / "glossary.tbx"
        path.write_bytes(path.read_bytes().replace(b"cuidados de apoyo", b"cuidado de apoyo"))
        assert terms.take("es") is None  # read again by the update, as it now is
        assert terms.take("zh_Hans") == read("zh_Hans")
    elif case == "broken":
        glossary, errors = terms.take("es")
        assert glossary == read("es")[0] and glossary.paths == (Path("locales/es/glossary.csv"),)
        [error] = errors
        assert type(error).__name__ == "TermbaseError" and error.locale == "es"
        print(f"{error.where}: {error.message}")
    else:
        assert [terms.take(code) for code in codes] == [None] * 3
    if case == "thread":
        stop.set()
print("done")
"""


def _run(project_dir: Path, case: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = in_a_new_interpreter(SCRIPT, str(project_dir), case, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "done"
    return done.stdout


def test_glossaries_read_ahead_are_the_glossaries(project_dir: Path) -> None:
    _run(project_dir, "same")


def test_a_glossary_changed_since_it_was_read_ahead_is_not_taken(project_dir: Path) -> None:
    _run(project_dir, "changed")


def test_a_glossary_that_cannot_be_read_comes_back_with_its_error(project_dir: Path) -> None:
    """The process reports what it could not read as the update would: file, line and
    locale; the language's other file still counts."""
    only_locales(project_dir, ["es", "fr", "zh_Hans"])
    es = project_dir / "locales" / "es"
    (es / "glossary.csv").write_text("source,target\nsupportive care,cuidados de apoyo\n", "utf-8")
    tbx = es / "glossary.tbx"
    tbx.write_text(tbx.read_text("utf-8").replace("</termEntry>", "</termEntr>", 1), "utf-8")
    out = _run(project_dir, "broken")
    assert out.startswith("locales/es/glossary.tbx:") and "not a valid TBX file" in out


def test_no_process_is_forked_while_another_thread_runs(project_dir: Path) -> None:
    _run(project_dir, "thread")


def test_a_reading_process_that_fails_leaves_the_reading_to_the_update(
    project_dir: Path,
) -> None:
    _run(project_dir, "dies")


def test_an_update_notes_the_same_terms_with_or_without_them(
    project_dir: Path, tmp_path: Path
) -> None:
    """``carepack update`` in a process of its own (glossaries read ahead) writes the very
    catalogs an update that reads them itself writes (``Project.update`` without them),
    the glossary's notes included."""
    from pipeline.config import load_config
    from pipeline.project import Project

    other = tmp_path / "other"
    es = Path("locales") / "es" / "LC_MESSAGES" / "myeloma-second-line.po"
    po = project_dir / es
    noted = po.read_text("utf-8")
    po.write_text(re.sub(r"^#\. Terms: .*\n", "", noted, flags=re.M), "utf-8")  # to note again
    shutil.copytree(project_dir, other)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = "import sys; from pipeline.cli import main; sys.exit(main(sys.argv[1:]))"
    done = in_a_new_interpreter(script, "--root", str(project_dir), "update", env=env)
    assert done.returncode == 0, done.stderr
    Project(load_config(other)).update()
    assert po.read_text("utf-8") == noted
    for path in sorted((project_dir / "locales").rglob("*.po")):
        twin = other / path.relative_to(project_dir)
        assert path.read_bytes() == twin.read_bytes(), path
