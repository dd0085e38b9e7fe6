"""Plain-text and JSON renderings of catalog status (no logic of their own)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import CarepackError
from ..locales import parse_locale
from ..project import Project
from .status import CatalogStatus

if TYPE_CHECKING:
    from ..publishing.steps import LocaleState

_REVIEW_WORDS = {
    "draft": "draft translation, not yet reviewed",
    "reviewed": "reviewed",
}


def status_table(rows: dict[str, list[CatalogStatus]]) -> str:
    """A fixed-width table: one line per locale and domain."""
    header = (
        f"{'locale':<9} {'domain':<22} {'done':>5} {'fuzzy':>5} {'empty':>5} {'%':>6}  "
        f"{'memory':>6}  disclaimer  review"
    )
    lines = [header, "-" * len(header)]
    for code, statuses in rows.items():
        for status in statuses:
            disclaimer = (
                "n/a"
                if not status.disclaimer_total
                else ("complete" if status.disclaimer_complete else "INCOMPLETE")
            )
            lines.append(
                f"{code:<9} {status.domain:<22} {status.translated:>5} {status.fuzzy:>5} "
                f"{status.untranslated:>5} {status.percent:>5.1f}%  {status.from_memory:>6}  "
                f"{disclaimer:<10}  "
                f"{_REVIEW_WORDS.get(status.review, status.review)}"
                + (
                    f"  ({status.missing} not in the file: run carepack update)"
                    if status.missing
                    else ""
                )
            )
    return "\n".join(lines)


def publishing_table(states: Sequence[LocaleState]) -> str:
    """Per document and language: published, published-older, withdrawn, pending, withheld."""
    if not states:
        return ""
    width = max(len(s.document) for s in states)
    lines = ["Publishing (what `make` shows readers):"]
    for s in states:
        lines.append(f"{s.document:<{width}}  {s.locale:<9} {s.state.value:<16} {s.detail}")
    return "\n".join(lines)


def status_json(
    project: Project,
    rows: dict[str, list[CatalogStatus]],
    errors: list[CarepackError],
    states: Sequence[LocaleState] = (),
) -> dict[str, Any]:
    """The same figures as :func:`status_table`, as JSON-ready data."""
    locales = {}
    for code, statuses in rows.items():
        info = parse_locale(code)
        locales[code] = {
            "name": info.english_name,
            "native_name": info.native_name,
            "from_memory": sum(s.from_memory for s in statuses),
            "domains": {
                s.domain: {
                    "file": s.path.as_posix(),
                    "total": s.total,
                    "translated": s.translated,
                    "fuzzy": s.fuzzy,
                    "untranslated": s.untranslated,
                    "missing": s.missing,
                    "obsolete": s.obsolete,
                    "percent": round(s.percent, 1),
                    "from_memory": s.from_memory,
                    "disclaimer_entries": s.disclaimer_total,
                    "disclaimer_translated": s.disclaimer_translated,
                    "disclaimer_complete": s.disclaimer_complete,
                    "review": s.review,
                }
                for s in statuses
            },
        }
    return {
        "source_language": project.config.source_language,
        "locales": locales,
        "publishing": [
            {"document": s.document, "locale": s.locale, "state": s.state.value, "detail": s.detail}
            for s in states
        ],
        "errors": [
            {
                "file": str(e.path) if e.path else None,
                "line": e.line,
                "locale": e.locale,
                "message": e.message,
            }
            for e in errors
        ],
    }
