"""The package as users install it: a wheel built with ``pip wheel . --no-deps`` holds every
subpackage, the templates and the lexicons, and, installed in a clean venv outside the
source tree, runs ``carepack --help`` and builds a copy of the project."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheels")
    # A copy of what a clean clone has, so that setuptools' build/ stays out of the tree
    # (pipeline/build/ is the build subpackage and is copied).
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "pipeline", tree / "pipeline", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    command = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-v", "-w", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    # setuptools says nothing about folders left out of the package or data not declared
    for warning in ("Package would be ignored", "SetuptoolsDeprecationWarning"):
        assert warning not in done.stdout + done.stderr
    (found,) = out.glob("carepack-*.whl")
    return found


def test_the_wheel_holds_every_subpackage_template_and_lexicon(wheel: Path) -> None:
    assert wheel.name == f"carepack-{pipeline.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    source = ROOT / "pipeline"
    packages = {p.parent.relative_to(ROOT).as_posix() for p in source.rglob("__init__.py")}
    assert {f"{package}/__init__.py" for package in packages} <= names
    data = [
        p.relative_to(ROOT).as_posix()
        for folder in ("templates", "lexicons")
        for p in source.rglob(f"{folder}/*")
        if p.is_file()
    ]
    assert any("/templates/" in name for name in data)
    assert any("/lexicons/" in name for name in data)
    assert [name for name in data if name not in names] == []


def test_the_installed_wheel_works_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # The dependencies come from the test's own environment (no network); the package
    # itself only from the wheel: a .pth file adds no editable install's finder.
    target = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python = venv / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, timeout=300, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    where = subprocess.run(
        [str(python), "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)
    carepack = venv / "bin" / "carepack"
    shown = subprocess.run(
        [str(carepack), "--help"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert shown.returncode == 0 and "build" in shown.stdout
    project = tmp_path / "project"
    project.mkdir()
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "carepack.toml", project / "carepack.toml")
    built = subprocess.run(
        [str(carepack), "--root", str(project), "build", "--no-audio"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "output" / "myeloma-second-line" / "es" / "index.html").read_text()
    assert "<style>" in page  # the page's stylesheet came from the wheel's templates
    assert (project / "output" / "index.html").is_file()
    assert (project / "output" / "packs" / "myeloma-second-line-es.zip").is_file()
