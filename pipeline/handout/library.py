"""Importing WeasyPrint without running the C compiler sixteen times.

WeasyPrint loads Pango, HarfBuzz, fontconfig and GObject through cffi, trying several
names for each (those of Windows and macOS first: ``libgobject-2.0-0``, then
``gobject-2.0-0``, then ``gobject-2.0``). cffi hands every name that is not a file to
``ctypes.util.find_library``, which on Linux asks the linker cache (``ldconfig -p``)
and, when the cache does not have the name, runs ``gcc`` and then ``ld`` to look for
it: sixteen compiler and linker runs per import, about 0.15 s of CPU and of wall
time, to learn that a Windows name is not there. While WeasyPrint is imported,
:func:`load_weasyprint` has ``find_library`` answer from the linker cache alone,
which is where Debian's libraries are; a name the cache does not have is not found,
so WeasyPrint goes on to its next name, as it did.
"""

from __future__ import annotations

import ctypes.util
import importlib
import sys
import threading
from collections.abc import Callable
from types import ModuleType

_LOADING = threading.Lock()


def load_weasyprint() -> ModuleType:
    """``import weasyprint``, with ``find_library`` reading the linker cache only."""
    loaded = sys.modules.get("weasyprint")
    if loaded is not None:
        return loaded
    linker_cache: Callable[[str], str | None] | None = getattr(
        ctypes.util, "_findSoname_ldconfig", None
    )
    with _LOADING:
        if linker_cache is None:  # another Python's ctypes: import as it is
            return importlib.import_module("weasyprint")
        original = ctypes.util.find_library
        ctypes.util.find_library = linker_cache  # type: ignore[assignment]  # same signature
        try:
            return importlib.import_module("weasyprint")
        finally:
            ctypes.util.find_library = original
