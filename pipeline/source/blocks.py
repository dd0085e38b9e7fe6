"""The block walk: markdown-it's token stream of a master text → :class:`Block` s.

One pass over the block tokens gives every translatable unit its role, a stable id
(``<section>.<kind><n>``; table cells ``<table>.r<row>c<col>``), its section and
source line. The rules of the master text's structure are checked on the way: one
disclaimer container, closed and not nested; no title inside it; no tables in it;
no code blocks, raw HTML blocks or rules; section ids that do not collide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.token import Token

from ..errors import SourceError
from .bounds import check_block_size
from .document import DISCLAIMER, Block, Role

_CAPTION = re.compile(r"^Table:\s+")


def is_raw_html(text: str) -> bool:
    """Whether ``text`` starts a CommonMark HTML block (markdown-it's own start rules)."""
    first = text.lstrip(" ").split("\n", 1)[0]
    return any(start.search(first) for start, _, _ in HTML_SEQUENCES)


def slugify(text: str) -> str:
    """A lower-case ASCII slug for section ids (``Supportive Care`` → ``supportive-care``)."""
    plain = re.sub(r"[*_`\[\]()!]", "", text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug or "section"


def walk_blocks(tokens: list[Token], path: Path, lines: Sequence[str]) -> tuple[Block, ...]:
    """The blocks of a master text's tokens (front matter left out), in reading order.

    ``lines`` are the source's lines (to find a table's caption and an unclosed
    container); ``path`` is only used in messages.
    """
    walk = _BlockWalk(path, lines)
    walk.walk(tokens)
    return tuple(walk.blocks)


class _BlockWalk:
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
