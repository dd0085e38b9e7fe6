"""Checking one locale of one document: read its catalogs, run the entry checks and the
disclaimer gate (:func:`check_target`), then score its reading level and lint its
spoken script (:func:`review_locale`). ``build`` and ``check`` both go through
:func:`review_locale`, so they agree; a locale that passed the gate is a
:class:`PublishedLocale`, the one thing outputs are given."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polib

from ..audio.lexicon import LexiconError, speech_rules
from ..audio.lint import audio_blocked, lint_script
from ..audio.script import Script, spoken_script
from ..audio.synthesis import engine_versions
from ..build.freshness import files_key, is_remembered, remembered, tool_identity
from ..build.plan import BuildPlan, LocalePlan, locale_plan
from ..catalogs.catalog import context_for
from ..catalogs.pofile import read_po
from ..catalogs.translate import TranslatedDocument, UiText, translate
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..config import Config
from ..errors import CarepackError, SpeechError, TermbaseError
from ..locales import LocaleInfo
from ..project import Project
from ..publishing.record import DOCUMENT_PO, MASTER, UI_PO, Publication, snapshot_dir
from ..readability.cache import cached_assess
from ..readability.model import ReadabilityReport
from ..source.document import Document
from ..source.parse import read_document
from ..termbase.glossary import GLOSSARY_NAMES, load_glossary
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


def check_target(target: LocalePlan, config: Config, root: Path) -> LocaleCheck:
    """Read, translate, check and gate one document in one language (paths from the plan)."""
    document, info = target.document, target.locale
    lexicon = _lexicon_errors(config.locales_dir, info.code, root)
    if target.catalog is None or target.ui_catalog is None:
        translated = None if lexicon else translate(document, info, None)
        raw = raw_html_findings(document, document.path, info.code)
        return LocaleCheck(document, info, translated, UiText(info, None), raw, None, lexicon)
    errors: list[CarepackError] = list(lexicon)
    glossary, unreadable = load_glossary(
        config.locales_dir, info.code, config.source_language, root
    )
    findings: list[Finding] = [glossary_finding(error) for error in unreadable]
    catalogs = {}
    for domain, path in ((document.id, target.catalog), (UI_DOMAIN, target.ui_catalog)):
        try:
            po = read_po(path, info.code)
        except CarepackError as error:
            errors.append(error)
            continue
        catalogs[domain] = po
        findings += check_catalog(
            po, _relative(path, root), info, domain, config.source_language, glossary.terms
        )
        if domain == UI_DOMAIN:
            findings += ui_findings(info, po, _relative(path, root))
    if errors:
        return LocaleCheck(document, info, None, None, tuple(findings), None, tuple(errors))
    doc_po = catalogs[document.id]
    verdict = gate(
        document,
        info,
        doc_po,
        _relative(target.catalog, root),
        config.completeness_threshold,
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


def check_locale(project: Project, document: Document, code: str) -> LocaleCheck:
    """Read, translate, check and gate ``document`` in ``code``."""
    return check_target(locale_plan(project, document, code), project.config, project.root)


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


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def _lexicon_errors(locales_dir: Path, code: str, root: Path) -> tuple[CarepackError, ...]:
    """A locale's unreadable lexicon or speech rules: that locale alone is withheld."""
    try:
        speech_rules(code, locales_dir)
    except LexiconError as error:
        if error.path is not None:
            error.path = _relative(error.path, root)
        return (error,)
    return ()


@dataclass(frozen=True)
class PublishedLocale:
    """A locale that passed the gate: everything an output may use, nothing optional."""

    target: LocalePlan
    """Its files: inputs, output folder, pack, stamp."""
    check: LocaleCheck
    """The checks and the gate's verdict (completeness, lines of blocks)."""
    document: TranslatedDocument
    """The document in this language."""
    ui: UiText
    """The interface strings in this language."""
    readability: ReadabilityReport
    """Its reading-level report."""
    script: Script
    """What the audio says (printed by ``carepack script``, linted, synthesized)."""
    speech: tuple[Finding, ...]
    """The phoneme lint's findings on the script."""
    languages: tuple[str, ...]
    """Every published language of the document, this one included (language links)."""
    publication: Publication | None = None
    """What its outputs are a version of; with ``older`` set, a translation of an older
    master text (the page, the pack and the index say so)."""

    @property
    def code(self) -> str:
        return self.target.locale.code

    @property
    def audio_blocked(self) -> bool:
        """Whether the speech lint forbids building this locale's audio."""
        return audio_blocked(self.speech, self.code)

    def catalog_name(self, root: Path) -> Path:
        """The file its text is written in (master text or PO file), for messages."""
        if self.target.catalog is None:
            return self.target.document.path
        return _relative(self.target.catalog, root)


