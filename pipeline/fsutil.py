"""Atomic, change-aware file writes: nothing on disk is ever half-written."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import FileSystemError

_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EROFS: "the file system is read-only: build into a writable copy of the project",
    errno.EACCES: "permission denied: check who owns the folder and its permissions",
    errno.EPERM: "permission denied: check who owns the folder and its permissions",
    errno.ENOTDIR: "a file stands where a folder is needed: move it away",
    errno.EISDIR: "a folder stands where a file is needed: move it away",
}


def system_error(error: OSError, path: Path | None = None) -> FileSystemError:
    """``error`` as a message with the path and what to do (never a traceback)."""
    where = Path(error.filename) if error.filename else path
    advice = _ADVICE.get(error.errno or 0)
    reason = error.strerror or str(error)
    return FileSystemError(f"{reason}; {advice}" if advice else reason, where)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns ``False`` (and leaves the file and its times alone) when the file
    already holds exactly ``data``, as Sphinx's builders do, so that make-like
    tools and ``git status`` see no change. ``durable``: the data reaches the disk
    (``fsync``) before the rename, so that not even a crash of the machine can leave
    the file empty: for what people write (catalogs, the publishing record). What a
    build makes again from them (``output/``, the caches) passes ``False``, as build
    tools do: a process that stops still never leaves a file half-written, and each
    ``fsync`` waited for the disk (some 240 of them in a cold build).
    """
    try:
        return _atomic_write(path, data, mode, durable)
    except OSError as error:
        raise system_error(error, path) from error


def _atomic_write(path: Path, data: bytes, mode: int, durable: bool) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> bool:
    """:func:`atomic_write` for UTF-8 text."""
    return atomic_write(path, text.encode("utf-8"), durable=durable)


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    import hashlib  # (OpenSSL loads here, not for every command that writes a file)

    return hashlib.sha256(data).hexdigest()


FileState = tuple[int, int, int, int]
"""A file's inode, size, modification and change times (``st_ctime_ns``: any write or
rename sets it, and no program can set it back): what tells a file that changed from one
that did not, without reading it."""


def file_state(path: Path) -> FileState | None:
    """The state of ``path`` now (None when it cannot be read)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
