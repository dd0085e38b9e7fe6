"""Entry checks over whole catalogs: findings, and their text and JSON forms.

:func:`check_catalog` runs every checker of :mod:`pipeline.checks.rules` on every live entry
of one PO file. Each :class:`Finding` names the locale, file, line, msgid and check.
Findings on disclaimer entries (see :func:`pipeline.catalogs.catalog.is_disclaimer_entry`) are
errors whatever the check: a disclaimer must be translated in full and exactly.
The disclaimer gate that decides publication is in :mod:`pipeline.checks.gate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polib

from ..catalogs.catalog import is_disclaimer_entry as is_disclaimer
from ..errors import LocaleError
from ..locales import LocaleInfo, parse_locale
from ..termbase.glossary import Term
from .finding import Finding, Severity
from .rules import CHECKERS, CheckContext, Issue, make_context, too_long

__all__ = [
    "CheckContext",
    "Finding",
    "Issue",
    "Severity",
    "check_catalog",
    "count_by_severity",
    "findings_json",
    "render_findings",
]


def finding_for(
    entry: polib.POEntry, issue: Issue, path: Path, locale: str, disclaimer: bool
) -> Finding:
    """The finding for ``issue`` in ``entry``; on a disclaimer entry, always an error."""
    severity, message = issue.severity, issue.message
    if disclaimer and severity != "error":
        severity, message = "error", f"{message} (disclaimer entry: an error here)"
    return Finding(
        locale=locale,
        path=path,
        line=entry.linenum,
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        check=issue.check,
        severity=severity,
        message=message,
    )


def check_entries(entries: Iterable[polib.POEntry], path: Path, ctx: CheckContext) -> list[Finding]:
    """Every checker on every live entry of ``entries``."""
    findings = []
    for entry in entries:
        if entry.obsolete:
            continue
        disclaimer = is_disclaimer(entry)
        for checker in CHECKERS:
            issues = list(checker(entry, ctx))
            for issue in issues:
                findings.append(finding_for(entry, issue, path, ctx.locale.code, disclaimer))
            if issues and checker is too_long:
                break  # the other checks are not run on a text that is refused anyway
    return findings


def check_catalog(
    po: polib.POFile,
    path: Path,
    locale: LocaleInfo,
    domain: str,
    source_language: str = "en",
    terms: tuple[Term, ...] = (),
) -> list[Finding]:
    """Run every entry check on one locale's catalog of ``domain``.

    ``path`` is the PO file as it should appear in messages (relative to the project,
    say); ``terms`` are the language's glossary terms. The findings come in file order.
    """
    return check_entries(po, path, make_context(locale, domain, source_language, terms))


def count_by_severity(findings: Iterable[Finding]) -> tuple[int, int]:
    """``(errors, warnings)``."""
    errors = warnings = 0
    for finding in findings:
        if finding.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _by_locale(findings: Iterable[Finding], locales: Sequence[str]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {code: [] for code in locales}
    for finding in findings:
        grouped.setdefault(finding.locale, []).append(finding)
    for items in grouped.values():
        items.sort(key=lambda f: (f.path.as_posix(), f.line or 0, f.severity != "error"))
    return grouped


def render_findings(findings: Sequence[Finding], locales: Sequence[str] = ()) -> str:
    """Findings as text, grouped by locale (each locale of ``locales`` is listed, even
    with nothing to report), errors and warnings counted."""
    grouped = _by_locale(findings, locales)
    if not grouped:
        return "Entry checks: no findings."
    lines = []
    for code, items in grouped.items():
        errors, warnings = count_by_severity(items)
        try:
            name = f"{code} ({parse_locale(code).english_name})"
        except LocaleError:  # a finding about a malformed locale code: show it as it is
            name = code
        status = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        lines.append(f"{name}: {status}" if items else f"{name}: no findings")
        lines.extend(f"  {finding}" for finding in items)
    errors, warnings = count_by_severity(findings)
    lines.append(f"Entry checks: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}.")
    return "\n".join(lines)


def findings_json(findings: Sequence[Finding], locales: Sequence[str] = ()) -> dict[str, Any]:
    """The findings as JSON-ready data, grouped by locale."""
    errors, warnings = count_by_severity(findings)
    return {
        "errors": errors,
        "warnings": warnings,
        "locales": {
            code: [finding.as_dict() for finding in items]
            for code, items in _by_locale(findings, locales).items()
        },
    }
