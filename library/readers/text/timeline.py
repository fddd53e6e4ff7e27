"""Which times are the reading order of the media, and where each timed block ends."""

from __future__ import annotations

import re

from readmark.library.model import Role
from readmark.library.readers.text.blocks import Block
from readmark.library.readers.text.inline import reduce_inline
from readmark.library.timecode import format_timecode

_LIST_MARKER = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_TIMED_RUN = 4
"""This many timed paragraphs in a row make a file a timed transcript, whatever else it holds."""


def times_as_references(blocks: list[Block], *, markdown: bool) -> None:
    """Take a few times cited in notes or an article off the timeline.

    A file is a timed transcript when at least half of what is said is timed (a timed turn's
    later paragraphs count with it) or when timed paragraphs run several in a row. Otherwise its
    times are references to the media, not where the reading is: the block keeps its time
    written in front of its text, and the source has no timeline (so no ▶ in the list).
    """
    said = timed = 0
    run = longest = 0
    turn: str | None = None
    joined = -1  # the file line a block must start on to go on the last timed one's paragraph
    for block in blocks:
        if block.role is Role.HEADING:
            run, turn = 0, None
            continue
        if not block.on_timeline:
            continue  # key points, chapter entries, credited quotes: pointers already
        if not block.text.strip():
            continue  # an empty item (a bare link) says nothing, timed or not
        if block.turn and block.start is not None and block.role is Role.PARAGRAPH:
            return  # a timed speaker turn (`**Ana** [00:12:34]`) is a transcript, never a citation
        said += 1
        paragraph = block.role is Role.PARAGRAPH
        if paragraph and block.start is not None:
            timed += 1
            run += 1
            longest = max(longest, run)
            turn, joined = block.speaker, block.line + 1
        elif paragraph and not block.turn and turn and block.speaker == turn:
            timed += 1  # a timed turn goes on
        elif block.line == joined:
            timed += 1  # the next line, with no blank between: the timed line goes on
            joined += 1
        else:
            run, turn = 0, None
    if not timed or longest >= _TIMED_RUN or timed * 2 >= said:
        return
    for block in blocks:
        if block.on_timeline and block.start is not None and block.role is Role.PARAGRAPH:
            block.text = f"{_written_time(block, markdown=markdown)} {block.text}"
            block.on_timeline = False
            block.end = None


def _written_time(block: Block, *, markdown: bool) -> str:
    """The time of `block` as the file writes it, without a list marker."""
    if block.start is None:
        return ""
    written = _LIST_MARKER.sub("", block.stamp.strip()).rstrip(" :|-–—")
    if not written:
        return f"[{format_timecode(block.start)}]"
    return reduce_inline(written) if markdown else written


def time_continuations(blocks: list[Block], duration: float | None) -> None:
    """Give the untimed paragraphs that go on a timed turn an estimated time of their own.

    The words between two times the file gives share that stretch by their length, so a turn's
    later paragraph is placed where it is likely said (the gutter shows it as an estimate,
    `~1:05`, and jumps reach it); with no later time (nor a duration) it takes the turn's start.
    Citations never use an estimate: they take the turn's time.
    """
    turn = -1  # the index of the last timed block
    group: list[int] = []
    going_on = False
    paragraph = Role.PARAGRAPH
    for i, block in enumerate(blocks):
        if block.role is Role.HEADING:
            going_on = False
        elif block.role is not paragraph or not block.on_timeline:
            continue  # a list or a quotation inside a turn neither ends it nor is timed
        elif block.start is not None:
            if group:
                _share_time(blocks, turn, group, i, block.start)
            turn, group, going_on = i, [], True
        elif going_on and block.speaker == blocks[turn].speaker and not block.turn:
            group.append(i)
        else:
            going_on = False
    if group:
        _share_time(blocks, turn, group, len(blocks), duration)


def _share_time(
    blocks: list[Block], turn: int, group: list[int], until_block: int, until: float | None
) -> None:
    """Place each block of `group` in the stretch from block `turn` (timed) to `until` (the next
    time, at block `until_block`) by the length of what is said before it."""
    start = blocks[turn].start
    if start is None:
        return
    span = until - start if until is not None and until > start else 0.0
    before = dict.fromkeys(group, 0)  # what is said in the stretch before each block
    size = 0
    for i, block in enumerate(blocks[turn:until_block], turn):
        if i in before:
            before[i] = size
        if block.role is Role.PARAGRAPH and block.on_timeline:
            size += len(block.text)
    for i in group:
        blocks[i].estimated = True
        blocks[i].start = max(start, round(start + span * before[i] / max(size, 1), 2))


def set_ends(blocks: list[Block], duration: float | None) -> None:
    """A timed block ends where the next one starts, the last one at `duration`.

    Only blocks on the timeline count; an end the file gives (a range) is kept.
    """
    previous: Block | None = None
    for block in blocks:
        if block.start is None or not block.on_timeline:
            continue
        if previous is not None and previous.start is not None and block.start >= previous.start:
            if previous.end is None:
                previous.end = block.start
        previous = block
    if previous is not None and previous.start is not None and duration is not None:
        if duration > previous.start and previous.end is None:
            previous.end = duration
