"""The domain model of a readable source: segments, outline and metadata."""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    """What a segment is in its document."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    CUE = "cue"


class Mark(NamedTuple):
    """A time the file gives inside a segment: where a timed line or cue begins in its text.

    A tuple, not a dataclass: a transcript has a million of them, made in one pass.
    """

    offset: int
    """Offset in the segment's `text` of the first character the time belongs to."""
    time: float
    """Seconds from the start of the media."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of reading: a paragraph, a speaker turn, a subtitle cue, a heading."""

    index: int
    """Position in `Source.segments`."""
    text: str
    """Whitespace-normalised text, as it stands in `Source.text`."""
    start: float | None = None
    """Seconds from the start of the media where the segment begins on the timeline: the time
    the file gives for its first words (`marks[0]` at offset 0), else an estimate (a turn's later
    paragraph, timed by its share of the turn). `marks` holds what the file gives."""
    end: float | None = None
    speaker: str | None = None
    role: Role = Role.PARAGRAPH
    char_start: int = 0
    """Offset of the first character in `Source.text`."""
    char_end: int = 0
    """Offset one past the last character in `Source.text`."""
    marks: tuple[Mark, ...] = ()
    """The times the file gives inside the segment, one per timed line or cue joined into it,
    in order of offset (each inside `text`)."""

    @property
    def given_start(self) -> bool:
        """Whether `start` is a time the file gives (not an estimate)."""
        marks = self.marks
        return bool(marks) and marks[0].offset == 0 and marks[0].time == self.start


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
    _given: GivenTimes | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def timed_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.start is not None]

    @property
    def given_times(self) -> GivenTimes:
        """Every time the file gives, by offset in `text` (made on first use)."""
        given = self._given
        if given is None or given.segments is not self.segments:
            given = self._given = GivenTimes(self.segments)
        return given

    def time_given_at(self, offset: int) -> float | None:
        """The time a citation of the words at character `offset` starts at: the last time the
        file gives at or before them (in their segment or an earlier one); None when none does.

        A quotation set apart (a block quote, a credited quote) is not said where it stands: it
        takes no time from the segments before it.
        """
        given = self.given_times
        if not len(given):
            return None
        segment = self.segment_at_offset(offset)
        if segment is not None and segment.role is Role.QUOTE and not segment.marks:
            return None
        return given.at(offset)

    def segment_at(self, seconds: float) -> Segment | None:
        """The segment being spoken at `seconds` (the last one starting at or before it)."""
        return segment_at(self.segments, seconds)

    def segment_at_offset(self, offset: int) -> Segment | None:
        """The segment holding character `offset` of `text` (or the next one after a gap)."""
        segments = self.segments
        if not segments:
            return None
        i = bisect.bisect_right(segments, offset, key=_char_end)
        return segments[min(i, len(segments) - 1)]

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


def _char_end(segment: Segment) -> int:
    return segment.char_end


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


class GivenTimes:
    """The marks of all segments as offsets into `Source.text`, for lookups by offset or time.

    Offsets increase; times follow the file (a messy file may step back).
    """

    __slots__ = ("segments", "offsets", "times")

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self.offsets = array("q")
        self.times = array("d")
        offsets, times = self.offsets, self.times
        for segment in segments:
            base = segment.char_start
            for mark in segment.marks:
                offsets.append(base + mark.offset)
                times.append(mark.time)

    def __len__(self) -> int:
        return len(self.offsets)

    def at(self, offset: int) -> float | None:
        """The time of the last mark at or before `offset`."""
        i = bisect.bisect_right(self.offsets, offset)
        return self.times[i - 1] if i else None

    def index_at(self, offset: int) -> int:
        """Index of the last mark at or before `offset` (-1 when none)."""
        return bisect.bisect_right(self.offsets, offset) - 1

    def place_of(self, seconds: float) -> int | None:
        """Offset in `Source.text` of the words said at `seconds`: the last mark at or before
        it, moved on by the share of the way to the next mark (an estimate of a place, never
        shown as a time); None without marks."""
        times, offsets = self.times, self.offsets
        if not times:
            return None
        i = bisect.bisect_right(times, seconds) - 1
        if i < 0:
            return offsets[0]
        if i + 1 < len(times) and times[i + 1] > times[i]:
            share = min((seconds - times[i]) / (times[i + 1] - times[i]), 1.0)
            return offsets[i] + int(share * (offsets[i + 1] - offsets[i]))
        return offsets[i]

    def estimate_at(self, offset: int) -> float | None:
        """An estimate of when character `offset` is said, by its share of the way between the
        marks around it (to move by seconds from it); None before the first mark."""
        times, offsets = self.times, self.offsets
        i = bisect.bisect_right(offsets, offset) - 1
        if i < 0:
            return None
        if i + 1 < len(times) and times[i + 1] > times[i] and offsets[i + 1] > offsets[i]:
            share = (offset - offsets[i]) / (offsets[i + 1] - offsets[i])
            return times[i] + share * (times[i + 1] - times[i])
        return times[i]

    @property
    def first(self) -> float | None:
        return self.times[0] if self.times else None

    @property
    def last(self) -> float | None:
        return self.times[-1] if self.times else None
