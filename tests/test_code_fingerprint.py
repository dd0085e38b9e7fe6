"""The code fingerprint (:func:`pipeline.build.freshness.code_fingerprint`): every code,
template and data file of the package, by path and bytes, and nothing else."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pipeline
from pipeline import __version__
from pipeline.build.freshness import _CODE_SUFFIXES, _code_files, code_fingerprint


def test_the_files_in_path_order_without_bytecode(tmp_path: Path) -> None:
    for name in [
        "b.py",
        "a/z.j2",
        "a/b/c.css",
        "a/__pycache__/z.cpython-311.pyc",
        "__pycache__/b.py",
        "a/notes.txt",
        "data/en.pls",
        "a-b.toml",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    assert _code_files(tmp_path) == [
        ("a", "b", "c.css"),
        ("a", "z.j2"),
        ("a-b.toml",),
        ("b.py",),
        ("data", "en.pls"),
    ]


def test_the_same_digest_as_reading_every_file_found_by_rglob() -> None:
    """What the fingerprint was before it walked the folders itself (so stamps written
    before stay valid): every file of those suffixes under the package, sorted by path."""
    root = Path(pipeline.__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    assert code_fingerprint() == digest.hexdigest()
