"""What the CLI's ``check``, ``build`` and ``script`` commands compute and print.

Library functions returning data and text; :mod:`pipeline.cli` only parses
arguments, calls these and maps errors to exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .audio.script import render_script
from .build.plan import locale_plan, make_plan
from .build.report import BuildReport
from .catalogs.pofile import generate_po
from .catalogs.ui import DOMAIN as UI_DOMAIN
from .catalogs.ui import MESSAGES
from .checks.findings import Finding, findings_json, render_findings
from .checks.gate import gate_json, render_gate
from .checks.locale import LocaleCheck, review_locale
from .errors import CarepackError, CheckError, ConfigError, SourceError
from .fsutil import atomic_write_text
from .locales import parse_locale
from .project import Project
from .publishing.record import PublishState
from .publishing.steps import pending_summary
from .readability.model import ReadabilityReport
from .readability.render import report_json
from .readability.score import render_html, render_table
from .termbase.glossary import Glossary
from .termbase.report import Candidate, TermUsage, extract_candidates, term_usage


@dataclass(frozen=True)
class CheckResult:
    """Everything ``carepack check`` found."""

    checks: tuple[LocaleCheck, ...]
    """Per document and language."""
    readability: tuple[ReadabilityReport, ...]
    """Reading-level reports (master text and translations)."""
    strict: bool
    """Whether warnings count as errors."""
    speech: tuple[Finding, ...] = ()
    """The phoneme lint's findings (words a voice would speak in another language)."""

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.checks for f in c.findings] + list(self.speech)

    @property
    def errors(self) -> int:
        entry_errors = sum(1 for f in self.findings if f.severity == "error")
        unreadable = sum(len(c.errors) for c in self.checks)
        withheld = sum(1 for c in self.checks if not c.published)
        level = sum(
            1 for r in self.readability for f in r.findings(self.strict) if f.severity == "error"
        )
        return entry_errors + unreadable + withheld + level

    @property
    def warnings(self) -> int:
        entry = sum(1 for f in self.findings if f.severity == "warning")
        level = sum(
            1 for r in self.readability for f in r.findings(False) if f.severity == "warning"
        )
        return entry + level

    @property
    def exit_code(self) -> int:
        failing = self.errors + (self.warnings if self.strict else 0)
        return CheckError.exit_code if failing else 0

    def as_text(self) -> str:
        locales = [c.locale.code for c in self.checks]
        unreadable = [f"error: {e}" for c in self.checks for e in c.errors]
        gates = [c.gate for c in self.checks if c.gate is not None]
        parts = [
            "Reading level",
            render_table(list(self.readability)),
            "",
            "Translation checks",
            render_findings(self.findings, locales),
            *unreadable,
            "",
            "Disclaimer gate",
            render_gate(gates),
            "",
            f"{self.errors} error(s), {self.warnings} warning(s)"
            + (" (strict: warnings count as errors)" if self.strict else ""),
        ]
        return "\n".join(parts)

    def as_json(self) -> dict[str, Any]:
        locales = [c.locale.code for c in self.checks]
        return {
            "strict": self.strict,
            "errors": self.errors,
            "warnings": self.warnings,
            "readability": [report_json(r) for r in self.readability],
            "findings": findings_json(self.findings, locales),
            "gate": gate_json([c.gate for c in self.checks if c.gate is not None]),
            "unreadable": [
                {"file": str(e.path), "line": e.line, "locale": e.locale, "message": e.message}
                for c in self.checks
                for e in c.errors
            ],
        }


def run_check(project: Project, strict: bool = False) -> CheckResult:
    """Check every document in every language; write the HTML reading-level report."""
    plan = make_plan(project)
    reviews = [review_locale(plan, target) for target in plan.locales]
    reports = tuple(r.readability for r in reviews if r.readability is not None)
    if reports:
        atomic_write_text(plan.readability_report, render_html(list(reports)), durable=False)
    speech = tuple(finding for r in reviews for finding in r.speech)
    return CheckResult(tuple(r.check for r in reviews), reports, strict, speech)


def script_text(project: Project, document_id: str, code: str) -> str:
    """The spoken script of a document in a locale, exactly as it will be synthesized."""
    documents = {d.id: d for d in project.documents()}
    if document_id not in documents:
        for error in project.source_errors:
            if error.path is not None and error.path.stem == document_id:
                raise error
        known = ", ".join(sorted(documents)) or "none"
        raise SourceError(f"no document {document_id!r} in source/ (known: {known})")
    info = parse_locale(code)
    configured = [project.config.source_language, *project.config.locales]
    if info.code not in configured:
        raise ConfigError(
            f"{info.code} is not a configured language (configured: {', '.join(configured)}); "
            "add it to locales in carepack.toml",
            project.config.root / "carepack.toml",
        )
    plan = make_plan(project)
    review = review_locale(plan, locale_plan(project, documents[document_id], info.code))
    if review.script is None:  # a catalog could not be read
        raise review.check.errors[0]
    return render_script(review.script, project.relative)


