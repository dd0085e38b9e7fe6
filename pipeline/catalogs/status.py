"""How far a catalog is translated, counted against the current template.

The template (what the master text and the interface ask for today) is the one
truth: an entry the template has and the PO file lacks is untranslated, an entry
the file keeps but the template no longer has does not count. ``carepack status``,
``carepack check``, the gate and the build all count this way, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from .catalog import REVIEW_FIELD, REVIEW_STATES, is_disclaimer_entry, is_done
from .memory import from_memory

Key = tuple[str | None, str]


def entry_key(entry: polib.POEntry) -> Key:
    """What identifies an entry: its context and msgid (as in GNU gettext)."""
    return (entry.msgctxt, entry.msgid)


@dataclass(frozen=True)
class CatalogStatus:
    """Counts for one PO file, against its template."""

    domain: str
    """The gettext domain (document id or ``ui``)."""
    path: Path
    """The PO file."""
    total: int
    """Entries the current template asks for."""
    translated: int
    """Of those, translated (every plural form) and not fuzzy."""
    fuzzy: int
    """Of those, marked fuzzy."""
    untranslated: int
    """Of those, empty or not in the file at all."""
    missing: int
    """Of the untranslated, not in the file at all (``carepack update`` adds them)."""
    obsolete: int
    """Entries of the file that the template no longer has (``#~`` or stale)."""
    disclaimer_total: int
    """Disclaimer entries the template asks for (0 for ``ui``)."""
    disclaimer_translated: int
    """Of those, translated and not fuzzy."""
    review: str
    """The ``X-Review-Status`` header (``draft`` or ``reviewed``)."""
    from_memory: int = 0
    """Of the entries asked for, those filled from translation memory (and still marked
    so by their translator comment)."""

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def disclaimer_complete(self) -> bool:
        return self.disclaimer_translated == self.disclaimer_total

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def catalog_status(
    domain: str, path: Path, po: polib.POFile, template: polib.POFile
) -> CatalogStatus:
    """Translation counts for one catalog, against ``template``."""
    live = {entry_key(e): e for e in po if not e.obsolete}
    wanted = [entry_key(e) for e in template if not e.obsolete]
    entries = [live.get(key) for key in wanted]
    disclaimer = [
        live.get(entry_key(t)) for t in template if not t.obsolete and is_disclaimer_entry(t)
    ]
    done = sum(1 for e in entries if e is not None and is_done(e))
    fuzzy = sum(1 for e in entries if e is not None and "fuzzy" in e.flags)
    return CatalogStatus(
        domain=domain,
        path=path,
        total=len(wanted),
        translated=done,
        fuzzy=fuzzy,
        untranslated=len(wanted) - done - fuzzy,
        missing=sum(1 for e in entries if e is None),
        obsolete=len(po) - len(set(live) & set(wanted)),
        disclaimer_total=len(disclaimer),
        disclaimer_translated=sum(1 for e in disclaimer if e is not None and is_done(e)),
        review=po.metadata.get(REVIEW_FIELD, REVIEW_STATES[0]),
        from_memory=sum(1 for e in entries if e is not None and from_memory(e)),
    )
