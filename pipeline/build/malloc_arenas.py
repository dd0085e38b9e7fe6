"""Two malloc arenas for a build and the processes it starts, as glibc allows.

glibc's ``malloc`` gives a thread that finds the arenas in use an arena of its own, up
to eight a core. A build's threads (the locales' checks, the compiler, the speech queue,
the outputs' jobs) each allocate and free their share of every document, each in its
arena, and the holes left in each are kept: over 16 documents the build process grew
from 150 MiB to 195 (214 at its peaks) where its live Python objects grew by some
15 MiB. With two arenas the same build peaked at 172 MiB (the threads mostly take
turns at the interpreter anyway, so they seldom wait for an arena).

:func:`limit_malloc_arenas` sets ``M_ARENA_MAX`` for this process (through ``mallopt``,
before the build starts its threads) and ``MALLOC_ARENA_MAX`` for the processes it
starts (the speech workers' fork server reads it when it starts). A ``MALLOC_ARENA_MAX``
already set is the user's: glibc applied it at start-up, and it is left alone. Without
glibc (another C library), nothing is done.
"""

from __future__ import annotations

import ctypes
import os

ARENAS = 2
"""Arenas for the build and its processes (glibc's default is eight a core)."""
M_ARENA_MAX = -8
"""``mallopt``'s parameter number for the most arenas (glibc's ``malloc.h``)."""


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Limit this process and those it starts to ``arenas`` malloc arenas; whether this
    process's limit was set (``False``: a ``MALLOC_ARENA_MAX`` was already set, or the C
    library is not glibc)."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: it has no arenas to limit this way
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    if mallopt(M_ARENA_MAX, arenas) != 1:  # glibc returns 1 on success
        return False
    os.environ["MALLOC_ARENA_MAX"] = str(arenas)
    return True
