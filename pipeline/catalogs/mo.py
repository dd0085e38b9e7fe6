"""Compiling a catalog to the binary MO format that gettext runtimes read."""

from __future__ import annotations

import polib

from .catalog import is_done


def compile_mo(po: polib.POFile) -> bytes:
    """The binary MO file (translated, non-fuzzy entries only), via polib."""
    compiled = polib.POFile(check_for_duplicates=False)
    compiled.metadata = dict(po.metadata)
    for entry in po:
        if is_done(entry):
            compiled.append(entry)
    return bytes(compiled.to_binary())
