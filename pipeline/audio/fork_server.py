"""The speech workers' fork server, once it has loaded the program.

The fork server (:mod:`pipeline.audio.workers`) imports this module last of its
preloads (:data:`~pipeline.audio.workers.FORKSERVER_PRELOAD`): every object the
program made while loading is then frozen (``gc.freeze``), never collected. The
workers forked from it do not walk those objects in their collections (nor copy
their pages to write the collector's marks), and at the end of a build the fork
server exits in a few milliseconds instead of about 30 ms of a last collection,
which a caller waiting for the build's output to end waited for too: the fork
server holds the build's standard output and error.
"""

from __future__ import annotations

import gc

gc.freeze()
