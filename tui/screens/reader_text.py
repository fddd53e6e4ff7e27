"""What the reader shows around a source's text: the chapter the cursor is in, and, for a file
with nothing to read, why."""

from __future__ import annotations

from readmark.library.builder import SourceBuilder
from readmark.library.model import Role, Source


def chapter_at(source: Source, segment_index: int) -> str | None:
    """The outline entry the reader is in: the last one beginning at or before its segment (a
    chapter starting inside a paragraph splits it, so the heading, the outline, `}` and this
    agree)."""
    title = None
    for entry in source.outline:
        if entry.segment_index <= segment_index:
            title = entry.title
        else:
            break
    return title


def explanation(source: Source) -> Source:
    """What the transcript pane shows for a file with nothing to read: why, in its own words."""
    builder = SourceBuilder(id=source.id, title=source.title, format=source.format)
    if source.error:
        builder.add_segment(f"readmark cannot open {source.id}", role=Role.HEADING)
        builder.add_segment(source.error)
    else:
        builder.add_segment(f"{source.id} has no text to read", role=Role.HEADING)
    for warning in source.warnings:
        builder.add_segment(warning, role=Role.LIST_ITEM)
    builder.add_segment(
        "Fix the file in an editor and it reloads here by itself; the other sources work as usual."
    )
    return builder.build()
