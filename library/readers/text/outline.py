"""The outline of a document: its chapters or key points when timed, else its headings."""

from __future__ import annotations

import bisect

from readmark.library.model import Segment
from readmark.library.readers.text.blocks import Body, Mark
from readmark.library.readers.text.front_matter import Chapter


def outline(
    body: Body, chapters: list[Chapter], timed: list[Segment], segment_of: list[int]
) -> list[Mark]:
    """A timed document's outline is its chapters or key points; an article's, its headings.

    `timed` are the segments on the timeline. Returned marks point at segment indexes.
    """
    if timed:
        # Bisect once-built start times: documents may list thousands of key points.
        starts = [s.start or 0.0 for s in timed]
        marks = [Mark(c.title, c.start, 0) for c in chapters] or [
            m for m in body.timed_marks if m.start is not None
        ]
        if marks:
            return [_at_time(m.title, m.start or 0.0, timed, starts) for m in marks]
    return [Mark(m.title, m.start, segment_of[m.block]) for m in body.headings]


def _at_time(title: str, start: float, timed: list[Segment], starts: list[float]) -> Mark:
    """Point at the segment in progress at `start`, as `Source.segment_at` does."""
    i = bisect.bisect_right(starts, start)
    return Mark(title, start, timed[max(i - 1, 0)].index)
