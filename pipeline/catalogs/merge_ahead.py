"""Merges started ahead: ``msgmerge`` of each catalog into its template as the files
stand, run on the spare cores while ``carepack update`` is still loading.

An update must load its Markdown reader and extract the templates again before it
can merge them into the locales' catalogs, and on a machine with more than one core
all the cores but one wait for that. Most of the time the template on disk is what
the extract gives again (the master text did not change since the last update), so
each catalog's merge into the template as it stands is started at once, on one core
fewer than there are. The update then takes a merge started ahead only when neither
file changed since the merge started (same inode, size, modification and change
times: the extract leaves a template it would write again untouched): it is then the
very ``msgmerge`` run, on the very bytes, that the update would have made. Otherwise,
and for a merge not started yet, the update runs its own (:func:`~pipeline.catalogs.
merge.update_po`); a merge it no longer wants is only some CPU time on a core that
was idle.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..errors import PoFileError
from ..fsutil import FileState, file_state
from ..locales import locale_dir
from .msgmerge import MergeResult, run_msgmerge
from .ui import DOMAIN as UI_DOMAIN


@dataclass
class _Merge:
    old: Path
    template: Path
    output: Path
    started: bool = False
    claimed: bool = False
    states: tuple[FileState | None, FileState | None] = (None, None)
    result: MergeResult | None = None
    done: threading.Event = field(default_factory=threading.Event)


class MergesAhead:
    """The merges of an update started before its templates are made again.

    ``pairs``: (catalog, template) files to merge, in the order the update will want
    them; ``workers``: how many run at a time (0: none is started, every
    :meth:`take` answers None).
    """

    def __init__(self, pairs: list[tuple[Path, Path]], workers: int) -> None:
        self._lock = threading.Lock()
        self._closed = False
        self._scratch = tempfile.TemporaryDirectory(prefix="carepack-merge-ahead-")
        folder = Path(self._scratch.name)
        self._merges = {
            (old, template): _Merge(old, template, folder / f"{number}.po")
            for number, (old, template) in enumerate(pairs)
        }
        self._queue = list(self._merges.values())
        self._threads = [
            threading.Thread(target=self._work, name=f"merge-ahead-{n}", daemon=True)
            for n in range(min(workers, len(pairs)))
        ]
        for thread in self._threads:
            thread.start()

    @classmethod
    def start(
        cls, config: Config, locales: list[str] | None, workers: int | None = None
    ) -> MergesAhead:
        """Start merging every catalog of ``locales`` (None: all) that has a template on
        disk into it; ``workers``: by default one fewer than the machine has cores."""
        if workers is None:
            workers = (os.cpu_count() or 1) - 1
        # The interface's template first: it changes only with carepack, where an edit of
        # a master text changes its document's template and that merge is not taken.
        templates = sorted(config.locales_dir.glob("*.pot"), key=lambda p: (p.stem != UI_DOMAIN, p))
        pairs = [
            (catalog, template)
            for template in templates
            for code in locales or config.locales
            if (catalog := locale_dir(config.locales_dir, code) / f"{template.stem}.po").is_file()
        ]
        return cls(pairs, workers)

    def _next(self) -> _Merge | None:
        with self._lock:
            while self._queue and not self._closed:
                merge = self._queue.pop(0)
                if not merge.claimed:
                    merge.started = True
                    return merge
            return None

    def _work(self) -> None:
        while (merge := self._next()) is not None:
            try:
                merge.states = (file_state(merge.old), file_state(merge.template))
                merge.result = run_msgmerge(merge.old, merge.template, merge.output)
            except (OSError, subprocess.SubprocessError, ValueError, PoFileError):
                pass  # no result: the update runs its own, and reports what fails
            finally:
                merge.done.set()

    def take(self, old: Path, template: Path) -> MergeResult | None:
        """The merge of ``old`` into ``template`` started ahead, if it was and neither
        file changed since (it waits for a merge still running); else None, and the
        merge will not be started ahead any more."""
        merge = self._merges.get((old, template))
        if merge is None:
            return None
        with self._lock:
            merge.claimed = True
            if not merge.started:
                return None
        merge.done.wait()
        now = (file_state(old), file_state(template))
        if merge.result is None or None in merge.states or merge.states != now:
            return None
        return merge.result

    def close(self) -> None:
        """Start no more merges, wait for those running, and remove their files."""
        with self._lock:
            self._closed = True
        for thread in self._threads:
            thread.join()
        self._scratch.cleanup()

    def __enter__(self) -> MergesAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
