"""When something need not be made again: the one up-to-date rule of every output and cache.

Two kinds of record, both kept under the project's cache folder, never in ``output/``:

- a **stamp** (:func:`fresh`, :func:`record`) says that some files were made from inputs
  whose key is ``key``. They are up to date while the key is the same *and* every file
  still has the size and modification time it had when it was written, so that a file
  deleted or edited by hand is made again rather than trusted. The build stamps each
  locale's outputs; the audio stamps its folder of tracks.
- a **memo** (:func:`remembered`) is a value computed from inputs whose key is ``key``,
  kept in a file named by that key (the reading-level report, say): there are no output
  files to compare, only the key.

A key is a SHA-256 over JSON (:func:`content_key`), or over files' bytes
(:func:`files_key`), always with :func:`code_fingerprint`, so a new carepack
makes everything again. A damaged or unreadable record only means "make it again".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..errors import FileSystemError
from ..fsutil import atomic_write

T = TypeVar("T")

_CODE_SUFFIXES = {".py", ".css", ".html", ".pls", ".toml", ".j2"}
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError)


def _code_files(root: Path) -> list[tuple[str, ...]]:
    """The package's code, template and data files, as parts of their paths under
    ``root``, in path order (bytecode folders are not walked)."""
    found: list[tuple[str, ...]] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        where = Path(folder).relative_to(root).parts
        found += [(*where, name) for name in names if os.path.splitext(name)[1] in _CODE_SUFFIXES]
    return sorted(found)


@cache
def code_fingerprint() -> str:
    """The package's own code, templates and data (a new carepack makes everything again)."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent.parent  # the whole pipeline package
    for parts in _code_files(root):
        digest.update("/".join(parts).encode())
        digest.update(root.joinpath(*parts).read_bytes())
    return digest.hexdigest()


def tool_identity(name: str) -> str:
    """Where a program is and which build of it (its size and time, without running it):
    part of the key of what it makes, so a new ``msgmerge`` or ``espeak-ng`` makes it again."""
    program = shutil.which(name)
    if program is None:
        return "-"
    info = Path(program).resolve().stat()
    return f"{program}:{info.st_size}:{info.st_mtime_ns}"


def content_key(*parts: Any) -> str:
    """SHA-256 over ``parts`` as JSON (lists, strings, numbers, ``None``) and the code."""
    blob = json.dumps([code_fingerprint(), *parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def files_key(paths: Iterable[Path], *parts: Any) -> str:
    """SHA-256 over the names and bytes of ``paths`` (a missing file counts as such),
    ``parts`` as JSON, and the code."""
    digest = hashlib.sha256(content_key(*parts).encode())
    for path in paths:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def _stats(files: Iterable[Path]) -> dict[str, tuple[int, int]]:
    result = {}
    for path in files:
        info = path.stat()
        result[str(path)] = (info.st_size, info.st_mtime_ns)
    return result


def fresh(stamp: Path, key: str) -> Any | None:
    """The value :func:`record` kept with ``key`` in ``stamp`` when the key is the same and
    every file recorded is unchanged since; otherwise ``None`` (make the files again)."""
    return _unchanged(stamp, key)


def last_recorded(stamp: Path) -> Any | None:
    """The value :func:`record` last kept in ``stamp``, whatever its key, while every file
    recorded with it is unchanged since (the last good outputs, still on disk whole)."""
    return _unchanged(stamp, None)


def _unchanged(stamp: Path, key: str | None) -> Any | None:
    """The value kept in ``stamp`` (with ``key``, unless ``None``) while its files are
    unchanged; ``None`` when they are not, or the stamp is missing or unreadable."""
    try:
        saved = pickle.loads(stamp.read_bytes())  # our own record, written by record()
        if not isinstance(saved, dict) or (key is not None and saved.get("key") != key):
            return None
        if _stats(Path(name) for name in saved["files"]) != saved["files"]:
            return None
    except (*_UNREADABLE, KeyError, ValueError):
        return None
    return saved["value"]


def record(stamp: Path, key: str, files: Iterable[Path], value: Any) -> None:
    """Note that ``files`` (just written) were made from ``key``; keep ``value`` with them."""
    saved = {"key": key, "files": _stats(files), "value": value}
    atomic_write(stamp, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL), durable=False)


def is_remembered(folder: Path, key: str) -> bool:
    """Whether :func:`remembered` keeps a value under ``key`` in ``folder``."""
    return (folder / f"{key}.pickle").is_file()


def remembered(
    folder: Path,
    key: str,
    kind: type[T],
    compute: Callable[[], T],
    keep: Callable[[T], bool] | None = None,
) -> T:
    """The value kept under ``key`` in ``folder``, or ``compute()`` (then kept there,
    unless ``keep`` says not to). A memo that cannot be written only costs time: the
    value is returned all the same (a full disk is reported by the outputs it stops)."""
    path = folder / f"{key}.pickle"
    try:
        value = pickle.loads(path.read_bytes())  # our own memo, written below
        if isinstance(value, kind):
            return value
    except _UNREADABLE:
        pass
    value = compute()
    if keep is None or keep(value):
        with contextlib.suppress(FileSystemError):
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(path, data, durable=False)
    return value
