"""A language's glossary: its terms, read from TBX or CSV, and written as TBX.

TBX is read and written with translate-toolkit's TBX storage (the format Weblate and CAT
tools import and export). One ``termEntry`` is one concept: the source-language
``langSet`` holds the term (with its part of speech as a ``termNote``), the target
``langSet`` one ``tig`` per form, each with TBX Basic's ``administrativeStatus``:
``preferredTerm-admn-sts`` (the approved translation), ``admittedTerm-admn-sts`` (another
form that counts as the approved one: a plural, a grammatical case) and
``deprecatedTerm-admn-sts`` or ``supersededTerm-admn-sts`` (forbidden). A ``note`` or
``descrip`` on the entry is its note.

The CSV form has a header row with ``source`` and ``target`` and optionally
``variants``, ``forbidden`` (several forms separated by ``|``), ``part_of_speech`` and
``note``, one term a row.

A file that cannot be read raises :class:`~pipeline.errors.TermbaseError` naming the file
and line; :func:`load_glossary` reports it and goes on with the language's other file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml and translate-toolkit load only when a TBX file is written
    from xml.etree.ElementTree import Element

    from lxml import etree
    from translate.storage.tbx import tbxfile

    from .tbx_reader import TbxReader

from ..errors import TermbaseError
from ..locales import parse_locale

#: The glossary files of a language, in ``locales/<code>/``, in the order they are read.
GLOSSARY_NAMES = ("glossary.tbx", "glossary.csv")
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated"}
CSV_COLUMNS = ("source", "target", "variants", "forbidden", "part_of_speech", "note")
_SEPARATOR = "|"


@dataclass(frozen=True)
class Term:
    """One concept of a glossary: a source term and how it is translated."""

    source: str
    """The term in the source language, in its base form (``clinical trial``); plural
    forms of its last word match too."""
    translation: str
    """The approved translation (empty when the language has none yet)."""
    variants: tuple[str, ...] = ()
    """Other forms that count as the approved translation (plurals, grammatical cases)."""
    forbidden: tuple[str, ...] = ()
    """Variants a translation must not use (an error in ``carepack check``)."""
    part_of_speech: str = ""
    """``noun``, ``verb``, ...; empty when not given."""
    note: str = ""
    """A note for translators (definition, usage)."""
    line: int | None = None
    """Where the term is defined in its file."""

    @property
    def approved_forms(self) -> tuple[str, ...]:
        """The approved translation and its admitted variants."""
        return tuple(f for f in (self.translation, *self.variants) if f)


@dataclass(frozen=True)
class Glossary:
    """The terms of one language, from its glossary files."""

    locale: str
    """The locale code (``es``)."""
    terms: tuple[Term, ...] = ()
    """Every term, in file order."""
    paths: tuple[Path, ...] = ()
    """The files read."""

    def __bool__(self) -> bool:
        return bool(self.terms)


def _clean(text: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


# -- TBX ------------------------------------------------------------------------


def _is_forbidden(status: str | None) -> bool:
    return (status or "").strip().lower() in _FORBIDDEN_STATUSES


def _tbx_term(tbx: TbxReader, entry: Element, path: Path) -> Term:
    line = tbx.tree.line(entry)
    sources = [t for t in tbx.source_terms(entry) if _clean(t.text)]
    if not sources:
        raise TermbaseError(f"termEntry has no {tbx.source!r} term", path, line)
    source = sources[0]
    pos = next((n.text for n in source.notes if n.origin == "pos" and n.scope == "term"), "")
    notes = [
        _clean(n.text)
        for n in source.notes
        if n.scope == "concept" and n.origin != "pos" and _clean(n.text)
    ]
    targets = [t for t in tbx.target_terms(entry) if _clean(t.text)]
    allowed = [t for t in targets if not _is_forbidden(t.administrative_status)]
    preferred = [t for t in allowed if (t.administrative_status or "").lower() == PREFERRED.lower()]
    approved = next(iter(preferred or allowed), None)
    return Term(
        source=_clean(source.text),
        translation=_clean(approved.text) if approved else "",
        variants=tuple(_clean(t.text) for t in allowed if t is not approved),
        forbidden=tuple(_clean(t.text) for t in targets if _is_forbidden(t.administrative_status)),
        part_of_speech=_clean(pos),
        note="; ".join(dict.fromkeys(notes)),
        line=line,
    )


def parse_tbx(data: bytes, path: Path, code: str, source_language: str) -> list[Term]:
    """The terms of a TBX file for locale ``code`` (raises :class:`TermbaseError`), read as
    translate-toolkit reads them (:mod:`pipeline.termbase.tbx_reader`)."""
    source_tag = parse_locale(source_language).tag
    target_tag = parse_locale(code).tag
    from .tbx_reader import TbxReader
    from .xml_tree import XmlError, parse_xml

    try:  # nothing fetched, no entity of the file's own (see xml_tree)
        tree = parse_xml(data)
    except XmlError as error:
        raise TermbaseError(f"not a valid TBX file: {error.message}", path, error.line) from None
    tbx = TbxReader(tree, source_tag, target_tag)
    if not tbx.is_tbx():
        name = tree.root.tag.rpartition("}")[2]
        raise TermbaseError(
            f"not a TBX file: the root element is <{tree.root.tag if name == 'martif' else name}>, "
            "not <martif> (TBX 2008 / TBX-Basic, as Weblate and translate-toolkit write it)",
            path,
            tree.line(tree.root),
        )
    return [_tbx_term(tbx, entry, path) for entry in tbx.entries()]


def _term_note(tig: etree._Element, store: tbxfile, kind: str, value: str) -> None:
    from lxml import etree

    note = etree.SubElement(tig, store.namespaced("termNote"))
    note.set("type", kind)
    note.text = value


def write_tbx(glossary: Glossary, source_language: str) -> bytes:
    """The glossary as a TBX document, written by translate-toolkit."""
    source_tag = parse_locale(source_language).tag
    target_tag = parse_locale(glossary.locale).tag
    from translate.storage.tbx import tbxfile

    store = tbxfile(sourcelanguage=source_tag, targetlanguage=target_tag)
    for term in glossary.terms:
        unit = store.addsourceunit(term.source)
        if term.note:
            unit.addnote(term.note)
        forms = [*term.approved_forms, *term.forbidden]
        if forms:
            unit.set_target_terms(forms, lang=target_tag)
        if term.part_of_speech:
            source_tig = unit.source_dom.find(store.namespaced("tig"))
            _term_note(source_tig, store, "partOfSpeech", term.part_of_speech)
        tigs = unit.get_target_dom(target_tag) if forms else None
        if tigs is not None:
            statuses = [PREFERRED if term.translation else ADMITTED]
            statuses += [ADMITTED] * len(term.variants) + [DEPRECATED] * len(term.forbidden)
            for tig, status in zip(tigs.findall(store.namespaced("tig")), statuses, strict=True):
                _term_note(tig, store, "administrativeStatus", status)
    return bytes(store)


# -- CSV ------------------------------------------------------------------------


def _forms(value: str | None) -> tuple[str, ...]:
    return tuple(f for f in (_clean(p) for p in (value or "").split(_SEPARATOR)) if f)


def parse_csv(text: str, path: Path) -> list[Term]:
    """The terms of a CSV glossary (raises :class:`TermbaseError`)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        header = [_clean(name).lower() for name in next(reader, [])]
        if "source" not in header or "target" not in header:
            raise TermbaseError(
                f"the first row must name the columns, with 'source' and 'target' "
                f"(known: {', '.join(CSV_COLUMNS)})",
                path,
                1,
            )
        unknown = [name for name in header if name not in CSV_COLUMNS]
        if unknown:
            raise TermbaseError(
                f"unknown column(s) {', '.join(map(repr, unknown))} "
                f"(known: {', '.join(CSV_COLUMNS)})",
                path,
                1,
            )
        terms: list[Term] = []
        start = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                raise TermbaseError(
                    f"{len(row)} field(s) where the header has {len(header)}", path, start
                )
            cells = dict(zip(header, row, strict=True))
            if not _clean(cells["source"]):
                raise TermbaseError("the 'source' column is empty", path, start)
            terms.append(
                Term(
                    source=_clean(cells["source"]),
                    translation=_clean(cells["target"]),
                    variants=_forms(cells.get("variants")),
                    forbidden=_forms(cells.get("forbidden")),
                    part_of_speech=_clean(cells.get("part_of_speech")),
                    note=_clean(cells.get("note")),
                    line=start,
                )
            )
            start = reader.line_num + 1
    except csv.Error as error:
        raise TermbaseError(
            f"not valid CSV in the row that starts here: {error} (a quote left open?)",
            path,
            start,
        ) from None
    return terms


