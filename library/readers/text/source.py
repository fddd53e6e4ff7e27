"""Turn a Markdown or plain-text file into a `Source`: metadata, body, title and outline."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from readmark.library.builder import SourceBuilder, normalise_space
from readmark.library.model import Role, Segment, Source
from readmark.library.readers.text.blocks import Block, Body
from readmark.library.readers.text.body import parse_body
from readmark.library.readers.text.captions import join_caption_fragments
from readmark.library.readers.text.clipped import ClippedHeader, read_clipped_header
from readmark.library.readers.text.front_matter import Metadata, read_metadata, split_front_matter
from readmark.library.readers.text.lines import split_lines
from readmark.library.readers.text.outline import outline
from readmark.library.readers.text.reading_copy import date_reading_text
from readmark.library.readers.text.timeline import set_ends, time_continuations, times_as_references
from readmark.library.timecode import CLOCK_PATTERN, url_without_time
from readmark.library.titles import title_from_stem

_TIME_LINK = re.compile(rf"\[\s*{CLOCK_PATTERN}\s*\]\((https?://[^)\s]+)\)")
_LINKS_COMPARED = 5
"""The first this many timestamp links (at least two) must name one video to give its url."""


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
    meta, clipped, body = _parse(text, markdown=markdown)
    warnings = body.warnings
    title = (
        meta.title
        or _leading_title(body.blocks, markdown=markdown)
        or (clipped.title if clipped else None)
        or title_from_stem(stem)
    )
    if date_reading_text(body):
        warnings.append(
            "the transcript is written twice (reading paragraphs and timed lines): "
            "kept the paragraphs, dated from the timed lines"
        )
    join_caption_fragments(body)
    times_as_references(body.blocks, markdown=markdown)
    time_continuations(body.blocks, meta.duration)
    set_ends(body.blocks, meta.duration)
    builder = SourceBuilder(id=source_id, title=title, format=fmt, warnings=warnings)
    segment_of, timeline = _add_blocks(builder, body.blocks)
    for entry in outline(body, meta.chapters, timeline, segment_of):
        builder.add_outline(entry.title, entry.start, entry.block)
    speakers = _speakers(meta.speakers, builder.segments)
    return builder.build(
        authors=meta.authors or (clipped.authors if clipped else []),
        speakers=speakers,
        channel=meta.channel or (clipped.channel if clipped else None),
        url=meta.url,
        date=meta.date or (clipped.date if clipped else None),
        duration=meta.duration,
        tags=meta.tags or (clipped.tags if clipped else []),
    )


def _leading_title(blocks: list[Block], *, markdown: bool) -> str | None:
    """A `# H1` (or `===` underlined title) opening the body; in plain text, any title line."""
    if not blocks or blocks[0].role is not Role.HEADING:
        return None
    first = blocks[0]
    if first.section:
        return None
    if first.level == 1 or not markdown:
        return normalise_space(first.text) or None
    return None


def _speakers(listed: list[str], segments: list[Segment]) -> list[str]:
    """Who speaks, in order of appearance, one spelling per name whatever its case.

    Authors credited under quotations count only when nobody takes turns in the document.
    """
    turns = [s.speaker for s in segments if s.speaker and s.role is not Role.QUOTE]
    credited = [s.speaker for s in segments if s.speaker and s.role is Role.QUOTE]
    seen: dict[str, str] = {}
    for name in listed + (turns or credited):
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _add_blocks(builder: SourceBuilder, blocks: list[Block]) -> tuple[list[int], list[Segment]]:
    """Add blocks as segments.

    Returns, for each block, the index of its (or the next) segment; and the timed segments
    on the timeline.
    """
    segment_of: list[int] = []
    timeline: list[Segment] = []
    for block in blocks:
        segment_of.append(len(builder.segments))
        # A quote or key point that names a moment is not where the transcript is: its time
        # stays out of the segments so every timed segment keeps to the media's order.
        start = block.start if block.on_timeline else None
        end = block.end if block.on_timeline else None
        segment = builder.add_segment(
            block.text, start=start, end=end, speaker=block.speaker, role=block.role
        )
        if segment is not None and block.on_timeline and block.start is not None:
            timeline.append(segment)
    return segment_of, timeline


def _parse(text: str, *, markdown: bool) -> tuple[Metadata, ClippedHeader | None, Body]:
    """Metadata, clipped-note header and body blocks; warnings gathered in `Body.warnings`.

    A function of its own so that the lines of a big file are freed before segments are made.
    """
    warnings: list[str] = []
    meta = Metadata()
    body_text, body_line = text, 1
    if markdown:
        split = split_front_matter(text)
        warnings.extend(split.warnings)
        meta = read_metadata(split.meta)
        warnings.extend(meta.warnings)
        body_text, body_line = split.body, split.body_line
    lines = split_lines(body_text)
    # The body is a copy of most of the file when there is front matter: free it early.
    del body_text
    if markdown:
        del split
    if markdown and meta.url is None:
        meta.url = _linked_media(lines)
    clipped = read_clipped_header(lines)
    body = parse_body(
        lines,
        markdown=markdown,
        first_line=body_line,
        title_line=clipped.title_line if clipped else None,
        skip_line=clipped.meta_line if clipped else None,
    )
    body.warnings[:0] = warnings
    return meta, clipped, body


def _linked_media(lines: list[str]) -> str | None:
    """The video a transcript's `[0:05](https://youtu.be/ID?t=5)` links point at, if one."""
    found: list[str] = []
    for line in lines:
        if "](" in line:
            found.extend(url_without_time(m.group(1)) for m in _TIME_LINK.finditer(line))
            if len(found) >= _LINKS_COMPARED:
                break
    compared = set(found[:_LINKS_COMPARED])
    return found[0] if len(found) >= 2 and len(compared) == 1 else None
