"""The build's jobs on a Dask distributed cluster (``carepack build --scheduler``).

The client (``carepack build``) plans and checks every locale, as a local build does, and
submits one :class:`~pipeline.build.jobs.LocaleJob` per (document, locale) to the
scheduler. A worker makes that locale's outputs with :func:`run_job` and writes them,
and the audio cache, into the project's folder, which every worker sees at the same path
(a shared filesystem). It returns a small :class:`~pipeline.build.jobs.LocaleMade`; the
client writes what spans locales (the index page, the reading-level report, the
publishing record).

A problem in the content (a gate error, a voice espeak-ng lacks) is part of the job's
result, so Dask does not retry it. A worker that dies mid-job (killed, out of memory) is
retried on another worker (the scheduler's ``allowed-failures``, then :data:`RETRIES`);
one that keeps dying is reported for that locale like a failed output (exit code 6).

Dask is an optional extra (``pip install 'carepack[cluster]'``): only this module imports
it, and only :func:`connect` and :class:`DaskEngine` need it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..config import SCHEDULER_ADDRESS
from ..errors import BuildError, ClusterError, ConfigError
from .jobs import LocaleJob, LocaleMade, make_locale

if TYPE_CHECKING:
    from distributed import Client, Future

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
"""The environment variable naming the scheduler (Dask's own name for it)."""
RETRIES = 2
"""Times a job is submitted again after the scheduler gave up on it (its workers died)."""
CONNECT_SECONDS = 10
"""How long to try to reach the scheduler before saying it cannot be reached."""
WORKER_WAIT_SECONDS = 30
"""How long to wait for a first worker when the scheduler has none."""


def scheduler_address(
    flag: str | None, configured: str | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The scheduler to build on: ``--scheduler``, else ``DASK_SCHEDULER_ADDRESS``, else
    ``[build] scheduler`` in ``carepack.toml``; ``None``: build on this machine.

    Raises :class:`~pipeline.errors.ConfigError` for an address that is not one.
    """
    for value, where in (
        (flag, "--scheduler"),
        (environ.get(SCHEDULER_ENV), SCHEDULER_ENV),
        (configured, "[build] scheduler"),
    ):
        if value:
            if not SCHEDULER_ADDRESS.match(value):
                raise ConfigError(
                    f"{where}: {value!r} is not a Dask scheduler address "
                    "(tcp://host:8786, as `dask scheduler` prints it)"
                )
            return value
    return None


@contextmanager
def connect(address: str, progress: Callable[[str], None]) -> Iterator[DaskEngine]:
    """A :class:`DaskEngine` on the scheduler at ``address`` with at least one worker;
    :class:`~pipeline.errors.ClusterError` when there is none (before anything is built)."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            f"--scheduler {address}: Dask is not installed; "
            "install it with: pip install 'carepack[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
            f"({_reason(error)}); start it with `dask scheduler`, or build on this machine "
            "without --scheduler"
        ) from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except (OSError, TimeoutError):
            raise ClusterError(
                f"the Dask scheduler at {address} has no worker after {WORKER_WAIT_SECONDS} s; "
                f"start one on each machine with `dask worker {address}`"
            ) from None
        workers = len(client.nthreads())
        progress(f"cluster: {address}, {workers} worker(s)")
        yield DaskEngine(client)
    finally:
        client.close()


def _reason(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def run_job(job: LocaleJob) -> LocaleMade:
    """:func:`~pipeline.build.jobs.make_locale` in a Dask worker.

    A Dask worker process is daemonic, and a daemonic process may not start processes;
    the speech runs each track in a process of its own (a fresh espeak-ng per track keeps
    the audio the same bytes whichever worker makes it), so the worker is made an
    ordinary process while the job runs. Its speech processes are its own (daemonic)
    children: they end with it.
    """
    process = multiprocessing.current_process()
    daemonic = process.daemon
    if daemonic:
        process.daemon = False
    try:
        return make_locale(job)
    finally:
        if daemonic:
            process.daemon = True


class DaskEngine:
    """Jobs on a Dask cluster: every document is checked and submitted at once, and each
    result is taken as it comes."""

    lookahead = sys.maxsize

    def __init__(self, client: Client) -> None:
        self._client = client

    def submit(self, job: LocaleJob) -> Future[LocaleMade]:
        return self._client.submit(
            run_job, job, key=f"carepack-{job.name}-{os.urandom(6).hex()}", retries=RETRIES
        )

    def finished(self, handles: Sequence[Any]) -> Iterator[tuple[int, LocaleMade]]:
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        index = {handle.key: number for number, handle in enumerate(handles)}
        for future in as_completed(list(handles), loop=self._client.loop):
            number = index[future.key]
            try:
                made = future.result()
            except KilledWorker as error:
                name, locale = _job_name(future.key)
                problem = BuildError(
                    f"{name}: the Dask workers making it kept dying ({_reason(error)}); "
                    "its last good outputs stay. See the workers' logs (out of memory?)",
                    locale=locale,
                )
                made = LocaleMade(errors=(problem,))
            except (OSError, CancelledError, TimeoutError) as error:
                raise ClusterError(
                    f"lost the Dask scheduler during the build ({_reason(error)}); "
                    "what the workers finished is kept: run the build again"
                ) from None
            except Exception as error:  # not the content's: that is in the result
                raise ClusterError(
                    f"{_job_name(future.key)[0]}: the cluster could not run the job "
                    f"({type(error).__name__}: {_reason(error)}); the scheduler and every "
                    "worker need the same carepack and Dask as this machine (see "
                    "`carepack --debug build` for where it failed)"
                ) from error
            yield number, made


def _job_name(key: str) -> tuple[str, str]:
    """``doc/lang`` and ``lang`` of a job's key (``carepack-doc/lang-1a2b3c``)."""
    name = key.removeprefix("carepack-").rsplit("-", 1)[0]
    return name, name.split("/")[-1]
