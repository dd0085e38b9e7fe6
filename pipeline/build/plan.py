"""The build plan: every document × language with every file it reads and writes,
resolved once from the project, so that the stages take plain data.

``build`` and ``check`` make a plan with :func:`make_plan` and hand each stage the
:class:`LocalePlan` it works on; no stage asks the :class:`~pipeline.project.Project`
for a path. Locale codes are validated (:func:`~pipeline.locales.parse_locale`) before
they become paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..audio.lexicon import search_path
from ..catalogs.ui import DOMAIN as UI_DOMAIN
from ..config import CONFIG_NAME, Config, SpeechConfig
from ..locales import LocaleInfo, parse_locale
from ..project import Project
from ..readability.cmudict import nltk_data_for
from ..source.document import Document
from ..termbase.glossary import GLOSSARY_NAMES


@dataclass(frozen=True)
class LocalePlan:
    """One document in one language: what it is made from and where it goes."""

    document: Document
    """The master text."""
    locale: LocaleInfo
    """The language (the source language included)."""
    catalog: Path | None
    """``locales/<code>/LC_MESSAGES/<doc>.po`` (``None`` for the source language)."""
    ui_catalog: Path | None
    """``locales/<code>/LC_MESSAGES/ui.po`` (``None`` for the source language)."""
    lexicons: tuple[Path, ...]
    """The project's own speech lexicons for this language (``locales/<code>/lexicon.*``,
    then those of its language, ``locales/<language>/``, for a regional code)."""
    glossaries: tuple[Path, ...]
    """Its termbase (``locales/<code>/glossary.tbx`` and ``.csv``), where they exist."""
    inputs: tuple[Path, ...]
    """Every file the outputs are made from: master text, settings, catalogs, lexicons,
    glossaries."""
    out_dir: Path
    """``output/<doc>/<code>/``: the page, the audio folder and the other per-locale files."""
    pack: Path
    """``output/packs/<doc>-<code>.zip``."""
    stamp: Path
    """Where the build records what this locale's outputs were made from."""

    @property
    def code(self) -> str:
        return self.locale.code

    @property
    def is_source(self) -> bool:
        """Whether this is the master text's own language (no catalog)."""
        return self.locale.code == self.document.lang


@dataclass(frozen=True)
class BuildPlan:
    """Everything one ``build`` or ``check`` works on, paths resolved."""

    root: Path
    """The project directory."""
    config: Config
    """The validated settings."""
    settings_file: Path
    """``carepack.toml``."""
    documents: tuple[Document, ...]
    """Every master text in ``source/``."""
    locales: tuple[LocalePlan, ...]
    """Every document in every language (source language first), in that order."""
    audio: bool
    """Whether audio is made (``build --no-audio`` turns it off)."""
    output_dir: Path
    """``output/``."""
    index: Path
    """``output/index.html``."""
    readability_report: Path
    """``output/reports/readability.html``."""
    readability_cache: Path
    """Reading-level reports kept by content."""
    audio_cache: Path
    """Encoded tracks kept by content, and the audio folders' stamps."""
    speech_cache: Path
    """Spoken scripts and their lint, kept by content."""
    nltk_data: Path
    """Where the offline pronouncing dictionary lives for this project (the installation's,
    written by ``make``, or the project's cache)."""

    @property
    def speech(self) -> SpeechConfig:
        return self.config.speech

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project (for messages), or as it is."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    def of_document(self, document_id: str) -> tuple[LocalePlan, ...]:
        """Every language of one document."""
        return tuple(t for t in self.locales if t.document.id == document_id)


def locale_plan(project: Project, document: Document, code: str) -> LocalePlan:
    """The plan of ``document`` in ``code`` (validated first)."""
    config = project.config
    info = parse_locale(code)
    source = info.code == document.lang
    catalog = None if source else project.po_path(info.code, document.id)
    ui_catalog = None if source else project.po_path(info.code, UI_DOMAIN)
    lexicons = tuple(  # the language's too: zh_Hans reads locales/zh/ after its own
        path
        for pair in search_path(info.code, config.locales_dir)
        for path in pair
        if path.is_relative_to(config.locales_dir) and path.is_file()
    )
    folder = config.locales_dir / info.code
    glossaries = () if source else tuple(p for n in GLOSSARY_NAMES if (p := folder / n).is_file())
    catalogs = () if catalog is None or ui_catalog is None else (catalog, ui_catalog)
    settings = project.root / CONFIG_NAME
    inputs = (project.root / document.path, settings, *catalogs, *lexicons, *glossaries)
    return LocalePlan(
        document=document,
        locale=info,
        catalog=catalog,
        ui_catalog=ui_catalog,
        lexicons=lexicons,
        glossaries=glossaries,
        inputs=inputs,
        out_dir=config.output_dir / document.id / info.code,
        pack=config.output_dir / "packs" / f"{document.id}-{info.code}.zip",
        stamp=config.cache_dir / "build" / f"{document.id}-{info.code}.pickle",
    )


def make_plan(project: Project, audio: bool = True) -> BuildPlan:
    """Resolve every path once (parses the master texts; errors name file and line)."""
    config = project.config
    documents = tuple(project.documents())
    return BuildPlan(
        root=project.root,
        config=config,
        settings_file=project.root / CONFIG_NAME,
        documents=documents,
        locales=tuple(
            locale_plan(project, document, code)
            for document in documents
            for code in config.all_languages()
        ),
        audio=audio,
        output_dir=config.output_dir,
        index=config.output_dir / "index.html",
        readability_report=config.output_dir / "reports" / "readability.html",
        readability_cache=config.cache_dir / "readability",
        audio_cache=config.cache_dir / "audio",
        speech_cache=config.cache_dir / "speech",
        nltk_data=nltk_data_for(config.cache_dir / "nltk_data"),
    )
