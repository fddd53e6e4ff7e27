"""What the source list shows of each file, small enough to cache for the whole vault."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readmark.library.model import Source


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """A chapter or heading as the list shows it."""

    title: str
    start: float | None


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """Everything `readmark sources --json` prints about one source."""

    id: str
    """Path relative to the vault, with POSIX separators."""
    title: str
    format: str
    duration: float | None = None
    """Seconds: from the file's metadata, else the end of its last timed segment."""
    url: str | None = None
    date: str | None = None
    speakers: list[str] = field(default_factory=list)
    segments: int = 0
    timed_segments: int = 0
    """How many segments have a start time."""
    first_time: float | None = None
    """The first time the file gives."""
    last_time: float | None = None
    """The last time the file gives (the last line or cue that has one)."""
    outline: list[OutlineItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    channel: str | None = None
    """Channel, show or publication."""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        # Written out rather than `dataclasses.asdict`, which is slow on thousands of entries.
        return {
            "id": self.id,
            "title": self.title,
            "format": self.format,
            "duration": self.duration,
            "url": self.url,
            "date": self.date,
            "speakers": list(self.speakers),
            "segments": self.segments,
            "timed_segments": self.timed_segments,
            "first_time": self.first_time,
            "last_time": self.last_time,
            "outline": [{"title": o.title, "start": o.start} for o in self.outline],
            "warnings": list(self.warnings),
            "error": self.error,
            "channel": self.channel,
            "authors": list(self.authors),
            "tags": list(self.tags),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceSummary:
        """Rebuild a summary from `to_json` output; raises KeyError/TypeError on a bad shape."""
        fields = dict(data)
        fields["outline"] = [OutlineItem(o["title"], o["start"]) for o in data["outline"]]
        return cls(**fields)


def summarise(source: Source) -> SourceSummary:
    """The list entry of a parsed source."""
    timed = source.timed_segments
    starts = [s.start for s in timed if s.start is not None]
    given = source.given_times
    first_time = given.first if len(given) else (starts[0] if starts else None)
    last_time = given.last if len(given) else (starts[-1] if starts else None)
    duration = source.duration
    if duration is None and timed:
        duration = max(s.end if s.end is not None else s.start or 0.0 for s in timed)
    return SourceSummary(
        id=source.id,
        title=source.title,
        format=source.format,
        duration=duration,
        url=source.url,
        date=source.date,
        speakers=list(source.speakers),
        segments=len(source.segments),
        timed_segments=len(starts),
        first_time=first_time,
        last_time=last_time,
        outline=[OutlineItem(e.title, e.start) for e in source.outline],
        warnings=list(source.warnings),
        error=source.error,
        channel=source.channel,
        authors=list(source.authors),
        tags=list(source.tags),
    )
