"""The one finding type: severity, file, line, locale, check name and message.

Entry checks, the disclaimer gate, the speech lint, the reading level and the page all
report a :class:`Finding`; ``carepack check`` prints and counts them all the same way.
This module imports nothing of carepack, so that every stage can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]
"""``error`` withholds the locale; ``warning`` is reported (an error with ``--strict``)."""

_SHOWN_MSGID = 60
#: Checks whose findings are about a whole file, not one entry (they name no msgid).
FILE_CHECKS = frozenset({"glossary"})


@dataclass(frozen=True)
class Finding:
    """One problem found in one locale: by an entry check, the disclaimer gate, the
    speech lint, the reading level or the page. Every checker reports this one type."""

    locale: str
    """The locale code (``zh_Hans``)."""
    path: Path
    """The file to fix: the PO file, the master text, ``carepack.toml``, a lexicon."""
    line: int | None
    """The line in that file (an entry's: polib's ``linenum``); ``None`` when there is
    none (an entry not in the file at all: the catalog needs ``carepack update``)."""
    msgid: str
    """The entry's source text (``""`` for a finding about a whole file)."""
    msgctxt: str | None
    """The entry's context, when it has one."""
    check: str
    """The check's name: ``numbers``, ``links``, ``disclaimer-missing``, ..."""
    severity: Severity
    """``error`` (withholds the locale) or ``warning``."""
    message: str
    """What is wrong."""
    block: str | None = None
    """The master text's block the finding is in (``intro.p2``), when it is about one
    (the page names it so that the build can find its line in the locale's catalog)."""

    @property
    def where(self) -> str:
        """``file:line`` (or just ``file``)."""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    @property
    def short_msgid(self) -> str:
        """The msgid, cut to a readable length."""
        text = " ".join(self.msgid.split())
        return text if len(text) <= _SHOWN_MSGID else text[: _SHOWN_MSGID - 1] + "…"

    def __str__(self) -> str:
        entry = f"msgid {self.short_msgid!r}"
        if self.msgctxt is not None:
            entry = f"msgctxt {self.msgctxt!r}, {entry}"
        text = f"{self.where}: [{self.locale}] {self.severity}: {self.check}: {self.message}"
        return text if self.check in FILE_CHECKS else f"{text} ({entry})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "locale": self.locale,
            "file": self.path.as_posix(),
            "line": self.line,
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
        }
