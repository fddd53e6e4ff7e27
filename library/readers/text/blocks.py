"""Blocks: the units of reading a body is grouped into, before they become segments."""

from __future__ import annotations

from dataclasses import dataclass, field

from readmark.library.model import Role


@dataclass(slots=True)
class Block:
    """A unit of reading found in the body, before it becomes a `Segment`."""

    text: str
    role: Role = Role.PARAGRAPH
    start: float | None = None
    speaker: str | None = None
    level: int = 0
    """Heading level; 0 for anything but a heading."""
    line: int = 0
    """1-based line number in the file."""
    end: float | None = None
    on_timeline: bool = True
    """False for a time that points elsewhere (a key point, a chapter entry, a quote's source):
    such blocks keep their `start` but take no part in the reading order of times."""
    section: bool = False
    """For headings: a numbered (`1. Title`) or `§` section heading, never the document title."""
    turn: bool = False
    """For spoken blocks: opens a speaker turn (`Name:`, a name line), so continues none."""
    stamp: str = ""
    """For timed transcript lines: the time as written before the text (`- [12:30]`), to give
    back to the text if the time turns out to be a reference."""
    marks: list[tuple[int, float]] | None = None
    """The times the file gives inside `text` (offset, seconds) when the block joins several
    timed lines; None when `start` alone is given, for the first word."""
    estimated: bool = False
    """`start` is an estimate (a turn's later paragraph), not a time the file gives."""

    def given_marks(self) -> list[tuple[int, float]]:
        """The times the file gives inside the block's text."""
        if self.marks is not None:
            return self.marks
        if self.start is None or self.estimated:
            return []
        return [(0, self.start)]


@dataclass(frozen=True, slots=True)
class Mark:
    """An outline entry found in the body: a heading, a chapter or a key point."""

    title: str
    start: float | None
    block: int
    """Index into `Body.blocks` of the block it belongs to."""


@dataclass(slots=True)
class Body:
    """The blocks of a body and the outline candidates found in it."""

    blocks: list[Block] = field(default_factory=list)
    headings: list[Mark] = field(default_factory=list)
    timed_marks: list[Mark] = field(default_factory=list)
    """Chapters and key points listed in the body."""
    warnings: list[str] = field(default_factory=list)


def replace_blocks(body: Body, blocks: list[Block], moved: list[int]) -> None:
    """Swap in a new block list; `moved[old index]` is where that block's text now is."""
    moved.append(len(blocks))
    body.blocks = blocks
    body.headings = [Mark(m.title, m.start, moved[m.block]) for m in body.headings]
    body.timed_marks = [Mark(m.title, m.start, moved[m.block]) for m in body.timed_marks]


def paragraph_runs(blocks: list[Block]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """`(first, end)` index ranges of consecutive paragraphs: timed ones on the timeline, and
    untimed ones."""
    timed: list[tuple[int, int]] = []
    untimed: list[tuple[int, int]] = []
    paragraph = Role.PARAGRAPH
    state, first = 0, 0  # 0: neither, 1: timed, 2: untimed
    for i, block in enumerate(blocks):
        if block.role is not paragraph:
            now = 0
        elif block.start is None:
            now = 2
        else:
            now = 1 if block.on_timeline else 0
        if now != state:
            if state:
                (timed if state == 1 else untimed).append((first, i))
            state, first = now, i
    if state:
        (timed if state == 1 else untimed).append((first, len(blocks)))
    return timed, untimed
