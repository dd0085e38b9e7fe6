"""The whole build: for every document in ``source/`` and every configured language,
check → audio → page → pack, then the index and the reading-level report.

Locales are independent: one that fails its gate (or whose audio cannot be made) is
reported with its reasons and the others build. Outputs are keyed by content: a file
whose bytes would not change is not rewritten, and audio comes from its cache unless
its text, voice or settings changed. One build at a time holds the project lock.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .audio.lint import audio_blocked
from .audio.synthesis import engine_versions
from .audio.tracks import AudioResult, build_audio
from .book.epub import BookResult, build_book
from .catalogs.translate import UiText
from .catalogs.ui import DOMAIN as UI_DOMAIN
from .checks.findings import Finding
from .checks.locale import LocaleCheck, check_locale, nltk_data, speech_findings, speech_script
from .config import CONFIG_NAME
from .errors import CarepackError, LockError, SpeechError
from .fsutil import atomic_write, atomic_write_text
from .locales import parse_locale
from .pack.contents import write_locale_pack
from .page.index import EntryState, IndexDocument, IndexEntry, render_index
from .page.inline import plain_text
from .page.render import PageAudio, PageBook, language_links, page_path, render_page
from .project import Project
from .readability.cache import cached_assess
from .readability.model import ReadabilityReport
from .readability.score import render_html

Progress = Callable[[str], None]


@dataclass
class LocaleOutcome:
    """What the build did for one locale of one document."""

    check: LocaleCheck
    """The checks and the gate's verdict."""
    audio: AudioResult | None = None
    """The audio, when it could be made."""
    book: BookResult | None = None
    """The talking book, when it could be made."""
    page: Path | None = None
    """The page written."""
    pack: Path | None = None
    """The pack written."""
    pack_bytes: int = 0
    """The pack's size."""
    written: int = 0
    """Files that changed (page, pack)."""
    errors: list[CarepackError] = field(default_factory=list)
    """Problems in this locale (audio, unsafe links)."""
    readability: ReadabilityReport | None = None
    """Reading-level figures of this locale's text."""
    speech: list[Finding] = field(default_factory=list)
    """The phoneme lint's findings on this locale's spoken script."""


@dataclass
class BuildReport:
    """What a build did."""

    outcomes: list[LocaleOutcome] = field(default_factory=list)
    """One per document and language, in order."""
    seconds: float = 0.0
    """Wall time."""

    @property
    def published(self) -> list[LocaleOutcome]:
        return [o for o in self.outcomes if o.pack is not None]

    @property
    def withheld(self) -> list[LocaleOutcome]:
        return [o for o in self.outcomes if not o.check.published]

    @property
    def errors(self) -> list[CarepackError]:
        return [e for o in self.outcomes for e in [*o.check.errors, *o.errors]]

    @property
    def synthesized(self) -> int:
        return sum(o.audio.synthesized for o in self.outcomes if o.audio)

    @property
    def warnings(self) -> int:
        """Warning-level entry findings and reading levels above target."""
        entries = sum(
            1
            for o in self.outcomes
            for f in [*o.check.findings, *o.speech]
            if f.severity == "warning"
        )
        levels = sum(len(o.readability.findings()) for o in self.outcomes if o.readability)
        return entries + levels


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's build lock, or raise :class:`LockError` at once."""
    path = project.config.cache_dir / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockError(
                f"another build is running ({holder}); wait for it to finish", path
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(root: Path) -> int:
    """Delete temporary files an interrupted build left (call with the lock held)."""
    count = 0
    for path in root.rglob(".*.tmp") if root.exists() else ():
        path.unlink(missing_ok=True)
        count += 1
    return count


@cache
def _code_fingerprint() -> str:
    """The package's own code, templates and data: a new carepack rebuilds everything."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".css", ".html", ".pls", ".toml"}:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _inputs_key(project: Project, check: LocaleCheck, published: list[str], audio: bool) -> str:
    """Everything one locale's page, audio and pack are made from, hashed by content."""
    config = project.config
    code = check.locale.code
    digest = hashlib.sha256(_code_fingerprint().encode())
    files = [project.root / check.document.path, project.root / CONFIG_NAME]
    if not check.is_source:
        files += [project.po_path(code, check.document.id), project.po_path(code, UI_DOMAIN)]
    files += sorted((config.locales_dir / code).glob("lexicon.*"))
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    extra = [code, published, audio, os.environ.get("SOURCE_DATE_EPOCH", ""), engine_versions()]
    digest.update(json.dumps(extra, sort_keys=True).encode())
    return digest.hexdigest()


def _stamp_path(project: Project, check: LocaleCheck) -> Path:
    name = f"{check.document.id}-{check.locale.code}.pickle"
    return project.config.cache_dir / "build" / name


def _outputs(outcome: LocaleOutcome) -> dict[str, tuple[int, int]]:
    book = outcome.book.path if outcome.book else None
    paths = [outcome.page, outcome.pack, book, *(outcome.audio.files if outcome.audio else ())]
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p is not None}


