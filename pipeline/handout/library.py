"""Importing WeasyPrint without running the C compiler sixteen times.

WeasyPrint loads Pango, HarfBuzz, fontconfig and GObject through cffi, trying several
names for each (those of Windows and macOS first: ``libgobject-2.0-0``, then
``gobject-2.0-0``, then ``gobject-2.0``). cffi hands every name that is not a file to
``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` to read the linker
cache and, when the cache does not have the name, runs ``gcc`` and then ``ld`` to look
for it: sixteen compiler and linker runs per import, about 0.15 s of CPU and of wall
time, to learn that a Windows name is not there, and 24 runs of ``ldconfig``. While
WeasyPrint is imported, :func:`load_weasyprint` has ``find_library`` answer from the
linker cache alone, which is where Debian's libraries are, read once
(:func:`linker_cache_reader`); a name the cache does not have is not found, so
WeasyPrint goes on to its next name, as it did.
"""

from __future__ import annotations

import ctypes.util
import importlib
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable
from types import ModuleType

from ..lazy_imports import LOADING
from .font_files import share_font_files

#: glibc's name for this machine's ABI in ``ldconfig -p``, as ``ctypes.util`` has it.
_ABI_TYPES = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


def read_linker_cache() -> bytes:
    """What ``ldconfig -p`` prints (the linker cache), or nothing if it cannot run."""
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return b""
    return done.stdout


def linker_cache_reader(listing: bytes) -> Callable[[str], str | None]:
    """``find_library`` answered from ``listing`` (``ldconfig -p``'s output) the way
    ``ctypes.util._findSoname_ldconfig`` answers it, without running ``ldconfig`` for
    every name."""
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _ABI_TYPES.get(os.uname().machine + bits, "libc6")

    def find(name: str) -> str | None:
        pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}")
        match = re.search(pattern, listing)
        return os.fsdecode(match.group(1)) if match else None

    return find


def load_weasyprint() -> ModuleType:
    """``import weasyprint``, with ``find_library`` reading the linker cache only; its
    PDF fonts then made without a copy of each whole font file
    (:func:`pipeline.handout.font_files.share_font_files`)."""
    loaded = sys.modules.get("weasyprint")
    if loaded is None:
        loaded = _import_weasyprint()
    share_font_files(importlib.import_module("weasyprint.pdf.fonts"))
    return loaded


def _import_weasyprint() -> ModuleType:
    with LOADING:  # one package loads at a time (see pipeline.lazy_imports)
        if not hasattr(ctypes.util, "_findSoname_ldconfig"):  # not glibc's: import as it is
            return importlib.import_module("weasyprint")
        original = ctypes.util.find_library
        reader = linker_cache_reader(read_linker_cache())
        ctypes.util.find_library = reader  # type: ignore[assignment]  # same signature
        try:
            return importlib.import_module("weasyprint")
        finally:
            ctypes.util.find_library = original
