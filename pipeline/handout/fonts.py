"""The handout's fonts, found through fontconfig, and whether they cover a text.

The handout names only these families, so that a printed page never falls back to
a font nobody chose, and a character none of them has is caught before a PDF with a
box in place of a letter is made.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class FontFamily:
    """One font family the handout's stylesheet names."""

    name: str
    """The family name, as fontconfig and CSS know it (``Noto Sans Arabic``)."""
    package: str
    """The Debian package that installs it."""


FAMILIES: tuple[FontFamily, ...] = (
    FontFamily("Noto Sans", "fonts-noto-core"),
    FontFamily("Noto Sans Arabic", "fonts-noto-core"),
    FontFamily("Noto Sans CJK SC", "fonts-noto-cjk"),
)
"""Latin, Cyrillic and Vietnamese; Arabic; Chinese: in the order the stylesheet lists them."""

_IGNORED = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
"""Characters that are never drawn (line breaks, soft hyphen, zero-width joiners)."""


@dataclass(frozen=True)
class Uncovered:
    """A character that no installed handout font can draw."""

    char: str
    """The character."""
    where: str
    """What it is in (a block id, or an interface string)."""
    missing: tuple[FontFamily, ...]
    """Handout families that are not installed (a likely cause), if any."""

    @property
    def message(self) -> str:
        code = f"U+{ord(self.char):04X}"
        if self.missing:
            names = ", ".join(f"{f.name} (Debian package {f.package})" for f in self.missing)
            return (
                f"no handout made: the character {self.char!r} ({code}) in {self.where} needs a "
                f"font that is not installed: {names}; install it and build again"
            )
        families = ", ".join(f.name for f in FAMILIES)
        return (
            f"no handout made: the character {self.char!r} ({code}) in {self.where} is in none "
            f"of the handout's fonts ({families}); it would print as a box"
        )


def _parse_charset(text: str) -> frozenset[int]:
    """fontconfig's ``%{charset}`` (``20-7e a0 ...``) as a set of code points."""
    points: set[int] = set()
    for part in text.split():
        low, _, high = part.partition("-")
        points.update(range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(points)


@cache
def family_charset(name: str) -> frozenset[int] | None:
    """The code points of a family's regular face, or ``None`` when it is not installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    result = subprocess.run(
        [fc_list, "--format", "%{family}\t%{charset}\n", f":family={name}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        families, _, charset = line.partition("\t")
        if name in families.split(","):
            return _parse_charset(charset)
    return None


def forget_fonts() -> None:
    """Look the fonts up again next time (after fontconfig's configuration changed)."""
    family_charset.cache_clear()
    covered_points.cache_clear()


def missing_families() -> tuple[FontFamily, ...]:
    """The handout's families that fontconfig cannot find."""
    return tuple(f for f in FAMILIES if family_charset(f.name) is None)


@cache
def covered_points() -> frozenset[int]:
    """Every code point some installed family of the handout covers (made once: the CJK
    family alone covers some 65,000, and each handout checks every block's text)."""
    covered: set[int] = set()
    for family in FAMILIES:
        covered |= family_charset(family.name) or frozenset()
    return frozenset(covered)


def coverage_known() -> bool:
    """Whether this process has looked up what the installed fonts cover."""
    return covered_points.cache_info().currsize > 0


def uncovered(texts: Iterable[tuple[str, str]]) -> list[Uncovered]:
    """Each character (once) of ``(where, text)`` pairs that no installed family covers."""
    covered = covered_points()
    found: dict[str, Uncovered] = {}
    for where, text in texts:
        for char in text:
            if char in _IGNORED or char == " " or char in found:
                continue
            if ord(char) not in covered:
                found[char] = Uncovered(char, where, missing_families())
    return list(found.values())