def _reuse(project: Project, outcome: LocaleOutcome, key: str) -> bool:
    """Fill ``outcome`` from the last build when its inputs and its files are unchanged."""
    try:
        saved = pickle.loads(_stamp_path(project, outcome.check).read_bytes())  # our cache
        if saved["key"] != key:
            return False
        for name, stat in saved["outputs"].items():
            info = Path(name).stat()
            if (info.st_size, info.st_mtime_ns) != tuple(stat):
                return False
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, AttributeError):
        return False
    for name in ("audio", "book", "page", "pack", "pack_bytes", "errors", "readability", "speech"):
        setattr(outcome, name, saved[name])
    if outcome.audio is not None:  # nothing is spoken this time
        tracks = len(outcome.audio.tracks)
        outcome.audio = dataclasses.replace(outcome.audio, synthesized=0, cached=tracks)
    return True


def _remember(project: Project, outcome: LocaleOutcome, key: str) -> None:
    saved = {
        name: getattr(outcome, name)
        for name in (
            "audio",
            "book",
            "page",
            "pack",
            "pack_bytes",
            "errors",
            "readability",
            "speech",
        )
    }
    saved.update(key=key, outputs=_outputs(outcome))
    atomic_write(_stamp_path(project, outcome.check), pickle.dumps(saved))


def _build_locale(
    project: Project, outcome: LocaleOutcome, published: list[str], audio_on: bool
) -> LocaleOutcome:
    """Audio, page and pack for one published locale; nothing when nothing changed."""
    key = _inputs_key(project, outcome.check, published, audio_on)
    if _reuse(project, outcome, key):
        return outcome
    _make_locale(project, outcome, published, audio_on)
    if not outcome.errors:
        _remember(project, outcome, key)
    return outcome


def _make_locale(
    project: Project, outcome: LocaleOutcome, published: list[str], audio_on: bool
) -> LocaleOutcome:
    """Audio, page and pack for one published locale."""
    check = outcome.check
    doc, ui = check.translated, check.ui
    assert doc is not None and ui is not None
    config = project.config
    code = check.locale.code
    page = page_path(config.output_dir, check.document.id, code)
    # Scoring runs while the audio workers speak (it is Python; they are other processes).
    scoring = ThreadPoolExecutor(max_workers=1)
    readability = scoring.submit(
        cached_assess,
        doc,
        check.document.reading_level,
        config.cache_dir / "readability",
        nltk_data(project),
    )
    scoring.shutdown(wait=False)
    script = speech_script(project, check)  # checked with or without audio, as check does
    outcome.speech = speech_findings(project, check, script)
    if audio_on:
        blocked = [f for f in outcome.speech if f.severity == "error"]
        if audio_blocked(outcome.speech, code):
            outcome.errors += [
                SpeechError(f"no audio: {f.message}", f.path, f.line, code) for f in blocked
            ]
        else:
            try:
                outcome.audio = build_audio(
                    doc,
                    ui,
                    config.speech.voice_for(code),
                    config.speech,
                    page.parent / "audio",
                    config.cache_dir / "audio",
                    script=script,
                )
            except CarepackError as error:
                outcome.errors.append(error)
    outcome.readability = readability.result()
    audio = outcome.audio
    if audio is not None:
        try:
            outcome.book = build_book(doc, ui, audio, page.parent, check.document.reviewed)
        except CarepackError as error:
            outcome.errors.append(error)
    page_audio = (
        None
        if audio is None
        else PageAudio(
            {t.section: t.href for t in audio.tracks},
            audio.full_href,
            audio.total_seconds,
            {t.section: t.seconds for t in audio.tracks},
        )
    )
    book = outcome.book
    page_book = None if book is None else PageBook(book.path.name, book.size)
    links = language_links(code, published)
    reviewed = check.document.reviewed
    rendered = render_page(doc, ui, links, page_audio, reviewed, book=page_book)
    for finding in rendered.findings:
        path = check.document.path if check.is_source else project.po_path(code, check.document.id)
        line = check.line_of(finding.block)
        outcome.errors.append(CarepackError(finding.message, project.relative(path), line, code))
    outcome.written += atomic_write_text(page, rendered.html)
    outcome.page = page
    pack = config.output_dir / "packs" / f"{check.document.id}-{code}.zip"
    pack_page = None
    if book is not None and page_audio is not None:
        # The pack's copy of the page: the section tracks are in the book, not in the pack.
        alone = dataclasses.replace(page_audio, tracks={})
        pack_page = render_page(doc, ui, links, alone, reviewed, book=page_book).html
    result = write_locale_pack(
        check, page, audio, outcome.readability, pack, book=book, pack_page=pack_page
    )
    outcome.written += result.written
    outcome.pack, outcome.pack_bytes = pack, result.size
    return outcome


