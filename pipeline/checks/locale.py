"""Checking one locale of one document: read its catalogs, run the entry checks and the
disclaimer gate. The build and ``carepack check`` both start here, so they agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from ..audio.lexicon import LexiconError, speech_rules
from ..audio.lint import lint_script
from ..audio.script import Script, spoken_script
from ..catalogs.catalog import context_for
from ..catalogs.pofile import read_po
from ..catalogs.translate import TranslatedDocument, UiText, translate
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..config import CONFIG_NAME
from ..errors import CarepackError, TermbaseError
from ..locales import LocaleInfo, parse_locale
from ..project import Project
from ..publishing import DOCUMENT_PO, MASTER, UI_PO, snapshot_dir
from ..source.document import Document, read_document
from ..termbase.glossary import GLOSSARY_NAMES
from .findings import Finding, check_catalog
from .gate import GateResult, gate, ui_findings
from .spoken_disclaimer import disclaimer_substitutions


@dataclass(frozen=True)
class LocaleCheck:
    """One locale of one document, checked."""

    document: Document
    """The master text."""
    locale: LocaleInfo
    """The locale (the source language included)."""
    translated: TranslatedDocument | None
    """The document in this locale (``None`` when a catalog could not be read)."""
    ui: UiText | None
    """The interface strings in this locale."""
    findings: tuple[Finding, ...]
    """Entry-check findings for both catalogs."""
    gate: GateResult | None
    """The gate's verdict (``None`` for the source language, always published)."""
    errors: tuple[CarepackError, ...]
    """Unreadable catalogs, each naming file and line."""
    po: polib.POFile | None = None
    """The locale's catalog of the document (``None`` for the source language)."""

    @property
    def is_source(self) -> bool:
        return self.locale.code == self.document.lang

    @property
    def published(self) -> bool:
        if self.errors or self.translated is None:
            return False
        return self.is_source or (self.gate is not None and self.gate.published)

    @property
    def pending(self) -> bool:
        """Not publishable only because the translation is not done (not an error)."""
        return not self.errors and self.gate is not None and self.gate.pending

    def line_of(self, block_id: str) -> int | None:
        """The line where a block's text is written in this locale: in the master text,
        or (for a translation) its entry's line in the locale's PO file."""
        block = next(b for b in self.document.blocks if b.id == block_id)
        if self.is_source or self.po is None:
            return block.line
        key = (context_for(block), block.text)
        return next((e.linenum for e in self.po if (e.msgctxt, e.msgid) == key), None)

    def reasons(self) -> list[str]:
        """Why the locale is withheld, one line each with file and line."""
        lines = [str(error) for error in self.errors]
        if self.gate is not None:
            lines += [str(reason) for reason in self.gate.reasons]
        return lines


def check_locale(project: Project, document: Document, code: str) -> LocaleCheck:
    """Read, translate, check and gate ``document`` in ``code``."""
    info = parse_locale(code)
    lexicon = _lexicon_errors(project, info.code)
    if info.code == document.lang:
        translated = None if lexicon else translate(document, info, None)
        raw = raw_html_findings(document, project.relative(document.path), info.code)
        return LocaleCheck(document, info, translated, UiText(info, None), raw, None, lexicon)
    errors: list[CarepackError] = list(lexicon)
    glossary, unreadable = project.glossary(info.code)
    findings: list[Finding] = [glossary_finding(error) for error in unreadable]
    catalogs = {}
    for domain in (document.id, UI_DOMAIN):
        path = project.po_path(info.code, domain)
        try:
            po = project.catalog(info.code, domain)
        except CarepackError as error:
            errors.append(error)
            continue
        catalogs[domain] = po
        findings += check_catalog(
            po,
            project.relative(path),
            info,
            domain,
            project.config.source_language,
            glossary.terms,
        )
        if domain == UI_DOMAIN:
            findings += ui_findings(info, po, project.relative(path))
    if errors:
        return LocaleCheck(document, info, None, None, tuple(findings), None, tuple(errors))
    doc_po = catalogs[document.id]
    verdict = gate(
        document,
        info,
        doc_po,
        project.relative(project.po_path(info.code, document.id)),
        project.config.completeness_threshold,
        findings,
    )
    translated = translate(document, info, doc_po)
    ui = UiText(info, catalogs[UI_DOMAIN])
    return LocaleCheck(document, info, translated, ui, tuple(findings), verdict, (), doc_po)


