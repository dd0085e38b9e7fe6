"""A build with nothing to do: when no input changed since the last build that succeeded,
and its outputs are still as it left them, ``carepack build`` says so and stops.

This is :mod:`pipeline.build.freshness`'s up-to-date rule applied to the whole build: the
key is a SHA-256 over every file the build reads from the project (``carepack.toml``,
everything under ``source/`` and ``locales/``, the translation-memory compendia), the
code, the build's options (audio, strict) and the tools whose output it keeps
(``espeak-ng``, ``lame``, GNU gettext: where each is and which build, by size and time);
the stamp records every file under ``output/`` with its size and modification time.
Anything edited, added or removed on either side means a full build, which decides
locale by locale what to make again. Checking costs reading the inputs and one ``stat``
per output, and none of the build's own modules is loaded.

Only a build that succeeded with no error is recorded, and only when its inputs were the
same when it ended as when it began (a file edited during the build is not trusted).
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME, Config
from .freshness import files_key, fresh, record, tool_identity

STAMP_NAME = "build.stamp"
"""The stamp's file name in the project's cache folder."""
LOCK_NAME = "build.lock"
"""The build's lock in the cache folder (held while a build runs)."""
TOOLS = ("espeak-ng", "lame", "msgfmt", "msgmerge")
"""Programs whose new build may change the outputs."""


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted (temporaries of a write in progress left out)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".tmp"))


def _build_running(config: Config) -> bool:
    """Whether another build holds the project's lock now."""
    path = config.cache_dir / LOCK_NAME
    try:
        with path.open("rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build of a project reads, digested."""

    stamp: Path
    """The stamp file."""
    key: str
    """SHA-256 of the inputs' names and bytes, the code, the options and the tools."""

    @classmethod
    def read(cls, config: Config, audio: bool, strict: bool) -> BuildInputs:
        """Read every input of a build with these options and digest it."""
        files = [config.root / CONFIG_NAME, *config.memory.compendia]
        files += _files_under(config.source_dir) + _files_under(config.locales_dir)
        tools = [tool_identity(name) for name in TOOLS]
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        key = files_key(files, "build", audio, strict, tools, epoch)
        return cls(config.cache_dir / STAMP_NAME, key)

    def last_summary(self, config: Config) -> list[str] | None:
        """The summary lines of the last build, when nothing changed since; else ``None``."""
        if _build_running(config):
            return None  # the build itself reports that another one is running
        saved = fresh(self.stamp, self.key)
        if not isinstance(saved, list) or not all(isinstance(line, str) for line in saved):
            return None
        return saved

    def remember(self, config: Config, after: BuildInputs, summary: list[str]) -> None:
        """Record a successful build that began with these inputs and ended with ``after``
        (not recorded when they differ: an input changed while it ran)."""
        if after.key == self.key:
            record(self.stamp, self.key, _files_under(config.output_dir), summary)
        else:
            self.stamp.unlink(missing_ok=True)
