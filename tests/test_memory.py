"""Memory a big parse dropped goes back to the system once its source is shown."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from readmark.library.memory import give_back_free_memory

STATM = Path("/proc/self/statm")


def resident_mb() -> float:
    return int(STATM.read_text().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or not STATM.exists(), reason="glibc's heap, on Linux"
)
def test_the_pages_a_dropped_parse_held_go_back_to_the_system() -> None:
    # Strings of this size come from the C heap, not Python's own small-object arenas; a few
    # kept ones pin the heap's top, as the open source's objects do after a parse.
    pieces = [("w" * 1500) + str(n) for n in range(60_000)]
    kept = pieces[::500]
    del pieces
    gc.collect()
    held = resident_mb()
    assert give_back_free_memory()
    assert resident_mb() < held - 40
    assert len(kept) == 120