def build(project: Project, progress: Progress = print, audio: bool = True) -> BuildReport:
    """Build every document in every language; see the module docstring."""
    started = time.perf_counter()
    report = BuildReport()
    with project_lock(project):
        removed = remove_stale_temporaries(project.config.output_dir)
        if removed:
            progress(f"removed {removed} half-written file(s) left by an interrupted build")
        compiled = project.compile()
        progress(f"catalogs: {len(compiled.written)} compiled, {len(compiled.unchanged)} unchanged")
        for document in project.documents():
            tick = time.perf_counter()
            checks = [check_locale(project, document, c) for c in project.config.all_languages()]
            published = [c.locale.code for c in checks if c.published]
            outcomes = [LocaleOutcome(c) for c in checks]
            held = [o for o in outcomes if not o.check.published]
            progress(
                f"{document.id}: checked {len(checks)} languages, {len(published)} publishable, "
                f"{len(held)} withheld ({time.perf_counter() - tick:.1f} s)"
            )
            workers = max(1, min(len(published), os.cpu_count() or 1))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                jobs = [
                    pool.submit(_build_locale, project, o, published, audio)
                    for o in outcomes
                    if o.check.published
                ]
                for job in jobs:
                    done = job.result()
                    tracks = (
                        f"{done.audio.synthesized} spoken, {done.audio.cached} cached"
                        if done.audio
                        else "no audio"
                    )
                    progress(
                        f"  {document.id} [{done.check.locale.code}]: page and pack "
                        f"{'written' if done.written else 'unchanged'}, audio {tracks}"
                    )
            report.outcomes += outcomes
        _write_index(project, report)
        _write_readability(project, report)
    report.seconds = time.perf_counter() - started
    return report


def _write_index(project: Project, report: BuildReport) -> None:
    source = parse_locale(project.config.source_language)
    ui = UiText(source, None)
    documents: dict[str, list[IndexEntry]] = {}
    titles: dict[str, str] = {}
    uis: dict[str, UiText] = {}
    out = project.config.output_dir
    for o in report.outcomes:
        doc_id = o.check.document.id
        titles.setdefault(doc_id, o.check.document.title)
        if o.check.ui is not None:
            uis.setdefault(o.check.locale.code, o.check.ui)
        title = o.check.translated.title if o.check.translated else o.check.document.title
        ok = o.pack is not None and o.page is not None
        documents.setdefault(doc_id, []).append(
            IndexEntry(
                o.check.locale,
                title,
                o.page.relative_to(out).as_posix() if ok and o.page else None,
                o.pack.relative_to(out).as_posix() if ok and o.pack else None,
                o.pack_bytes,
                o.audio.total_seconds if o.audio else 0.0,
                EntryState.PUBLISHED if ok else EntryState.PREPARING,
                o.check.translated.review if o.check.translated else "draft",
                book=o.book.path.relative_to(out).as_posix() if ok and o.book else None,
                book_bytes=o.book.size if o.book else 0,
            )
        )
    index = [IndexDocument(d, plain_text(titles[d]), tuple(e)) for d, e in documents.items()]
    atomic_write_text(out / "index.html", render_index(index, ui, source, uis))


def _write_readability(project: Project, report: BuildReport) -> None:
    reports = [o.readability for o in report.outcomes if o.readability is not None]
    if reports:
        path = project.config.output_dir / "reports" / "readability.html"
        atomic_write_text(path, render_html(reports))
