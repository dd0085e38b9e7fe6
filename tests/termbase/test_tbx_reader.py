"""The TBX reader (:mod:`pipeline.termbase.tbx_reader`) against its reference,
translate-toolkit's ``tbxfile``: the same concepts, and for each the same source and
target terms, statuses and notes, on the project's glossaries and on edge cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage.tbx import tbxfile

from pipeline.locales import parse_locale
from pipeline.termbase.tbx_reader import TbxReader
from pipeline.termbase.xml_tree import parse_xml

from ..conftest import ROOT

Seen = list[tuple[int | None, list[object], list[object]]]


def _terms(terms: list[object]) -> list[object]:
    return [
        (
            term.text,  # type: ignore[attr-defined]
            term.administrative_status,  # type: ignore[attr-defined]
            [(n.text, n.origin, n.scope) for n in term.notes],  # type: ignore[attr-defined]
        )
        for term in terms
    ]


def with_translate_toolkit(data: bytes, source: str, target: str) -> Seen:
    store = tbxfile.parsestring(data, sourcelanguage=source, targetlanguage=target)
    return [
        (
            unit.xmlelement.sourceline,
            _terms(unit.get_source_terms()),
            _terms(unit.get_target_terms(target)),
        )
        for unit in store.units
    ]


def with_the_reader(data: bytes, source: str, target: str) -> Seen:
    reader = TbxReader(parse_xml(data), source, target)
    assert reader.is_tbx()
    return [
        (
            reader.tree.line(entry),
            _terms(reader.source_terms(entry)),
            _terms(reader.target_terms(entry)),
        )
        for entry in reader.entries()
    ]


GLOSSARIES = sorted((ROOT / "locales").glob("*/glossary.tbx"))


@pytest.mark.parametrize("path", GLOSSARIES, ids=lambda p: p.parent.name)
def test_the_project_glossaries_read_as_translate_toolkit_reads_them(path: Path) -> None:
    data = path.read_bytes()
    target = parse_locale(path.parent.name).tag
    seen = with_the_reader(data, "en", target)
    assert seen and all(source for _, source, _ in seen)
    assert seen == with_translate_toolkit(data, "en", target)


EDGES = {
    "namespaced, notes at every level": """<?xml version="1.0" encoding="UTF-8"?>
<martif xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en">
<text><body>
<termEntry id="c1">
  <descrip type="definition">A cancer of <hi>plasma</hi> cells.</descrip>
  <note from="reviewer">Checked   twice.</note>
  <descrip type="Translation needed">yes</descrip>
  <termNote type="partOfSpeech">noun</termNote>
  <!-- a comment among the notes -->
  <langSet xml:lang="en">
    <note>language-level note</note>
    <tig><term>multiple
      myeloma</term><termNote type="partOfSpeech">noun</termNote></tig>
    <ntig><termGrp><term>ignored</term></termGrp></ntig>
  </langSet>
  <langSet xml:lang="es">
    <tig><term>mieloma múltiple</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
    <tig><term>mieloma</term>
      <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    <tig><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>
</body></text>
</martif>""",
    "xml:space default and preserve": """<?xml version="1.0"?>
<martif type="TBX" xml:space="default">
<text><body>
<termEntry>
  <langSet xml:lang="en"><tig><term>  stem   cell  </term></tig></langSet>
  <langSet xml:lang="es" xml:space="preserve">
    <tig><term>  célula   madre </term><termNote type="administrativeStatus"> admittedTerm-admn-sts </termNote></tig>
  </langSet>
</termEntry>
<termEntry xml:space="preserve"><note>  kept
  as is </note>
  <langSet xml:lang="en"><tig><term>relapse</term></tig></langSet>
</termEntry>
</body></text>
</martif>""",
    "non-breaking and other spaces under xml:space default": """<?xml version="1.0"?>
<martif type="TBX" xml:space="default">
<text><body>
<termEntry>
  <langSet xml:lang="en"><tig><term>\u00a0 5\u00a0mg \t
   dose\u2003</term></tig></langSet>
  <langSet xml:lang="es"><tig><term>&#xA0;5&#160;mg&#x9;&#xD;dosis</term></tig></langSet>
</termEntry>
</body></text>
</martif>""",
    "regional tags and fallbacks": """<?xml version="1.0"?>
<martif type="TBX">
<text><body>
<termEntry><langSet xml:lang="EN-us"><tig><term>nurse</term></tig></langSet>
  <langSet xml:lang="es-ES"><tig><term>enfermera</term></tig></langSet></termEntry>
<termEntry><langSet xml:lang="en_GB"><tig><term>tumour</term></tig></langSet></termEntry>
<termEntry><langSet xml:lang="es-es"><tig><term>solo</term></tig></langSet></termEntry>
<termEntry><langSet><tig><term>no language</term></tig></langSet></termEntry>
<termEntry><langSet xml:lang="en"><tig/></langSet></termEntry>
</body></text>
</martif>""",
}


@pytest.mark.parametrize("name", EDGES)
@pytest.mark.parametrize("target", ["es", "es-ES", "en", "fr", "zh-Hans"])
def test_edge_cases_read_as_translate_toolkit_reads_them(name: str, target: str) -> None:
    data = EDGES[name].encode("utf-8")
    assert with_the_reader(data, "en", target) == with_translate_toolkit(data, "en", target)


def test_a_prefixed_root_is_not_taken_for_martif() -> None:
    data = b'<t:martif xmlns:t="urn:x"><t:text><t:body/></t:text></t:martif>'
    reader = TbxReader(parse_xml(data), "en", "es")
    assert not reader.is_tbx()
