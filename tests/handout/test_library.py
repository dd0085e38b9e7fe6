"""WeasyPrint is imported without the compiler runs of ``ctypes.util.find_library``, and
with one reading of the linker cache."""

from __future__ import annotations

import ctypes.util

import pytest

from pipeline.handout.library import linker_cache_reader, read_linker_cache

from ..conftest import in_a_new_interpreter

SCRIPT = """
import ctypes.util
import subprocess
import sys

def refuse(name):
    raise SystemExit(f"find_library ran {name!r} through gcc or ld")

ctypes.util._findLib_gcc = ctypes.util._findLib_ld = refuse
original = ctypes.util.find_library
commands = []
popen_init = subprocess.Popen.__init__

def counting(self, args, *rest, **options):
    commands.append(args)
    popen_init(self, args, *rest, **options)

subprocess.Popen.__init__ = counting

from pipeline.handout.library import load_weasyprint

weasyprint = load_weasyprint()
assert weasyprint is sys.modules["weasyprint"] is load_weasyprint()
assert weasyprint.HTML(string="<p>x</p>").render().pages
assert ctypes.util.find_library is original  # put back after the import
ldconfig = [args for args in commands if "ldconfig" in str(args)]
assert len(ldconfig) == 1, f"ldconfig ran {len(ldconfig)} times"
print("ok")
"""

NAMES = [
    "c",
    "m",
    "gobject-2.0",
    "libgobject-2.0-0",
    "gobject-2.0-0",
    "pango-1.0",
    "pangoft2-1.0",
    "harfbuzz",
    "harfbuzz-subset",
    "fontconfig",
    "fontconfig-1",
    "espeak-ng",
    "no-such-library-here",
    "c++",
]


@pytest.mark.skipif(
    not hasattr(ctypes.util, "_findSoname_ldconfig"), reason="not glibc's ctypes.util"
)
def test_one_reading_of_the_linker_cache_answers_as_ctypes_does():
    find = linker_cache_reader(read_linker_cache())
    answers = {name: find(name) for name in NAMES}
    assert answers == {name: ctypes.util._findSoname_ldconfig(name) for name in NAMES}
    assert answers["c"] == "libc.so.6" and answers["no-such-library-here"] is None


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
