"""Turns a Markdown or plain-text file into a `Source`: metadata, body, title and outline."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from library.builder import SourceBuilder, normalise_space
from library.frontmatter_meta import Chapter, Metadata, read_metadata, split_front_matter
from library.model import Role, Segment, Source, segment_at
from library.text_body import Block, Body, Mark, parse_body
from library.text_clipped import read_clipped_header

_STEM_SEPARATORS = re.compile(r"[_\-]+")


def read_text_source(text: str, source_id: str, stem: str, *, fmt: str, markdown: bool) -> Source:
    """Parse a whole file; Markdown files may carry YAML front matter."""
    with _collector_paused():
        return _read(text, source_id, stem, fmt=fmt, markdown=markdown)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector: parsing makes a million small acyclic objects on big files,
    and repeated full collections over them cost a fifth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(text: str, source_id: str, stem: str, *, fmt: str, markdown: bool) -> Source:
    warnings: list[str] = []
    meta = Metadata()
    body_text, body_line = text, 1
    if markdown:
        split = split_front_matter(text)
        warnings.extend(split.warnings)
        meta = read_metadata(split.meta)
        body_text, body_line = split.body, split.body_line
    lines = body_text.splitlines()
    clipped = read_clipped_header(lines)
    body = parse_body(
        lines,
        markdown=markdown,
        first_line=body_line,
        title_line=clipped.title_line if clipped else None,
        skip_line=clipped.meta_line if clipped else None,
    )
    warnings.extend(body.warnings)
    title = (
        meta.title
        or _leading_title(body.blocks, markdown=markdown)
        or (clipped.title if clipped else None)
        or title_from_stem(stem)
    )
    _set_ends(body.blocks, meta.duration)
    builder = SourceBuilder(id=source_id, title=title, format=fmt, warnings=warnings)
    segment_of = _add_blocks(builder, body.blocks)
    for entry in _outline(body, meta.chapters, builder.segments, segment_of):
        builder.add_outline(entry.title, entry.start, entry.block)
    speakers = list(dict.fromkeys(meta.speakers + [b.speaker for b in body.blocks if b.speaker]))
    return builder.build(
        authors=meta.authors or (clipped.authors if clipped else []),
        speakers=speakers,
        channel=meta.channel or (clipped.channel if clipped else None),
        url=meta.url,
        date=meta.date or (clipped.date if clipped else None),
        duration=meta.duration,
        tags=meta.tags or (clipped.tags if clipped else []),
    )


def title_from_stem(stem: str) -> str:
    """`reading_notes-on-sleep` -> `Reading notes on sleep`; upper-case words are kept."""
    words = _STEM_SEPARATORS.sub(" ", stem).split()
    if not words:
        return "Untitled"
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _leading_title(blocks: list[Block], *, markdown: bool) -> str | None:
    """A `# H1` (or `===` underlined title) opening the body; in plain text, any title line."""
    if not blocks or blocks[0].role is not Role.HEADING:
        return None
    first = blocks[0]
    if first.level == 1 or not markdown:
        return normalise_space(first.text) or None
    return None


def _set_ends(blocks: list[Block], duration: float | None) -> None:
    """A timed block ends where the next timed block starts; the last one at `duration`."""
    previous: Block | None = None
    for block in blocks:
        if block.start is None:
            continue
        if previous is not None and previous.start is not None and block.start >= previous.start:
            previous.end = block.start
        previous = block
    if previous is not None and previous.start is not None and duration is not None:
        if duration > previous.start:
            previous.end = duration


def _add_blocks(builder: SourceBuilder, blocks: list[Block]) -> list[int]:
    """Add blocks as segments; returns, for each block, the index of its (or the next) segment."""
    segment_of: list[int] = []
    for block in blocks:
        segment_of.append(len(builder.segments))
        builder.add_segment(
            block.text, start=block.start, end=block.end, speaker=block.speaker, role=block.role
        )
    return segment_of


def _outline(
    body: Body, chapters: list[Chapter], segments: list[Segment], segment_of: list[int]
) -> list[Mark]:
    """A timed document's outline is its chapters or key points; an article's, its headings.

    Returned marks point at segment indexes.
    """
    timed = [s for s in segments if s.start is not None]
    if timed:
        if chapters:
            return [_at_time(c.title, c.start, timed) for c in chapters]
        marks = [m for m in body.timed_marks if m.start is not None]
        if marks:
            return [_at_time(m.title, m.start, timed) for m in marks]
    return [Mark(m.title, m.start, segment_of[m.block]) for m in body.headings]


def _at_time(title: str, start: float | None, timed: list[Segment]) -> Mark:
    found = segment_at(timed, start) if start is not None else None
    return Mark(title, start, found.index if found else 0)
