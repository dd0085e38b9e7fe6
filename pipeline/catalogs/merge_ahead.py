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
very ``msgmerge`` run, on the very bytes, that the update would have made. Where a
file did change (the extract wrote a template anew: the master text was edited), the
update asks for those merges again (:meth:`MergesAhead.refresh`) and they run ahead
once more while it works on the locales before them; a merge not started yet when the
update comes to it, it runs itself (:func:`~pipeline.catalogs.merge.update_po`).

Each spare core runs its share of the merges one after another in one POSIX shell
(a *batch*), not from a Python thread: a thread would need the interpreter's lock
to start each ``msgmerge``, and the update holds it while it loads (the merges then
waited some 10 ms each between runs). The shell claims each merge before it runs it
(it creates ``<number>.claim`` with ``O_EXCL``, which only one process can do; ``true``,
not ``:``, which as a special built-in would end the shell on a refused claim) and
reports it done on a line of its own, which the update reads when it wants that merge;
the update claims a merge the same way to run it itself or to cancel it, so exactly
one of them runs it. No thread of the update's is involved.
"""

from __future__ import annotations

import itertools
import os
import shlex
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import PoFileError
from ..fsutil import FileState, file_state
from ..locales import locale_dir
from .msgmerge import (
    MSGMERGE_ENV,
    MSGMERGE_OPTIONS,
    MergeResult,
    msgmerge_program,
    run_msgmerge,
)
from .ui import DOMAIN as UI_DOMAIN

_BATCH = """
set -C
folder=$1 program=$2
shift 2
while [ "$#" -ge 3 ]; do
    number=$1 old=$2 template=$3
    shift 3
    if { true >"$folder/$number.claim"; } 2>/dev/null; then
        "$program" OPTIONS --output-file "$folder/$number.po" \\
            "$old" "$template" 2>"$folder/$number.err"
        echo "$number $?"
    fi
