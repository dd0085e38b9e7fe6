"""The build's overview pages, written last from its report: the index of every
document's languages (``output/index.html``, each in its state) and the reading-level
report of every language scored."""

from __future__ import annotations

from ..catalogs.translate import UiText
from ..fsutil import atomic_write_text
from ..locales import parse_locale
from ..page.index import EntryState, IndexDocument, IndexEntry, render_index
from ..publishing.record import PublishState
from ..readability.score import render_html
from ..source.markdown import plain_text
from .plan import BuildPlan
from .report import BuildReport

_INDEX_STATES = {
    PublishState.PUBLISHED: EntryState.PUBLISHED,
    PublishState.OLDER: EntryState.OLDER,
    PublishState.WITHDRAWN: EntryState.WITHDRAWN,
}


def write_index(plan: BuildPlan, report: BuildReport) -> None:
    """``output/index.html``: every document's languages, each in its state."""
    source = parse_locale(plan.config.source_language)
    ui = UiText(source, None)
    documents: dict[str, list[IndexEntry]] = {}
    titles: dict[str, str] = {}
    uis: dict[str, UiText] = {}
    out = plan.output_dir
    for o in report.outcomes:
        doc_id = o.check.document.id
        titles.setdefault(doc_id, o.check.document.title)
        if o.check.ui is not None:
            uis.setdefault(o.check.locale.code, o.check.ui)
        title = o.check.translated.title if o.check.translated else o.check.document.title
        ok = o.pack is not None and o.page is not None
        state = _INDEX_STATES.get(o.state, EntryState.PREPARING)
        if state is not EntryState.WITHDRAWN and not ok:
            state = EntryState.PREPARING
        publication = o.plan.publication if o.plan is not None else None
        older = publication.older if publication is not None else None
        documents.setdefault(doc_id, []).append(
            IndexEntry(
                o.check.locale,
                title,
                o.page.relative_to(out).as_posix() if ok and o.page else None,
                o.pack.relative_to(out).as_posix() if ok and o.pack else None,
                o.pack_bytes,
                o.audio.total_seconds if o.audio else 0.0,
                state,
                o.check.translated.review if o.check.translated else "draft",
                plan.speech.voice_for(o.check.locale.code) is not None,
                older.translated if older else None,
                older.updated if older else None,
                (plan.output_dir / doc_id / source.code / "index.html").relative_to(out).as_posix(),
                book=o.book.path.relative_to(out).as_posix() if ok and o.book else None,
                book_bytes=o.book.size if o.book else 0,
                handout=o.handout.path.relative_to(out).as_posix() if ok and o.handout else None,
                handout_pages=o.handout.pages if o.handout else 0,
                handout_bytes=o.handout.size if o.handout else 0,
            )
        )
    index = [IndexDocument(d, plain_text(titles[d]), tuple(e)) for d, e in documents.items()]
    atomic_write_text(plan.index, render_index(index, ui, source, uis), durable=False)


def write_readability(plan: BuildPlan, report: BuildReport) -> None:
    """The reading-level report of every language that was scored."""
    reports = [o.readability for o in report.outcomes if o.readability is not None]
    if reports:
        atomic_write_text(plan.readability_report, render_html(reports), durable=False)
