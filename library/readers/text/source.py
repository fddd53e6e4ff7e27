"""Turn a Markdown or plain-text file into a `Source`: metadata, body, title and outline."""

from __future__ import annotations

import re
from dataclasses import dataclass

from readmark.library.builder import SourceBuilder, normalise_space
from readmark.library.collector import collector_paused
from readmark.library.model import Role, Segment, Source
from readmark.library.readers.text.blocks import Block, Body
from readmark.library.readers.text.body import parse_body
from readmark.library.readers.text.book_header import BookHeader, read_book_header
from readmark.library.readers.text.captions import join_caption_fragments
from readmark.library.readers.text.chapter_lists import take_chapter_lists
from readmark.library.readers.text.clipped import ClippedHeader, read_clipped_header
from readmark.library.readers.text.front_matter import Metadata, read_metadata, split_front_matter
from readmark.library.readers.text.glued import GluedHeader, read_glued_header
from readmark.library.readers.text.lines import split_lines
from readmark.library.readers.text.metadata_list import read_metadata_list
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
    with collector_paused():
        return _read(text, source_id, stem, fmt=fmt, markdown=markdown)


def _read(text: str, source_id: str, stem: str, *, fmt: str, markdown: bool) -> Source:
    meta, header, body = _parse(text, markdown=markdown)
    warnings = body.warnings
    clipped, glued, book = header.clipped, header.glued, header.book
    title = (
        meta.title
        or (book.title if book else None)
        or _leading_title(body.blocks, markdown=markdown)
        or (clipped.title if clipped else None)
        or title_from_stem(stem)
    )
    listed = read_metadata_list(body.blocks)
    take_chapter_lists(body)
    if date_reading_text(body):
        warnings.append(
            "the transcript is written twice (reading paragraphs and timed lines): "
            "kept the paragraphs, dated from the timed lines"
        )
    chapter_times = [c.start for c in meta.chapters] or [
        m.start for m in body.timed_marks if m.start is not None
    ]
    join_caption_fragments(body, chapter_times)
    times_as_references(body.blocks, markdown=markdown)
    duration = meta.duration if meta.duration is not None else (glued.duration if glued else None)
    time_continuations(body.blocks, duration)
    set_ends(body.blocks, duration)
    builder = SourceBuilder(id=source_id, title=title, format=fmt, warnings=warnings)
    segment_of = _add_blocks(builder, body.blocks)
    for entry in outline(body, meta.chapters, builder.segments, segment_of):
        builder.add_outline(entry.title, entry.start, entry.block)
    speakers = _speakers(meta.speakers, builder.segments)
    return builder.build(
        authors=meta.authors
        or (clipped.authors if clipped else [])
        or (book.authors if book else [])
        or (listed.authors if listed else []),
        speakers=speakers,
        channel=meta.channel
        or (clipped.channel if clipped else None)
        or (glued.channel if glued else None),
        url=meta.url or (clipped.url if clipped else None) or (listed.url if listed else None),
        date=meta.date or (clipped.date if clipped else None) or (glued.date if glued else None),
        duration=duration,
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


def _add_blocks(builder: SourceBuilder, blocks: list[Block]) -> list[int]:
    """Add blocks as segments; returns, for each block, the index of its (or the next) segment."""
    segment_of: list[int] = []
    for block in blocks:
        segment_of.append(len(builder.segments))
        if not block.on_timeline:
            # A quote or key point that names a moment is not where the transcript is: its time
            # stays out of the segments so every timed segment keeps to the media's order.
            builder.add_segment(block.text, speaker=block.speaker, role=block.role)
        elif block.marks is None and not block.estimated:
            builder.add_segment(
                block.text, start=block.start, end=block.end, speaker=block.speaker, role=block.role
            )
        else:
            builder.add_segment(
                block.text,
                start=block.start,
                end=block.end,
                speaker=block.speaker,
                role=block.role,
                marks=block.given_marks(),
            )
    return segment_of


@dataclass(frozen=True, slots=True)
class _Header:
    """What the top of a body says besides its text: a clipped note's header, a glued page
    line, a book's `Title:` lines."""

    clipped: ClippedHeader | None = None
    glued: GluedHeader | None = None
    book: BookHeader | None = None


def _parse(text: str, *, markdown: bool) -> tuple[Metadata, _Header, Body]:
    """Metadata, the header lines and body blocks; warnings gathered in `Body.warnings`.

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
    glued = read_glued_header(lines)
    skipped = (clipped.skip_lines if clipped else ()) + ((glued.line,) if glued else ())
    body = parse_body(
        lines,
        markdown=markdown,
        first_line=body_line,
        title_line=clipped.title_line if clipped else None,
        skip_lines=skipped,
        sections=clipped is not None,
    )
    body.warnings[:0] = warnings
    return meta, _Header(clipped, glued, read_book_header(lines)), body


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
