"""Publishing states, and the record of what is published (``output/published.json``).

A locale of a document is, after a build:

- **published**: its translation of the current master text passed every check;
- **published-older**: the translation is not done for the current text (pending), but
  an older published version stays up, marked "This translation is of the text as it
  was on {date}; the English text was updated on {date}.";
- **withdrawn**: pending, and the writer marked older translations unsafe
  (``withdraw_older`` in the front matter): its outputs are taken down and the index
  links the current source text instead;
- **pending**: translation not done and nothing published yet ("in preparation");
- **withheld**: an error (malformed file, error-level finding, failed synthesis); the
  last good outputs are left as they were and the build fails.

Pending is not a failure (unless ``strict``). What was published is recorded with the
document's version and the date of its text, and the translation's review state and
date, so that what a reader has can always be traced; the catalogs of each published
version are kept under ``output/.published/`` so that the older version can be rebuilt
(marked) after its catalog has moved on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import CarepackError
from ..fsutil import atomic_write_text

RECORD_NAME = "published.json"
SNAPSHOTS = ".published"
MASTER, DOCUMENT_PO, UI_PO = "master.md", "document.po", "ui.po"
"""The files kept of each published version, in its snapshot folder."""


class PublishState(StrEnum):
    """What the build did with one locale of one document."""

    PUBLISHED = "published"
    OLDER = "published-older"
    WITHDRAWN = "withdrawn"
    PENDING = "pending"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class OlderText:
    """A translation kept up although the master text has changed since."""

    translated: dt.date
    """The date of the master text this translation is of."""
    updated: dt.date
    """The date of the current master text."""


@dataclass(frozen=True)
class Publication:
    """What a page and pack being written are a version of (for the pack's manifest)."""

    text: str
    """Fingerprint of the master text translated (:func:`text_fingerprint`)."""
    text_date: dt.date
    """The date of that master text."""
    older: OlderText | None = None
    """Set when the master text has changed since (published-older)."""

    def as_dict(self) -> dict[str, Any]:
        state = PublishState.OLDER if self.older else PublishState.PUBLISHED
        data: dict[str, Any] = {
            "state": state.value,
            "text": self.text,
            "text_date": self.text_date.isoformat(),
        }
        if self.older is not None:
            data["source_updated"] = self.older.updated.isoformat()
        return data


@dataclass(frozen=True)
class Published:
    """One published locale of one document, as recorded."""

    state: PublishState
    """``published``, ``published-older`` or ``withdrawn``."""
    text: str
    """Fingerprint of the master text that was translated (:func:`text_fingerprint`)."""
    text_date: dt.date
    """The date of that master text."""
    version: str
    """The document's ``version`` then."""
    reviewed: dt.date
    """The document's medical review date then."""
    review: str
    """The translation's ``X-Review-Status`` (``draft``, ``reviewed``)."""
    review_date: str
    """The translation's ``PO-Revision-Date``."""
    withdrawn_because: str = ""
    """For ``withdrawn``: the writer's ``withdraw_reason``."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "text": self.text,
            "text_date": self.text_date.isoformat(),
            "version": self.version,
            "reviewed": self.reviewed.isoformat(),
            "review": self.review,
            "review_date": self.review_date,
            **({"withdrawn_because": self.withdrawn_because} if self.withdrawn_because else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Published:
        return cls(
            PublishState(data["state"]),
            str(data["text"]),
            dt.date.fromisoformat(data["text_date"]),
            str(data["version"]),
            dt.date.fromisoformat(data["reviewed"]),
            str(data["review"]),
            str(data["review_date"]),
            str(data.get("withdrawn_because", "")),
        )


def text_fingerprint(keys: Sequence[tuple[str | None, str]]) -> str:
    """A short fingerprint of a master text's translatable strings (context, msgid)."""
    data = json.dumps(sorted(set(keys), key=lambda k: (k[0] or "", k[1])), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


@dataclass
class DocumentRecord:
    """What is recorded about one document."""

    texts: dict[str, dt.date]
    """Every master text seen (fingerprint → the date it was first built)."""
    locales: dict[str, Published]
    """Per locale, what is up (or was taken down)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "texts": {k: v.isoformat() for k, v in sorted(self.texts.items())},
            "locales": {k: v.as_dict() for k, v in sorted(self.locales.items())},
        }


class PublishedRecord:
    """``output/published.json``: per document, its texts and what each locale shows."""

    def __init__(self, path: Path, documents: dict[str, DocumentRecord]) -> None:
        self.path = path
        self.documents = documents

    @classmethod
    def load(cls, output_dir: Path) -> PublishedRecord:
        """Read the record (an empty one when there is none yet)."""
        path = output_dir / RECORD_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            documents = {
                doc_id: DocumentRecord(
                    {k: dt.date.fromisoformat(v) for k, v in doc["texts"].items()},
                    {k: Published.from_dict(v) for k, v in doc["locales"].items()},
                )
                for doc_id, doc in data["documents"].items()
            }
        except FileNotFoundError:
            documents = {}
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise CarepackError(
                f"the record of published translations is damaged ({error}); "
                "delete it and the output/ folder, then build again",
                path,
            ) from None
        return cls(path, documents)

    def document(self, doc_id: str) -> DocumentRecord:
        return self.documents.setdefault(doc_id, DocumentRecord({}, {}))

    def text_date(self, doc_id: str, text: str, default: dt.date) -> dt.date:
        """The date of a master text: when it was first built (``default`` the first time)."""
        return self.document(doc_id).texts.setdefault(text, default)

    def save(self) -> bool:
        """Write the record; whether it changed."""
        data = {
            "format": "carepack-published-1",
            "documents": {k: v.as_dict() for k, v in sorted(self.documents.items())},
        }
        return atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def snapshot_dir(output_dir: Path, doc_id: str, code: str) -> Path:
    """Where the inputs of a locale's published version are kept."""
    return output_dir / SNAPSHOTS / doc_id / code


def keep_snapshot(output_dir: Path, doc_id: str, code: str, files: dict[str, Path]) -> None:
    """Copy the inputs of a version being published (name in the snapshot → file)."""
    folder = snapshot_dir(output_dir, doc_id, code)
    for name, path in files.items():
        atomic_write_text(folder / name, path.read_text(encoding="utf-8"))


def remove_outputs(output_dir: Path, doc_id: str, code: str, snapshot: bool = False) -> bool:
    """Delete a locale's page, audio and pack (and its snapshot); whether anything went."""
    removed = False
    folder = output_dir / doc_id / code
    if folder.is_dir():
        shutil.rmtree(folder)
        removed = True
    pack = output_dir / "packs" / f"{doc_id}-{code}.zip"
    if pack.exists():
        pack.unlink()
        removed = True
    if snapshot and snapshot_dir(output_dir, doc_id, code).is_dir():
        shutil.rmtree(snapshot_dir(output_dir, doc_id, code))
    return removed


def decide(
    publishable: bool,
    pending: bool,
    previous: Published | None,
    text: str,
    text_date: dt.date,
    withdraw_older: dt.date | None,
) -> tuple[PublishState, OlderText | None]:
    """A locale's state, from the checks of its current translation and what was published.

    ``publishable``: the current translation passes every check; ``pending``: it does not,
    only because it is not finished; ``previous``: the record of its last publication;
    ``text``/``text_date``: the current master text; ``withdraw_older``: the writer's date
    before which translations are unsafe. Returns the state and, for ``published-older``,
    the two dates the reader is told.
    """
    if publishable:
        return PublishState.PUBLISHED, None
    if not pending:
        return PublishState.WITHHELD, None
    if previous is None:
        return PublishState.PENDING, None
    if previous.state is PublishState.WITHDRAWN:
        return PublishState.WITHDRAWN, None
    if withdraw_older is not None and previous.text_date < withdraw_older:
        return PublishState.WITHDRAWN, None
    if previous.text == text:  # the same text, translated before: keep that version as it was
        return PublishState.PUBLISHED, None
    return PublishState.OLDER, OlderText(previous.text_date, text_date)
