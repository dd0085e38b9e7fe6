"""The master text: structure restored from the seed, every sentence kept, errors named."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from pipeline.errors import SourceError
from pipeline.source.document import Role
from pipeline.source.parse import parse_document, read_document

from ..conftest import DATA, ROOT

SEED = DATA / "seed" / "myeloma-second-line.txt"
"""The leaflet the master text was written from (a copy of the project's seed text)."""
MASTER = ROOT / "source" / "myeloma-second-line.md"
BAD = tomllib.loads((DATA / "bad" / "expected.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document():  # type: ignore[no-untyped-def]
    return read_document(MASTER, Path("source/myeloma-second-line.md"))


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", " ".join(text.split())) if s]


def test_every_seed_sentence_is_kept_verbatim(document) -> None:  # type: ignore[no-untyped-def]
    seed = SEED.read_text(encoding="utf-8")
    prose = "\n".join(line for line in seed.splitlines() if not line.startswith("Therapy "))
    prose = prose.replace("Option General ApproachConsiderations", "").replace("Disclaimer:", "")
    ours = " ".join(
        b.text for b in document.blocks if b.role not in {Role.TABLE_CELL, Role.TABLE_HEADER}
    )
    for sentence in _sentences(prose):
        assert sentence in ours, sentence
    # and nothing was added: every block's words come from the seed
    flat = " ".join(seed.split())
    for block in document.blocks:
        assert block.text in flat, block.text


def test_structure(document) -> None:  # type: ignore[no-untyped-def]
    roles = [b.role for b in document.blocks]
    assert roles.count(Role.TITLE) == 1
    headings = [b.text for b in document.blocks if b.role is Role.HEADING]
    assert headings == [
        "General Approaches to Second Line Treatment",
        "Comparison of Second Line Treatment Options",
        "Supportive Care and Lifestyle Considerations",
    ]
    assert [b.text for b in document.blocks if b.role is Role.TABLE_HEADER] == [
        "Option",
        "General Approach",
        "Considerations",
    ]
    cells = [b for b in document.blocks if b.role is Role.TABLE_CELL]
    assert (
        len(cells) == 9
        and {c.row for c in cells} == {1, 2, 3}
        and {c.col for c in cells} == {1, 2, 3}
    )
    assert [b.role for b in document.disclaimer] == [
        Role.DISCLAIMER_HEADING,
        Role.DISCLAIMER_PARAGRAPH,
    ]
    assert document.disclaimer[0].text == "Disclaimer"
    assert any(b.role is Role.CAPTION for b in document.blocks)
    assert document.id == "myeloma-second-line" and document.lang == "en"
    assert document.reading_level == 8


def test_ids_are_unique_and_lines_point_at_the_text(document) -> None:  # type: ignore[no-untyped-def]
    ids = [b.id for b in document.blocks]
    assert len(ids) == len(set(ids))
    lines = MASTER.read_text(encoding="utf-8").splitlines()
    for block in document.blocks:
        first_words = block.text.split()[0]
        assert first_words in lines[block.line - 1], (block.id, block.line)


def test_ids_are_stable_when_a_sentence_changes(document) -> None:  # type: ignore[no-untyped-def]
    text = MASTER.read_text(encoding="utf-8").replace("crucial for patients", "vital for patients")
    changed = parse_document(text, Path("x.md"))
    assert [b.id for b in changed.blocks] == [b.id for b in document.blocks]


@pytest.mark.parametrize("name", sorted(BAD))
def test_malformed_master_text_names_file_and_line(name: str) -> None:
    path = DATA / "bad" / f"{name}.md"
    with pytest.raises(SourceError) as caught:
        read_document(path)
    error = caught.value
    assert error.path == path
    assert error.line == BAD[name]["line"], str(error)
    assert BAD[name]["message"] in error.message
    assert str(error).startswith(f"{path}:{BAD[name]['line']}: ")
    assert error.exit_code != 0


def test_text_after_the_disclaimer_is_not_part_of_it() -> None:
    text = MASTER.read_text(encoding="utf-8").replace(
        "# Understanding Multiple Myeloma Second Line Treatment Options\n",
        "# Understanding Multiple Myeloma Second Line Treatment Options\n\n"
        "::: disclaimer\nRead this first.\n:::\n\nAn opening paragraph.\n",
    )
    text = text[: text.rindex("::: disclaimer")]
    document = parse_document(text, Path("x.md"))
    opening = next(b for b in document.blocks if b.text == "An opening paragraph.")
    assert opening.role is Role.PARAGRAPH and opening.section == "after-disclaimer"
    assert [b.text for b in document.disclaimer] == ["Read this first."]


def test_withdraw_older_with_a_reason_is_read_from_the_front_matter() -> None:
    text = MASTER.read_text(encoding="utf-8").replace(
        "reading_level: 8\n",
        "reading_level: 8\nwithdraw_older: 2026-12-01\n"
        "withdraw_reason: The dose in the table was corrected.\n",
        1,
    )
    document = parse_document(text, Path("x.md"))
    assert document.withdraw_older == dt.date(2026, 12, 1)
    assert document.withdraw_reason == "The dose in the table was corrected."
    assert read_document(MASTER).withdraw_older is None
