"""Shared fixtures: a throw-away copy of the project, and the CLI run in-process."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.project import Project

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A copy of the shipped project (sources, config, catalogs), outputs empty."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "carepack.toml", root)
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales", root / "locales")
    return root


@pytest.fixture
def project(project_dir: Path) -> Project:
    return Project(load_config(project_dir))


@pytest.fixture
def cli(project_dir: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``carepack --root <copy> ARGS`` in-process; return its exit code and output."""

    def run(*args: str) -> Result:
        code = main(["--root", str(project_dir), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """GNU gettext's own verdict on a PO/POT file."""
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
