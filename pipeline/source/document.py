"""The master text (``source/<doc>.md``) parsed into a :class:`Document`.

CommonMark with GFM tables, YAML front matter and one ``::: disclaimer``
container, parsed by markdown-it-py. The Document is an ordered tuple of
:class:`Block` s, one per translatable unit, each with a stable id, a role and
the line it came from (a source map, like markdown-it's ``Token.map``).
Wording is the author's: inline Markdown is kept verbatim in ``Block.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import LocaleError, SourceError
from ..locales import parse_locale
from .bounds import check_block_size, check_plain_yaml, check_source_size, read_source_text

DISCLAIMER = "disclaimer"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CAPTION = re.compile(r"^Table:\s+")


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
    reading_level: float
    """The reading-level target (US grade) for this document."""
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


REQUIRED_FIELDS = ("id", "title", "lang", "reviewed", "reading_level")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.use(front_matter_plugin)
    # Accept any container name here so that a misspelled one is reported, not ignored.
    md.use(container_plugin, name="any", validate=lambda params, *args: True)
    return md


def is_raw_html(text: str) -> bool:
    """Whether ``text`` starts a CommonMark HTML block (markdown-it's own start rules)."""
    first = text.lstrip(" ").split("\n", 1)[0]
    return any(start.search(first) for start, _, _ in HTML_SEQUENCES)


def slugify(text: str) -> str:
    """A lower-case ASCII slug for section ids (``Supportive Care`` → ``supportive-care``)."""
    plain = re.sub(r"[*_`\[\]()!]", "", text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug or "section"


def read_document(path: Path, display_path: Path | None = None) -> Document:
    """Read and parse a master text file."""
    shown = display_path or path
    return parse_document(read_source_text(path, shown), shown)


def parse_document(text: str, path: Path) -> Document:
    """Parse master-text Markdown (``path`` is only used in messages and references)."""
    check_source_size(text, path)
    tokens = _markdown().parse(text)
    lines = text.splitlines()
    if not tokens or tokens[0].type != "front_matter":
        raise SourceError("missing YAML front matter (--- ... --- at the top)", path, 1)
    meta = _front_matter(tokens[0], path)
    builder = _Builder(path, lines)
    builder.walk(tokens[1:])
    blocks = tuple(builder.blocks)
    titles = [b for b in blocks if b.role is Role.TITLE]
    if len(titles) != 1:
        line = titles[1].line if len(titles) > 1 else 1
        raise SourceError(f"expected exactly one H1 title, found {len(titles)}", path, line)
    if titles[0].text != meta["title"]:
        raise SourceError(
            f"the H1 {titles[0].text!r} differs from the front matter title {meta['title']!r}",
            path,
            titles[0].line,
        )
    if not any(b.role.is_disclaimer for b in blocks):
        raise SourceError("no '::: disclaimer' container: every document needs one", path, 1)
    return Document(
        id=meta["id"],
        title=meta["title"],
        lang=meta["lang"],
        reviewed=meta["reviewed"],
        reading_level=meta["reading_level"],
        path=path,
        blocks=blocks,
        version=str(meta.get("version", "1")),
        withdraw_older=meta.get("withdraw_older"),
        withdraw_reason=meta.get("withdraw_reason", ""),
        meta=meta,
    )


def _front_matter(token: Token, path: Path) -> dict[str, Any]:
    try:
        check_plain_yaml(token.content, path)
        meta = yaml.safe_load(token.content) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise SourceError(f"invalid YAML front matter: {error}", path, line) from None
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping of fields", path, 1)

    def line_of(key: str) -> int:
        for number, line in enumerate(token.content.splitlines(), start=2):
            if line.startswith(f"{key}:"):
                return number
        return 1

    for key in REQUIRED_FIELDS:
        if meta.get(key) in (None, ""):
            raise SourceError(f"front matter field {key!r} is missing", path, line_of(key))
    if not isinstance(meta["id"], str) or not _ID.match(meta["id"]):
        raise SourceError(
            f"id {meta['id']!r} must be lower-case letters, digits and hyphens",
            path,
            line_of("id"),
        )
    if not isinstance(meta["title"], str):
        raise SourceError("title must be text", path, line_of("title"))
    try:
        meta["lang"] = parse_locale(str(meta["lang"])).code
    except LocaleError as error:
        raise SourceError(f"lang: {error.message}", path, line_of("lang")) from None
    reviewed = meta["reviewed"]
    if isinstance(reviewed, str):
        try:
            reviewed = dt.date.fromisoformat(reviewed)
        except ValueError:
            reviewed = None
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise SourceError("reviewed must be a date (YYYY-MM-DD)", path, line_of("reviewed"))
    meta["reviewed"] = reviewed
    level = meta["reading_level"]
    if isinstance(level, bool) or not isinstance(level, int | float) or not 1 <= level <= 20:
        raise SourceError(
            "reading_level must be a US grade between 1 and 20", path, line_of("reading_level")
        )
    meta["reading_level"] = float(level)
    _withdrawal(meta, path, line_of)
    return meta


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return None
    return value


def _withdrawal(meta: dict[str, Any], path: Path, line_of: Callable[[str], int]) -> None:
    """Check ``withdraw_older`` (a date) and ``withdraw_reason`` (required with it)."""
    if meta.get("withdraw_older") is None:
        if meta.get("withdraw_reason"):
            raise SourceError(
                "withdraw_reason is given without withdraw_older (the date before which "
                "translations are taken down)",
                path,
                line_of("withdraw_reason"),
            )
        return
    date = _date(meta["withdraw_older"])
    if date is None:
        raise SourceError(
            "withdraw_older must be a date (YYYY-MM-DD)", path, line_of("withdraw_older")
        )
    reason = meta.get("withdraw_reason")
    if not isinstance(reason, str) or not reason.strip():
        raise SourceError(
            "withdraw_older needs withdraw_reason: say why older translations are unsafe "
            "(it is shown to translators and in the build report)",
            path,
            line_of("withdraw_older"),
        )
    meta["withdraw_older"], meta["withdraw_reason"] = date, reason.strip()


class _Builder:
    """Walks markdown-it's token stream and collects blocks."""

    def __init__(self, path: Path, lines: Sequence[str]) -> None:
        self.path = path
        self.lines = lines
        self.blocks: list[Block] = []
        self.section = "intro"
        self.counters: dict[str, int] = {}
        self.in_disclaimer = False
        self.disclaimer_line: int | None = None
        self.table: str | None = None
        self.last_table_end: int | None = None

    def error(self, message: str, line: int) -> SourceError:
        return SourceError(message, self.path, line)

    def next_id(self, kind: str) -> str:
        key = f"{self.section}.{kind}"
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{key}{self.counters[key]}"

    def add(self, role: Role, token: Token, line: int, **extra: Any) -> None:
        text = " ".join(part.strip() for part in token.content.splitlines()).strip()
        if not text:
            return
        check_block_size(text, role.value, self.path, line)
        kind = {
            Role.TITLE: "title",
            Role.HEADING: "h",
            Role.DISCLAIMER_HEADING: "h",
            Role.CAPTION: "caption",
            Role.LIST_ITEM: "li",
            Role.DISCLAIMER_LIST_ITEM: "li",
        }.get(role, "p")
        if role in {Role.TABLE_HEADER, Role.TABLE_CELL}:
            block_id = f"{self.table}.r{extra['row']}c{extra['col']}"
        elif role is Role.TITLE:
            block_id = "title"
        else:
            block_id = self.next_id(kind)
        self.blocks.append(Block(block_id, role, text, line, self.section, **extra))

    def walk(self, tokens: list[Token]) -> None:
        stack: list[Token] = []
        list_ids: list[tuple[str, bool]] = []
        row = col = 0
        for index, token in enumerate(tokens):
            kind = token.type
            if kind.endswith("_open"):
                stack.append(token)
            elif kind.endswith("_close"):
                stack.pop()
            mapped = [t.map for t in (token, *reversed(stack)) if t.map]
            line = mapped[0][0] + 1 if mapped else 1
            if kind == "container_any_open":
                self.open_container(token, line)
            elif kind == "container_any_close":
                self.in_disclaimer = False
                # What follows the disclaimer without a heading of its own is a new section.
                self.section = self.unique_section("after-disclaimer", line)
            elif kind == "heading_open":
                level = int(token.tag[1])
                inline = tokens[index + 1]
                if level == 1:
                    if self.in_disclaimer:
                        raise self.error("the title (H1) cannot be inside the disclaimer", line)
                    self.add(Role.TITLE, inline, line, level=1)
                    continue
                if self.in_disclaimer:
                    self.add(Role.DISCLAIMER_HEADING, inline, line, level=level)
                    continue
                if level == 2:
                    self.section = self.unique_section(slugify(inline.content), line)
                self.add(Role.HEADING, inline, line, level=level)
            elif kind in {"bullet_list_open", "ordered_list_open"}:
                list_ids.append((self.next_id("list"), kind.startswith("ordered")))
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                list_ids.pop()
            elif kind == "table_open":
                if self.in_disclaimer:
                    raise self.error("tables are not supported inside the disclaimer", line)
                self.table = self.next_id("t")
                self.last_table_end = token.map[1] if token.map else None
            elif kind == "tr_open":
                row = 0 if any(t.type == "thead_open" for t in stack) else row + 1
                col = 0
            elif kind in {"th_open", "td_open"}:
                col += 1
                role = Role.TABLE_HEADER if kind == "th_open" else Role.TABLE_CELL
                self.add(role, tokens[index + 1], line, group=self.table, row=row, col=col)
            elif kind == "paragraph_open":
                self.paragraph(tokens[index + 1], line, stack, list_ids)
            elif kind in {"fence", "code_block", "html_block", "hr"}:
                raise self.error(
                    f"unsupported block ({kind.replace('_', ' ')}) in a master text", line
                )
        if self.in_disclaimer:
            raise self.error(
                "the '::: disclaimer' container is never closed", self.disclaimer_line or 1
            )

    def paragraph(
        self, inline: Token, line: int, stack: list[Token], list_ids: list[tuple[str, bool]]
    ) -> None:
        stripped = inline.content.lstrip()
        if stripped.startswith(":::"):
            raise self.error(
                f"unknown or misplaced container {stripped.splitlines()[0]!r}: "
                "only '::: disclaimer' is supported",
                line,
            )
        if any(t.type == "list_item_open" for t in stack):
            group, ordered = list_ids[-1]
            role = Role.DISCLAIMER_LIST_ITEM if self.in_disclaimer else Role.LIST_ITEM
            self.add(role, inline, line, group=group, ordered=ordered)
            return
        match = _CAPTION.match(inline.content)
        if match and self.table and self.last_table_end is not None and not self.in_disclaimer:
            gap = self.lines[self.last_table_end : line - 1]
            if all(not text.strip() for text in gap):
                content = inline.content[match.end() :]
                caption = Token("inline", "", 0, content=content)
                self.add(Role.CAPTION, caption, line, group=self.table)
                return
        role = Role.DISCLAIMER_PARAGRAPH if self.in_disclaimer else Role.PARAGRAPH
        self.add(role, inline, line, raw_html=is_raw_html(inline.content))

    def unique_section(self, slug: str, line: int) -> str:
        taken = {"intro", DISCLAIMER, self.section} | {b.section for b in self.blocks}
        if slug in taken:
            raise self.error(
                f"two sections would both be called {slug!r}; rename one heading", line
            )
        return slug

    def open_container(self, token: Token, line: int) -> None:
        name = token.info.strip()
        if name != DISCLAIMER:
            raise self.error(
                f"unknown container '::: {name}': only '::: disclaimer' is supported", line
            )
        if self.in_disclaimer:
            raise self.error("a disclaimer cannot be nested in another", line)
        if self.disclaimer_line is not None:
            raise self.error(
                f"a second disclaimer (the first is at line {self.disclaimer_line})", line
            )
        end = token.map[1] if token.map else len(self.lines)
        if end >= len(self.lines) or not self.lines[end].strip().startswith(":::"):
            raise self.error("the '::: disclaimer' container is never closed", line)
        self.in_disclaimer = True
        self.disclaimer_line = line
        self.section = DISCLAIMER
