"""Glossaries read ahead: every language's glossary, read in a process of its own while
``carepack update`` loads.

An update notes on each catalog entry the glossary terms it uses, so it reads every
language's glossary; reading TBX loads lxml (some 8 ms) and the seven glossaries take
a few more, all on the one interpreter that is also loading the Markdown reader and
extracting the templates, while the machine's other core runs the merges started ahead
(:mod:`pipeline.catalogs.merge_ahead`). So the update forks a process that reads them
and sends them back, pickled, through a pipe, and asks for them only once a language's
catalogs are merged.

A language's glossary is taken from that process only when none of its files changed
since the process looked at them (the merges' test: :func:`~pipeline.fsutil.file_state`,
taken before each file was read); otherwise, or when no process could be forked (another
thread running: a fork copies only the thread that calls it), or when it ended without
an answer, the update reads the glossary itself, as it always did. What the update
reports is the same either way: the errors come back with the terms, and a glossary
that cannot be read is reported by whichever process read it.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CarepackError, TermbaseError
from ..fsutil import FileState, file_state
from ..locales import parse_locale
from .glossary import GLOSSARY_NAMES, Glossary, load_glossary

if TYPE_CHECKING:
    from ..config import Config

Loaded = tuple[Glossary, list[TermbaseError]]
"""A language's glossary and the errors of the files that could not be read
(:func:`~pipeline.termbase.glossary.load_glossary`)."""

_Answer = dict[str, tuple[tuple[FileState | None, ...], Loaded]]
"""What the reading process sends: for each language, the state of its glossary files
before they were read, and what was read."""


def _states(locale_root: Path, code: str) -> tuple[FileState | None, ...]:
    """The state of each of ``code``'s glossary files (None: none there)."""
    return tuple(file_state(locale_root / code / name) for name in GLOSSARY_NAMES)


def read_glossaries(
    locale_root: Path, codes: list[str], source_language: str, shown: Path
) -> _Answer:
    """Every glossary of ``codes``, by locale code, each with the state its files were
    read in (a code that names no language is left to the update, which reports it)."""
    answer: _Answer = {}
    for given in codes:
        try:
            code = parse_locale(given).code
        except CarepackError:
            continue
        states = _states(locale_root, code)
        answer[code] = (states, load_glossary(locale_root, code, source_language, shown))
    return answer


class GlossariesAhead:
    """The glossaries of an update's languages, being read in a forked process.

    ``locale_root``, ``codes``, ``source_language``, ``shown``: as for
    :func:`~pipeline.termbase.glossary.load_glossary`, for each language of ``codes``.
    """

    def __init__(
        self, locale_root: Path, codes: list[str], source_language: str, shown: Path
    ) -> None:
        self._root = locale_root
        self._lock = threading.Lock()
        self._answer: _Answer | None = None
        self._reader: int | None = None
        self._pid: int | None = None
        if threading.active_count() > 1 or not hasattr(os, "fork"):
            return  # read in this process, each when it is wanted
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the reading process: answer, and end without running exit handlers
            os.close(reader)
            _answer(writer, locale_root, codes, source_language, shown)
        os.close(writer)
        self._reader, self._pid = reader, pid

    @classmethod
    def start(cls, config: Config, locales: list[str] | None) -> GlossariesAhead:
        """Start reading the glossaries of ``locales`` (None: all) of the project of
        ``config``, as :meth:`~pipeline.project.Project.glossary` reads each."""
        codes = list(locales or config.locales)
        return cls(config.locales_dir, codes, config.source_language, config.root)

    def take(self, code: str) -> Loaded | None:
        """The glossary of ``code`` as read ahead, if none of its files changed since (it
        waits for the reading process); None when the update is to read it itself."""
        with self._lock:
            if self._reader is not None:
                self._answer = _receive(self._reader)
                self._reader = None
                self._reap()
            answer = self._answer
        found = answer.get(code) if answer is not None else None
        if found is None or found[0] != _states(self._root, code):
            return None
        return found[1]

    def close(self) -> None:
        """End the reading process if its answer was not taken (it only reads), and reap it."""
        with self._lock:
            if self._reader is not None:
                os.close(self._reader)
                self._reader = None
                if self._pid is not None:
                    os.kill(self._pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> GlossariesAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _answer(
    writer: int, locale_root: Path, codes: list[str], source_language: str, shown: Path
) -> None:
    """In the forked process: read the glossaries, send them and end (status 0 once sent).

    Nothing it does may reach the update's own streams or exit handlers: whatever goes
    wrong ends the process without an answer, and the update reads the glossaries itself.
    """
    status = 1
    gc.disable()  # (short-lived: a collection would only walk, and copy, the update's pages)
    try:
        data = pickle.dumps(read_glossaries(locale_root, codes, source_language, shown))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _receive(reader: int) -> _Answer | None:
    """Everything the reading process sent (None when it sent nothing whole)."""
    try:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        answer = pickle.loads(data) if data else None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return answer if isinstance(answer, dict) else None
