"""A TBX glossary's concepts read the way translate-toolkit's ``tbxfile`` reads them (the
source and target terms of each ``termEntry``, each with its administrative status and
the notes in its scope), from the tree :mod:`pipeline.termbase.xml_tree` parses.

translate-toolkit stays the TBX writer (:func:`~pipeline.termbase.glossary.write_tbx`)
and the reference: ``tests/termbase/test_tbx_reader.py`` reads the project's glossaries
and edge cases (namespaces, ``xml:space``, regional language tags, notes at every level)
both ways and compares every term, and the line of every concept. Reading this way
needs no more than the standard library: loading translate-toolkit's storage classes
(their placeables, language tables and XLIFF helpers) took some 15 ms of every
``carepack update``, and lxml, which translate-toolkit reads with, 16 more; the seven
glossaries themselves take about 5.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from xml.etree.ElementTree import Element

from .xml_tree import XML_NAMESPACE as _XML
from .xml_tree import XmlTree

_ADMINISTRATIVE_STATUS = "administrativeStatus"
_TRANSLATION_NEEDED = "Translation needed"


@dataclass(frozen=True)
class TbxNote:
    """A note of a concept, a language or a term."""

    text: str
    """Its text, as ``xml:space`` has it."""
    origin: str | None
    """``definition`` (a ``descrip``), ``pos`` (a ``termNote``) or a ``note``'s ``from``."""
    scope: str
    """Where it was written: ``concept``, ``language`` or ``term``."""


@dataclass(frozen=True)
class TbxTerm:
    """One term (``tig``) of one language of a concept."""

    text: str
    """The ``term``'s text, as ``xml:space`` has it (empty without one)."""
    administrative_status: str | None
    """Its ``termNote type="administrativeStatus"`` (``preferredTerm-admn-sts``...)."""
    notes: tuple[TbxNote, ...]
    """The concept's, the language's and the term's notes, in that order."""


@cache
def _default_variants() -> dict[str, str]:
    """translate-toolkit's fallback for a bare language (``es`` → ``es-es``)."""
    from translate.lang.data import DEFAULT_LANGS

    return {code.split("_", 1)[0]: code.replace("_", "-").lower() for code in DEFAULT_LANGS}


def _normalized(language: str | None) -> str | None:
    return language.replace("_", "-").lower() if language else None


class TbxReader:
    """The concepts of a parsed TBX document (``tree``: its root is ``martif``), with
    ``source`` and ``target`` language tags (``en``, ``zh-Hans``)."""

    def __init__(self, tree: XmlTree, source: str, target: str) -> None:
        namespace = tree.default_namespace
        self._prefix = f"{{{namespace}}}" if namespace else ""
        self._scopes = {self._prefix + name for name in ("langSet", "tig", "ntig")}
        self.tree = tree
        self.root = tree.root
        self.source = source
        self.target = target

    def is_tbx(self) -> bool:
        """Whether the root is ``martif`` (in the document's default namespace, if any)."""
        return bool(self.root.tag == self._prefix + "martif")

    def entries(self) -> list[Element]:
        """Every ``termEntry``, in document order."""
        tag = self._prefix + "termEntry"
        return [node for node in self.root.iter(tag) if node is not self.root]

    def source_terms(self, entry: Element) -> list[TbxTerm]:
        return self._terms(entry, self._language(entry, self.source))

    def target_terms(self, entry: Element) -> list[TbxTerm]:
        language = _normalized(self.target)
        node = self._language(entry, language)
        if (
            node is not None
            and _normalized(node.get(_XML + "lang")) != language
            and _normalized(self.source) != language
            and node is self._language(entry, self.source)
        ):
            return []  # a regional source is not an absent, distinct target language
        return self._terms(entry, node)

    def _language(self, entry: Element, language: str | None) -> Element | None:
        language = _normalized(language)
        if language is None:
            return None
        nodes = [node for node in entry if node.tag == self._prefix + "langSet"]
        for node in nodes:
            if _normalized(node.get(_XML + "lang")) == language:
                return node
        variant = _default_variants().get(language)
        for node in nodes if variant is not None else []:
            if _normalized(node.get(_XML + "lang")) == variant:
                return node
        return None

    def _terms(self, entry: Element, language: Element | None) -> list[TbxTerm]:
        if language is None:
            return []
        common = self._notes(entry, "concept") + self._notes(language, "language")
        terms = []
        for tig in (node for node in language if node.tag == self._prefix + "tig"):
            term = next((n for n in tig.iter(self._prefix + "term") if n is not tig), None)
            status = next(
                (self._text(node) for node in self._metadata(tig) if self._is_status(node)), None
            )
            text = self._text(term) if term is not None else ""
            terms.append(TbxTerm(text, status, common + self._notes(tig, "term")))
        return terms

    def _metadata(self, node: Element) -> Iterator[Element]:
        """The node's descendants, without entering another language or term."""
        for child in node:
            if child.tag in self._scopes:
                continue
            yield child
            yield from self._metadata(child)

    def _is_status(self, node: Element) -> bool:
        return bool(
            node.tag == self._prefix + "termNote" and node.get("type") == _ADMINISTRATIVE_STATUS
        )

    def _notes(self, node: Element, scope: str) -> tuple[TbxNote, ...]:
        notes = []
        for child in self._metadata(node):
            if child.tag == self._prefix + "descrip":
                if child.get("type") == _TRANSLATION_NEEDED:
                    continue
                origin: str | None = "definition"
            elif child.tag == self._prefix + "termNote":
                if self._is_status(child):
                    continue
                origin = "pos"
            elif child.tag == self._prefix + "note":
                origin = child.get("from")
            else:
                continue
            notes.append(TbxNote(self._text(child), origin, scope))
        return tuple(notes)

    def _text(self, node: Element) -> str:
        """The node's text (XPath's ``string()``): whitespace normalized (``normalize-space()``)
        where the nearest ``xml:space`` of the node or an ancestor says ``default``."""
        text = "".join(node.itertext())
        found: Element | None = node
        while found is not None and found.get(_XML + "space") is None:
            found = self.tree.parents.get(found)
        space = found.get(_XML + "space") if found is not None else "preserve"
        return _normalize_space(text) if space == "default" else text


_XML_SPACE = re.compile("[ \t\r\n]+")


def _normalize_space(text: str) -> str:
    """XPath's ``normalize-space()``: runs of XML white space (only space, tab, carriage
    return and line feed) as one space, none at either end."""
    return _XML_SPACE.sub(" ", text).strip(" \t\r\n")
