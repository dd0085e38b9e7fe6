"""What ``carepack terms`` shows: how a language's catalogs use its glossary, and new
candidate terms proposed from the master texts (translate-toolkit's ``poterminology``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polib

from ..catalogs.catalog import is_done
from .glossary import CSV_COLUMNS, Glossary, Term
from .match import count_in, forbidden_used, source_pattern, uses_approved

#: ``poterminology``'s defaults, except that a term found in one file is kept (a project
#: may have one master text).
MIN_LOCATIONS = 1


@dataclass(frozen=True)
class TermUsage:
    """How the catalogs of one language use one glossary term."""

    term: Term
    """The glossary term."""
    occurrences: int
    """How often the term occurs in the source texts (msgids)."""
    entries: int
    """Live entries whose source text contains the term."""
    approved: int
    """Of those, translated entries that use the approved translation (or a variant)."""
    other: int
    """Translated entries that use neither the approved translation nor a forbidden one."""
    forbidden: int
    """Translated entries that use a forbidden variant."""

    @property
    def untranslated(self) -> int:
        """Entries with the term that are not translated yet (or fuzzy)."""
        return self.entries - self.approved - self.other - self.forbidden


def _sources(entry: polib.POEntry) -> str:
    return f"{entry.msgid}\n{entry.msgid_plural or ''}"


def _translations(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return "\n".join(entry.msgstr_plural.values())
    return str(entry.msgstr)


def term_usage(glossary: Glossary, catalogs: Iterable[polib.POFile]) -> list[TermUsage]:
    """Each term of ``glossary``, counted over the live entries of ``catalogs``."""
    entries = [e for po in catalogs for e in po if not e.obsolete]
    result = []
    for term in glossary.terms:
        pattern = source_pattern(term.source)
        having = [e for e in entries if pattern.search(_sources(e).casefold())]
        done = [e for e in having if is_done(e)]
        bad = [e for e in done if forbidden_used(_translations(e), term)]
        good = [e for e in done if e not in bad and uses_approved(_translations(e), term)]
        result.append(
            TermUsage(
                term=term,
                occurrences=sum(count_in(_sources(e), term) for e in entries),
                entries=len(having),
                approved=len(good),
                other=len(done) - len(good) - len(bad),
                forbidden=len(bad),
            )
        )
    return result


def render_usage(code: str, glossary: Glossary, usages: Sequence[TermUsage]) -> str:
    """The usage of one language's glossary as a table."""
    files = ", ".join(p.as_posix() for p in glossary.paths) or "no glossary file"
    lines = [f"{code}: {len(usages)} term(s) ({files})"]
    if not usages:
        return lines[0]
    width = max(len(u.term.source) for u in usages)
    twidth = max(len(u.term.translation) for u in usages)
    lines.append(
        f"  {'term':<{width}}  {'approved translation':<{twidth}}  occurs  entries  approved  "
        "other  forbidden  untranslated"
    )
    for u in usages:
        lines.append(
            f"  {u.term.source:<{width}}  {u.term.translation or '-':<{twidth}}  "
            f"{u.occurrences:>6}  {u.entries:>7}  {u.approved:>8}  {u.other:>5}  "
            f"{u.forbidden:>9}  {u.untranslated:>12}"
        )
    return "\n".join(lines)


def usage_json(code: str, glossary: Glossary, usages: Sequence[TermUsage]) -> dict[str, Any]:
    """The same figures as :func:`render_usage`, as JSON-ready data."""
    return {
        "locale": code,
        "files": [p.as_posix() for p in glossary.paths],
        "terms": [
            {
                "source": u.term.source,
                "translation": u.term.translation,
                "variants": list(u.term.variants),
                "forbidden_variants": list(u.term.forbidden),
                "part_of_speech": u.term.part_of_speech,
                "note": u.term.note,
                "occurrences": u.occurrences,
                "entries": u.entries,
                "approved": u.approved,
                "other": u.other,
                "forbidden": u.forbidden,
                "untranslated": u.untranslated,
            }
            for u in usages
        ],
    }


# -- candidate terms ---------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A term ``poterminology`` proposes from the master texts."""

    text: str
    """The word or phrase, as found."""
    score: int
    """``poterminology``'s score (how often, and in how many messages, it occurs)."""
    known: bool
    """Whether a glossary already has it (in any form of its plural)."""


def extract_candidates(
    templates: Sequence[tuple[str, str]], known: Iterable[Term]
) -> list[Candidate]:
    """Frequent words and phrases of ``templates`` (each the name and text of a document's
    template), found by translate-toolkit's ``poterminology`` with its English stop list:
    phrases first (the likelier terms), then single words, each by score."""
    # Loaded here, for `carepack terms --candidates` only: the build prints its summary
    # through pipeline.commands, which imports this module, and translate-toolkit's PO
    # reader and extractor took 10 to 15 ms to load before every build.
    from translate.storage import pypo
    from translate.tools.poterminology import TerminologyExtractor

    extractor = TerminologyExtractor(sourcelanguage="en")
    extractor.parse_stopword_file()
    for name, text in templates:
        extractor.processunits(pypo.pofile.parsestring(text.encode("utf-8")).units, name)
    found = extractor.extract_terms(locmin=MIN_LOCATIONS)
    patterns = [source_pattern(term.source) for term in known]
    result = []
    for score, unit in extractor.filter_terms(found):
        text = str(unit.source)
        is_known = any(p.fullmatch(text.casefold()) for p in patterns)
        result.append(Candidate(text, int(score), is_known))
    return sorted(result, key=lambda c: (" " not in c.text, -c.score))


def render_candidates(candidates: Sequence[Candidate], limit: int) -> str:
    """The best ``limit`` candidates, phrases first marked when already in a glossary."""
    shown = list(candidates[:limit])
    lines = [
        f"Candidate terms (translate-toolkit's poterminology), {len(shown)} of "
        f"{len(candidates)}; * = already in a glossary:"
    ]
    lines += [f"  {c.score:>4} {'*' if c.known else ' '} {c.text}" for c in shown]
    return "\n".join(lines)


def candidates_csv(candidates: Sequence[Candidate]) -> str:
    """New candidates as a glossary CSV with empty translations, for a writer to review
    and a translator to fill (then saved as ``locales/<lang>/glossary.csv``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for candidate in candidates:
        if not candidate.known:
            writer.writerow([candidate.text, *[""] * (len(CSV_COLUMNS) - 1)])
    return out.getvalue()
