"""Compiling catalogs to MO files for gettext programs (``carepack compile``, and every
build): each locale's domains to ``output/locale/<lang>/LC_MESSAGES/<domain>.mo``, and
under each name a gettext runtime may ask for instead (``zh_CN`` for ``zh_Hans``:
:data:`~pipeline.locales.GETTEXT_ALIASES`).

A catalog whose bytes are those it was last compiled from, with its MO files as that
compile left them, is not read again (a stamp per catalog under the project's cache):
reading 16 catalogs with polib took a one-entry rebuild's interpreter lock for 70 ms,
while the changed language was being checked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import polib

from ..build.freshness import files_key, fresh, record
from ..errors import CarepackError, FileSystemError
from ..fsutil import atomic_write
from ..locales import GETTEXT_ALIASES, parse_locale
from .mo import compile_mo
from .outcome import Outcome


class Catalogs(Protocol):
    """Where a project's catalogs are, and how one is read (a
    :class:`~pipeline.project.Project`)."""

    def domains(self) -> list[str]:
        """The gettext domains: one per document, and the interface's."""

    def po_path(self, locale: str, domain: str) -> Path:
        """A catalog's PO file."""

    def mo_path(self, locale: str, domain: str) -> Path:
        """Where its MO file goes."""

    def catalog(self, locale: str, domain: str) -> polib.POFile:
        """The catalog, read (raises :class:`~pipeline.errors.PoFileError`)."""


def compile_catalogs(catalogs: Catalogs, codes: Sequence[str], stamps: Path) -> Outcome:
    """Every catalog of the locales ``codes`` compiled (see the module docstring); the
    stamps are kept in ``stamps``. Reported in the order of the locales."""
    # msgfmt checks each catalog outside Python: one thread a core overlaps them.
    workers = max(1, min(len(codes), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(lambda code: _compile_locale(catalogs, code, stamps), codes))
    outcome = Outcome()
    for part in parts:
        outcome.written += part.written
        outcome.unchanged += part.unchanged
        outcome.errors += part.errors
    return outcome


def _compile_locale(catalogs: Catalogs, code: str, stamps: Path) -> Outcome:
    """One locale's MO files."""
    outcome = Outcome()
    aliases = GETTEXT_ALIASES.get(parse_locale(code).code, ())
    polib_version = getattr(polib, "__version__", "-")
    for domain in catalogs.domains():
        path = catalogs.mo_path(code, domain)
        made = [
            path,
            *(path.parent.parent.parent / a / "LC_MESSAGES" / path.name for a in aliases),
        ]
        stamp = stamps / f"{code}.{domain}.stamp"
        key = files_key([catalogs.po_path(code, domain)], "mo", code, domain, polib_version)
        if fresh(stamp, key) is not None:
            outcome.unchanged += made
            continue
        try:
            po = catalogs.catalog(code, domain)
        except CarepackError as error:
            outcome.errors.append(error)
            continue
        binary = compile_mo(po)
        for target in made:
            outcome.record(target, atomic_write(target, binary, durable=False))
        with contextlib.suppress(FileSystemError):  # a stamp not written costs time only
            record(stamp, key, made, True)
    return outcome
