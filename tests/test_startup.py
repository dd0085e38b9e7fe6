"""What Python loads before a command starts: no import hook for the package.

An editable install of a package that sits at the project's root is, by default, an
import hook that setuptools' ``.pth`` file loads at every start-up (with ``pathlib``,
``urllib.parse``, ``ipaddress`` and ``importlib.util``: 20 ms of CPU where start-up
itself takes 9). ``pyproject.toml`` says that the package's root is the project's
(``package-dir``), so the install is one path in a ``.pth`` file instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pipeline

ROOT = Path(pipeline.__file__).resolve().parents[1]


def _python(code: str, cwd: Path) -> str:
    """What the environment's Python prints for ``code``, started in ``cwd`` (not the
    project's root, which ``-c`` would put on the path)."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_start_up_loads_no_import_hook(tmp_path: Path) -> None:
    loaded = _python("import sys\nprint('\\n'.join(sorted(sys.modules)))\n", tmp_path).split()
    assert not [name for name in loaded if "editable" in name or name == "pathlib"], loaded


def test_the_package_is_found_without_one(tmp_path: Path) -> None:
    found = _python("import pipeline\nprint(pipeline.__file__)\n", tmp_path).strip()
    assert Path(found).resolve() == ROOT / "pipeline" / "__init__.py"
