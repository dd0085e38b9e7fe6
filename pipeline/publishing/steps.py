"""What a build publishes for each locale of each document, and what it takes down.

The build asks :func:`plan` which state a locale is in (see :mod:`pipeline.publishing.record`)
and which check to build from (the current translation, or the last published version
rebuilt from its kept catalogs), then :func:`settle` records what was published, keeps
the catalogs of a new version and takes down withdrawn ones; :func:`remove_unconfigured`
removes the outputs of a language no longer in ``carepack.toml`` (its catalogs stay).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..build.plan import BuildPlan
from ..catalogs.catalog import context_for
from ..catalogs.pofile import read_po
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..checks.findings import Finding
from ..checks.locale import LocaleCheck, LocaleReview, check_locale, review_locale, snapshot_target
from ..errors import CarepackError, LocaleError
from ..locales import parse_locale
from ..project import Project
from ..source.document import Document
from .record import (
    DOCUMENT_PO,
    MASTER,
    UI_PO,
    OlderText,
    Publication,
    Published,
    PublishedRecord,
    PublishState,
    decide,
    keep_snapshot,
    remove_outputs,
    text_fingerprint,
)


@dataclass(frozen=True)
class MasterText:
    """The current master text of a document, as the record knows it."""

    fingerprint: str
    """Its strings' fingerprint."""
    date: dt.date
    """When it was first built (or the date of its template, when that matches)."""


@dataclass(frozen=True)
class Plan:
    """What to do with one locale of one document."""

    state: PublishState
    """Published, published-older, withdrawn, pending or withheld."""
    review: LocaleReview
    """What to build from: the current translation, or the last published version."""
    publication: Publication | None
    """For a state with outputs: what they are a version of."""
    current: LocaleReview
    """The current translation, reviewed (its reasons are what a pending report shows)."""

    @property
    def check(self) -> LocaleCheck:
        return self.review.check

    @property
    def builds(self) -> bool:
        """Whether a page and pack are made (or kept up to date)."""
        return self.state in {PublishState.PUBLISHED, PublishState.OLDER}


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def master_text(project: Project, document: Document, record: PublishedRecord) -> MasterText:
    """The document's text fingerprint and date: the first build that saw it dates it,
    or the template's ``POT-Creation-Date`` when ``carepack update`` extracted this text."""
    keys = [(context_for(block), block.text) for block in document.blocks]
    fingerprint = text_fingerprint(keys)
    known = record.document(document.id).texts.get(fingerprint)
    if known is not None:
        return MasterText(fingerprint, known)
    date = _today()
    try:
        pot = read_po(project.pot_path(document.id))
        pot_keys = [(e.msgctxt, e.msgid) for e in pot if not e.obsolete]
        if text_fingerprint(pot_keys) == fingerprint:
            date = dt.date.fromisoformat(pot.metadata["POT-Creation-Date"][:10])
    except (CarepackError, KeyError, ValueError):
        pass
    return MasterText(fingerprint, record.text_date(document.id, fingerprint, date))


def _decide(
    check: LocaleCheck, previous: Published | None, text: MasterText
) -> tuple[PublishState, OlderText | None]:
    """:func:`~pipeline.publishing.record.decide` for a checked locale, its last
    publication and the current master text."""
    return decide(
        check.published,
        check.pending,
        previous,
        text.fingerprint,
        text.date,
        check.document.withdraw_older,
    )


def plan(build: BuildPlan, record: PublishedRecord, review: LocaleReview, text: MasterText) -> Plan:
    """The state of one locale, and what to build it from."""
    check = review.check
    current = Publication(text.fingerprint, text.date)
    if check.is_source:
        return Plan(PublishState.PUBLISHED, review, current, review)
    previous = record.document(check.document.id).locales.get(check.locale.code)
    state, older = _decide(check, previous, text)
    if state is PublishState.PUBLISHED and check.published:
        return Plan(state, review, current, review)
    if state in {PublishState.PUBLISHED, PublishState.OLDER} and previous is not None:
        kept = snapshot_target(review.target, build.output_dir, build.root)
        if kept is not None:
            kept_review = review_locale(build, kept)
            if kept_review.check.published:
                publication = Publication(previous.text, previous.text_date, older)
                return Plan(state, kept_review, publication, review)
        return Plan(PublishState.PENDING, review, None, review)  # nothing kept to rebuild
    return Plan(state, review, None, review)


