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


_paused_for_start = False


def pause_for_start() -> None:
    """Keep the collector off while the reader starts: importing and composing make hundreds
    of thousands of objects and almost no cycles, and its passes over them were a tenth of
    the time to the first frame. `start_done` turns it back on."""
    global _paused_for_start
    if gc.isenabled():
        gc.disable()
        _paused_for_start = True


def start_done() -> bool:
    """The first frame is painted: what start-up made lives as long as the program, so it is
    kept out of the collector's later full passes, and the collector runs again. Returns
    whether it did (only when `pause_for_start` turned the collector off)."""
    global _paused_for_start
    if not _paused_for_start:
        return False
    _paused_for_start = False
    gc.freeze()
    gc.enable()
    return True
