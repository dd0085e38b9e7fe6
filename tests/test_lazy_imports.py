"""The heavy packages a build loads on first use load one at a time
(:mod:`pipeline.lazy_imports`): while one thread loads, another thread's load waits."""

from __future__ import annotations

import pytest

from .conftest import in_a_new_interpreter

SCRIPT = """
import sys
import threading
import time

from pipeline.lazy_imports import LOADING

LOAD = {load!r}
done = threading.Event()

def load():
    if LOAD == "weasyprint":
        from pipeline.handout.library import load_weasyprint
        load_weasyprint()
    elif LOAD == "textstat":
        from pipeline.locales import parse_locale
        from pipeline.readability.languages import profile_for, textstat_for
        textstat_for(profile_for(parse_locale("es")))
    else:
        from pathlib import Path
        import tempfile
        from pipeline.readability.cmudict import ensure_cmudict
        ensure_cmudict(Path(tempfile.mkdtemp()))
    done.set()

with LOADING:  # another thread is loading a package
    worker = threading.Thread(target=load)
    worker.start()
    time.sleep(0.5)
    assert not done.is_set(), f"{{LOAD}} loaded while another load held the lock"
    module = sys.modules.get(LOAD)
    assert module is None or type(module).__name__ == "_DeferredNltk", f"{{LOAD}} loaded"
worker.join(timeout=120)
assert done.is_set()
print("ok")
"""


@pytest.mark.parametrize("package", ["weasyprint", "textstat", "nltk"])
def test_a_load_waits_for_the_one_under_way(package: str):
    done = in_a_new_interpreter(SCRIPT.format(load=package), timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
