"""Merging a template into a locale's catalog: GNU ``msgmerge --previous`` itself.

Translators' catalogs pass through their own tools (Poedit, Weblate, Lokalize,
``msgcat``), which all follow GNU gettext; so the merge *is* GNU's: carepack runs
``msgmerge --previous`` on the translator's file exactly as saved and only sets
the header fields it owns. That gives, by construction, what a translator expects
from msgmerge: an unchanged string keeps its translation, also when it comes back
from ``#~`` (a restored paragraph is translated again, not fuzzy); a changed
string is matched to the closest current *or* obsolete entry, across contexts,
and becomes fuzzy with ``#| msgctxt``/``#| msgid``; strings that are gone become
``#~``; translators' comments are kept, and flags are those of the template plus
``fuzzy`` (msgmerge takes format and wrapping flags from the template). The text
is then written by :func:`~pipeline.catalogs.pofile.generate_po`, which lays it
out as msgmerge and msgcat do, so the merge is idempotent and byte-stable.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from ..errors import PoFileError
from ..locales import LocaleInfo
from .catalog import REVIEW_FIELD, REVIEW_STATES
from .msgmerge import MergeResult, run_msgmerge
from .pofile import generate_po, new_po, read_po, read_utf8, require_utf8

if TYPE_CHECKING:
    from .merge_ahead import MergesAhead

HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    REVIEW_FIELD,
    "Generated-By",
)
"""The fields of a new catalog's header, in GNU ``msginit``'s order."""


def po_metadata(template: polib.POFile, locale: LocaleInfo, project: str) -> dict[str, str]:
    """The header of a new PO file for ``locale``."""
    meta = dict(template.metadata)
    meta.update(
        {
            "PO-Revision-Date": template.metadata.get("POT-Creation-Date", ""),
            "Last-Translator": project,
            "Language-Team": f"{locale.english_name} ({locale.native_name})",
            "Language": locale.code,
            "Plural-Forms": locale.plural_forms,
            REVIEW_FIELD: REVIEW_STATES[0],
        }
    )
    return {key: meta[key] for key in HEADER_ORDER if key in meta}


def new_catalog(template: polib.POFile, locale: LocaleInfo, project: str) -> polib.POFile:
    """The header of a locale's first catalog of a domain (no entries yet)."""
    return new_po(
        po_metadata(template, locale, project),
        header=f"{locale.english_name} ({locale.native_name}) translation.\n"
        "Edit the msgstr lines; see README.md, 'For translators'.",
    )


def merged_text(done: MergeResult, old: Path) -> str:
    """What one ``msgmerge --previous`` run of ``old`` wrote (raise :class:`PoFileError`
    with its message when it refused)."""
    if done.returncode != 0:
        stderr = done.stderr.strip()
        message = stderr.splitlines()[0] if stderr else "failed"
        raise PoFileError(f"msgmerge: {message}", old)
    return done.output.read_text(encoding="utf-8")


def update_po(
    template: polib.POFile,
    old_path: Path | None,
    locale: LocaleInfo,
    project: str,
    template_file: Path | None = None,
    ahead: MergesAhead | None = None,
) -> tuple[polib.POFile, str]:
    """Merge ``template`` into the catalog at ``old_path`` (or a new one) for ``locale``;
    and the text msgmerge wrote (for :func:`~pipeline.catalogs.gnu_layout.gnu_layout`).

    msgmerge is the strict reader of the old file: it reads it as GNU's ``msgfmt``
    does and refuses what msgfmt refuses in it (an unclosed quote, a stray line, a bad
    escape, a duplicate), and then :func:`~pipeline.catalogs.pofile.read_po` names the
    file and line (:class:`PoFileError`). polib reads only msgmerge's output, so it never guesses at
    a broken line. What msgmerge carries over unchanged and only msgfmt's
    ``--check-header`` refuses (a plural count that contradicts the header) is left to
    ``carepack check`` and the build, which refuse to publish it, with its line. The
    header keeps the translator's fields in their order (msgmerge keeps the old header,
    with the template's ``POT-Creation-Date``), with any missing ``Language``,
    ``Plural-Forms`` and review state added. ``template_file``: the template already
    written out (else it is); ``ahead``: merges that may have been started already.
    """
    if old_path is not None:
        read_utf8(old_path, locale.code)  # msgmerge would convert another charset
    try:
        if ahead is not None and old_path is not None and template_file is not None:
            done = ahead.take(old_path, template_file)  # the same run, made already
            text = merged_text(done, old_path) if done is not None else None
        else:
            text = None
        if text is None:
            text = _merge_here(template, old_path, locale, project, template_file)
    except PoFileError:
        if old_path is not None:
            read_po(old_path, locale.code)  # the strict reader's message, with the line
        raise
    try:
        merged = polib.pofile(text, encoding="utf-8", wrapwidth=79)
    except (OSError, ValueError) as error:  # GNU read it and wrote it; polib cannot
        where = old_path or Path("(a new catalog)")
        raise PoFileError(f"polib cannot read msgmerge's output: {error}", where) from None
    if old_path is None:
        base = new_catalog(template, locale, project)
    else:
        require_utf8(merged, old_path, locale.code)  # the old file's header, as kept
        meta = dict(merged.metadata)
        meta["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
        meta.setdefault("Language", locale.code)
        if "Plural-Forms" not in meta:  # (Babel's plural table is only loaded when needed)
            meta["Plural-Forms"] = locale.plural_forms
        meta.setdefault(REVIEW_FIELD, REVIEW_STATES[0])
        base = new_po(meta, header=merged.header, fuzzy_header=bool(merged.metadata_is_fuzzy))
    for entry in merged:
        base.append(entry)
    return base, text


def _merge_here(
    template: polib.POFile,
    old_path: Path | None,
    locale: LocaleInfo,
    project: str,
    template_file: Path | None,
) -> str:
    """Run ``msgmerge`` of ``old_path`` (or a new catalog) into ``template_file`` (or
    ``template`` written out) in a scratch folder; what it wrote."""
    with tempfile.TemporaryDirectory(prefix="carepack-merge-") as scratch:
        folder = Path(scratch)
        pot, merged_path = template_file or folder / "template.pot", folder / "merged.po"
        if template_file is None:
            pot.write_text(generate_po(template), encoding="utf-8")
        old_file = old_path or folder / "new.po"
        if old_path is None:
            old_file.write_text(generate_po(new_catalog(template, locale, project)), "utf-8")
        return merged_text(run_msgmerge(old_file, pot, merged_path), old_file)
