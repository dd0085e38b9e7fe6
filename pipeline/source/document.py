"""What a master text (``source/<doc>.md``) is once parsed: a :class:`Document`.

The Document is an ordered tuple of :class:`Block` s, one per translatable unit,
each with a stable id, a role and the line it came from (a source map, like
markdown-it's ``Token.map``). Wording is the author's: inline Markdown is kept
verbatim in ``Block.text``. :mod:`pipeline.source.parse` makes one from a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

DISCLAIMER = "disclaimer"
"""The name of the required ``::: disclaimer`` container, and of its section."""


class Role(StrEnum):
    """What a block is; it decides how it is extracted, rendered and spoken."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_HEADER = "table header"
    TABLE_CELL = "table cell"
    CAPTION = "caption"
    DISCLAIMER_HEADING = "disclaimer heading"
    DISCLAIMER_PARAGRAPH = "disclaimer paragraph"
    DISCLAIMER_LIST_ITEM = "disclaimer list item"

    @property
    def is_disclaimer(self) -> bool:
        return self.value.startswith("disclaimer")

    @property
    def is_heading(self) -> bool:
        return self in {Role.TITLE, Role.HEADING, Role.DISCLAIMER_HEADING}


@dataclass(frozen=True)
class Block:
    """One translatable unit of the master text."""

    id: str
    """Stable id: ``<section>.<kind><n>``, e.g. ``intro.p2`` or ``comparison.t1.r2c3``."""
    role: Role
    """What the block is."""
    text: str
    """The block's inline Markdown, verbatim (soft line breaks become spaces)."""
    line: int
    """1-based line in the source file where the block starts."""
    section: str
    """Id of the section the block belongs to (``intro`` before the first H2)."""
    level: int = 0
    """Heading level (1-6) for headings, else 0."""
    group: str | None = None
    """Id of the list or table the block belongs to, to regroup consecutive blocks."""
    row: int = 0
    """Table row (0 is the header row), for table blocks."""
    col: int = 0
    """Table column (1-based), for table blocks."""
    ordered: bool = False
    """For list items: whether the list is numbered."""
    raw_html: bool = False
    """Whether the block is raw HTML (a CommonMark HTML block such as ``<script>…``): it is
    shown as the text it is, never rendered, never read aloud, and a warning names it."""


@dataclass(frozen=True)
class Section:
    """A run of blocks that starts with a heading (or the document start)."""

    id: str
    """Section id, also the anchor on the page and the audio track's name."""
    heading: Block | None
    """The heading block; the title for the introduction."""
    blocks: tuple[Block, ...]
    """The section's blocks, heading included."""

    @property
    def is_disclaimer(self) -> bool:
        return self.id == DISCLAIMER


@dataclass(frozen=True)
class Document:
    """A parsed master text."""

    id: str
    """The document id from the front matter, also the gettext domain."""
    title: str
    """The title (equal to the H1)."""
    lang: str
    """The source language (gettext code)."""
    reviewed: dt.date
    """When the medical content was last reviewed."""
    reading_level: float | None
    """The reading-level target (US grade) for this document; ``None``: the project's
    (``reading_level_target`` in ``carepack.toml``)."""
    path: Path
    """The file the document was read from (relative to the project root if possible)."""
    blocks: tuple[Block, ...]
    """The translatable blocks, in reading order."""
    version: str = "1"
    """The document's version, for pack manifests."""
    withdraw_older: dt.date | None = None
    """Front matter ``withdraw_older``: translations of the text as it was before this
    date are unsafe to read (a corrected dose, a withdrawn treatment) and are taken down
    until they are brought up to date."""
    withdraw_reason: str = ""
    """Front matter ``withdraw_reason``: why, for the build report and ``carepack status``."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    """The raw front matter."""

    @property
    def sections(self) -> list[Section]:
        """The blocks grouped by section, in order."""
        order: dict[str, list[Block]] = {}
        for block in self.blocks:
            order.setdefault(block.section, []).append(block)
        result = []
        for section_id, blocks in order.items():
            heading = next((b for b in blocks if b.role.is_heading), None)
            result.append(Section(section_id, heading, tuple(blocks)))
        return result

    @property
    def disclaimer(self) -> tuple[Block, ...]:
        """The disclaimer's blocks."""
        return tuple(b for b in self.blocks if b.role.is_disclaimer)
