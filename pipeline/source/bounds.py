"""What carepack will read as a master text: a bounded, plain, local file.

A master text is hostile input like any other. It must be a regular file in
``source/`` (a link out of the folder, say to ``/etc/passwd``, is refused), of a
leaflet's size, UTF-8, and its front matter plain YAML: anchors and aliases are
how a few lines of YAML expand to gigabytes ("billion laughs"), so they are
refused with their line before anything is built from them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import SourceError

MAX_SOURCE_BYTES = 1_000_000
"""The largest master text read: 180 times the shipped leaflet (5.5 kB)."""
MAX_FRONT_MATTER_BYTES = 16_000
"""The largest front matter: it holds a few short fields."""
MAX_BLOCK_CHARS = 10_000
"""The longest block (paragraph, list item, cell): ten times the shipped text's longest."""


def _too_large(size: int) -> str:
    return (
        f"{size / 1e6:.1f} MB is far beyond a leaflet; a master text may be at most "
        f"{MAX_SOURCE_BYTES / 1e6:.1f} MB (split it into several documents)"
    )


def read_source_text(path: Path, shown: Path) -> str:
    """The text of ``path``, checked; errors name ``shown`` (and the line, for bad UTF-8)."""
    if path.is_symlink() and path.resolve().parent != path.parent.resolve():
        raise SourceError(
            f"a symbolic link to {path.resolve()}, outside {path.parent.name}/: "
            "a master text must be a file in that folder",
            shown,
        )
    try:
        if not path.is_file():
            raise SourceError("not a regular file", shown)
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(_too_large(size), shown)
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SourceError(
            f"cannot read the file ({reason}); check its permissions", shown
        ) from None
    if len(data) > MAX_SOURCE_BYTES:  # it grew while it was read
        raise SourceError(_too_large(len(data)), shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 text (byte {data[error.start]:#04x}); save the file as UTF-8", shown, line
        ) from None


def check_source_size(text: str, path: Path) -> None:
    """Refuse a text beyond :data:`MAX_SOURCE_BYTES` (for texts not read from a file)."""
    size = len(text.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        raise SourceError(_too_large(size), path, 1)


def check_plain_yaml(content: str, path: Path) -> None:
    """Refuse a long front matter, anchors (``&a``), aliases (``*a``) and tags, with the line.

    The YAML events are read one by one, so the check takes time linear in the text.
    """
    if len(content.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise SourceError(
            f"the front matter is longer than {MAX_FRONT_MATTER_BYTES // 1000} kB; "
            "it holds a few short fields",
            path,
            1,
        )
    for event in yaml.parse(content, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 2 if event.start_mark is not None else 1
        anchor: str | None = getattr(event, "anchor", None)
        tag: str | None = getattr(event, "tag", None)
        if isinstance(event, yaml.AliasEvent):
            raise SourceError(
                f"YAML alias *{anchor} in the front matter: write the value itself", path, line
            )
        if anchor is not None:
            raise SourceError(
                f"YAML anchor &{anchor} in the front matter: anchors are not allowed", path, line
            )
        if tag is not None:
            raise SourceError(
                f"YAML tag {tag} in the front matter: tags are not allowed", path, line
            )


def check_block_size(text: str, kind: str, path: Path, line: int) -> None:
    """Refuse a block beyond :data:`MAX_BLOCK_CHARS`, with its line."""
    if len(text) > MAX_BLOCK_CHARS:
        raise SourceError(
            f"a {kind} of {len(text)} characters: a block may be at most {MAX_BLOCK_CHARS} "
            "(split it into paragraphs or a list)",
            path,
            line,
        )
