"""What every Jinja2 environment of carepack shares: its compiled templates are kept.

Jinja2 compiles a template to Python the first time it is loaded in a process: some
40 ms a build for the page, index, book and handout templates, on the interpreter
lock that the other outputs wait for (most of it in the last, serial part of a
one-entry rebuild). :func:`kept_templates` keeps the compiled code in Jinja2's own
bytecode cache (:class:`jinja2.FileSystemBytecodeCache`) in the user's cache folder
(``$XDG_CACHE_HOME/carepack/templates``, by default ``~/.cache/carepack/templates``,
as pip and others keep theirs), checked against each template's source: an edited
template, or another version of Jinja2 or Python, is compiled again. The cache only
saves time: a folder that cannot be made, read or written means compiling as
before, never an error.
"""

from __future__ import annotations

import contextlib
import os
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class _KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, whose failures only cost the time of compiling."""

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "carepack" / "templates"


@cache
def kept_templates(directory: str | None = None) -> jinja2.BytecodeCache | None:
    """The bytecode cache of the environments (``directory``: the user's, see above);
    ``None`` when the folder cannot be made (the templates are compiled each time)."""
    folder = Path(directory) if directory else _user_cache()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return _KeptTemplates(str(folder))
