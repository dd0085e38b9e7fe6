"""An XML file (a TBX glossary) parsed by the standard library's expat into ElementTree
elements, with the line each element starts on and each one's parent.

``carepack update`` reads every language's glossary; lxml took some 16 ms of each update
to load, four times what reading the seven glossaries takes, where the standard
library's ``xml.etree`` loads in about 1.5. ElementTree keeps neither lines nor parents,
so the tree is built here from expat's events (as ElementTree's own parser does), with
the line expat gives for each start tag: what a glossary error names.

Nothing is ever fetched: expat loads no external DTD or entity unless asked (it is not),
and a glossary that declares entities of its own in its DTD is refused, as defusedxml
refuses it: a term's text is what the file says, never a substitution made elsewhere in
it. The five predefined entities and character references are read as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pyexpat import ErrorString, ExpatError, ParserCreate
from xml.etree.ElementTree import Element, TreeBuilder

XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
"""The ``xml:`` prefix's namespace, as ElementTree spells it before a name."""


class XmlError(ValueError):
    """The file is not well-formed XML, or declares entities: ``message`` at ``line``."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class XmlTree:
    """A parsed document."""

    root: Element
    """The root element."""
    default_namespace: str | None
    """The namespace the root declares for unprefixed names (``xmlns="..."``), if any."""
    lines: dict[Element, int]
    """The line each element's start tag begins on."""
    parents: dict[Element, Element]
    """Each element's parent (the root has none)."""

    def line(self, element: Element) -> int | None:
        return self.lines.get(element)


def _name(expat_name: str) -> str:
    """``uri}local`` (expat's spelling with ``}`` as separator) as ``{uri}local``."""
    return "{" + expat_name if "}" in expat_name else expat_name


def parse_xml(data: bytes) -> XmlTree:
    """Parse ``data`` (raise :class:`XmlError` with the line when it is not well-formed)."""
    builder = TreeBuilder()
    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    lines: dict[Element, int] = {}
    parents: dict[Element, Element] = {}
    open_elements: list[Element] = []
    root_namespaces: dict[str | None, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        element = builder.start(_name(name), {_name(k): v for k, v in attributes.items()})
        lines[element] = parser.CurrentLineNumber
        if open_elements:
            parents[element] = open_elements[-1]
        open_elements.append(element)

    def end(name: str) -> None:
        open_elements.pop()
        builder.end(_name(name))

    def namespace(prefix: str | None, uri: str) -> None:
        if not lines:  # declared on the root (its declarations come before it)
            root_namespaces[prefix] = uri

    def entity(name: str, *_: object) -> None:
        raise XmlError(f"the file declares an entity ({name!r}); glossaries may not", None)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartNamespaceDeclHandler = namespace
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except ExpatError as error:
        message = f"{ErrorString(error.code)} (line {error.lineno}, column {error.offset + 1})"
        raise XmlError(message, error.lineno) from None
    except XmlError as error:
        raise XmlError(error.message, parser.CurrentLineNumber) from None
    return XmlTree(builder.close(), root_namespaces.get(None), lines, parents)
