"""Compiled templates are kept between processes (Jinja2's bytecode cache): used when
the template is the same, compiled again when it was edited, and a cache that cannot
be written or read only costs the time of compiling."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from pipeline.templating import kept_templates


def _environment(folder: Path, cache: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        bytecode_cache=kept_templates(str(cache)),
    )


def test_a_kept_template_is_not_compiled_again_until_it_is_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    cache.mkdir(mode=0o700)
    (folder / "t.html").write_text("<p>{{ text }}</p>")
    assert _environment(folder, cache).get_template("t.html").render(text="<b>") == (
        "<p>&lt;b&gt;</p>"
    )
    assert len(list(cache.iterdir())) == 1  # the compiled code, kept

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def noting(self: jinja2.Environment, source: object, *args: object, **kwargs: object) -> object:
        compiled.append(str(args[0] if args else kwargs.get("name")))
        return compile_(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    again = _environment(folder, cache).get_template("t.html")  # a new process would do this
    assert again.render(text="&") == "<p>&amp;</p>" and compiled == []
    (folder / "t.html").write_text("<div>{{ text }}</div>")
    edited = _environment(folder, cache).get_template("t.html")
    assert edited.render(text="x") == "<div>x</div>" and compiled == ["t.html"]


def test_a_cache_folder_that_is_a_file_only_costs_time(tmp_path: Path) -> None:
    """Making or writing into it fails (``NotADirectoryError``), as a full or read-only
    disk would."""
    folder, cache = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    cache.write_text("not a folder")
    assert kept_templates(str(cache)) is None
    cache = tmp_path / "cache2"
    cache.mkdir()
    kept = kept_templates(str(cache))
    assert kept is not None
    cache.rename(tmp_path / "gone")  # the folder was there; now it is not
    cache.write_text("not a folder")
    (folder / "t.html").write_text("{{ 1 + 1 }}")
    assert _environment(folder, cache).get_template("t.html").render() == "2"
    assert _environment(folder, cache).get_template("t.html").render() == "2"


def test_the_users_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    kept_templates.cache_clear()
    try:
        kept = kept_templates()
        assert isinstance(kept, jinja2.FileSystemBytecodeCache)
        assert kept.directory == str(tmp_path / "xdg" / "carepack" / "templates")
        assert (tmp_path / "xdg" / "carepack" / "templates").is_dir()
    finally:
        kept_templates.cache_clear()


def test_every_environment_keeps_its_templates() -> None:
    from pipeline.book.epub import _environment as book
    from pipeline.handout.markup import _environment as handout
    from pipeline.page.index import _environment as index
    from pipeline.page.render import _environment as page
    from pipeline.readability.html import _environment as readability

    for environment in (book(), handout(), index(), page(), readability()):
        assert isinstance(environment.bytecode_cache, jinja2.FileSystemBytecodeCache)