done
""".replace("OPTIONS", shlex.join(MSGMERGE_OPTIONS))
"""One batch: ``sh -c _BATCH sh FOLDER PROGRAM [NUMBER OLD TEMPLATE]...`` merges each
catalog it can claim into its template, as :func:`~pipeline.catalogs.msgmerge.
msgmerge_command` does, and writes ``NUMBER STATUS`` once each is done."""


MERGE_COST = 5.0
"""Milliseconds of CPU one ``msgmerge`` of a catalog of this size takes (a start of GNU
gettext's libraries and ICU, then the merge), as measured with ``perf stat``."""

RESULT_COST = 3.5
"""Milliseconds the update spends on one merged catalog after its merge (reading it with
polib, its layout, translation memory, the glossary's notes, writing it), as measured."""


@dataclass
class _Batch:
    process: subprocess.Popen[str]
    """The shell running the batch."""
    merges: dict[int, _Merge]
    """Its merges, by number."""


@dataclass
class _Merge:
    number: int
    """Its place among the update's merges: the name of its files in the scratch folder."""
    old: Path
    """The catalog merged."""
    template: Path
    """The template it is merged into."""
    states: tuple[FileState | None, FileState | None]
    """The two files' states before any merge started (None: the file was missing)."""
    batch: _Batch | None = None
    """The batch it was given to (None: none, the update runs it)."""
    taken: bool = False
    """Whether the update asked for it (it then takes it, or runs its own)."""
    result: MergeResult | None = None
    """What the batch's ``msgmerge`` gave (None: not run, or no answer)."""
    done: bool = False
    """Whether the batch has reported it, or ended."""


class MergesAhead:
    """The merges of an update started before its templates are made again.

    ``pairs``: (catalog, template) files to merge, in the order the update will want
    them; ``workers``: how many batches run them side by side, each a share of the
    pairs in turn (0: none is started, every :meth:`take` answers None).
    """

    def __init__(self, pairs: list[tuple[Path, Path]], workers: int) -> None:
        self._scratch = tempfile.TemporaryDirectory(prefix="carepack-merge-ahead-")
        self._folder = Path(self._scratch.name)
        self._workers = workers
        self._numbers = itertools.count()
        self._lock = threading.Lock()
        self._merges: dict[tuple[Path, Path], _Merge] = {}
        self._batches: list[_Batch] = []
        self._run(pairs)

    @classmethod
    def start(
        cls, config: Config, locales: list[str] | None, workers: int | None = None
    ) -> MergesAhead:
        """Start merging every catalog of ``locales`` (None: all) that has a template on
        disk into it, locale by locale as the update goes (each document's, then the
        interface's); ``workers``: by default one fewer than the machine has cores."""
        if workers is None:
            workers = (os.cpu_count() or 1) - 1
        templates = sorted(config.locales_dir.glob("*.pot"), key=lambda p: (p.stem == UI_DOMAIN, p))
        pairs = [
            (catalog, template)
            for code in locales or config.locales
            for template in templates
            if (catalog := locale_dir(config.locales_dir, code) / f"{template.stem}.po").is_file()
        ]
        return cls(pairs, workers)

    def _run(self, pairs: list[tuple[Path, Path]]) -> None:
        """Note the state of each pair's files, then start merging them (replacing any
        earlier merge of the same pair)."""
        merges = []
        for old, template in pairs:
            states = (file_state(old), file_state(template))
            merge = _Merge(next(self._numbers), old, template, states)
            merges.append(merge)
            self._merges[(old, template)] = merge
        if self._workers > 0 and merges:
            self._launch(merges)

    def refresh(self) -> int:
        """Start again, ahead, every merge the update has not taken yet whose files
        changed since it started (a template the extract has just written anew, a
        catalog saved meanwhile); the earlier run is cancelled or left unused. How many."""
        stale = [m for m in self._merges.values() if not m.taken and not self._unchanged(m)]
        for merge in stale:
            self._claim(merge)
        self._run([(merge.old, merge.template) for merge in stale])
        return len(stale)

    def _launch(self, merges: list[_Merge]) -> None:
        """Start one batch a worker, each with every so many of ``merges`` in turn (none
        when msgmerge is missing or no shell starts: the update runs its own and says why)."""
        try:
            program = msgmerge_program()
        except PoFileError:
            return
        workers = self._workers
        for share in (merges[n::workers] for n in range(min(workers, len(merges)))):
            arguments = [str(part) for m in share for part in (m.number, m.old, m.template)]
            try:
                process = subprocess.Popen(
                    ["/bin/sh", "-c", _BATCH, "sh", str(self._folder), program, *arguments],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=MSGMERGE_ENV,
                    text=True,
                )
            except OSError:
                continue  # those merges are never answered: the update runs them
            batch = _Batch(process, {merge.number: merge for merge in share})
            for merge in share:
                merge.batch = batch
            self._batches.append(batch)

    def _wait(self, merge: _Merge) -> None:
        """Read what ``merge``'s batch reports until it has reported ``merge`` (or ended)."""
        with self._lock:
            batch = merge.batch
            while not merge.done and batch is not None:
                assert batch.process.stdout is not None
                try:
                    line = batch.process.stdout.readline()
                    number, _, status = line.partition(" ")
                    reported = batch.merges[int(number)] if line else None
                except (OSError, ValueError, KeyError):
                    reported = None  # an answer that cannot be read: as if the batch ended
                if reported is None:
                    for each in batch.merges.values():
                        each.done = True
                    break
                stderr = self._folder / f"{reported.number}.err"
                reported.result = MergeResult(
                    int(status),
                    stderr.read_text(encoding="utf-8", errors="replace"),
                    self._folder / f"{reported.number}.po",
                )
                reported.done = True

    def _claim(self, merge: _Merge) -> bool:
        """Claim ``merge`` for the update (True), unless a batch claimed it first."""
        try:
            claim = self._folder / f"{merge.number}.claim"
            os.close(os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        except OSError:
            return True  # no claim can be made: the update runs its own, to be safe
        return True

    def _run_last_unclaimed(self, waiting: _Merge) -> None:
        """Run here the last merge that no batch has started yet, as its batch would have,
        when the batches are behind: the update would otherwise only wait for ``waiting``,
        and a batch comes to its last merge last.

        Behind means that the merges not started yet would take the batches longer than
        the update needs for the results it has still to take, plus the merge it would
        run. On an idle machine the batch keeps ahead, and an update that ran a merge
        whenever it waited only lost time, as it has every result to take in turn (146
        against 131 ms, medians of 21); a batch left a merge by a slow start, or by a
        machine busy with something else, is helped (with a busy loop on one of the two
        cores: 188 ms, 192 never running one, 175 running one whenever it waited).
        """
        untaken = [m for m in self._merges.values() if not m.taken or m is waiting]
        unstarted = [
            m
            for m in untaken
            if m is not waiting
            and not m.done
            and m.batch is not None
            and not (self._folder / f"{m.number}.claim").exists()
        ]
        if len(unstarted) * MERGE_COST <= len(untaken) * RESULT_COST + MERGE_COST:
            return
        for merge in sorted(unstarted, key=lambda m: m.number, reverse=True):
            if not self._unchanged(merge):
                continue  # the update will merge it again itself
            if self._claim(merge):
                output = self._folder / f"{merge.number}.po"
                try:
                    merge.result = run_msgmerge(merge.old, merge.template, output)
                except (OSError, PoFileError):
                    merge.result = None  # the update runs its own when it comes to it
                merge.done = True
                return

    def _unchanged(self, merge: _Merge) -> bool:
        now = (file_state(merge.old), file_state(merge.template))
        return None not in merge.states and merge.states == now

    def take(self, old: Path, template: Path) -> MergeResult | None:
        """The merge of ``old`` into ``template`` started ahead, if it was and neither
        file changed since (it waits for a merge still running); else None, and the
        merge will not be started ahead any more."""
        merge = self._merges.get((old, template))
        if merge is None or not self._batches:
            return None
        merge.taken = True
        if not self._unchanged(merge):
            self._claim(merge)  # a batch that has not come to it yet skips it
            return None
        if self._claim(merge):  # not started yet: the update runs it now, itself
            return None
        if not merge.done:  # running in its batch: meanwhile, one from the end here
            self._run_last_unclaimed(merge)
        self._wait(merge)
        if merge.result is None or not self._unchanged(merge):
            return None
        return merge.result

    def close(self) -> None:
        """Start no more merges, wait for those running, and remove their files."""
        for merge in self._merges.values():
            self._claim(merge)
        for batch in self._batches:
            batch.process.wait()
            if batch.process.stdout is not None:
                batch.process.stdout.close()
        self._scratch.cleanup()

    def __enter__(self) -> MergesAhead:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
