"""What a rich `Console` prints to a pipe or a file, without loading rich's console.

At a terminal the commands print through rich (styles, the terminal's width). To a pipe or a file
rich prints no styles, only the text broken into lines of the console's width; loading its
console for that was a tenth of a fresh `readmark search`. `plain_width` says when the output is
plain and how wide rich would make it, and `wrapped` breaks a line where rich breaks it, with
rich's own measure of characters (printable ASCII, one cell each, without loading it;
tests/test_plain_output.py holds the two side by side).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import NamedTuple, TextIO

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


class _Cells(NamedTuple):
    """How wide text is in cells, and how it is cut to a width (rich's functions)."""

    length: Callable[[str], int]
    chop: Callable[[str, int], list[str]]
    fit: Callable[[str, int], str]


def _chop_ascii(text: str, width: int) -> list[str]:
    return [text[index : index + width] for index in range(0, len(text), width)]


def _fit_ascii(text: str, width: int) -> str:
    return text[:width]


_ASCII = _Cells(len, _chop_ascii, _fit_ascii)
"""Printable ASCII takes a cell a character, as rich counts it: a line of it is measured
without loading rich's tables of character widths."""


def _cells_for(line: str) -> _Cells:
    if line.isascii() and line.isprintable():
        return _ASCII
    from rich.cells import cell_len, chop_cells, set_cell_size

    return _Cells(cell_len, chop_cells, set_cell_size)


def plain_width(stream: TextIO) -> int | None:
    """The width rich wraps text at when it prints plain text to `stream`; None when it would
    not print plain text there (a terminal, or `FORCE_COLOR` or `TTY_COMPATIBLE=1` asking it to
    write styles anyway) or when its console has more to decide (Windows' console)."""
    environ = os.environ
    if sys.platform == "win32" or "FORCE_COLOR" in environ:
        return None
    if environ.get("TTY_COMPATIBLE", "") == "1":
        return None
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        try:
            width = int(columns)
        except ValueError:
            return None
    else:
        width = 0
        for descriptor in (0, 1, 2):  # as rich asks: the first of them that is a terminal
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or 80
    return width if width > 0 else None


def is_simple(text: str) -> bool:
    """Whether `wrapped` can print `text`: rich expands tabs and splits lines itself."""
    return "\t" not in text and "\n" not in text


def wrapped(line: str, width: int, *, wrap: bool = True) -> list[str]:
    """One line of text (no tab, no line break) as the lines rich prints for it at `width`
    cells; with `wrap` False (rich's soft wrap) the line is left whole."""
    if not wrap:
        return [line]
    cells = _cells_for(line)
    starts = [0, *_breaks(line, width, cells)]
    pieces = [line[start:end] for start, end in zip(starts, [*starts[1:], len(line)], strict=True)]
    return [_fitted(piece, width, cells) for piece in pieces]


def _fitted(piece: str, width: int, cells: _Cells) -> str:
    """A wrapped piece less the spaces past the width (counted in characters, as rich counts
    them there), then cut to the width in cells."""
    excess = len(piece) - width
    if excess > 0:
        spaces = _TRAILING_SPACE.search(piece)
        if spaces is not None:
            piece = piece[: len(piece) - min(len(spaces.group(0)), excess)]
    if cells.length(piece) > width:
        piece = cells.fit(piece, width)
    return piece


def _breaks(text: str, width: int, cells: _Cells) -> list[int]:
    """Where rich breaks `text` to fit `width` cells: before a word that does not fit on the
    line, and inside a word wider than a whole line (folded)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        word_length = cells.length(word.rstrip())
        if width - offset >= word_length:
            offset += cells.length(word)
        elif word_length > width:
            folded = cells.chop(word, width)
            for number, part in enumerate(folded):
                if start:
                    breaks.append(start)
                if number == len(folded) - 1:
                    offset = cells.length(part)
                else:
                    start += len(part)
        elif offset and start:
            breaks.append(start)
            offset = cells.length(word)
    return breaks
