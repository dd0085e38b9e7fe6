"""GNU ``msgmerge`` as carepack runs it: the command and its environment.

Apart from :mod:`pipeline.catalogs.merge` so that :mod:`pipeline.catalogs.merge_ahead`
can start merges before the catalog model and its writer are loaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import PoFileError

MSGMERGE_ENV = {
    "LC_ALL": "C.UTF-8",
    "LANGUAGE": "",
    "PATH": os.environ.get("PATH", ""),
    # msgmerge's fuzzy search is an OpenMP loop: with more than one thread, libgomp's
    # workers spin while they wait (12 ms of CPU for a 4 ms merge of one of our catalogs),
    # and the locales already merge side by side. One thread: the same output.
    "OMP_NUM_THREADS": "1",
}
"""msgmerge's environment: messages in English, one OpenMP thread."""


MSGMERGE_OPTIONS = ("--quiet", "--previous")
"""How carepack runs msgmerge: no progress dots; each fuzzy entry keeps the msgid it
was translated from (``#| msgid``), for the translator."""


def msgmerge_program() -> str:
    """Where ``msgmerge`` is (raise :class:`PoFileError` when GNU gettext is not installed)."""
    program = shutil.which("msgmerge")
    if program is None:
        raise PoFileError("GNU gettext's msgmerge is not installed (apt-get install gettext)")
    return program


def msgmerge_command(old: Path, template: Path, output: Path) -> list[str]:
    """``msgmerge --previous`` of ``old`` into ``template``, written to ``output``
    (raise :class:`PoFileError` when GNU gettext is not installed)."""
    program = msgmerge_program()
    return [program, *MSGMERGE_OPTIONS, "--output-file", str(output), str(old), str(template)]


@dataclass(frozen=True)
class MergeResult:
    """What one ``msgmerge`` run gave."""

    returncode: int
    """msgmerge's exit status (0: merged)."""
    stderr: str
    """What it wrote to standard error (its message when it refused the catalog)."""
    output: Path
    """The merged catalog it wrote."""


def run_msgmerge(old: Path, template: Path, output: Path) -> MergeResult:
    """Run ``msgmerge --previous`` of ``old`` into ``template``, written to ``output``."""
    done = subprocess.run(
        msgmerge_command(old, template, output),
        capture_output=True,
        text=True,
        env=MSGMERGE_ENV,
        check=False,
    )
    return MergeResult(done.returncode, done.stderr, output)
