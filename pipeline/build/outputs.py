"""What an output is: the page, the audio, the pack (and any new one) are each an
:class:`Output`, and the build walks a list of them.

An output is given a :class:`~pipeline.checks.locale.PublishedLocale` (a locale that
passed the gate: its translated document, interface strings, reading-level report,
spoken script and its files from the build plan) and the :class:`Products` that the
outputs before it in the list made for that locale. It writes its files (atomically,
:mod:`pipeline.fsutil`) and returns a :class:`Product` naming them.

How a new output plugs in:

1. a new subpackage, say ``pipeline/book/``, with an ``output.py`` holding a small
   class with ``name``, ``wanted``, ``key`` and ``make`` (see :class:`Output`) and a
   frozen dataclass for what it made (``files`` and ``problems``, see :class:`Product`);
   it reads only what it is given, writes under ``locale.target.out_dir``;
2. one line in :data:`pipeline.build.jobs.OUTPUTS`, after the outputs it uses
   (``made.get(AudioResult)`` gives the audio, or ``None`` when there is none);
3. a test that builds it.

Whether it needs making at all is not its business: the build keys every locale by its
input files (:attr:`~pipeline.build.plan.LocalePlan.inputs`), the code, and each output's
:meth:`Output.key`, and :mod:`pipeline.build.freshness` says whether the files recorded last
time are still there untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, runtime_checkable

from ..errors import CarepackError

if TYPE_CHECKING:
    from ..checks.locale import LocaleCheck, PublishedLocale
    from .plan import BuildPlan, LocalePlan

T = TypeVar("T")


class Product(Protocol):
    """What one output made for one locale."""

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file it wrote or found already right (compared on the next build)."""
        ...

    @property
    def problems(self) -> tuple[CarepackError, ...]:
        """What went wrong without stopping it (the locale is reported, the files kept)."""
        ...

    @property
    def summary(self) -> str:
        """A few words for the build's progress line: ``page written``."""
        ...


class OneFile:
    """A :class:`Product` that is one file: a base for the frozen dataclass of an output
    that writes a single file (the pack, the book), which has ``path`` and ``written``
    fields and a ``label`` for the progress line."""

    label: ClassVar[str]
    path: Path
    written: bool

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.path,)

    @property
    def problems(self) -> tuple[CarepackError, ...]:
        return ()

    @property
    def summary(self) -> str:
        return f"{self.label} {'written' if self.written else 'unchanged'}"


class Output(Protocol):
    """One kind of output, made for every published locale."""

    @property
    def name(self) -> str:
        """A short name: ``page``, ``audio``, ``pack``."""
        ...

    def wanted(self, plan: BuildPlan, locale: PublishedLocale) -> bool:
        """Whether to make it for this locale (``--no-audio``: no audio)."""
        ...

    def key(self, plan: BuildPlan, locale: PublishedLocale) -> Any:
        """Settings it depends on beyond the locale's input files and the code, as JSON
        data (a voice, a bitrate, the other published languages)."""
        ...

    def make(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> Product | None:
        """Write its files; ``None`` when there is nothing to make (no book without audio);
        raise :class:`~pipeline.errors.CarepackError` when it cannot (the locale is then
        reported, and later outputs are made without it)."""
        ...


@runtime_checkable
class BeginsEarly(Protocol):
    """An output that can start its work before the outputs ahead of it are made (it uses
    none of them): the build begins it as the locale's turn comes, while the audio is
    still being spoken, and it writes nothing until its own turn."""

    def anticipate(self, plan: BuildPlan, target: LocalePlan, check: LocaleCheck) -> None:
        """Start the work from the locale's review alone, before its turn (for a language
        whose files changed); :meth:`begin` keeps it if the inputs turn out the same."""
        ...

    def begin(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Start the work (in memory only)."""
        ...

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop what :meth:`begin` started if :meth:`Output.make` did not take it."""
        ...


@runtime_checkable
class Follows(Protocol):
    """An output that starts part of its work from what the outputs ahead of it made, as
    they make it (in memory only, on a thread of its own), so that its own turn finds it
    done: the pack deflates the talking book while the page is rendered."""

    def follow(self, plan: BuildPlan, locale: PublishedLocale, made: Products) -> None:
        """An output ahead of this one has just made its product for ``locale``; ``made``
        holds every product so far."""
        ...

    def forget(self, plan: BuildPlan, locale: PublishedLocale) -> None:
        """Drop what :meth:`follow` started if :meth:`Output.make` did not take it."""
        ...


class Products:
    """What the outputs made for one locale so far, looked up by type."""

    def __init__(self) -> None:
        self._made: dict[str, Product] = {}

    def add(self, name: str, product: Product) -> None:
        """Note what the output called ``name`` made."""
        self._made[name] = product

    def get(self, kind: type[T]) -> T | None:
        """The product of type ``kind`` (``made.get(PageProduct)``), or ``None``."""
        return next((p for p in self._made.values() if isinstance(p, kind)), None)

    def __iter__(self) -> Iterator[Product]:
        return iter(self._made.values())

    def files(self) -> list[Path]:
        """Every file of every product."""
        return [path for product in self for path in product.files]