@dataclass(frozen=True)
class LocaleReview:
    """One locale of one document, checked and examined: what ``build`` and ``check``
    both report about it (see :func:`review_locale`)."""

    target: LocalePlan
    """Its files."""
    check: LocaleCheck
    """Catalogs read, entry checks, the gate."""
    readability: ReadabilityReport | None
    """Reading level (``None`` when a catalog could not be read)."""
    script: Script | None
    """The spoken script (``None`` when a catalog could not be read)."""
    speech: tuple[Finding, ...]
    """The phoneme lint's findings."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Entry-check and speech-lint findings."""
        return (*self.check.findings, *self.speech)

    def reported(self) -> LocaleReview:
        """This review without what only its outputs read: the catalog as polib read it
        and the spoken script. A build's report keeps every locale to its end (the
        index and the summary read it), and those two were most of what a locale kept."""
        return replace(self, check=replace(self.check, po=None), script=None)

    def speech_errors(self) -> list[SpeechError]:
        """Why the locale gets no audio, one error per blocking speech finding."""
        if not audio_blocked(self.speech, self.target.code):
            return []
        return [
            SpeechError(f"no audio: {f.message}", f.path, f.line, self.target.code)
            for f in self.speech
            if f.severity == "error"
        ]

    def published(self, languages: tuple[str, ...]) -> PublishedLocale | None:
        """The locale as outputs see it, or ``None`` when it did not pass the gate."""
        check = self.check
        doc, ui = check.translated, check.ui
        if not check.published or doc is None or ui is None:
            return None
        if self.readability is None or self.script is None:
            return None
        return PublishedLocale(
            self.target, check, doc, ui, self.readability, self.script, self.speech, languages
        )


ScriptReady = Callable[[LocaleCheck, Script, tuple[Finding, ...]], None]
"""Told a locale's spoken script and its speech findings as soon as they are known."""


def review_locale(
    plan: BuildPlan, target: LocalePlan, script_ready: ScriptReady | None = None
) -> LocaleReview:
    """Check one locale, then lint its spoken script and score its reading level.

    The one per-locale path of ``carepack build`` and ``carepack check``. The build
    passes ``script_ready`` to start speaking the tracks before the reading level is
    scored (which does not decide whether there is audio).
    """
    check = _checked(plan, target)
    doc, ui = check.translated, check.ui
    if doc is None or ui is None:
        return LocaleReview(target, check, None, None, ())
    voice = plan.speech.voice_for(target.code)
    path = None if target.catalog is None else plan.relative(target.catalog)
    settings = plan.relative(plan.settings_file)

    def speak() -> tuple[Script, tuple[Finding, ...]]:
        script = spoken_script(doc, ui, speech_rules(target.code, plan.config.locales_dir))
        # A language no voice speaks has no audio and nothing to lint (the build says so).
        lint = lint_script(script, doc, voice, check.po, path, settings) if voice else []
        return script, (*disclaimer_substitutions(script, plan.relative), *lint)

    # The script and its lint depend only on the locale's files, the code and espeak-ng.
    key = files_key(target.inputs, "spoken", target.code, voice, engine_versions())
    script, speech = remembered(plan.speech_cache, key, tuple, speak)
    if script_ready is not None:
        script_ready(check, script, speech)
    level = target.document.reading_level or plan.config.reading_level_target
    readability = cached_assess(doc, level, plan.readability_cache, plan.nltk_data)
    return LocaleReview(target, check, readability, script, speech)


def _checked(plan: BuildPlan, target: LocalePlan) -> LocaleCheck:
    """:func:`check_target`, remembered while the locale's files, the project's folder,
    the code and ``msgfmt`` (the reader of record) are the same: a rebuild checks again
    only the languages whose files changed (the others took some 30 ms each, on the
    threads that start the changed languages' speech). A check that found an unreadable
    file is not kept: its errors are read again."""
    return remembered(
        plan.speech_cache,
        _check_key(plan, target),
        LocaleCheck,
        lambda: check_target(target, plan.config, plan.root),
        keep=lambda check: not check.errors,
    )


def _check_key(plan: BuildPlan, target: LocalePlan) -> str:
    return files_key(target.inputs, "checked", target.code, str(plan.root), tool_identity("msgfmt"))


def checked_before(plan: BuildPlan, target: LocalePlan) -> bool:
    """Whether a locale with these very files was checked before (its check is
    remembered): a locale whose files changed is not."""
    return is_remembered(plan.speech_cache, _check_key(plan, target))


def snapshot_target(target: LocalePlan, output_dir: Path, root: Path) -> LocalePlan | None:
    """The plan of a locale's last published version: the master text and catalog kept
    when it was published (``output/.published/<doc>/<code>/``), the current interface
    strings when they are complete (they say that the text is older), else the kept ones;
    ``None`` when nothing was kept."""
    if target.catalog is None or target.ui_catalog is None:
        return None
    folder = snapshot_dir(output_dir, target.document.id, target.code)
    try:
        master = read_document(folder / MASTER, _relative(folder / MASTER, root))
        ui_catalog = target.ui_catalog
        current_ui = read_po(ui_catalog, target.code)
        if ui_findings(target.locale, current_ui, ui_catalog):
            ui_catalog = folder / UI_PO  # not finished: the one that was published
    except (CarepackError, OSError):
        return None
    if master.id != target.document.id or not (folder / DOCUMENT_PO).is_file():
        return None
    catalogs = (folder / DOCUMENT_PO, ui_catalog)
    inputs = (folder / MASTER, target.inputs[1], *catalogs, *target.inputs[4:])
    return dataclasses.replace(
        target, document=master, catalog=catalogs[0], ui_catalog=ui_catalog, inputs=inputs
    )
