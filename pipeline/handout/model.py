"""What the build knows of a handout without rendering one: the rendered PDF in memory, the
file on disk, its name and the address of its page (WeasyPrint, the templates and the
QR code are :mod:`pipeline.handout.render`'s, loaded only where handouts are rendered)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..locales import parse_locale


@dataclass(frozen=True)
class RenderedHandout:
    """A handout rendered in memory, not yet written."""

    pdf: bytes
    """The PDF file."""
    pages: int
    """How many pages it has."""


@dataclass(frozen=True)
class HandoutFile:
    """A handout on disk."""

    path: Path
    """``output/<doc>/<lang>/<doc>-<lang>.pdf``."""
    size: int
    """Its size in bytes."""
    pages: int
    """Its page count."""
    written: bool = True
    """``False`` when the file already held these bytes (left alone)."""


def handout_name(doc_id: str, code: str) -> str:
    """``<doc>-<lang>.pdf``, from a validated locale code."""
    return f"{doc_id}-{parse_locale(code).code}.pdf"


def page_url(publish_url: str, doc_id: str, code: str) -> str:
    """The address of a language's page once ``output/`` is published at ``publish_url``."""
    return f"{publish_url.rstrip('/')}/{doc_id}/{parse_locale(code).code}/index.html"
