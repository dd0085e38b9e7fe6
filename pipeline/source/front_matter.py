"""The YAML front matter of a master text: its fields, checked.

``id``, ``title``, ``lang`` (a locale code Babel knows) and ``reviewed`` (a date) are
required; ``reading_level`` (a US grade: the document's target, else the project's
``reading_level_target``), ``version``, and ``withdraw_older`` with ``withdraw_reason``,
are optional. The YAML is read with ``yaml.safe_load`` after
:func:`~pipeline.source.bounds.check_plain_yaml` has refused anchors, aliases and tags.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token

from ..errors import LocaleError, SourceError
from ..locales import parse_locale
from .bounds import check_plain_yaml

REQUIRED_FIELDS = ("id", "title", "lang", "reviewed")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def read_front_matter(token: Token, path: Path) -> dict[str, Any]:
    """The checked fields of the YAML front matter (``token`` is markdown-it's
    ``front_matter`` token); a field that is missing or wrong is a :class:`SourceError`
    naming its line."""
    try:
        check_plain_yaml(token.content, path)
        meta = yaml.safe_load(token.content) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise SourceError(f"invalid YAML front matter: {error}", path, line) from None
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping of fields", path, 1)

    def line_of(key: str) -> int:
        for number, line in enumerate(token.content.splitlines(), start=2):
            if line.startswith(f"{key}:"):
                return number
        return 1

    for key in REQUIRED_FIELDS:
        if meta.get(key) in (None, ""):
            raise SourceError(f"front matter field {key!r} is missing", path, line_of(key))
    if not isinstance(meta["id"], str) or not _ID.match(meta["id"]):
        raise SourceError(
            f"id {meta['id']!r} must be lower-case letters, digits and hyphens",
            path,
            line_of("id"),
        )
    if not isinstance(meta["title"], str):
        raise SourceError("title must be text", path, line_of("title"))
    try:
        meta["lang"] = parse_locale(str(meta["lang"])).code
    except LocaleError as error:
        raise SourceError(f"lang: {error.message}", path, line_of("lang")) from None
    reviewed = _date(meta["reviewed"])
    if reviewed is None:
        raise SourceError("reviewed must be a date (YYYY-MM-DD)", path, line_of("reviewed"))
    meta["reviewed"] = reviewed
    level = meta.get("reading_level")
    if level is not None:
        if isinstance(level, bool) or not isinstance(level, int | float) or not 1 <= level <= 20:
            raise SourceError(
                "reading_level must be a US grade between 1 and 20", path, line_of("reading_level")
            )
        meta["reading_level"] = float(level)
    _withdrawal(meta, path, line_of)
    return meta


def _date(value: Any) -> dt.date | None:
    """A date given as a YAML date or as ``YYYY-MM-DD`` text; ``None`` for anything else."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return None
    return value


def _withdrawal(meta: dict[str, Any], path: Path, line_of: Callable[[str], int]) -> None:
    """Check ``withdraw_older`` (a date) and ``withdraw_reason`` (required with it)."""
    if meta.get("withdraw_older") is None:
        if meta.get("withdraw_reason"):
            raise SourceError(
                "withdraw_reason is given without withdraw_older (the date before which "
                "translations are taken down)",
                path,
                line_of("withdraw_reason"),
            )
        return
    date = _date(meta["withdraw_older"])
    if date is None:
        raise SourceError(
            "withdraw_older must be a date (YYYY-MM-DD)", path, line_of("withdraw_older")
        )
    reason = meta.get("withdraw_reason")
    if not isinstance(reason, str) or not reason.strip():
        raise SourceError(
            "withdraw_older needs withdraw_reason: say why older translations are unsafe "
            "(it is shown to translators and in the build report)",
            path,
            line_of("withdraw_older"),
        )
    meta["withdraw_older"], meta["withdraw_reason"] = date, reason.strip()
