"""The whole build, stage by stage, for every document and configured locale."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import CarepackError
from .project import Project


@dataclass
class BuildReport:
    """What a build did."""

    stages: list[tuple[str, int, float]] = field(default_factory=list)
    """(stage, files written, seconds) in order."""
    errors: list[CarepackError] = field(default_factory=list)
    """Problems found; each names its file, line and locale."""
    withheld: dict[str, list[str]] = field(default_factory=dict)
    """Locale → reasons it was not published."""
    published: list[str] = field(default_factory=list)
    """Locales built."""


def build(project: Project, progress: Callable[[str], None] = print) -> BuildReport:
    """Run every stage; a broken locale is reported and withheld, the rest build."""
    report = BuildReport()
    started = time.perf_counter()
    outcome = project.compile()
    seconds = time.perf_counter() - started
    report.stages.append(("compile", len(outcome.written), seconds))
    written, unchanged = len(outcome.written), len(outcome.unchanged)
    progress(f"compile: {written} written, {unchanged} unchanged ({seconds:.2f} s)")
    report.errors.extend(outcome.errors)
    failed = {e.locale for e in outcome.errors if e.locale}
    for code in project.config.locales:
        if code in failed:
            report.withheld[code] = [str(e) for e in outcome.errors if e.locale == code]
        else:
            report.published.append(code)
    return report