# -- a language's glossary -------------------------------------------------------


def read_glossary_file(path: Path, code: str, source_language: str) -> list[Term]:
    """The terms of one glossary file (TBX or CSV, by its suffix)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TermbaseError(f"cannot read the glossary: {error.strerror}", path) from None
    if path.suffix == ".tbx":
        return parse_tbx(data, path, code, source_language)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TermbaseError(f"not valid UTF-8 ({error.reason})", path, line) from None
    return parse_csv(text, path)


def load_glossary(
    locale_root: Path, code: str, source_language: str, shown: Path | None = None
) -> tuple[Glossary, list[TermbaseError]]:
    """The glossary of ``code`` from ``locale_root/<code>/glossary.{tbx,csv}``.

    A file that cannot be read (or that repeats a term) is left out and returned as an
    error with its file, line and locale; the other file still counts. ``shown`` is the
    directory paths are named relative to in messages (the project root).
    """
    info = parse_locale(code)
    terms: list[Term] = []
    paths: list[Path] = []
    errors: list[TermbaseError] = []
    seen: dict[str, tuple[Path, int | None]] = {}
    for name in GLOSSARY_NAMES:
        path = locale_root / info.code / name
        if not path.is_file():
            continue
        named = path.relative_to(shown) if shown and path.is_relative_to(shown) else path
        try:
            found = read_glossary_file(path, info.code, source_language)
            here: dict[str, tuple[Path, int | None]] = {}
            for term in found:
                key = term.source.casefold()
                if key in seen or key in here:
                    first, line = seen.get(key) or here[key]
                    raise TermbaseError(
                        f"term {term.source!r} is already defined ({first}:{line})",
                        path,
                        term.line,
                    )
                here[key] = (named, term.line)
        except TermbaseError as error:
            errors.append(TermbaseError(error.message, named, error.line, info.code))
            continue
        seen.update(here)
        terms += found
        paths.append(named)
    return Glossary(info.code, tuple(terms), tuple(paths)), errors
