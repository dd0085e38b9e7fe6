"""The XML reader under the glossaries (:mod:`pipeline.termbase.xml_tree`): the tree,
text and namespaces lxml gives, each element's line and parent, nothing fetched and no
entity of a file's own expanded."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.termbase.xml_tree import XmlError, parse_xml

DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "http://localhost:9/TBXcoreStructV02.dtd">
<martif xmlns="urn:x" xmlns:p="urn:p" type="TBX">
  <text>
    <body><termEntry
        id="c1"><p:note>a &amp; b &#233;<!-- c --> d<![CDATA[ <e> ]]></p:note></termEntry>
    </body>
  </text>
</martif>
"""


def test_the_tree_is_lxml_s_with_lines_and_parents() -> None:
    tree = parse_xml(DOCUMENT)  # (the DTD's address is never fetched: nothing listens there)
    reference = etree.fromstring(DOCUMENT, etree.XMLParser(no_network=True))
    ours = list(tree.root.iter())
    theirs = [e for e in reference.iter() if isinstance(e.tag, str)]
    assert [e.tag for e in ours] == [e.tag for e in theirs]
    # A start tag over two lines: libxml2 gives the line it ends on (6), the line here is
    # the one it starts on, where the reader looks for ``<termEntry``.
    assert [tree.line(e) for e in ours] == [3, 4, 5, 5, 6]
    assert [e.sourceline for e in theirs] == [3, 4, 5, 6, 6]
    assert tree.root not in tree.parents
    assert all(tree.parents[e] is p for p in ours for e in p)
    assert len(tree.parents) == len(ours) - 1
    note = ours[-1]
    assert "".join(note.itertext()) == "a & b é d <e> "
    assert tree.default_namespace == "urn:x" == reference.nsmap[None]


def test_a_prefixed_root_has_no_default_namespace() -> None:
    tree = parse_xml(b'<t:martif xmlns:t="urn:x"><t:text xmlns="urn:y"/></t:martif>')
    assert tree.default_namespace is None and tree.root.tag == "{urn:x}martif"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"<martif>\n<text>\n</martif>", 3, "mismatched tag"),
        (b"", 1, "no element found"),
        (b"<martif>&nbsp;</martif>", 1, "undefined entity"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY lol "lol">\n'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">\n]>\n<martif>&lol2;</martif>',
            3,
            "declares an entity ('lol')",
        ),
        (
            b'<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<martif>&x;</martif>',
            1,
            "declares an entity ('x')",
        ),
    ],
)
def test_what_is_refused_is_named_with_its_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(XmlError) as caught:
        parse_xml(data)
    assert caught.value.line == line
    assert message in caught.value.message
