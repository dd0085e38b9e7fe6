"""``carepack update`` as the command runs it: the record of the last update first, then
the merges started ahead while the rest loads, then the update itself.

Apart from :class:`~pipeline.project.Project` so that an update with nothing to do
loads no more than the stamp needs (:mod:`pipeline.catalogs.update_stamp`), and the
merges start before the Markdown reader and the catalog model load
(:mod:`pipeline.catalogs.merge_ahead`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .outcome import Outcome
from .update_stamp import UpdateStamp

if TYPE_CHECKING:
    from ..config import Config
    from ..project import Project


@contextmanager
def without_collector() -> Iterator[None]:
    """No cyclic garbage collection meanwhile; as it was after, with what was made
    meanwhile in the oldest generation, as if it had survived collections (left young,
    it would all be walked at the first allocation once collection is on again: 5 ms at
    the end of an update)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # every generation into the permanent one, the young count to 0...
        gc.unfreeze()  # ...and all back into the oldest (nothing else is frozen here)
        if enabled:
            gc.enable()


def run_update(
    config: Config, locales: list[str] | None, load: Callable[[], Project]
) -> tuple[Project | None, Outcome]:
    """Update the catalogs of ``locales`` (None: all) of the project of ``config``: the
    project ``load`` gives (None when nothing changed since the last update, which is
    then done without loading it) and what was done."""
    # An update lives a tenth of a second and makes next to no cyclic garbage: the
    # collector's passes over what its imports create took some 10 ms of its CPU.
    with without_collector():
        stamp = None
        if UpdateStamp.recorded(config):
            stamp = UpdateStamp.read_inputs(config, locales)
            unchanged = stamp.unchanged_since_last()
            if unchanged is not None:  # nothing changed since: no more to load
                return None, Outcome(unchanged=unchanged)
        from .merge_ahead import MergesAhead

        # On the other cores while the update loads (and on this one while it would wait).
        with MergesAhead.start(config, locales) as ahead:
            # Digested before the update reads an input itself: a merge started ahead is
            # only taken when its files are unchanged since before it started, so the stamp
            # names the very bytes the update used.
            stamp = stamp or UpdateStamp.read_inputs(config, locales)
            project = load()
            return project, project.update(locales, stamp, ahead)
