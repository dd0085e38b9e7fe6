"""What a catalog operation did (extract, update, compile): files written, files left
alone, and errors, each naming its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CarepackError


@dataclass
class Outcome:
    """What a catalog operation did: files written, left alone, and errors."""

    written: list[Path] = field(default_factory=list)
    """Files whose content changed."""
    unchanged: list[Path] = field(default_factory=list)
    """Files that already had the right content."""
    errors: list[CarepackError] = field(default_factory=list)
    """Problems, each naming its file and line; the other files were still processed."""
    from_memory: int = 0
    """Entries filled from translation memory (``update``)."""

    def record(self, path: Path, changed: bool) -> None:
        """Note that ``path`` was written (``changed``) or already up to date."""
        (self.written if changed else self.unchanged).append(path)
