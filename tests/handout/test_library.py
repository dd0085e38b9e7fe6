"""WeasyPrint is imported without the compiler runs of ``ctypes.util.find_library``."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import ctypes.util
import sys

def refuse(name):
    raise SystemExit(f"find_library ran {name!r} through gcc or ld")

ctypes.util._findLib_gcc = ctypes.util._findLib_ld = refuse
original = ctypes.util.find_library

from pipeline.handout.library import load_weasyprint

weasyprint = load_weasyprint()
assert weasyprint is sys.modules["weasyprint"] is load_weasyprint()
assert weasyprint.HTML(string="<p>x</p>").render().pages
assert ctypes.util.find_library is original  # put back after the import
print("ok")
"""


def in_a_new_interpreter(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` run by a fresh Python (nothing of WeasyPrint loaded yet)."""
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )


def test_weasyprint_loads_from_the_linker_cache_alone():
    done = in_a_new_interpreter(SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_without_the_patch_the_compiler_would_run():
    """The test above would fail if WeasyPrint were imported plainly: it is a real check."""
    plain = SCRIPT.replace(
        "from pipeline.handout.library import load_weasyprint\n",
        "def load_weasyprint():\n    import weasyprint\n    return weasyprint\n",
    )
    done = in_a_new_interpreter(plain)
    assert done.returncode != 0
    assert "through gcc or ld" in done.stderr


WARM_UP = """
import sys
from pipeline.handout import output, render

assert "weasyprint" not in sys.modules
output.warm_up()
output.warm_up()  # once a process
output._renderer().submit(lambda: None).result(timeout=60)  # after the warm-up, in turn
assert "weasyprint" in sys.modules
assert render._font_config.cache_info().currsize == 1
print("ok")
"""


def test_warming_up_loads_the_renderer_on_the_handout_thread():
    done = in_a_new_interpreter(WARM_UP)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
