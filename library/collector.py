"""Pausing Python's cyclic garbage collector around work that makes many objects and no
cycles to speak of (parsing a big file, reading the listing, a stamp per file, a bulk index
write): its passes over a growing heap would otherwise take a fifth to a third of the time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(paused: bool = True) -> Iterator[None]:
    """Keep the collector off inside (when `paused`); it resumes after, unless it was off
    before. What cycles the work made go at its next pass."""
    was_enabled = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused and was_enabled:
            gc.enable()
