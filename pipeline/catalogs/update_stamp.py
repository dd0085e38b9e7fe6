"""The record of the last ``carepack update``: an update whose inputs did not change is done.

An update reads the master texts, the configuration, the templates, every PO
file and glossary, and it runs GNU ``msgmerge``; it is idempotent, so when
every one of those is byte for byte what the last successful update left, it
would write nothing. The stamp (``.cache/carepack/update.json``) keeps a digest
of all of them taken after that update: the next one reads the files, compares
the digest, and stops there, costing little more than reading them. Anything
changed (a file edited, added or removed, another carepack or gettext, another
``--locale``, ``SOURCE_DATE_EPOCH``) makes a different digest and a full update.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..config import CONFIG_NAME, Config
from ..fsutil import atomic_write_text

STAMP_NAME = "update.json"
"""The stamp's file name in the project's cache directory."""
_CODE_SUFFIXES = frozenset({".py", ".toml", ".pls", ".html", ".css"})


def _code_digest() -> str:
    """The package's own code: a new carepack updates in full."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _tool(name: str) -> str:
    """Where a program is and which build of it (size and time, without running it)."""
    program = shutil.which(name)
    if program is None:
        return "-"
    info = Path(program).resolve().stat()
    return f"{program}:{info.st_size}:{info.st_mtime_ns}"


@dataclass(frozen=True)
class UpdateStamp:
    """The inputs of one update of a project, digested."""

    path: Path
    """The stamp file."""
    inputs: tuple[Path, ...]
    """Every file the update reads and writes: config, master texts, everything under
    ``locales/`` (templates, catalogs, glossaries)."""
    digest: str
    """SHA-256 of the inputs' names and bytes, the code, the tools and the options."""

    @classmethod
    def read_inputs(cls, config: Config, locales: list[str] | None) -> UpdateStamp:
        """Read every input of an update of ``locales`` (None: all) and digest it."""
        root = config.root
        files = [root / CONFIG_NAME, *sorted(config.source_dir.glob("*.md"))]
        files += config.memory.compendia  # translation memory from outside locales/
        files += sorted(
            p for p in config.locales_dir.rglob("*") if p.is_file() and p.suffix != ".tmp"
        )
        digest = hashlib.sha256()
        options = [_code_digest(), _tool("msgmerge"), _tool("msgfmt"), locales]
        options.append(os.environ.get("SOURCE_DATE_EPOCH", ""))
        digest.update(json.dumps(options).encode())
        for path in files:
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            data = path.read_bytes() if path.exists() else b""
            digest.update(f"\0{name}\0{len(data)}\0".encode())
            digest.update(data)
        return cls(config.cache_dir / STAMP_NAME, tuple(files), digest.hexdigest())

    def unchanged_since_last(self) -> list[Path] | None:
        """The files the last update wrote or left alone, if nothing changed since; else None."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("digest") != self.digest:
                return None
            return [Path(name) for name in saved["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, files: list[Path]) -> None:
        """Remember this state as the result of an update that dealt with ``files``."""
        data = {"digest": self.digest, "files": [str(path) for path in files]}
        atomic_write_text(self.path, json.dumps(data, indent=1) + "\n")
