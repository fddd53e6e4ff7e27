"""What every export shares: finding an annotation's source, ordering, and time links.

Exports take annotations plus their sources (a dict by id, or a lookup function) and return
text; writing files is the caller's job. A source that is missing never stops an export: the
annotation's own quote, time and speaker are used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from readmark.annotations.model import Annotation
from readmark.library.model import Source
from readmark.library.timecode import format_timecode, url_at_time

SourceLookup = Mapping[str, Source] | Callable[[str], Source | None]
"""Sources by id: a mapping, or a function returning None for an unknown id."""


def lookup(sources: SourceLookup, source_id: str) -> Source | None:
    """The source with `source_id`, or None when it is unknown (or failed to load)."""
    if isinstance(sources, Mapping):
        return sources.get(source_id)
    return sources(source_id)


def in_reading_order(annotations: Iterable[Annotation]) -> list[Annotation]:
    """By source, then by place in the text, then by creation."""
    return sorted(annotations, key=lambda a: (a.source, a.anchor.position.start, a.created, a.id))


def time_link(annotation: Annotation, source: Source | None) -> str:
    """`[4:04](url&t=244s)` when timed with a URL, `4:04` when timed only, else empty."""
    if annotation.start is None:
        return ""
    stamp = format_timecode(annotation.start)
    url = source.url if source else None
    return f"[{stamp}]({url_at_time(url, annotation.start)})" if url else stamp


def iso_date_time(stamp: str) -> str:
    """`2026-02-13T10:15:00Z` as `2026-02-13 10:15:00`; empty stays empty."""
    return stamp.replace("T", " ").removesuffix("Z")
