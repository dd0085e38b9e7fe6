"""Document × Catalog → translated Document, and the interface strings of a locale.

Only translated, non-fuzzy entries are used; anything else falls back to the
source text and is marked (``translated=False``) so that a page can wrap it
with the source language's ``lang`` and a report can count it.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import polib

from ..locales import LocaleInfo
from ..source.document import Block, Document, Role
from .catalog import REVIEW_FIELD, context_for, is_done
from .ui import MESSAGES


@dataclass(frozen=True)
class TranslatedBlock:
    """A block with its text in the target language (or the source as fallback)."""

    block: Block
    """The source block (id, role, line, table position)."""
    text: str
    """The inline Markdown to show or speak."""
    translated: bool
    """``False`` when ``text`` is the untranslated source text."""


@dataclass(frozen=True)
class TranslatedSection:
    """A section of a translated document."""

    id: str
    """Section id (anchor and audio track name)."""
    heading: TranslatedBlock | None
    """The heading (the title for the introduction)."""
    blocks: tuple[TranslatedBlock, ...]
    """All the section's blocks, heading included."""

    @property
    def is_disclaimer(self) -> bool:
        return any(b.block.role.is_disclaimer for b in self.blocks)


def table_grid(
    blocks: Sequence[TranslatedBlock],
) -> tuple[dict[int, TranslatedBlock], dict[int, dict[int, TranslatedBlock]], range]:
    """A table's blocks as a grid: headers by column, body cells by row then column, and
    every column number (1-based) that has a header or a cell (the page, the book and
    the audio lay tables out by it)."""
    headers = {b.block.col: b for b in blocks if b.block.role is Role.TABLE_HEADER}
    rows: dict[int, dict[int, TranslatedBlock]] = {}
    for block in blocks:
        if block.block.role is Role.TABLE_CELL:
            rows.setdefault(block.block.row, {})[block.block.col] = block
    columns = range(1, max([*headers, *(c for r in rows.values() for c in r)], default=0) + 1)
    return headers, rows, columns


@dataclass(frozen=True)
class TranslatedDocument:
    """A document in one locale."""

    document: Document
    """The source document."""
    locale: LocaleInfo
    """The target locale (the source language for the master text itself)."""
    blocks: tuple[TranslatedBlock, ...]
    """The blocks in reading order."""
    review: str
    """The review state from the PO header (``source`` for the master text)."""

    @property
    def title(self) -> str:
        return next(b.text for b in self.blocks if b.block.role is Role.TITLE)

    @property
    def is_draft(self) -> bool:
        """A translation not (yet) marked reviewed: readers are told so."""
        return self.review not in {"source", "reviewed"}

    @property
    def complete(self) -> bool:
        return all(b.translated for b in self.blocks)

    @property
    def sections(self) -> list[TranslatedSection]:
        by_id = {b.block.id: b for b in self.blocks}
        result = []
        for section in self.document.sections:
            blocks = tuple(by_id[b.id] for b in section.blocks)
            heading = by_id[section.heading.id] if section.heading else None
            result.append(TranslatedSection(section.id, heading, blocks))
        return result


def _lookup(po: polib.POFile | None) -> dict[tuple[str | None, str], polib.POEntry]:
    if po is None:
        return {}
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete and is_done(e)}


def translate(
    document: Document, locale: LocaleInfo, po: polib.POFile | None
) -> TranslatedDocument:
    """The document in ``locale``; ``po=None`` (or the source language) gives the master text."""
    source = locale.code == document.lang
    entries = {} if source else _lookup(po)
    blocks = []
    for block in document.blocks:
        entry = entries.get((context_for(block), block.text))
        if source:
            blocks.append(TranslatedBlock(block, block.text, True))
        elif entry is not None:
            blocks.append(TranslatedBlock(block, entry.msgstr, True))
        else:
            blocks.append(TranslatedBlock(block, block.text, False))
    review = "source" if source else (po.metadata.get(REVIEW_FIELD, "draft") if po else "draft")
    return TranslatedDocument(document, locale, tuple(blocks), review)


def fill_placeholders(text: str, english: str, values: Mapping[str, str]) -> tuple[str, bool]:
    """``text`` (a translated interface string) with its ``{name}`` placeholders filled,
    and ``True``; when the translation's placeholders are broken, the English string
    filled instead (shown rather than failing), and ``False``."""
    try:
        return text.format_map(values), True
    except (KeyError, IndexError, ValueError, AttributeError):
        return english.format_map(values), False


@cache
def _interface_strings() -> frozenset[tuple[str | None, str]]:
    """``(context, msgid)`` of every interface string (:data:`MESSAGES`), made once."""
    return frozenset((m.context, m.msgid) for m in MESSAGES)


class UiText:
    """The ``ui`` domain for one locale: ``gettext`` and ``ngettext`` with fallback to English.

    It keeps the translations' text only, not the catalog's entries: a build keeps one
    for every document in every language to its end (its report reads them)."""

    def __init__(self, locale: LocaleInfo, po: polib.POFile | None) -> None:
        self.locale = locale
        self.translations: dict[tuple[str | None, str], tuple[str, dict[int, str]]] = {
            key: (entry.msgstr, dict(entry.msgstr_plural)) for key, entry in _lookup(po).items()
        }
        """``(context, msgid)``: the translation and its plural forms by index."""
        self.review = po.metadata.get(REVIEW_FIELD, "draft") if po else "source"
        header = po.metadata.get("Plural-Forms", "") if po else ""
        self.plural_forms = header if "plural=" in header else locale.plural_forms

    def _entry(self, msgid: str, context: str | None) -> tuple[str, dict[int, str]] | None:
        if (context, msgid) not in _interface_strings():
            raise KeyError(f"{msgid!r} is not an interface string in pipeline/catalogs/ui.py")
        return self.translations.get((context, msgid))

    def gettext(self, msgid: str, context: str | None = None) -> str:
        """The translation of ``msgid``, or ``msgid`` itself."""
        entry = self._entry(msgid, context)
        return entry[0] if entry is not None else msgid

    def translated(self, msgid: str, context: str | None = None) -> bool:
        """Whether ``msgid`` has a translation (else the English shows)."""
        return self._entry(msgid, context) is not None

    def ngettext(self, singular: str, plural: str, count: int, context: str | None = None) -> str:
        """The plural form for ``count``, by the ``Plural-Forms`` of the PO file's header
        (as a gettext runtime reads the .mo), else the locale's (GNU msginit's or CLDR's)."""
        entry = self._entry(singular, context)
        if entry is None:
            return singular if count == 1 else plural
        plurals = entry[1]
        return plurals.get(self._index(count)) or plurals.get(0, singular)

    def _index(self, count: int) -> int:
        """Index of the plural form, from the ``Plural-Forms`` expression."""
        expression = self.plural_forms.split("plural=", 1)[1].strip().rstrip(";")
        return int(gettext.c2py(expression)(count))
