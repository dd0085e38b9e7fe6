"""One exception root for carepack; each subclass carries its exit code.

The CLI maps :class:`CarepackError` to ``exit_code`` and prints ``str(error)``,
which always begins with the file (and line) where the problem is, so that an
editor or CI log can jump straight to it.
"""

from __future__ import annotations

from pathlib import Path


class CarepackError(Exception):
    """Root of every error a user can cause. ``exit_code`` is what the CLI returns."""

    exit_code: int = 1

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        locale: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: The file the problem is in, when there is one.
        self.path = Path(path) if path is not None else None
        #: 1-based line number in ``path``, when known.
        self.line = line
        #: The locale concerned, when the problem belongs to one language.
        self.locale = locale

    @property
    def where(self) -> str:
        """``file:line`` (or just ``file``) for the start of a message."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        parts = []
        if self.where:
            parts.append(self.where)
        if self.locale:
            parts.append(f"[{self.locale}]")
        prefix = " ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class ConfigError(CarepackError):
    """The project configuration (``carepack.toml``) is invalid."""

    exit_code = 2


class LocaleError(ConfigError):
    """A locale code is unknown or malformed (refused before any path is built)."""


class SourceError(CarepackError):
    """The master text in ``source/`` is malformed."""

    exit_code = 3


class PoFileError(CarepackError):
    """A PO file cannot be read. ``line`` is where the parser stopped."""

    exit_code = 4


class CheckError(CarepackError):
    """An error-level check failed (with ``--strict``, warnings too)."""

    exit_code = 5


class BuildError(CarepackError):
    """A stage failed, or one or more locales were withheld."""

    exit_code = 6


class SpeechError(BuildError):
    """Speech synthesis failed for one locale (bad voice, hang, empty audio)."""


class FontError(BuildError):
    """A character of a locale's text is in no installed handout font: no handout is made."""


class LockError(BuildError):
    """Another build holds the project lock."""

    exit_code = 7


class PackError(CarepackError):
    """A pack does not match its manifest (``carepack verify``)."""

    exit_code = 8


class TermbaseError(CarepackError):
    """A glossary (``locales/<lang>/glossary.tbx`` or ``.csv``) cannot be read."""

    exit_code = 9


class FileSystemError(CarepackError):
    """The operating system refused to read or write a file (read-only folder, full disk,
    permissions). Nothing was half-written; the message says what to do."""

    exit_code = 10


class ClusterError(CarepackError):
    """The Dask scheduler of a cluster build cannot be reached, has no workers, or was lost
    during the build (what the workers had finished is kept)."""

    exit_code = 11
