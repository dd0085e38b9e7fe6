"""What a build reports: each locale's outcome (its review, what its outputs made, its
errors and its publishing state) and the whole build's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..audio.album import AudioResult
from ..book.epub import BookResult
from ..checks.findings import Finding
from ..checks.locale import LocaleCheck, LocaleReview
from ..errors import CarepackError
from ..handout.model import HandoutFile
from ..handout.output import HandoutProduct
from ..pack.archive import PackResult
from ..page.output import PageProduct
from ..publishing.record import PublishState
from ..publishing.steps import Plan
from ..readability.model import ReadabilityReport
from .jobs import LocaleMade
from .outputs import Products


@dataclass
class LocaleOutcome:
    """What the build did for one locale of one document."""

    review: LocaleReview
    """The checks, the gate's verdict, the reading level and the speech lint."""
    products: Products = field(default_factory=Products)
    """What the outputs made."""
    errors: list[CarepackError] = field(default_factory=list)
    """Problems in this locale (audio, unsafe links)."""
    reused: bool = False
    """Whether its outputs were already up to date (nothing was made)."""
    kept: bool = False
    """Whether its audio failed and its last good outputs (with audio) were kept as they
    were: nothing new is published for it, and the index still offers the old ones."""
    plan: Plan | None = None
    """Its publishing state and what it is built from (see :mod:`pipeline.publishing.steps`)."""

    def take(self, made: LocaleMade) -> None:
        """Note what its job made."""
        self.products, self.reused, self.kept = made.products, made.reused, made.kept
        self.errors += made.errors

    def settled(self) -> None:
        """Let go of what only its outputs and its publishing state read (the catalog as
        read, the spoken script), once both are done: the report keeps this to the end of
        the build, whatever the number of documents (:meth:`LocaleReview.reported`)."""
        reported: dict[int, LocaleReview] = {}  # a review the plan shares stays shared

        def slim(review: LocaleReview) -> LocaleReview:
            return reported.setdefault(id(review), review.reported())

        self.review = slim(self.review)
        if self.plan is not None:
            self.plan = replace(
                self.plan, review=slim(self.plan.review), current=slim(self.plan.current)
            )

    @property
    def state(self) -> PublishState:
        return self.plan.state if self.plan is not None else PublishState.WITHHELD

    @property
    def check(self) -> LocaleCheck:
        return self.review.check

    @property
    def readability(self) -> ReadabilityReport | None:
        return self.review.readability

    @property
    def speech(self) -> tuple[Finding, ...]:
        return self.review.speech

    @property
    def audio(self) -> AudioResult | None:
        return self.products.get(AudioResult)

    @property
    def book(self) -> BookResult | None:
        return self.products.get(BookResult)

    @property
    def handout(self) -> HandoutFile | None:
        handout = self.products.get(HandoutProduct)
        return handout.file if handout else None

    @property
    def page(self) -> Path | None:
        page = self.products.get(PageProduct)
        return page.path if page else None

    @property
    def pack(self) -> Path | None:
        pack = self.products.get(PackResult)
        return pack.path if pack else None

    @property
    def pack_bytes(self) -> int:
        pack = self.products.get(PackResult)
        return pack.size if pack else 0


@dataclass
class BuildReport:
    """What a build did."""

    outcomes: list[LocaleOutcome] = field(default_factory=list)
    """One per document and language, in order."""
    seconds: float = 0.0
    """Wall time."""
    created: list[Path] = field(default_factory=list)
    """Catalogs created for a new document or language."""
    removed: list[str] = field(default_factory=list)
    """``doc/lang`` outputs removed because the language is no longer configured."""
    setup_errors: list[CarepackError] = field(default_factory=list)
    """Catalogs that could not be created."""

    @property
    def published(self) -> list[LocaleOutcome]:
        return [o for o in self.outcomes if o.pack is not None and not o.kept]

    @property
    def kept(self) -> list[LocaleOutcome]:
        """Locales whose audio failed: their last good outputs stay, nothing new."""
        return [o for o in self.outcomes if o.kept]

    @property
    def withheld(self) -> list[LocaleOutcome]:
        """Locales with an error (not merely unfinished): the build fails."""
        return [o for o in self.outcomes if o.state is PublishState.WITHHELD]

    @property
    def pending(self) -> list[LocaleOutcome]:
        """Locales whose translation is not finished (older, withdrawn or not yet published)."""
        waiting = {PublishState.PENDING, PublishState.OLDER, PublishState.WITHDRAWN}
        return [o for o in self.outcomes if o.state in waiting]

    @property
    def errors(self) -> list[CarepackError]:
        locales = [e for o in self.outcomes for e in [*o.check.errors, *o.errors]]
        return [*self.setup_errors, *locales]

    @property
    def synthesized(self) -> int:
        return sum(o.audio.synthesized for o in self.outcomes if o.audio and not o.reused)

    @property
    def warnings(self) -> int:
        """Warning-level entry and speech findings and reading levels above target."""
        entries = sum(
            1 for o in self.outcomes for f in o.review.findings if f.severity == "warning"
        )
        levels = sum(len(o.readability.findings()) for o in self.outcomes if o.readability)
        return entries + levels
