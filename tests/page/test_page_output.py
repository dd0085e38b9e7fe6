"""The page as a build output: its links to the other languages are looked up ahead."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pytest

from ..conftest import only_locales


def test_the_language_links_are_looked_up_as_the_locale_s_turn_comes(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Begun with the locale's turn, the links are looked up on the page's own thread and
    the page uses them; published with other languages since, the page looks them up again
    in its turn (never links that are not the languages it is published with)."""
    from pipeline.build.outputs import Products
    from pipeline.build.plan import make_plan
    from pipeline.checks.locale import review_locale
    from pipeline.config import load_config
    from pipeline.page import output
    from pipeline.project import Project

    only_locales(project_dir, ["es", "fr"])
    plan = make_plan(Project(load_config(project_dir)), audio=False)
    target = next(t for t in plan.locales if t.code == "es")
    current = review_locale(plan, target).published(("en", "es"))
    assert current is not None
    looked_up: list[tuple[str, tuple[str, ...]]] = []
    real = output.language_links

    def counted(code: str, languages: tuple[str, ...]) -> object:
        looked_up.append((threading.current_thread().name, tuple(languages)))
        return real(code, languages)

    monkeypatch.setattr(output, "language_links", counted)
    pages = output.PageOutput()
    pages.begin(plan, current)
    made = pages.make(plan, current, Products())
    assert [(name.rsplit("_", 1)[0], langs) for name, langs in looked_up] == [
        ("carepack-page-links", ("en", "es"))
    ]
    html = made.path.read_text(encoding="utf-8")
    assert 'href="../en/index.html"' in html and "../fr/index.html" not in html

    pages.begin(plan, current)
    wider = dataclasses.replace(current, languages=("en", "es", "fr"))
    again = pages.make(plan, wider, Products())
    assert (threading.current_thread().name, ("en", "es", "fr")) in looked_up[1:]
    assert 'href="../fr/index.html"' in again.path.read_text(encoding="utf-8")
    pages.forget(plan, wider)  # nothing left begun: nothing to drop
