"""The build on a Dask cluster (``carepack build --scheduler``): a ``LocalCluster`` of two
single-threaded worker processes makes every file under ``output/`` the same bytes as a
local build, for the shipped project and for several documents with audio, also when a
worker is killed while it is synthesizing; an unreachable scheduler is a clear error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import psutil
import pytest
from distributed import Client, LocalCluster

from pipeline.build import cluster as cluster_module
from pipeline.build.cluster import RETRIES, DaskEngine, scheduler_address
from pipeline.build.jobs import LocaleMade
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import BuildError, ClusterError, ConfigError

from .conftest import ROOT, only_locales, outputs

sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
from bench_scale import scaled_copy


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster: two worker processes, one thread each."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local.scheduler_address


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(root), "build", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def summary(out: str) -> list[str]:
    """What a build says about its locales, without its timings (in any order)."""
    lines = [line for line in out.splitlines() if not line.startswith(("Built in", "cluster:"))]
    return sorted(line.split(" (")[0] if "checked" in line else line for line in lines)


def copy_shipped(dest: Path) -> Path:
    dest.mkdir(parents=True)
    (dest / "carepack.toml").write_bytes((ROOT / "carepack.toml").read_bytes())
    for folder in ("source", "locales"):
        subprocess.run(["cp", "-r", str(ROOT / folder), str(dest / folder)], check=True)
    return dest


def test_shipped_project_is_the_same_bytes_on_the_cluster(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    local = copy_shipped(tmp_path / "local")
    remote = copy_shipped(tmp_path / "remote")
    code, out, err = build(local, capsys, "--no-audio")
    assert code == 0, err
    code_remote, out_remote, err_remote = build(
        remote, capsys, "--no-audio", "--scheduler", scheduler
    )
    assert code_remote == 0, err_remote
    assert f"cluster: {scheduler}, 2 worker(s)" in out_remote
    assert outputs(remote) == outputs(local)
    assert len(outputs(local)) > 50
    assert summary(out_remote) == summary(out)
    # Built again on the cluster: every locale is up to date, nothing changes.
    again, out_again, _ = build(remote, capsys, "--no-audio", "--scheduler", scheduler)
    assert again == 0
    assert out_again.count(": up to date") == len(load_config(remote).all_languages())
    assert outputs(remote) == outputs(local)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two distinct documents in English and Spanish (with audio), not built."""
    root = scaled_copy(tmp_path_factory.mktemp("docs") / "project", 2)
    only_locales(root, ["es"])
    return root


