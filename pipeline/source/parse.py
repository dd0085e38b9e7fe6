"""Reading a master text (``source/<doc>.md``) into a :class:`Document`.

CommonMark with GFM tables, YAML front matter and one ``::: disclaimer``
container, parsed by markdown-it-py (:mod:`pipeline.source.markdown`); the front
matter is checked by :mod:`pipeline.source.front_matter`, the blocks are collected
by :mod:`pipeline.source.blocks`, and the whole document's rules (one H1 equal to
the title, a disclaimer) are checked here.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError
from .blocks import walk_blocks
from .bounds import check_source_size, read_source_text
from .document import Document, Role
from .front_matter import read_front_matter
from .markdown import master_parser


def read_document(path: Path, display_path: Path | None = None) -> Document:
    """Read and parse a master text file."""
    shown = display_path or path
    return parse_document(read_source_text(path, shown), shown)


def parse_document(text: str, path: Path) -> Document:
    """Parse master-text Markdown (``path`` is only used in messages and references)."""
    check_source_size(text, path)
    tokens = master_parser().parse(text)
    lines = text.splitlines()
    if not tokens or tokens[0].type != "front_matter":
        raise SourceError("missing YAML front matter (--- ... --- at the top)", path, 1)
    meta = read_front_matter(tokens[0], path)
    blocks = walk_blocks(tokens[1:], path, lines)
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
        reading_level=meta.get("reading_level"),
        path=path,
        blocks=blocks,
        version=str(meta.get("version", "1")),
        withdraw_older=meta.get("withdraw_older"),
        withdraw_reason=meta.get("withdraw_reason", ""),
        meta=meta,
    )
