"""Assembles a `Source` from the pieces a reader finds, computing offsets once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from library.model import OutlineEntry, Role, Segment, Source

SEGMENT_SEPARATOR = "\n\n"
_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space and trim the ends."""
    return _SPACE.sub(" ", text).strip()


@dataclass
class SourceBuilder:
    """Collects segments and outline entries; `build` joins them into a `Source`.

    Readers only call `add_segment` / `add_outline`; offsets into `Source.text` are
    computed here so every reader agrees on what the normalised text is.
    """

    id: str
    title: str
    format: str
    segments: list[Segment] = field(default_factory=list)
    outline: list[OutlineEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _length: int = 0

    def add_segment(
        self,
        text: str,
        *,
        start: float | None = None,
        end: float | None = None,
        speaker: str | None = None,
        role: Role = Role.PARAGRAPH,
    ) -> Segment | None:
        """Append a segment; empty text after normalising is dropped (returns None)."""
        clean = normalise_space(text)
        if not clean:
            return None
        if self._parts:
            self._length += len(SEGMENT_SEPARATOR)
        char_start = self._length
        self._length += len(clean)
        self._parts.append(clean)
        segment = Segment(
            index=len(self.segments),
            text=clean,
            start=start,
            end=end,
            speaker=speaker,
            role=role,
            char_start=char_start,
            char_end=self._length,
        )
        self.segments.append(segment)
        return segment

    def add_outline(
        self, title: str, start: float | None, segment_index: int | None = None
    ) -> None:
        """Add an outline entry; without a segment index it points at the next segment added."""
        index = len(self.segments) if segment_index is None else segment_index
        clean = normalise_space(title)
        if clean:
            self.outline.append(OutlineEntry(title=clean, start=start, segment_index=index))

    def build(self, **metadata: object) -> Source:
        """The finished source; `metadata` fills `Source` fields (authors, url, date, ...)."""
        last = max(len(self.segments) - 1, 0)
        outline = [OutlineEntry(e.title, e.start, min(e.segment_index, last)) for e in self.outline]
        source = Source(
            id=self.id,
            title=self.title,
            format=self.format,
            segments=self.segments,
            outline=outline,
            warnings=list(self.warnings),
            text=SEGMENT_SEPARATOR.join(self._parts),
        )
        for key, value in metadata.items():
            if not hasattr(source, key):
                raise AttributeError(f"Source has no field {key!r}")
            setattr(source, key, value)
        if not source.speakers:
            source.speakers = _speakers_in_order(self.segments)
        return source


def _speakers_in_order(segments: list[Segment]) -> list[str]:
    seen: dict[str, None] = {}
    for segment in segments:
        if segment.speaker and segment.speaker not in seen:
            seen[segment.speaker] = None
    return list(seen)
