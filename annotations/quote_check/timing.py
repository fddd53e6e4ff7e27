"""When and by whom a place of a primary source is said."""

from __future__ import annotations

import bisect

from readmark.library.model import Role, Segment, Source


def time_at(source: Source, offset: int) -> float | None:
    """Seconds into the media at which character `offset` of `source.text` is said: the time of
    the last mark at or before it (the line holding it, as the file times it; words in a segment
    without a time of their own continue the last one before them); None when nothing up to
    there is timed.

    The one place a time is read from a primary.
    """
    return source.time_given_at(offset)


def speaker_at(source: Source, offset: int) -> str | None:
    """Who says character `offset` of `source.text`, when the source names speakers."""
    segment = segment_at(source, offset)
    return segment.speaker if segment is not None else None


def segment_at(source: Source, offset: int) -> Segment | None:
    """The segment holding character `offset` of `source.text` (between segments, the next)."""
    segments = source.segments
    if not segments:
        return None
    i = bisect.bisect_right(segments, offset, key=lambda s: s.char_end)
    return segments[min(i, len(segments) - 1)]


SLOWEST_WORDS_PER_SECOND = 2.0
"""Speech is rarely slower: a segment without its own end is over by its words at this pace."""


def last_time(source: Source) -> float | None:
    """When the last words a source gives are over (seconds): a segment's end, but no later than
    its words take to say, since a reader may stretch the last segment to the episode's end."""
    latest: float | None = None
    for segment in source.segments:
        if segment.role is Role.QUOTE or segment.start is None:
            continue
        spoken = segment.start + len(segment.text.split()) / SLOWEST_WORDS_PER_SECOND
        finish = spoken if segment.end is None else min(segment.end, spoken)
        if latest is None or finish > latest:
            latest = finish
    return latest
