"""Operating-system failures (issue 13, point 6): a read-only output folder, a full disk, a
carepack.toml that is not UTF-8. Each is a message with the path and what to do, a non-zero
exit and no traceback (``--debug`` shows one); nothing is half-written."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, FileSystemError
from pipeline.pack.verify import verify_pack

from .conftest import DOC, Result, only_locales, outputs


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def output_on_tmpfs(project_dir: Path) -> Iterator[Path]:
    """``output/`` on its own small tmpfs (needs root, as `make test` runs)."""
    out = project_dir / "output"
    if os.geteuid() != 0 or not _mount(out, "size=2m"):
        pytest.skip("mounting a small tmpfs over output/ needs root (make test runs as root)")
    try:
        yield out
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)


def change_master_text(project_dir: Path) -> None:
    source = project_dir / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("is crucial for", "is vital for"), encoding="utf-8")


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.err and "Traceback" not in result.out


def test_read_only_output_is_a_message_and_nothing_changes(
    project_dir: Path, cli: Callable[..., Result], output_on_tmpfs: Path
) -> None:
    only_locales(project_dir, ["es"])
    assert cli("build", "--no-audio").code == 0
    before = outputs(project_dir)
    subprocess.run(["mount", "-o", "remount,ro", str(output_on_tmpfs)], check=True)
    change_master_text(project_dir)
    result = cli("build", "--no-audio")
    assert result.code == FileSystemError.exit_code
    no_traceback(result)
    assert "carepack: error: " in result.err and "/output/" in result.err
    assert "Read-only file system; the file system is read-only" in result.err
    assert outputs(project_dir) == before
    debug = cli("--debug", "build", "--no-audio")
    assert debug.code == FileSystemError.exit_code
    assert "Traceback (most recent call last)" in debug.err


def test_a_full_disk_is_a_message_and_leaves_nothing_half_written(
    project_dir: Path, cli: Callable[..., Result], output_on_tmpfs: Path
) -> None:
    only_locales(project_dir, ["es"])
    assert cli("build", "--no-audio").code == 0
    only_locales(project_dir, ["es", "fr", "ru", "vi", "ar"])  # much more to write
    filler = output_on_tmpfs / "filler"
    stat = os.statvfs(output_on_tmpfs)
    filler.write_bytes(bytes(stat.f_bavail * stat.f_frsize - 40_000))  # 40 kB left
    result = cli("build", "--no-audio")
    assert result.code == FileSystemError.exit_code, result.out + result.err
    no_traceback(result)
    assert "No space left on device; the disk is full: free some space" in result.err
    assert str(output_on_tmpfs) in result.err
    leftovers = [p for p in output_on_tmpfs.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    for pack in (output_on_tmpfs / "packs").glob("*.zip"):
        verify_pack(pack)  # every pack is whole: the old one or the new one
    for page in output_on_tmpfs.rglob("index.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    filler.unlink()
    assert cli("build", "--no-audio").code == 0  # the next build finishes the job


def test_a_write_refused_by_the_os_is_a_message(
    project_dir: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root: the OS boundary (os.replace) refuses, as on a full disk."""
    only_locales(project_dir, ["es"])

    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), dst)

    monkeypatch.setattr(os, "replace", refuse)
    result = cli("build", "--no-audio")
    assert result.code == FileSystemError.exit_code
    no_traceback(result)
    assert f"{project_dir}/output/" in result.err and "the disk is full" in result.err
    assert not [p for p in (project_dir / "output").rglob("*") if p.name.endswith(".tmp")]


def test_invalid_toml_names_its_line(project_dir: Path, cli: Callable[..., Result]) -> None:
    config = project_dir / "carepack.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\nrate = = 1\n# end\n", "utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("rate = = 1") + 1
    result = cli("build")
    assert result.code == ConfigError.exit_code
    assert f"{config}:{line}: invalid TOML" in result.err


def test_carepack_toml_that_is_not_utf8_names_its_line(
    project_dir: Path, cli: Callable[..., Result]
) -> None:
    config = project_dir / "carepack.toml"
    lines = config.read_bytes().split(b"\n")
    lines[2] += b" # caf\xe9"
    config.write_bytes(b"\n".join(lines))
    for command in ("build", "status", "check", "update"):
        result = cli(command)
        assert result.code == ConfigError.exit_code
        no_traceback(result)
        assert f"{config}:3: not UTF-8 text (byte 0xe9); save the file as UTF-8" in result.err


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("rate = 150.7", "speech.rate: must be a whole number, not 150.7"),
        ("bitrate = 48.5", "speech.bitrate: must be a whole number, not 48.5"),
    ],
)
def test_integer_settings_refuse_fractions(
    project_dir: Path, cli: Callable[..., Result], setting: str, message: str
) -> None:
    config = project_dir / "carepack.toml"
    key = setting.split()[0]
    text = re.sub(rf"^{key} = .*$", setting, config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index(setting) + 1
    result = cli("status")
    assert result.code == ConfigError.exit_code
    assert f"{config}:{line}: {message}" in result.err


def test_a_removed_current_folder_is_said_plainly(project_dir: Path, tmp_path: Path) -> None:
    """A shell whose folder was removed (a clone deleted and made again, say): Python's
    own error names no file; carepack says what happened and what to do."""
    gone = tmp_path / "gone"
    gone.mkdir()
    carepack = Path(sys.executable).parent / "carepack"
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'cd "{gone}" && rmdir "{gone}" && "{carepack}" --root "{project_dir}" build',
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == FileSystemError.exit_code, done.stderr
    assert "the current folder no longer exists" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project_dir / "output").exists()  # nothing was started
