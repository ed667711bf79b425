"""Pausing Python's cyclic garbage collector around a batch job.

A country's first-day reminder sweep creates about two million objects (task rows, mails,
rendered texts) that all live until its unit of work ends. The collector, triggered every 700
allocations, walked them again and again: 10,000 collections, 14 s of an 80 s sweep
(docs/national.md). Nothing of the batch becomes garbage before it ends, so the collector is
paused for it and simply resumes afterwards: the batch's rows are freed by reference counting
when its session lets them go, and what it left in cycles goes at the collector's next run (a
collection forced at the end took 0.3 s of every idle five-minute tick).

The pause is process-wide: a scheduler inside the web process (``tracker serve``) pauses the
collector of the request threads too, for the length of the sweep; reference counting still
frees everything that is not in a cycle. Pauses nest and may overlap across threads: the
collector runs again when the last one ends, and only if it was running before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
