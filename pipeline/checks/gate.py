"""The disclaimer gate: whether a locale's translation of a document may be published.

A locale is published only when every disclaimer entry of the document is translated,
not fuzzy and free of error-level findings, when no other entry of the locale has an
error-level finding either (a broken number or placeholder anywhere withholds it), and
when the document's entries reach the completeness threshold (percent translated and not
fuzzy; 100 by default, like po4a's ``--keep``). Otherwise the locale is withheld and
every reason is a :class:`~pipeline.checks.findings.Finding` naming the file and line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from ..catalogs.catalog import context_for, is_done
from ..catalogs.catalog import is_disclaimer_entry as is_disclaimer
from ..catalogs.ui import MESSAGES
from ..locales import LocaleInfo
from ..source.document import Document
from .finding import Finding

PENDING_CHECKS = frozenset(
    {"incomplete", "disclaimer-missing", "disclaimer-fuzzy", "ui-incomplete"}
)
"""Reasons that mean "the translation is not done yet" (pending) rather than an error."""


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict on one locale of one document."""

    locale: LocaleInfo
    """The locale judged."""
    published: bool
    """Whether the locale may be built and published."""
    reasons: tuple[Finding, ...]
    """Why it is withheld (empty when published), in file order."""
    completeness: float
    """Percent of the document's entries that are translated and not fuzzy."""
    document: str = ""
    """The document's id."""

    @property
    def pending(self) -> bool:
        """Withheld only because the translation is not done yet (empty, fuzzy or missing
        entries, the disclaimer's included): no reason is an error in a translated entry."""
        return not self.published and all(r.check in PENDING_CHECKS for r in self.reasons)

    @property
    def summary(self) -> str:
        """One line: the locale, the verdict, the completeness."""
        verdict = "published" if self.published else "WITHHELD"
        name = f"{self.document} " if self.document else ""
        line = f"{name}[{self.locale.code}] {self.locale.english_name}: {verdict}, "
        line += f"{self.completeness:.1f}% translated"
        if self.reasons:
            count = len(self.reasons)
            line += f", {count} reason" + ("" if count == 1 else "s")
        return line

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "document": self.document,
            "locale": self.locale.code,
            "published": self.published,
            "completeness": round(self.completeness, 1),
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def _finding(
    locale: LocaleInfo,
    path: Path,
    key: tuple[str | None, str],
    entry: polib.POEntry | None,
    check: str,
    message: str,
) -> Finding:
    return Finding(
        locale=locale.code,
        path=path,
        line=entry.linenum if entry is not None else None,
        msgid=key[1],
        msgctxt=key[0],
        check=check,
        severity="error",
        message=message,
    )


def _status(entry: polib.POEntry | None) -> str:
    if entry is None:
        return "is not in the catalog (run carepack update)"
    return "is fuzzy" if "fuzzy" in entry.flags else "is not translated"


def ui_findings(locale: LocaleInfo, po: polib.POFile, po_path: Path) -> list[Finding]:
    """Every interface string of the current template that ``po`` lacks or has fuzzy.

    Each is an error: the page, audio or pack would show the English text (a section
    label, a heading of the page's parts, the disclaimer's label) to a reader of
    ``locale``; a warning would let that page be published. Like an untranslated entry
    of the document, it means the translation is not done yet (:data:`PENDING_CHECKS`):
    the locale's last published version, if any, stays up.
    """
    entries: dict[tuple[str | None, str], polib.POEntry] = {
        (e.msgctxt, e.msgid): e for e in po if not e.obsolete
    }
    findings = []
    for message in MESSAGES:
        key: tuple[str | None, str] = (message.context, message.msgid)
        entry = entries.get(key)
        if entry is not None and is_done(entry):
            continue
        finding = _finding(locale, po_path, key, entry, "ui-incomplete", "")
        text = (
            f"interface string {_status(entry)}: readers of {locale.english_name} would "
            f"see it in English (shown in: {message.comment.split(':')[0]})"
        )
        findings.append(dataclasses.replace(finding, message=text))
    return findings


def gate(
    document: Document,
    locale: LocaleInfo,
    po: polib.POFile,
    po_path: Path,
    threshold: float,
    findings: Sequence[Finding],
) -> GateResult:
    """Decide whether ``locale`` of ``document`` is published.

    ``po`` is the locale's catalog of the document (read from ``po_path``, which is how
    the file is named in the reasons); ``findings`` are the entry checks' findings (those
    of other locales are ignored; every error-level one of this locale, in any of its
    catalogs, withholds it); ``threshold`` is the completeness required, in percent.
    """
    entries: dict[tuple[str | None, str], polib.POEntry] = {
        (e.msgctxt, e.msgid): e for e in po if not e.obsolete
    }
    keys: dict[tuple[str | None, str], bool] = {}
    for block in document.blocks:
        key = (context_for(block), block.text)
        keys[key] = keys.get(key, False) or block.role.is_disclaimer
    reasons: list[Finding] = []
    pending: list[tuple[tuple[str | None, str], polib.POEntry | None]] = []
    done = 0
    for key, in_disclaimer in keys.items():
        entry = entries.get(key)
        if entry is not None and is_done(entry):
            done += 1
            continue
        if in_disclaimer or (entry is not None and is_disclaimer(entry)):
            fuzzy = entry is not None and "fuzzy" in entry.flags
            check = "disclaimer-fuzzy" if fuzzy else "disclaimer-missing"
            message = f"disclaimer entry {_status(entry)}"
            reasons.append(_finding(locale, po_path, key, entry, check, message))
        else:
            pending.append((key, entry))
    completeness = 100.0 * done / len(keys) if keys else 100.0
    if completeness < threshold:
        for key, entry in pending:
            message = (
                f"entry {_status(entry)}: {completeness:.1f}% of the document is translated, "
                f"{threshold:g}% is required"
            )
            reasons.append(_finding(locale, po_path, key, entry, "incomplete", message))
    reasons += [f for f in findings if f.locale == locale.code and f.severity == "error"]
    unique: dict[tuple[str, int | None, str, str | None, str], Finding] = {}
    for reason in reasons:
        key5 = (reason.path.as_posix(), reason.line, reason.check, reason.msgctxt, reason.msgid)
        unique.setdefault(key5, reason)
    ordered = sorted(
        unique.values(), key=lambda f: (f.path.as_posix(), f.line or 0, f.check, f.message)
    )
    return GateResult(locale, not ordered, tuple(ordered), completeness, document.id)


def render_gate(results: Sequence[GateResult]) -> str:
    """The verdicts as text: one line per locale, then each reason of a withheld one."""
    lines = []
    for result in results:
        lines.append(result.summary)
        lines.extend(f"  {reason}" for reason in result.reasons)
    withheld = sorted({r.locale.code for r in results if not r.published})
    if withheld:
        lines.append(f"Withheld: {', '.join(withheld)}.")
    else:
        lines.append("Every locale passes the disclaimer gate.")
    return "\n".join(lines)


def gate_json(results: Sequence[GateResult]) -> dict[str, Any]:
    """The verdicts as JSON-ready data."""
    return {
        "withheld": sorted({r.locale.code for r in results if not r.published}),
        "results": [r.as_dict() for r in results],
    }
