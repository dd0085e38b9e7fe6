"""What ``carepack <command> --help`` says: what each command does and its exit codes.

Kept apart from the argument definitions in :mod:`pipeline.cli` so that the help reads
as prose a translator or health writer can follow. Every command has an entry (a test
checks it).
"""

from __future__ import annotations

EXIT_CODES = {
    0: "success",
    1: "another problem with the project (the message says which, with the file)",
    2: "carepack.toml, a lexicon or the command line is invalid",
    3: "a master text in source/ is malformed (only that document stops)",
    4: "a PO file cannot be read",
    5: "carepack check found errors (with --strict, warnings too)",
    6: "a language was withheld or an output failed (the others were built)",
    7: "another build is running",
    8: "a pack does not match its manifest: do not use it",
    9: "a glossary cannot be read",
    10: "the system refused to read or write a file (read-only, disk full, permissions)",
    11: "the Dask scheduler cannot be reached, has no workers, or was lost (build --scheduler)",
}
"""Every exit code the commands use, and what it means."""

COMMANDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "extract": (
        "Write the translation templates: locales/<document>.pot for every master text in "
        "source/, and locales/ui.pot for the words around it (buttons, labels, the pack's "
        "read-me). Translators never edit these; `carepack update` merges them into their "
        "files.",
        (0, 2, 3, 10),
    ),
    "update": (
        "Extract, then merge the templates into every language's PO files the way GNU "
        "msgmerge does: translations are kept, changed sentences are marked fuzzy with the "
        "previous text, removed ones become obsolete (#~). Empty entries are then filled "
        "from translation memory (the language's other documents and the compendia of "
        "carepack.toml), and each entry lists its glossary terms. A PO file with a syntax "
        "error is left untouched and named with its line; the other languages are still "
        "updated; a compendium (4) or glossary (9) that cannot be read is named and left out.",
        (0, 2, 3, 4, 9, 10),
    ),
    "compile": (
        "Compile every PO file into a binary .mo catalog under output/locale/<lang>/"
        "LC_MESSAGES/ (for gettext-based software; the pages and packs do not need them).",
        (0, 2, 3, 4, 10),
    ),
    "build": (
        "Check every document in every language, then write, for each language that "
        "passes, the large-print page, the audio, the handout and the zip pack, and "
        "output/index.html. Only what changed is redone. A language that fails is withheld "
        "(its last good outputs stay) and named with the file and line; the others are "
        "built. With --scheduler (or DASK_SCHEDULER_ADDRESS, or [build] scheduler in "
        "carepack.toml, in that order), each language's outputs are made on a Dask cluster "
        "whose workers share this project's folder.",
        (0, 2, 3, 6, 7, 10, 11),
    ),
    "check": (
        "Check without building: reading level of the master text and of every "
        "translation, the entry checks (numbers, links, placeholders, markup, terms), the "
        "disclaimer gate and the speech checks. Writes output/reports/readability.html.",
        (0, 2, 3, 5, 10),
    ),
    "script": (
        "Print exactly what the audio of DOCUMENT in LOCALE says, section by section, with "
        "the pauses, and every lexicon substitution marked under its line, so that a "
        "reviewer can proofread what a listener hears.",
        (0, 2, 3, 4),
    ),
    "terms": (
        "Show how each language's glossary (locales/<lang>/glossary.tbx or .csv) is used "
        "in its catalogs; with --extract, propose candidate terms from the master texts.",
        (0, 2, 3, 4, 9, 10),
    ),
    "verify": (
        "Check packs you received against their manifests: every file present, of the "
        "listed size and SHA-256, nothing added, no unsafe names or links, no damage. The "
        "zip is read in a stream, never trusted.",
        (0, 8),
    ),
    "status": (
        "Show, for every language, how many entries are translated, fuzzy or empty, "
        "how many came from translation memory, whether the disclaimer is complete, and the "
        "review state (--json for machines).",
        (0, 2, 3, 4),
    ),
}
"""Per command: its description, and the exit codes it can return."""


def epilog(codes: tuple[int, ...]) -> str:
    """The "exit codes" paragraph of a command's help."""
    lines = ["exit codes:"]
    lines += [f"  {code:>2}  {EXIT_CODES[code]}" for code in codes]
    return "\n".join(lines)
