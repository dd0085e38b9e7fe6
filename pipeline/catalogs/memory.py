"""Translation memory: empty entries filled from the project's other documents and from
compendia, after the merge.

A step of its own after GNU ``msgmerge`` (:mod:`pipeline.catalogs.merge`), as
``msgmerge --compendium`` would do it, with the rules a health service needs:

- an empty entry whose ``msgctxt`` and ``msgid`` are those of a translated, non-fuzzy
  entry of another document in the same language (or of a compendium) takes its
  translation, not fuzzy;
- a disclaimer entry filled that way stays fuzzy unless the catalog it comes from is
  ``reviewed`` (``X-Review-Status``): the disclaimer gate still decides;
- otherwise the closest entry at or above the similarity threshold (``[memory]
  similarity`` in ``carepack.toml``, 0.6 by default as GNU msgmerge's fuzzy search) fills
  it fuzzy, with ``#| msgid`` showing what was translated;
- every filled entry gets a translator comment naming where its translation came from
  (:data:`MEMORY_NOTE`), which ``carepack status`` counts; an entry that has any
  translation (a translator's, msgmerge's, or an earlier fill) is never touched, so a
  second update changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import polib

from .catalog import REVIEW_FIELD, is_disclaimer_entry

#: The start of the translator comment on an entry filled from memory.
MEMORY_NOTE = "Translation memory: "
#: Character n-grams that find the candidates of a close match (GNU msgmerge uses 4).
NGRAM = 4
#: How many candidates, those sharing the most n-grams, are compared in full.
SHORTLIST = 25


@dataclass(frozen=True)
class MemoryEntry:
    """A translated, non-fuzzy entry that can fill others."""

    msgctxt: str | None
    """Its context."""
    msgid: str
    """Its source text."""
    msgid_plural: str
    """Its plural source text (empty for none)."""
    msgstr: str
    """Its translation (no plural)."""
    msgstr_plural: tuple[tuple[int, str], ...]
    """Its plural translations, by form."""
    origin: str
    """Where it is: the catalog or compendium, as named in comments."""
    domain: str | None
    """The document it belongs to (``None`` for a compendium)."""
    reviewed: bool
    """Whether its catalog's review state is ``reviewed``."""


@dataclass
class TranslationMemory:
    """Every translated entry of one language, indexed for exact and close matches."""

    entries: list[MemoryEntry] = field(default_factory=list)
    """In the order they were added (project catalogs first, then compendia)."""
    _exact: dict[tuple[str | None, str], list[MemoryEntry]] = field(
        default_factory=dict, init=False, repr=False
    )
    _grams: dict[str, list[int]] | None = field(default=None, init=False, repr=False)
    _sizes: list[int] = field(default_factory=list, init=False, repr=False)

    def add(self, po: polib.POFile, origin: str, domain: str | None) -> None:
        """Remember the translated, non-fuzzy live entries of ``po``."""
        reviewed = po.metadata.get(REVIEW_FIELD, "") == "reviewed"
        for entry in po:
            if entry.obsolete or "fuzzy" in entry.flags or not _translated(entry):
                continue
            item = MemoryEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural or "",
                msgstr=entry.msgstr or "",
                msgstr_plural=tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
                origin=origin,
                domain=domain,
                reviewed=reviewed,
            )
            self.entries.append(item)
            self._grams = None
            self._exact.setdefault((item.msgctxt, item.msgid), []).append(item)

    def exact(self, entry: polib.POEntry, domain: str) -> MemoryEntry | None:
        """The best exact match of ``entry`` outside ``domain``: from a reviewed catalog
        first, then in the order the catalogs were added."""
        found = [
            m
            for m in self._exact.get((entry.msgctxt, entry.msgid), [])
            if m.domain != domain and m.msgid_plural == (entry.msgid_plural or "")
        ]
        return min(found, key=lambda m: not m.reviewed, default=None)

    def closest(
        self, entry: polib.POEntry, domain: str, threshold: float
    ) -> tuple[MemoryEntry, float] | None:
        """The most similar entry outside ``domain`` at or above ``threshold``.

        As GNU msgmerge's fuzzy search does, candidates are first found by the character
        n-grams they share with ``entry`` (:data:`SHORTLIST` of them, most shared first);
        only those are compared in full (:class:`difflib.SequenceMatcher`)."""
        import difflib  # (only an update with empty entries to fill compares any)

        plural = bool(entry.msgid_plural)
        best: tuple[MemoryEntry, float] | None = None
        floor = threshold
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(entry.msgid)
        for candidate in self._shortlist(entry.msgid, domain):
            if bool(candidate.msgid_plural) != plural:
                continue
            matcher.set_seq1(candidate.msgid)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            ratio = matcher.ratio()
            if ratio >= floor and (best is None or ratio > best[1]):
                best, floor = (candidate, ratio), ratio
        return best

    def _shortlist(self, text: str, domain: str) -> list[MemoryEntry]:
        """The entries outside ``domain`` that share the most n-grams with ``text``
        (relative to their lengths)."""
        if self._grams is None:
            self._grams = {}
            for number, item in enumerate(self.entries):
                for gram in _ngrams(item.msgid):
                    self._grams.setdefault(gram, []).append(number)
            self._sizes = [len(_ngrams(item.msgid)) for item in self.entries]
        common = len(self.entries) // 2 + 1
        mine = _ngrams(text)
        shared: Counter[int] = Counter()
        for gram in mine:
            holders = self._grams.get(gram, ())
            if len(holders) <= common or len(self.entries) < SHORTLIST:
                shared.update(holders)
        ranked = sorted(
            (n for n in shared if self.entries[n].domain != domain),
            key=lambda n: (-2 * shared[n] / (len(mine) + self._sizes[n]), n),
        )
        return [self.entries[n] for n in ranked[:SHORTLIST]]