def _interface_gaps(project: Project, report: BuildReport) -> list[str]:
    """One line per language whose interface strings (``ui.po``) are not all translated."""
    lines, seen = [], set()
    for outcome in report.outcomes:
        ui, code = outcome.check.ui, outcome.check.locale.code
        if ui is None or outcome.check.is_source or code in seen:
            continue
        seen.add(code)
        missing = sum(1 for m in MESSAGES if not ui.translated(m.msgid, m.context))
        if missing:
            path = project.relative(project.po_path(code, UI_DOMAIN))
            lines.append(
                f"Interface strings: {path}: {missing} of {len(MESSAGES)} not translated "
                "(pages and packs show them in English until they are)"
            )
    return lines


def build_summary(project: Project, report: BuildReport, strict: bool = False) -> str:
    """The closing lines of a build: published, pending (once per locale and document,
    with the first entries to do), withheld (with reasons), warnings, where."""
    out = project.config.output_dir
    lines = [f"Built in {report.seconds:.1f} s; {report.synthesized} audio track(s) spoken."]
    current = [o for o in report.published if o.state is PublishState.PUBLISHED]
    built = [f"{o.check.document.id}/{o.check.locale.code}" for o in current]
    lines.append(f"Published ({len(built)}): {', '.join(built) or 'none'}")
    for outcome in report.pending:
        assert outcome.plan is not None
        lines += pending_summary(outcome.plan)
    if report.pending:
        verdict = "a failure (strict)" if strict else "not a failure"
        lines.append(
            f"{len(report.pending)} translation(s) pending ({verdict}): translators fill in "
            "the entries above; `carepack status` shows every language."
        )
    lines += _interface_gaps(project, report)
    for outcome in report.withheld:
        name = f"{outcome.check.document.id}/{outcome.check.locale.code}"
        lines.append(f"Withheld: {name}")
        lines += [f"  {reason}" for reason in outcome.check.reasons()]
    for outcome in report.kept:
        name = f"{outcome.check.document.id}/{outcome.check.locale.code}"
        lines.append(f"Kept (the audio failed; the last good version stays): {name}")
        lines += [f"  {error}" for error in outcome.errors]
    for outcome in report.published:
        if outcome.audio is not None:
            continue
        name = f"{outcome.check.document.id}/{outcome.check.locale.code}"
        code = outcome.check.locale.code
        if project.config.speech.voice_for(code) is None:
            lines.append(
                f"No audio: {name}: no espeak-ng voice speaks {outcome.check.locale.english_name}"
                f" (page and pack are made without audio; set [speech.voices] {code} in "
                "carepack.toml if a voice is installed)"
            )
        else:
            lines.append(f"No audio: {name}")
    lines.append(f"Warnings: {report.warnings} (see `carepack check`)")
    lines.append(
        f"Packs: {project.relative(out / 'packs')}/  Index: {project.relative(out / 'index.html')}"
    )
    return "\n".join(lines)


def term_usages(
    project: Project, codes: list[str]
) -> tuple[list[tuple[str, Glossary, list[TermUsage]]], list[CarepackError]]:
    """For each locale, its glossary and how the catalogs of every document use it; the
    glossaries and catalogs that could not be read as errors (the rest is still counted)."""
    result = []
    errors: list[CarepackError] = []
    for code in codes:
        info = parse_locale(code)
        glossary, unreadable = project.glossary(info.code)
        errors += unreadable
        catalogs = []
        for domain in project.domains():
            try:
                catalogs.append(project.catalog(info.code, domain))
            except CarepackError as error:
                errors.append(error)
        result.append((info.code, glossary, term_usage(glossary, catalogs)))
    return result, errors


def term_candidates(project: Project) -> list[Candidate]:
    """Candidate terms from the master texts, marked when a glossary already has them."""
    known = [t for code in project.config.locales for t in project.glossary(code)[0].terms]
    templates = [
        (project.relative(project.pot_path(domain)).as_posix(), generate_po(template))
        for domain, template in project.templates().items()
        if domain != UI_DOMAIN
    ]
    return extract_candidates(templates, known)
