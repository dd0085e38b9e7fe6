"""The speech workers' fork server, once it has loaded the program.

The fork server (:mod:`pipeline.audio.workers`) imports this module last of its
preloads (:data:`~pipeline.audio.workers.FORKSERVER_PRELOAD`): every object the
program made while loading is then frozen (``gc.freeze``), never collected. The
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
import gc
import os


def _end() -> None:
    """The fork server's last exit handler: end the process now (status 0: it only
    exits when the build that started it is gone)."""
    os._exit(0)


gc.freeze()
atexit.register(_end)
