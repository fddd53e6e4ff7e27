"""Pausing Python's cycle collector while many small objects without cycles are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside: building a hundred thousand small acyclic objects (a
    parse, a listing, a stamp per file) otherwise sets off collections that rescan the growing
    heap again and again, for nothing to free."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
