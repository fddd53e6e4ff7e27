"""The outline of a document: its chapters or key points when timed, else its headings."""

from __future__ import annotations

import bisect
import re

from readmark.library.model import Segment
from readmark.library.readers.text.blocks import Body, Mark
from readmark.library.readers.text.front_matter import Chapter

_NOT_TITLE = re.compile(r"[\W_]+")


def outline(
    body: Body, chapters: list[Chapter], segments: list[Segment], segment_of: list[int]
) -> list[Mark]:
    """A timed document's outline is its chapters or key points; an article's, its headings.

    Returned marks point at segment indexes. In a timed document a chapter listed ahead of the
    transcript points at the heading of the same title when the transcript has one (timed by
    its first words, so the outline, the heading and the header agree), else at the segment the
    file times nearest to the chapter's start; a heading without a time of its own starts at the
    first time the file gives after it.
    """
    timed = [s for s in segments if s.start is not None]
    headings = [Mark(m.title, m.start, segment_of[m.block]) for m in body.headings]
    if not timed:
        return headings
    if headings:
        after = _first_times_after(segments)
        headings = [
            Mark(m.title, m.start if m.start is not None else after[m.block], m.block)
            for m in headings
        ]
    listed = [Mark(c.title, c.start, 0) for c in chapters] or [
        m for m in body.timed_marks if m.start is not None
    ]
    if not listed:
        return headings
    by_title: dict[str, Mark] = {}
    for heading in headings:
        by_title.setdefault(_key(heading.title), heading)
    starts = [s.start or 0.0 for s in timed]
    found: list[Mark] = []
    for entry in listed:
        same = by_title.get(_key(entry.title))
        if same is not None and same.start is not None:
            found.append(Mark(entry.title, same.start, same.block))
        else:
            found.append(_at_time(entry.title, entry.start or 0.0, timed, starts))
    return found


def _key(title: str) -> str:
    return _NOT_TITLE.sub(" ", title.replace("’", "'")).strip().casefold()


def _first_times_after(segments: list[Segment]) -> list[float | None]:
    """For each segment, the first time the file gives in it or after it."""
    after: list[float | None] = [None] * (len(segments) + 1)
    upcoming: float | None = None
    for i in range(len(segments) - 1, -1, -1):
        marks = segments[i].marks
        if marks:
            upcoming = marks[0].time
        after[i] = upcoming
    return after


def _at_time(title: str, start: float, timed: list[Segment], starts: list[float]) -> Mark:
    """Point at the timed segment whose start is nearest to `start` (the later one on a tie):
    a key point inside a long paragraph is that paragraph, a chapter between two lines is the
    nearer line."""
    i = bisect.bisect_left(starts, start)
    if 0 < i and (i == len(starts) or start - starts[i - 1] < starts[i] - start):
        i -= 1
    return Mark(title, start, timed[min(i, len(timed) - 1)].index)
