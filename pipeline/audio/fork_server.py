"""The speech workers' fork server, once it has loaded the program.

The fork server (:mod:`pipeline.audio.workers`) imports this module last of its
preloads (:data:`~pipeline.audio.workers.FORKSERVER_PRELOAD`): it runs the main script
of the process that started it, once (each worker would run it again), and every
object the program made while loading is then frozen (``gc.freeze``), never collected. The
workers forked from it do not walk those objects in their collections (nor copy
their pages to write the collector's marks), and at the end of a build the fork
server exits in a few milliseconds instead of about 30 ms of a last collection,
which a caller waiting for the build's output to end waited for too: the fork
server holds the build's standard output and error. For the same reason it ends
without unloading its modules one by one (:func:`_end`); it has nothing to write.
The workers it forks end with ``os._exit`` (multiprocessing's own), so this exit
handler never runs in them.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing.process
import multiprocessing.spawn
import os
from typing import Any

from .workers import MAIN_SCRIPT


def _end() -> None:
    """The fork server's last exit handler: end the process now (status 0: it only
    exits when the build that started it is gone)."""
    os._exit(0)


def _run_main_once() -> None:
    """Run the main script of the process that started the fork server here, once, as
    multiprocessing runs it in each process it starts (as ``__mp_main__``): a worker then
    finds it run already and does not run it again (see
    :func:`pipeline.audio.workers.start_fork_server`)."""
    main = os.environ.get(MAIN_SCRIPT)
    if not main or not os.path.isfile(main):
        return
    process: Any = multiprocessing.process.current_process()
    process._inheriting = True  # as multiprocessing has it while it runs a main script
    try:
        # A main that cannot run here is run by each worker, as multiprocessing does.
        with contextlib.suppress(Exception):
            multiprocessing.spawn.import_main_path(main)
    finally:
        del process._inheriting


_run_main_once()
gc.freeze()
atexit.register(_end)
