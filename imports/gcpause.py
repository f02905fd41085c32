"""The cyclic garbage collector paused while an import builds and writes its rows.

An import allocates hundreds of thousands of long-lived objects (cells, rows, tuples, dicts)
and makes almost no reference cycles. Each burst of allocations starts a collection, and the
oldest generation's walk every live object of the process (the app's ~160,000 included): on a
20,000-row file that was about a sixth of the whole import (bench/README.md, "Narrow files").
Reference counting still frees everything at once; only cycles wait for the collector, which
runs again as soon as the block ends.
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
def paused_gc() -> Iterator[None]:
    """Run the block (or the decorated function) with the collector off.  Nested and
    concurrent blocks (threads share the collector) turn it back on when the last one leaves,
    and only if it was on when the first one came in."""
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
