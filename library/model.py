"""The domain model of a readable source: segments, outline and metadata."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What a segment is in its document."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CUE = "cue"


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of reading: a paragraph, a speaker turn, a subtitle cue, a heading."""

    index: int
    """Position in `Source.segments`."""
    text: str
    """Whitespace-normalised text, as it stands in `Source.text`."""
    start: float | None = None
    """Seconds from the start of the media, when the file gives a time."""
    end: float | None = None
    speaker: str | None = None
    role: Role = Role.PARAGRAPH
    char_start: int = 0
    """Offset of the first character in `Source.text`."""
    char_end: int = 0
    """Offset one past the last character in `Source.text`."""


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """A chapter, key point or heading, pointing at the segment where it begins."""

    title: str
    start: float | None
    segment_index: int


@dataclass(slots=True)
class Source:
    """A file of the vault, parsed into segments and an outline."""

    id: str
    """Path relative to the vault, with POSIX separators."""
    title: str
    format: str
    """Reader name: `markdown`, `text`, `srt`, `vtt`, `whisper-json`, ..."""
    authors: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    channel: str | None = None
    url: str | None = None
    date: str | None = None
    """ISO date (`2026-02-16`), when known."""
    duration: float | None = None
    """Seconds."""
    tags: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    """Why the file could not be read at all; `segments` is then empty."""
    text: str = ""
    """Normalised plain text: segment texts joined by a blank line."""

    @property
    def timed_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.start is not None]

    def segment_at(self, seconds: float) -> Segment | None:
        """The segment being spoken at `seconds` (the last one starting at or before it)."""
        return segment_at(self.segments, seconds)

    def segment_at_offset(self, offset: int) -> Segment | None:
        """The segment holding character `offset` of `text` (or the next one after a gap)."""
        if not self.segments:
            return None
        ends = [s.char_end for s in self.segments]
        i = bisect.bisect_right(ends, offset)
        return self.segments[min(i, len(self.segments) - 1)]

    def seconds_at_offset(self, offset: int) -> float | None:
        """When character `offset` of `text` is spoken, interpolated by character position
        within its timed segment; None when that segment has no time.

        `offset` may be a segment's `char_end` (the moment it finishes); an offset between
        segments is the next one's start. A segment without an end lasts until the next timed
        segment starts (or the source's duration).
        """
        if not self.segments:
            return None
        ends = [s.char_end for s in self.segments]
        i = min(bisect.bisect_left(ends, offset), len(self.segments) - 1)
        segment = self.segments[i]
        if segment.start is None:
            return None
        finish = segment.end
        if finish is None:
            following = (s.start for s in self.segments[i + 1 :] if s.start is not None)
            finish = next(following, self.duration)
        length = segment.char_end - segment.char_start
        if finish is None or finish <= segment.start or length <= 0:
            return segment.start
        at = min(max(offset, segment.char_start), segment.char_end) - segment.char_start
        return segment.start + (finish - segment.start) * at / length


def segment_at(segments: list[Segment], seconds: float) -> Segment | None:
    """Bisect the timed segments for the one in progress at `seconds`.

    Before the first time, the first timed segment; untimed segments are passed over.
    """
    timed = [s for s in segments if s.start is not None]
    if not timed:
        return None
    starts = [s.start for s in timed]
    i = bisect.bisect_right(starts, seconds)  # type: ignore[type-var]
    return timed[max(i - 1, 0)]
