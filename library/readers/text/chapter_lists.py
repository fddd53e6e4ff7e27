"""Chapter lists written ahead of a transcript (`Timestamps:` then `0:47 - Title` lines)."""

from __future__ import annotations

import re

from readmark.library.model import Role
from readmark.library.readers.text.blocks import Block, Body, Mark
from readmark.library.safe_text import shorten
from readmark.library.timecode import format_timecode

LIST_LABEL = re.compile(
    r"(?:chapters?|time ?stamps?|key moments|contents|outline|topics|in this (?:episode|video))"
    r"\s*:?",
    re.IGNORECASE,
)
"""`Chapters:`, `Timestamps:`: the line above a chapter list."""
_TITLE_LENGTH = 100
"""A chapter title is a line, not a paragraph."""
_LEAST_RUN = 3
_LONGEST_LIST = 200
"""Longer runs of timed lines are a transcript, whatever their times do."""
_SENTENCE_END = ".!?…"
_SEPARATORS = (" - ", " — ", " – ")


def take_chapter_lists(body: Body) -> None:
    """Read a run of timed lines that lists chapters as the outline, off the media's timeline.

    A run is a chapter list when a label (`Chapters:`, `Timestamps:`) stands right above it, or
    when its lines read as titles and the timed lines after it start again from before its end
    (a description's chapters ahead of the transcript). Its lines stay, as list items. The look
    ends where the transcript begins (a run longer than any list), not at the end of the file.
    """
    blocks = body.blocks
    runs = _timed_runs(blocks)
    taken = False
    for k, (first, end) in enumerate(runs):
        labelled = first > 0 and _is_label(blocks[first - 1])
        following = blocks[runs[k + 1][0]].start if k + 1 < len(runs) else None
        if end - first <= _LONGEST_LIST and (
            labelled or _restarted_titles(blocks[first:end], following)
        ):
            for i in range(first, end):
                _as_entry(body, i)
            taken = True
    if taken:
        body.timed_marks.sort(key=lambda m: m.block)


def _timed_runs(blocks: list[Block]) -> list[tuple[int, int]]:
    """`(first, end)` of each run of timed paragraphs on the timeline (a run ends where the times
    start again), up to the first run longer than a chapter list (cut there: the transcript)."""
    runs: list[tuple[int, int]] = []
    paragraph = Role.PARAGRAPH
    first = -1
    last = 0.0
    for i, block in enumerate(blocks):
        start = block.start
        timed = block.role is paragraph and start is not None and block.on_timeline
        if timed and first >= 0 and (start or 0.0) < last:
            runs.append((first, i))  # the times start again: a list ended, the transcript begins
            first = -1
        if timed and first < 0:
            first = i
        elif not timed and first >= 0:
            runs.append((first, i))
            first = -1
        last = start if timed and start is not None else last
        if first >= 0 and i - first >= _LONGEST_LIST:
            runs.append((first, i + 1))
            return runs
    if first >= 0:
        runs.append((first, len(blocks)))
    return runs


def _is_label(block: Block) -> bool:
    return block.role is Role.PARAGRAPH and LIST_LABEL.fullmatch(block.text.strip()) is not None


def _restarted_titles(run: list[Block], following: float | None) -> bool:
    """Whether `run` holds titles in time order that the timed lines after it start again from."""
    if following is None or not _LEAST_RUN <= len(run) <= _LONGEST_LIST:
        return False
    starts = [b.start or 0.0 for b in run]
    if starts != sorted(starts) or following >= starts[-1]:
        return False
    titled = sum(1 for b in run if _reads_as_title(b.text))
    return titled * 4 >= len(run) * 3


def _reads_as_title(text: str) -> bool:
    text = text.strip()
    return (
        0 < len(text) <= _TITLE_LENGTH
        and text[-1] not in _SENTENCE_END
        and (text[0].isupper() or text[0].isdigit())
    )


def _as_entry(body: Body, i: int) -> None:
    block = body.blocks[i]
    start = block.start or 0.0
    block.text = f"{format_timecode(start)} {block.text}"
    block.role = Role.LIST_ITEM
    block.on_timeline = False
    block.speaker = None
    block.end = None
    title = block.text.split(" ", 1)[1] if " " in block.text else block.text
    body.timed_marks.append(Mark(outline_title(title), start, i))


def outline_title(title: str, limit: int = 80) -> str:
    """An outline title from a chapter line: the part before ` - `, cut at `limit`."""
    for separator in _SEPARATORS:
        head = title.split(separator, 1)[0]
        if head != title:
            title = head
            break
    return shorten(title, limit, at_word=False)
