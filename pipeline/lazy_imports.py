"""The one lock under which the build loads its heavy packages on first use.

A build loads some large packages only when a thread first needs them: textstat and
NLTK (reading levels, on the languages' review threads) and WeasyPrint (on the
handout thread). Two threads importing at once wait for each other on Python's
per-module import locks wherever their packages share modules (NLTK and WeasyPrint
both import ``urllib.request`` and ``http.client``), and Python 3.11's deadlock
detection can take that for a cycle and hand one thread a module still being
imported: its import then fails with "cannot import name … from partially
initialized module" (seen once, in a cold build, in ``nltk/__init__.py``). These
loads take :data:`LOADING`, so they happen one at a time. Code holding it only
imports: a module's own import never waits for it.
"""

from __future__ import annotations

import threading

LOADING = threading.RLock()
"""Held while a heavy package loads (re-entrant: one load may start another)."""
