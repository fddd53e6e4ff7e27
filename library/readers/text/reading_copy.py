"""A transcript written twice (reading paragraphs and timed lines): keep the paragraphs, dated."""

from __future__ import annotations

import bisect
import re

from readmark.library.model import Role
from readmark.library.readers.text.blocks import Block, Body, paragraph_runs, replace_blocks

_WORDS = re.compile(r"\w+")
_KEY_WORDS = 8
"""How many words of a reading paragraph are looked up in the timed lines to date it."""


def date_reading_text(body: Body) -> bool:
    """Keep one copy of a transcript written twice: untimed paragraphs and timed lines.

    Exports of videos often hold a reading version (paragraphs, no times) and the same words
    as timed lines. The paragraphs are kept, each dated by the timed line its first words are
    found in; the timed lines (and a heading left with nothing under it) are dropped. Found
    when most paragraphs are located, in order, and both copies have about as many words.
    """
    blocks = body.blocks
    timed_runs, untimed_runs = paragraph_runs(blocks)
    if not timed_runs:
        return False
    for run in untimed_runs:
        size = _size(blocks, run)
        for timed in timed_runs:
            if 0.75 * size <= _size(blocks, timed) <= 1.33 * size:
                starts = _dates(blocks[run[0] : run[1]], blocks[timed[0] : timed[1]])
                if starts is not None and _keeps_order(blocks, run, timed, starts):
                    for block, start in zip(blocks[run[0] : run[1]], starts, strict=True):
                        block.start = start
                    _drop_run(body, timed)
                    return True
    return False


def _size(blocks: list[Block], run: tuple[int, int]) -> int:
    return sum(len(b.text) for b in blocks[run[0] : run[1]])


def _keeps_order(
    blocks: list[Block], run: tuple[int, int], timed: tuple[int, int], starts: list[float | None]
) -> bool:
    """False when dating `run` from `timed` would put a timeline in order out of order."""
    before = [b.start for b in blocks if b.on_timeline and b.start is not None]
    if before != sorted(before):
        return True  # already out of order in the file: nothing to keep
    after: list[float] = []
    for i, block in enumerate(blocks):
        start = starts[i - run[0]] if run[0] <= i < run[1] else block.start
        if block.on_timeline and start is not None and not timed[0] <= i < timed[1]:
            after.append(start)
    return after == sorted(after)


def _dates(paragraphs: list[Block], lines: list[Block]) -> list[float | None] | None:
    """Start time of each paragraph, from the timed lines; None when they are not one text."""
    words = [_WORDS.findall(b.text.casefold()) for b in lines]
    offsets: list[int] = []
    joined = [" "]
    length = 1
    for line_words in words:
        offsets.append(length)
        text = " ".join(line_words) + " "
        joined.append(text)
        length += len(text)
    stream = "".join(joined)
    paragraph_words = [_WORDS.findall(b.text.casefold()) for b in paragraphs]
    total = sum(len(w) for w in paragraph_words)
    line_total = sum(len(w) for w in words)
    if not 0.8 * total <= line_total <= 1.25 * total:
        return None
    starts: list[float | None] = []
    cursor = 0
    found = 0
    for para in paragraph_words:
        key = " " + " ".join(para[:_KEY_WORDS]) + " "
        at = stream.find(key, cursor) if len(para) >= 3 else -1
        if at < 0:
            starts.append(None)
            continue
        found += 1
        cursor = at + 1
        starts.append(lines[bisect.bisect_right(offsets, at + 1) - 1].start)
    return starts if found * 5 >= len(paragraphs) * 3 else None


def _drop_run(body: Body, run: tuple[int, int]) -> None:
    """Leave out blocks `run`, and the heading above them if nothing else is under it."""
    blocks = body.blocks
    first, end = run
    above = blocks[first - 1] if first > 0 else None
    below = blocks[end] if end < len(blocks) else None
    if above is not None and above.role is Role.HEADING:
        if below is None or (below.role is Role.HEADING and below.level <= above.level):
            first -= 1
    kept = blocks[:first] + blocks[end:]
    moved = list(range(first)) + [first] * (end - first) + list(range(first, len(kept)))
    body.headings = [m for m in body.headings if not first <= m.block < end]
    replace_blocks(body, kept, moved)