def _ngrams(text: str) -> set[str]:
    folded = " ".join(text.casefold().split())
    return {folded[i : i + NGRAM] for i in range(max(1, len(folded) - NGRAM + 1))}


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def from_memory(entry: polib.POEntry) -> bool:
    """Whether ``entry`` was filled from translation memory (and still says so)."""
    return any(line.startswith(MEMORY_NOTE) for line in (entry.tcomment or "").split("\n"))


def _fill(entry: polib.POEntry, source: MemoryEntry, fuzzy: bool, note: str) -> None:
    if entry.msgid_plural:
        forms = dict(source.msgstr_plural)
        entry.msgstr_plural = {k: forms.get(int(k), "") for k in entry.msgstr_plural or forms}
    else:
        entry.msgstr = source.msgstr
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.tcomment = "\n".join(filter(None, [entry.tcomment, MEMORY_NOTE + note]))


def fill_from_memory(
    po: polib.POFile, memory: TranslationMemory, domain: str, threshold: float
) -> int:
    """Fill the empty live entries of ``po`` (the catalog of ``domain``) from ``memory``;
    return how many were filled. Entries with any translation are left alone."""
    filled = 0
    for entry in po:
        if entry.obsolete or _translated(entry):
            continue
        exact = memory.exact(entry, domain)
        if exact is not None:
            unreviewed = is_disclaimer_entry(entry) and not exact.reviewed
            note = f"exact match, from {exact.origin}"
            if unreviewed:
                note += " (a disclaimer entry from a catalog not reviewed: check it)"
            _fill(entry, exact, unreviewed, note)
            filled += 1
            continue
        close = memory.closest(entry, domain, threshold)
        if close is not None:
            source, ratio = close
            _fill(entry, source, True, f"{ratio:.0%} match, from {source.origin}")
            entry.previous_msgid = source.msgid
            entry.previous_msgid_plural = source.msgid_plural or None
            entry.previous_msgctxt = source.msgctxt if source.msgctxt != entry.msgctxt else None
            filled += 1
    return filled


def memory_of(catalogs: Iterable[tuple[str | None, str, polib.POFile]]) -> TranslationMemory:
    """A memory from ``(domain, origin, catalog)`` triples, in that order."""
    memory = TranslationMemory()
    for domain, origin, po in catalogs:
        memory.add(po, origin, domain)
    return memory
