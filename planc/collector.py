"""CPython's cycle collector, paused while planc builds a plan or its output."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cycle collector; restore it as it was.

    Compiling a plan and dumping it make a great many small objects (lines, nodes, a dict per
    clause, item and span, a string per output line) and keep nearly all of them to the end.
    None of them form reference cycles, yet the collector would walk the growing heap again
    and again: a third of the time on 100,000 clauses. Anything cyclic left behind is
    collected once it runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