def settle(project: Project, record: PublishedRecord, plan: Plan, pack: Path | None) -> None:
    """Record what a locale shows after the build, keep the catalogs of a new version,
    and take a withdrawn locale's outputs down."""
    check = plan.check
    if check.is_source:
        return
    doc_id, code = check.document.id, check.locale.code
    out = project.config.output_dir
    entries = record.document(doc_id).locales
    previous = entries.get(code)
    if plan.state is PublishState.WITHDRAWN:
        remove_outputs(out, doc_id, code)
        if previous is not None and previous.state is not PublishState.WITHDRAWN:
            reason = check.document.withdraw_reason
            entries[code] = Published(
                PublishState.WITHDRAWN,
                previous.text,
                previous.text_date,
                previous.version,
                previous.reviewed,
                previous.review,
                previous.review_date,
                reason,
            )
        return
    if not plan.builds or pack is None or plan.publication is None:
        return
    publication = plan.publication
    if plan.review is plan.current:  # a new version: keep what it was made from
        files = {
            MASTER: project.root / check.document.path,
            DOCUMENT_PO: project.po_path(code, doc_id),
            UI_PO: project.po_path(code, UI_DOMAIN),
        }
        keep_snapshot(out, doc_id, code, files)
    state = PublishState.OLDER if publication.older else PublishState.PUBLISHED
    assert check.translated is not None
    entries[code] = Published(
        state,
        publication.text,
        publication.text_date,
        check.document.version,
        check.document.reviewed,
        check.translated.review,
        check.po.metadata.get("PO-Revision-Date", "") if check.po else "",
    )


def remove_unconfigured(project: Project, record: PublishedRecord) -> list[str]:
    """Take down the outputs of languages no longer in ``carepack.toml`` (catalogs stay);
    the ``doc/lang`` names removed."""
    out = project.config.output_dir
    configured = set(project.config.all_languages())
    removed = []
    for document in project.documents():
        found = {p.name for p in (out / document.id).glob("*") if p.is_dir()}
        found |= {
            p.stem.removeprefix(f"{document.id}-") for p in out.glob(f"packs/{document.id}-*.zip")
        }
        found |= set(record.document(document.id).locales)
        for code in sorted(found - configured):
            try:
                parse_locale(code)
            except LocaleError:
                continue  # not a language folder: leave it alone
            if remove_outputs(out, document.id, code, snapshot=True):
                removed.append(f"{document.id}/{code}")
            record.document(document.id).locales.pop(code, None)
    return removed


def pending_summary(plan: Plan, shown: int = 3) -> list[str]:
    """The report of a pending locale: counts, the first entries with file and line,
    and how to see them all."""
    check, state = plan.current.check, plan.state
    gate = check.gate
    assert gate is not None
    reasons: list[Finding] = list(gate.reasons)
    interface = sum(1 for r in reasons if r.check == "ui-incomplete")
    entries = [r for r in reasons if r.check != "ui-incomplete"]
    fuzzy = sum(1 for r in entries if "fuzzy" in r.message)
    missing = sum(1 for r in entries if "not in the catalog" in r.message)
    empty = len(entries) - fuzzy - missing
    counts = [f"{fuzzy} fuzzy", f"{empty} not translated"]
    if missing:
        counts.append(f"{missing} not in the catalog (run `carepack update`)")
    if interface:
        counts.append(f"{interface} interface string(s) not translated")
    name = f"{check.document.id}/{check.locale.code}"
    what = {
        PublishState.OLDER: "the last published translation stays up, marked as older",
        PublishState.WITHDRAWN: "older translations withdrawn: "
        + (check.document.withdraw_reason or "marked unsafe by the writer"),
        PublishState.PENDING: "nothing published yet",
    }.get(state, "")
    lines = [f"Pending: {name}: {gate.completeness:.1f}% translated ({', '.join(counts)}); {what}"]
    for reason in reasons[:shown]:
        what = reason.message.split(":", 1)[0]  # "entry is fuzzy", without the percentages
        lines.append(f"  {reason.where}: {what} (msgid {reason.short_msgid!r})")
    if len(reasons) > shown:
        lines.append(
            f"  … and {len(reasons) - shown} more: `carepack check` lists them all, "
            "`carepack status` counts them"
        )
    return lines


@dataclass(frozen=True)
class LocaleState:
    """One locale of one document as ``carepack status`` shows it."""

    document: str
    """The document id."""
    locale: str
    """The locale code."""
    state: PublishState
    """What the next build will do with it (the record tells what is up now)."""
    detail: str
    """A short explanation: dates, completeness, the first error."""


def publishing_states(project: Project) -> list[LocaleState]:
    """Every document's publishing state in every target language (nothing is written)."""
    record = PublishedRecord.load(project.config.output_dir)
    result = []
    for document in project.documents():
        text = master_text(project, document, record)
        for code in project.config.locales:
            check = check_locale(project, document, code)
            previous = record.document(document.id).locales.get(code)
            state, older = _decide(check, previous, text)
            if state is PublishState.PUBLISHED and check.published:
                up = previous is not None and previous.text == text.fingerprint
                detail = "up to date" if up else "complete: the next build publishes it"
            elif older is not None:
                detail = (
                    f"translation of the text of {older.translated}; the master text changed "
                    f"on {older.updated}"
                )
            elif state is PublishState.WITHDRAWN:
                detail = f"taken down: {document.withdraw_reason}"
            elif state is PublishState.WITHHELD:
                first = check.reasons()[:1]
                detail = f"error: {first[0]}" if first else "error"
            else:
                done = check.gate.completeness if check.gate is not None else 0.0
                detail = f"{done:.1f}% translated"
                if state is PublishState.PUBLISHED:  # same text, last version kept
                    detail += "; the last published version stays up"
            result.append(LocaleState(document.id, code, state, detail))
    return result