def glossary_finding(error: TermbaseError) -> Finding:
    """An unreadable glossary, as an error-level finding: the locale's term checks did not
    run, so it is withheld until the file is fixed (every other check still ran)."""
    return Finding(
        locale=error.locale or "",
        path=error.path or Path(GLOSSARY_NAMES[0]),
        line=error.line,
        msgid="",
        msgctxt=None,
        check="glossary",
        severity="error",
        message=f"{error.message} (the glossary file was skipped: its terms were not checked)",
    )


def check_project(project: Project) -> list[LocaleCheck]:
    """Every document in every language (the source language first)."""
    return [
        check_locale(project, document, code)
        for document in project.documents()
        for code in project.config.all_languages()
    ]


def raw_html_findings(document: Document, path: Path, code: str) -> tuple[Finding, ...]:
    """A warning for each raw HTML block of the master text (shown as text, not spoken)."""
    return tuple(
        Finding(
            locale=code,
            path=path,
            line=block.line,
            msgid=block.text,
            msgctxt=None,
            check="raw-html",
            severity="warning",
            message="raw HTML is shown on the page as the text it is and is not read aloud; "
            "write it as Markdown (or remove it)",
        )
        for block in document.blocks
        if block.raw_html
    )


def _lexicon_errors(project: Project, code: str) -> tuple[CarepackError, ...]:
    """A locale's unreadable lexicon or speech rules: that locale alone is withheld."""
    try:
        speech_rules(code, project.config.locales_dir)
    except LexiconError as error:
        if error.path is not None:
            error.path = project.relative(error.path)
        return (error,)
    return ()


def speech_script(project: Project, check: LocaleCheck) -> Script:
    """What the audio says: the one script that is printed, linted and synthesized.

    The locale's speech rules include the project's own lexicons in ``locales/<code>/``.
    """
    assert check.translated is not None and check.ui is not None
    rules = speech_rules(check.locale.code, project.config.locales_dir)
    return spoken_script(check.translated, check.ui, rules)


def speech_findings(project: Project, check: LocaleCheck, script: Script) -> list[Finding]:
    """The phoneme lint (words the configured voice would speak in another language) and
    lexicon entries that change the disclaimer's words."""
    assert check.translated is not None
    code = check.locale.code
    path = None if check.is_source else project.relative(project.po_path(code, check.document.id))
    return disclaimer_substitutions(script, project.relative) + lint_script(
        script,
        check.translated,
        project.config.speech.voice_for(code),
        check.po,
        path,
        project.relative(project.root / CONFIG_NAME),
    )


def nltk_data(project: Project) -> Path:
    """Where the offline pronouncing dictionary lives for this project."""
    return project.config.cache_dir / "nltk_data"


def published_check(project: Project, document: Document, code: str) -> LocaleCheck | None:
    """The locale's last published version, from the copies kept when it was published
    (master text and catalog), checked again; ``None`` when there is none to rebuild.

    The interface strings are the current ones (they say that the text is older).
    """
    info = parse_locale(code)
    folder = snapshot_dir(project.config.output_dir, document.id, info.code)
    try:
        master = read_document(folder / MASTER, project.relative(folder / MASTER))
        doc_po = read_po(folder / DOCUMENT_PO, info.code)
        try:
            ui_po = project.catalog(info.code, UI_DOMAIN)
        except CarepackError:
            ui_po = read_po(folder / UI_PO, info.code)
    except (CarepackError, OSError):
        return None
    path = project.relative(folder / DOCUMENT_PO)
    verdict = gate(master, info, doc_po, path, project.config.completeness_threshold, [])
    if not verdict.published or master.id != document.id:
        return None
    translated = translate(master, info, doc_po)
    return LocaleCheck(master, info, translated, UiText(info, ui_po), (), verdict, (), doc_po)
