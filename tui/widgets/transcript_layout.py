"""Lazy layout arithmetic for the transcript: word wrap and a line index over segments.

Plain Python (no Textual) so it is tested on its own.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

from rich.cells import cell_len

_WORD = re.compile(r"\S+")


class LineIndex:
    """Line counts per segment in a Fenwick tree: prefix sums and updates in O(log n)."""

    def __init__(self, counts: Sequence[int]) -> None:
        self._counts = array("q", counts)
        tree = array("q", [0]) + array("q", counts)
        size = len(counts)
        for i in range(1, size + 1):
            parent = i + (i & -i)
            if parent <= size:
                tree[parent] += tree[i]
        self._tree = tree
        self._top_bit = 1 << size.bit_length() if size else 0
        self.total = sum(counts)

    def __len__(self) -> int:
        return len(self._counts)

    def count(self, index: int) -> int:
        return self._counts[index]

    def set(self, index: int, count: int) -> None:
        delta = count - self._counts[index]
        if not delta:
            return
        self._counts[index] = count
        self.total += delta
        i = index + 1
        while i < len(self._tree):
            self._tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Lines before segment `index`."""
        total, i = 0, index
        while i > 0:
            total += self._tree[i]
            i -= i & -i
        return total

    def find(self, line: int) -> tuple[int, int]:
        """(segment index, line within its block) for a line under `total`."""
        position, rest, step = 0, line, self._top_bit
        size = len(self._counts)
        while step:
            nxt = position + step
            if nxt <= size and self._tree[nxt] <= rest:
                position = nxt
                rest -= self._tree[nxt]
            step >>= 1
        return min(position, size - 1), rest


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of single-spaced `text` to `width` cells: (start, end) of each line."""
    width = max(width, 1)
    if text.isascii():
        return _wrap_ascii(text, width)
    return _wrap_cells(text, width)


def _wrap_ascii(text: str, width: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while length - position > width:
        space = text.rfind(" ", position, position + width + 1)
        if space > position:
            spans.append((position, space))
            position = space + 1
        else:
            spans.append((position, position + width))
            position += width
            if text.startswith(" ", position):
                position += 1
    spans.append((position, length))
    return spans


def _wrap_cells(text: str, width: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    line_start, line_end, line_cells = 0, 0, 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        cells = cell_len(match.group())
        if line_cells and line_cells + 1 + cells <= width:
            line_end, line_cells = end, line_cells + 1 + cells
            continue
        if line_cells:
            spans.append((line_start, line_end))
        line_start, line_end, line_cells = start, end, cells
        while line_cells > width:  # a word wider than the line: cut it by characters
            used, cut = 0, line_start
            while cut < line_end and used + cell_len(text[cut]) <= width:
                used += cell_len(text[cut])
                cut += 1
            cut = max(cut, line_start + 1)
            spans.append((line_start, cut))
            line_start = cut
            line_cells = cell_len(text[line_start:line_end])
    spans.append((line_start, line_end))
    return spans


def estimate_lines(length: int, width: int) -> int:
    """Wrapped lines of a segment before it is wrapped (about 3 cells lost per line)."""
    usable = max(width - 3, 1)
    return max(1, -(-length // usable))
