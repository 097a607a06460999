"""Garbage collection that does not stall replies.

The knowledge index and the loaded state are hundreds of thousands of long-lived objects. CPython's
full collection walks all of them: 40–90 ms with the event loop stopped, a few times a minute under
load (every update allocates python-telegram-bot objects). `settle()` collects once and then moves
everything alive into the permanent generation (`gc.freeze`), so later collections walk only what
was made since. Called after start-up and after each knowledge swap (the previous knowledge is
unfrozen first, so it is freed).
"""
from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle() -> int:
    """Collect, then freeze what is alive; returns the number of objects frozen."""
    started = time.perf_counter()
    gc.unfreeze()  # what an earlier settle froze (an old knowledge index) can be freed again
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.debug("memory settled: %d objects frozen in %.0f ms", frozen, (time.perf_counter() - started) * 1000)
    return frozen
