"""A build limits glibc's malloc arenas to two (:mod:`pipeline.build.malloc_arenas`):
its threads then share two arenas instead of taking one each."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.build.malloc_arenas import limit_malloc_arenas

# Eight threads allocate at once (larger blocks than pymalloc's, so glibc's malloc serves
# them), then glibc's malloc_info says how many arenas ("heaps") the process has.
SCRIPT = """
import ctypes, re, sys, tempfile, threading
from pipeline.build.malloc_arenas import limit_malloc_arenas

limited = limit_malloc_arenas() if sys.argv[1] == "limit" else False
together = threading.Barrier(8)

def allocate():
    together.wait()
    blocks = [bytearray(4096) for _ in range(2000)]
    together.wait()
    del blocks

threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, (ctypes.c_char_p, ctypes.c_char_p)
libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
libc.fclose.argtypes = (ctypes.c_void_p,)
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    handle = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, handle)
    libc.fclose(handle)
    heaps = len(re.findall(r'<heap nr="', open(out.name).read()))
print(limited, heaps)
"""


def _arenas(mode: str) -> tuple[str, int]:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    limited, heaps = done.stdout.split()
    return limited, int(heaps)


def test_threads_share_two_arenas() -> None:
    assert _arenas("limit") == ("True", 2)


def test_without_the_limit_each_thread_takes_one() -> None:
    """The check above can fail: glibc's default gives the eight threads arenas of their own."""
    limited, heaps = _arenas("default")
    assert limited == "False" and heaps > 2


def test_the_processes_a_build_starts_get_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "2"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ['MALLOC_ARENA_MAX'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "2"


def test_a_users_setting_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert not limit_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "4"
