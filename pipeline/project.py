"""The project on disk: where documents, catalogs and outputs live, and the
catalog workflow over all of them (extract, update, compile, status).

Each locale and file is handled on its own: a broken PO file is reported with
its file and line and left untouched while every other file is processed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from . import __version__
from .catalogs.catalog import extract_document, extract_ui
from .catalogs.gnu_layout import gnu_layout
from .catalogs.memory import TranslationMemory, fill_from_memory, memory_of
from .catalogs.merge import update_po
from .catalogs.outcome import Outcome
from .catalogs.pofile import generate_po, read_po, remember_accepted_in, write_po
from .catalogs.ui import DOMAIN as UI_DOMAIN
from .catalogs.update_stamp import UpdateStamp
from .config import Config
from .errors import CarepackError, PoFileError, SourceError, TermbaseError
from .locales import LocaleInfo, locale_dir, parse_locale
from .source.document import Document
from .source.parse import read_document
from .termbase.glossary import Glossary, load_glossary
from .termbase.match import annotate

if TYPE_CHECKING:  # only carepack update starts merges ahead
    from .catalogs.merge_ahead import MergesAhead
    from .catalogs.status import CatalogStatus

_POT_DATE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _read_text(path: Path) -> str | None:
    """The text of a UTF-8 file, or ``None`` when it is missing, unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def now_stamp() -> str:
    """A PO date stamp for now, or for ``SOURCE_DATE_EPOCH`` when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


class Project:
    """A carepack project rooted at ``config.root``."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root
        remember_accepted_in(config.cache_dir / "msgfmt-accepted")
        self._documents: list[Document] | None = None
        self._source_errors: list[SourceError] = []

    # -- paths ---------------------------------------------------------------

    def relative(self, path: Path) -> Path:
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    def source_files(self) -> list[Path]:
        return sorted(self.config.source_dir.glob("*.md"))

    def documents(self) -> list[Document]:
        """Every master text in ``source/`` that parses; the others are in :attr:`source_errors`.

        A bad file (malformed, unreadable, a link out of ``source/``, an id already
        taken) stops only its own document: the rest are built, and the commands
        report the bad one with its file and line and exit non-zero.
        """
        if self._documents is None:
            docs: list[Document] = []
            errors: list[SourceError] = []
            seen: dict[str, Path] = {}
            for path in self.source_files():
                try:
                    doc = read_document(path, self.relative(path))
                    self._check_document(doc, seen)
                except SourceError as error:
                    errors.append(error)
                    continue
                seen[doc.id] = doc.path
                docs.append(doc)
            self._documents, self._source_errors = docs, errors
        return self._documents

    @property
    def source_errors(self) -> list[SourceError]:
        """The master texts that could not be read, each with its file and line."""
        self.documents()
        return list(self._source_errors)

    def _check_document(self, doc: Document, seen: dict[str, Path]) -> None:
        if doc.id in seen or doc.id == UI_DOMAIN:
            raise SourceError(
                f"document id {doc.id!r} is already used by {seen.get(doc.id, 'the ui domain')}",
                doc.path,
                2,
            )
        if doc.lang != self.config.source_language:
            raise SourceError(
                f"lang {doc.lang!r} differs from the project's source language "
                f"{self.config.source_language!r}",
                doc.path,
                2,
            )

    def domains(self) -> list[str]:
        return [doc.id for doc in self.documents()] + [UI_DOMAIN]

    def pot_path(self, domain: str) -> Path:
        return self.config.locales_dir / f"{domain}.pot"

    def po_path(self, locale: str, domain: str) -> Path:
        return locale_dir(self.config.locales_dir, locale) / f"{domain}.po"

    def mo_path(self, locale: str, domain: str) -> Path:
        code = parse_locale(locale).code
        return self.config.output_dir / "locale" / code / "LC_MESSAGES" / f"{domain}.mo"

    def glossary(self, locale: str) -> tuple[Glossary, list[TermbaseError]]:
        """The glossary of ``locale`` (``locales/<code>/glossary.tbx`` and ``.csv``), and
        the files that could not be read, each an error naming file and line."""
        return load_glossary(
            self.config.locales_dir, locale, self.config.source_language, self.root
        )

    # -- extract -------------------------------------------------------------

    def templates(self) -> dict[str, polib.POFile]:
        """The templates, in memory, each dated as its file on disk when unchanged."""
        result: dict[str, polib.POFile] = {}
        cfg = self.config
        makers = {doc.id: doc for doc in self.documents()}
        for domain in self.domains():
            path = self.pot_path(domain)
            old_text = _read_text(path)
            # The date is only kept when the new template is the old text byte for byte
            # (so a broken file, which never is, needs no strict read here).
            found = _POT_DATE.search(old_text) if old_text is not None else None
            old_date = found.group(1) if found else None

            def make(date: str, domain: str = domain) -> polib.POFile:
                if domain == UI_DOMAIN:
                    return extract_ui(cfg.project_name, __version__, cfg.bugs_address, date)
                return extract_document(makers[domain], cfg.project_name, cfg.bugs_address, date)

            template = make(old_date or now_stamp())
            if old_date and generate_po(template) != old_text:
                template = make(now_stamp())
            result[domain] = template
        return result

    def extract(self, templates: dict[str, polib.POFile] | None = None) -> Outcome:
        """Write ``locales/<domain>.pot`` for every document and the interface."""
        outcome = Outcome()
        for domain, template in (templates or self.templates()).items():
            path = self.pot_path(domain)
            outcome.record(path, write_po(path, template))
        return outcome

    # -- update --------------------------------------------------------------

    def update(
        self,
        locales: list[str] | None = None,
        stamp: UpdateStamp | None = None,
        ahead: MergesAhead | None = None,
    ) -> Outcome:
        """Extract, then merge the templates into every locale's PO files.

        When nothing the update reads changed since the last one that succeeded
        (:mod:`pipeline.catalogs.update_stamp`), it reports every file unchanged at once.
        ``stamp``: the inputs as the caller has just read them (else they are read now);
        ``ahead``: merges the caller started while it was loading (:mod:`pipeline.catalogs.
        merge_ahead`), taken where the files did not change since.
        """
        stamp = stamp or UpdateStamp.read_inputs(self.config, locales)
        done = stamp.unchanged_since_last()
        if done is not None:
            return Outcome(unchanged=done)
        outcome = self._update(locales, ahead)
        if not outcome.errors and not self.source_errors:
            if outcome.written:
                stamp = UpdateStamp.read_inputs(self.config, locales)
            stamp.save([*outcome.written, *outcome.unchanged])
        return outcome

    def _update(
        self,
        locales: list[str] | None,
        ahead: MergesAhead | None,
    ) -> Outcome:
        """Merge the templates into every locale's PO files; fill empty entries from
        translation memory (the locale's other documents, then compendia) and note the
        glossary's terms on each entry."""
        templates = self.templates()
        outcome = self.extract(templates)
        if ahead is not None:
            ahead.refresh()  # a template written anew: its merges run ahead again
        compendia, unreadable_compendia = self.compendia()
        outcome.errors += unreadable_compendia
        infos = [parse_locale(code) for code in locales or list(self.config.locales)]
        # One locale after another: the merges run outside Python, ahead (a thread a
        # locale only took turns at the interpreter: 0.193 s against 0.186 on two cores).
        parts = [
            self._update_locale(info, templates, compendia.get(info.code, []), ahead)
            for info in infos
        ]
        for part in parts:  # reported in the order of the locales, as one by one
            outcome.written += part.written
            outcome.unchanged += part.unchanged
            outcome.errors += part.errors
            outcome.from_memory += part.from_memory
        return outcome

    def _update_locale(
        self,
        info: LocaleInfo,
        templates: dict[str, polib.POFile],
        compendia: list[tuple[Path, polib.POFile]],
        ahead: MergesAhead | None = None,
    ) -> Outcome:
        """Merge every template into one locale's PO files, then fill their empty entries
        from translation memory: the locale's other documents, then ``compendia``; the
        glossary is wanted only then."""
        outcome = Outcome()
        merged: dict[str, tuple[Path, polib.POFile, str]] = {}
        for domain, template in templates.items():
            path = self.po_path(info.code, domain)
            try:
                old = path if path.exists() else None
                # The template as extract() just wrote it: msgmerge reads that file.
                po, gnu_text = update_po(
                    template, old, info, self.config.project_name, self.pot_path(domain), ahead
                )
                merged[domain] = (path, po, gnu_text)
            except CarepackError as error:
                outcome.errors.append(error)
        memory = memory_of(
            [
                (domain, self.relative(path).as_posix(), po)
                for domain, (path, po, _) in merged.items()
                if domain != UI_DOMAIN
            ]
            + [(None, self.relative(path).as_posix(), po) for path, po in compendia]
        )
        glossary, unreadable = self.glossary(info.code)
        outcome.errors[:0] = unreadable  # reported first, as when the glossary was read first
        for domain, (path, po, gnu_text) in merged.items():
            if domain != UI_DOMAIN:
                similarity = self.config.memory.similarity
                outcome.from_memory += fill_from_memory(po, memory, domain, similarity)
            annotate(po, glossary.terms)
            with gnu_layout(gnu_text):  # what msgmerge wrote is written as it wrote it
                outcome.record(path, write_po(path, po))
        return outcome

    def compendia(self) -> tuple[dict[str, list[tuple[Path, polib.POFile]]], list[CarepackError]]:
        """The compendia of ``carepack.toml`` by the locale of their ``Language`` header;
        each one that cannot be read (or names no known language) as an error."""
        result: dict[str, list[tuple[Path, polib.POFile]]] = {}
        errors: list[CarepackError] = []
        for path in self.config.memory.compendia:
            shown = self.relative(path)
            try:
                po = read_po(path)
                language = po.metadata.get("Language", "").strip()
                if not language:
                    raise PoFileError("a compendium needs a Language header field", path, 1)
                code = parse_locale(language).code
            except CarepackError as error:
                message = f"compendium not used: {error.message}"
                errors.append(PoFileError(message, shown, error.line, error.locale))
                continue
            result.setdefault(code, []).append((path, po))
        return result, errors

    def create_missing(self) -> Outcome:
        """Create the catalogs that a new document or a newly configured language needs,
        exactly as :meth:`update` would; files that exist are left alone (merging a changed
        master text into them is ``carepack update``'s job)."""
        outcome = Outcome()
        domains = self.domains()
        missing = [
            (code, domain)
            for code in self.config.locales
            for domain in domains
            if not self.po_path(code, domain).exists()
        ]
        pots = [domain for domain in domains if not self.pot_path(domain).exists()]
        if not missing and not pots:
            return outcome
        templates = self.templates()
        for domain in pots:
            outcome.record(
                self.pot_path(domain), write_po(self.pot_path(domain), templates[domain])
            )
        compendia: dict[str, list[tuple[Path, polib.POFile]]] | None = None
        for code, domain in missing:
            info = parse_locale(code)
            glossary, unreadable = self.glossary(info.code)
            outcome.errors += unreadable
            path = self.po_path(info.code, domain)
            try:
                created, gnu_text = update_po(
                    templates[domain], None, info, self.config.project_name
                )
            except CarepackError as error:
                outcome.errors.append(error)
                continue
            if domain != UI_DOMAIN:
                if compendia is None:
                    compendia, unreadable_compendia = self.compendia()
                    outcome.errors += unreadable_compendia
                memory = self._saved_memory(info, compendia.get(info.code, []))
                similarity = self.config.memory.similarity
                outcome.from_memory += fill_from_memory(created, memory, domain, similarity)
            annotate(created, glossary.terms)
            with gnu_layout(gnu_text):
                outcome.record(path, write_po(path, created))
        return outcome

    def _saved_memory(
        self, info: LocaleInfo, compendia: list[tuple[Path, polib.POFile]]
    ) -> TranslationMemory:
        """The memory of one locale from its catalogs as saved (those that cannot be read
        are left out: reading them reports them) and ``compendia``."""
        catalogs: list[tuple[str | None, str, polib.POFile]] = []
        for domain in self.domains():
            path = self.po_path(info.code, domain)
            if domain == UI_DOMAIN or not path.exists():
                continue
            try:
                catalogs.append((domain, self.relative(path).as_posix(), read_po(path, info.code)))
            except CarepackError:
                continue
        catalogs += [(None, self.relative(path).as_posix(), po) for path, po in compendia]
        return memory_of(catalogs)

    # -- compile and status --------------------------------------------------

    def catalog(self, locale: str, domain: str) -> polib.POFile:
        """Read one locale's PO file (raises :class:`PoFileError`)."""
        return read_po(self.po_path(locale, domain), parse_locale(locale).code)

    def compile(self) -> Outcome:
        """Compile every PO file to MO files (:mod:`pipeline.catalogs.compiled`)."""
        from .catalogs.compiled import compile_catalogs  # (its thread pool: not for an update)

        return compile_catalogs(self, list(self.config.locales), self.config.cache_dir / "compiled")

    def status(self) -> tuple[dict[str, list[CatalogStatus]], list[CarepackError]]:
        """Per locale, the status of each domain against the current templates (what the
        master texts and the interface ask for now); unreadable files as errors."""
        from .catalogs.status import catalog_status

        result: dict[str, list[CatalogStatus]] = {}
        errors: list[CarepackError] = []
        templates = self.templates()
        for code in self.config.locales:
            rows = result.setdefault(code, [])
            for domain in self.domains():
                path = self.po_path(code, domain)
                try:
                    po = self.catalog(code, domain)
                except CarepackError as error:
                    errors.append(error)
                    continue
                rows.append(catalog_status(domain, self.relative(path), po, templates[domain]))
        return result, errors