@pytest.fixture(scope="module")
def reference(documents: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every output file's SHA-256 from a local build of :func:`documents` (with audio)."""
    root = tmp_path_factory.mktemp("reference") / "project"
    subprocess.run(["cp", "-r", str(documents), str(root)], check=True)
    assert main(["--root", str(root), "build"]) == 0
    return outputs(root)


def test_documents_with_audio_are_the_same_bytes_on_the_cluster(
    documents: Path,
    reference: dict[str, str],
    tmp_path: Path,
    scheduler: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "project"
    subprocess.run(["cp", "-r", str(documents), str(root)], check=True)
    code, out, err = build(root, capsys, "--scheduler", scheduler)
    assert code == 0, err
    assert outputs(root) == reference
    assert any(name.endswith(".mp3") for name in reference)
    spoken = int(out.split("Built in ")[1].split("; ")[1].split(" ")[0])
    assert spoken > 0  # the workers spoke: nothing came from another build's cache
    for doc in ("doc-01", "doc-02"):
        for code_ in ("en", "es"):
            assert out.count(f"  {doc} [{code_}]: ") == 1


def _speaking_worker(pids: dict[str, int]) -> int | None:
    """The pid of a Dask worker that is synthesizing now: one of its speech processes
    (started by its fork server, so a grandchild) is running."""
    for pid in pids.values():
        try:
            children = psutil.Process(pid).children()
            if any(child.children() for child in children):
                return pid
        except psutil.NoSuchProcess:
            continue
    return None


def test_a_worker_killed_while_synthesizing_is_retried_with_the_same_bytes(
    documents: Path,
    reference: dict[str, str],
    tmp_path: Path,
    scheduler: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "project"
    subprocess.run(["cp", "-r", str(documents), str(root)], check=True)
    with Client(scheduler, set_as_default=False) as client:
        pids: dict[str, int] = client.run(os.getpid)
    killed: list[int] = []
    done = threading.Event()

    def kill_one_speaking_worker() -> None:
        while not done.is_set():
            pid = _speaking_worker(pids)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_one_speaking_worker)
    killer.start()
    try:
        code, _out, err = build(root, capsys, "--scheduler", scheduler)
    finally:
        done.set()
        killer.join()
    assert killed, "no worker was seen synthesizing"
    assert code == 0, err
    assert outputs(root) == reference
    assert not list((root / "output").rglob("*.tmp"))
    with Client(scheduler, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)  # the nanny started a new worker


def test_an_unreachable_scheduler_is_a_clear_error_and_keeps_the_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_shipped(tmp_path / "project")
    only_locales(root, ["es"])
    assert build(root, capsys, "--no-audio")[0] == 0
    before = outputs(root)
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    with socket_nobody_listens_on() as address:
        code, _out, err = build(root, capsys, "--no-audio", "--scheduler", address)
    assert code == ClusterError.exit_code == 11
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert "dask scheduler" in err
    assert "Traceback" not in err
    assert outputs(root) == before


class socket_nobody_listens_on:
    """A loopback port that was free a moment ago (nothing listens on it)."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        return f"tcp://127.0.0.1:{port}"

    def __exit__(self, *_: object) -> None:
        pass


def test_the_flag_wins_over_the_environment_which_wins_over_the_settings() -> None:
    flag, env, toml = "tcp://flag:1", "tcp://env:2", "tcp://toml:3"
    environ = {"DASK_SCHEDULER_ADDRESS": env}
    assert scheduler_address(flag, toml, environ) == flag
    assert scheduler_address(None, toml, environ) == env
    assert scheduler_address(None, toml, {}) == toml
    assert scheduler_address(None, None, {}) is None
    with pytest.raises(ConfigError, match="DASK_SCHEDULER_ADDRESS: 'host:8786' is not"):
        scheduler_address(None, None, {"DASK_SCHEDULER_ADDRESS": "host:8786"})


def test_a_bad_scheduler_in_carepack_toml_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_shipped(tmp_path / "project")
    config = root / "carepack.toml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text("\n".join([*lines, "", "[build]", 'scheduler = "my-cluster"', ""]))
    code, _, err = build(root, capsys, "--no-audio")
    assert code == ConfigError.exit_code
    assert f"carepack.toml:{len(lines) + 3}: build.scheduler: must be a Dask scheduler" in err
    assert not (root / "output").exists() or not any((root / "output").iterdir())


def test_a_local_build_does_not_import_dask(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path / "project")
    only_locales(root, ["es"])
    program = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"assert main(['--root', {str(root)!r}, 'build', '--no-audio']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dask', 'distributed'}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_a_content_failure_on_the_cluster_is_reported_as_a_local_build_reports_it(
    tmp_path: Path, scheduler: str, capsys: pytest.CaptureFixture[str]
) -> None:
    built = {}
    for name, args in (("local", ()), ("cluster", ("--scheduler", scheduler))):
        root = copy_shipped(tmp_path / name)
        only_locales(root, ["es"])
        set_voice(root, "es", "roa/no-such-voice")
        code, out, err = build(root, capsys, *args)
        assert code == BuildError.exit_code, out + err
        assert "Traceback" not in err
        assert "no-such-voice" in err
        built[name] = (summary(out), err.replace(str(root), "ROOT"), outputs(root))
    assert built["cluster"] == built["local"]


def set_voice(root: Path, code: str, voice: str) -> None:
    config = root / "carepack.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[speech.voices]\n", f'[speech.voices]\n{code} = "{voice}"\n'))


def test_a_job_whose_workers_keep_dying_is_reported_for_its_locale() -> None:
    """After the scheduler's allowed failures and the retries, the job's locale gets a
    BuildError (exit code 6), as a failed output would, and the build goes on."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        Client(local, set_as_default=False) as client,
    ):
        engine = DaskEngine(client)
        dies = client.submit(os._exit, 1, key="carepack-doc-01/es-0a1b", retries=RETRIES)
        [(_, died)] = list(engine.finished([dies]))
        lives = client.submit(LocaleMade, key="carepack-doc-01/fr-2c3d")  # the cluster goes on
        [(_, lived)] = list(engine.finished([lives]))
    assert lived.errors == ()
    [error] = died.errors
    assert isinstance(error, BuildError)
    assert error.exit_code == 6
    assert error.locale == "es"
    assert str(error).startswith("[es]: doc-01/es: the Dask workers making it kept dying")


def test_a_job_the_cluster_cannot_run_is_a_cluster_error(scheduler: str) -> None:
    """Not a problem in the content (that is in the job's result): a worker or scheduler
    that cannot run carepack's code, say another version, is named as such (exit 11)."""
    with Client(scheduler, set_as_default=False) as client:
        engine = DaskEngine(client)
        broken = client.submit(int, "not a number", key="carepack-doc-01/es-4e5f", retries=0)
        with pytest.raises(ClusterError) as caught:
            list(engine.finished([broken]))
    assert caught.value.exit_code == 11
    message = str(caught.value)
    assert message.startswith("doc-01/es: the cluster could not run the job (ValueError: ")
    assert "the same carepack and Dask" in message
