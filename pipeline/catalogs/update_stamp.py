"""The record of the last ``carepack update``: an update whose inputs did not change is done.

An update reads the master texts, the configuration, the templates, every PO
file and glossary, and it runs GNU ``msgmerge``; it is idempotent, so when
every one of those is byte for byte what the last successful update left, it
would write nothing. This is :mod:`pipeline.build.freshness`'s up-to-date rule:
the key is a SHA-256 over all those files, the code, the gettext programs and
the options, and the stamp (``.cache/carepack/update.stamp``) records it with
the files the update dealt with (their sizes and times). The next update reads
the files, compares, and stops there, costing little more than reading them.
Anything changed (a file edited, added or removed, another carepack or gettext,
another ``--locale``, ``SOURCE_DATE_EPOCH``) makes a different key and a full
update.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME, Config

STAMP_NAME = "update.stamp"
"""The stamp's file name in the project's cache directory."""


@dataclass(frozen=True)
class UpdateStamp:
    """The inputs of one update of a project, digested."""

    path: Path
    """The stamp file."""
    inputs: tuple[Path, ...]
    """Every file the update reads and writes: config, master texts, everything under
    ``locales/`` (templates, catalogs, glossaries)."""
    key: str
    """SHA-256 of the inputs' names and bytes, the code, the tools and the options."""

    @classmethod
    def read_inputs(cls, config: Config, locales: list[str] | None) -> UpdateStamp:
        """Read every input of an update of ``locales`` (None: all) and digest it."""
        # (hashing and pickling load only here: the update starts its work ahead first)
        from ..build.freshness import files_key, tool_identity

        root = config.root
        files = [root / CONFIG_NAME, *sorted(config.source_dir.glob("*.md"))]
        files += config.memory.compendia  # translation memory from outside locales/
        files += sorted(
            p for p in config.locales_dir.rglob("*") if p.is_file() and p.suffix != ".tmp"
        )
        tools = [tool_identity("msgmerge"), tool_identity("msgfmt")]
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        key = files_key(files, "update", tools, locales, epoch)
        return cls(config.cache_dir / STAMP_NAME, tuple(files), key)

    @staticmethod
    def recorded(config: Config) -> bool:
        """Whether an earlier update left a stamp (if not, no update can be skipped)."""
        return (config.cache_dir / STAMP_NAME).is_file()

    def unchanged_since_last(self) -> list[Path] | None:
        """The files the last update wrote or left alone, if nothing changed since; else None."""
        from ..build.freshness import fresh

        saved = fresh(self.path, self.key)
        if not isinstance(saved, list) or not all(isinstance(name, str) for name in saved):
            return None
        return [Path(name) for name in saved]

    def save(self, files: list[Path]) -> None:
        """Remember this state as the result of an update that dealt with ``files``."""
        from ..build.freshness import record

        record(self.path, self.key, files, [str(path) for path in files])
