"""Turns a Markdown or plain-text file into a `Source`: metadata, body, title and outline."""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from readmark.library.builder import SourceBuilder, normalise_space
from readmark.library.frontmatter_meta import Chapter, Metadata, read_metadata, split_front_matter
from readmark.library.model import Role, Segment, Source
from readmark.library.text_body import Block, Body, Mark, parse_body
from readmark.library.text_clipped import ClippedHeader, read_clipped_header
from readmark.library.text_inline import reduce_inline
from readmark.library.text_lines import split_lines
from readmark.library.timecode import CLOCK_PATTERN, format_timecode, url_without_time
from readmark.library.titles import title_from_stem

_WORDS = re.compile(r"\w+")
_LIST_MARKER = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_TIME_LINK = re.compile(rf"\[\s*{CLOCK_PATTERN}\s*\]\((https?://[^)\s]+)\)")
_LINKS_COMPARED = 5
"""The first this many timestamp links (at least two) must name one video to give its url."""
_CLOSERS = "\"'”’»)]*_ "
_SENTENCE_END = ".!?…"
_KEY_WORDS = 8
"""How many words of a reading paragraph are looked up in the timed lines to date it."""
_FRAGMENT_SPAN = 20.0
"""Caption fragments are joined into blocks of at most about this many seconds."""
_FRAGMENT_PAUSE = 2.0
"""A silence this long between caption fragments ends a sentence block."""
_FRAGMENT_LIMIT = 60.0
"""A quotation still open keeps a block growing past sentence ends and pauses up to this."""
_FRAGMENT_RUN = 6
_TIMED_RUN = 4
"""This many timed paragraphs in a row make a file a timed transcript, whatever else it holds."""
"""Fewer timed lines than this are too few to tell caption fragments from short turns."""


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
    if _date_reading_text(body):
        warnings.append(
            "the transcript is written twice (reading paragraphs and timed lines): "
            "kept the paragraphs, dated from the timed lines"
        )
    _join_caption_fragments(body)
    _times_as_references(body.blocks, markdown=markdown)
    _time_continuations(body.blocks, meta.duration)
    _set_ends(body.blocks, meta.duration)
    builder = SourceBuilder(id=source_id, title=title, format=fmt, warnings=warnings)
    segment_of, timeline = _add_blocks(builder, body.blocks)
    for entry in _outline(body, meta.chapters, timeline, segment_of):
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


def _set_ends(blocks: list[Block], duration: float | None) -> None:
    """A timed block ends where the next one starts, the last one at `duration`.

    Only blocks on the timeline count; an end the file gives (a range) is kept.
    """
    previous: Block | None = None
    for block in blocks:
        if block.start is None or not block.on_timeline:
            continue
        if previous is not None and previous.start is not None and block.start >= previous.start:
            if previous.end is None:
                previous.end = block.start
        previous = block
    if previous is not None and previous.start is not None and duration is not None:
        if duration > previous.start and previous.end is None:
            previous.end = duration


def _times_as_references(blocks: list[Block], *, markdown: bool) -> None:
    """Take a few times cited in notes or an article off the timeline.

    A file is a timed transcript when at least half of what is said is timed (a timed turn's
    later paragraphs count with it) or when timed paragraphs run several in a row. Otherwise its
    times are references to the media, not where the reading is: the block keeps its time
    written in front of its text, and the source has no timeline (so no ▶ in the list).
    """
    said = timed = 0
    run = longest = 0
    turn: str | None = None
    joined = -1  # the file line a block must start on to go on the last timed one's paragraph
    for block in blocks:
        if block.role is Role.HEADING:
            run, turn = 0, None
            continue
        if not block.on_timeline:
            continue  # key points, chapter entries, credited quotes: pointers already
        if not block.text.strip():
            continue  # an empty item (a bare link) says nothing, timed or not
        if block.turn and block.start is not None and block.role is Role.PARAGRAPH:
            return  # a timed speaker turn (`**Ana** [00:12:34]`) is a transcript, never a citation
        said += 1
        paragraph = block.role is Role.PARAGRAPH
        if paragraph and block.start is not None:
            timed += 1
            run += 1
            longest = max(longest, run)
            turn, joined = block.speaker, block.line + 1
        elif paragraph and not block.turn and turn and block.speaker == turn:
            timed += 1  # a timed turn goes on
        elif block.line == joined:
            timed += 1  # the next line, with no blank between: the timed line goes on
            joined += 1
        else:
            run, turn = 0, None
    if not timed or longest >= _TIMED_RUN or timed * 2 >= said:
        return
    for block in blocks:
        if block.on_timeline and block.start is not None and block.role is Role.PARAGRAPH:
            block.text = f"{_written_time(block, markdown=markdown)} {block.text}"
            block.on_timeline = False
            block.end = None


def _written_time(block: Block, *, markdown: bool) -> str:
    """The time of `block` as the file writes it, without a list marker."""
    if block.start is None:
        return ""
    written = _LIST_MARKER.sub("", block.stamp.strip()).rstrip(" :|-–—")
    if not written:
        return f"[{format_timecode(block.start)}]"
    return reduce_inline(written) if markdown else written


def _time_continuations(blocks: list[Block], duration: float | None) -> None:
    """Give the untimed paragraphs that go on a timed turn a time of their own.

    A turn's later paragraphs share the time up to the next timed block by their length, so
    the gutter, jumps and citations reach them; with no later time (nor a duration) they take
    the turn's start.
    """
    turn: Block | None = None
    group: list[Block] = []
    going_on = False
    paragraph = Role.PARAGRAPH
    for block in blocks:
        if block.role is Role.HEADING:
            going_on = False
        elif block.role is not paragraph or not block.on_timeline:
            continue  # a list or a quotation inside a turn neither ends it nor is timed
        elif block.start is not None:
            _share_time(turn, group, block.start)
            turn, group, going_on = block, [], True
        elif going_on and turn is not None and block.speaker == turn.speaker and not block.turn:
            group.append(block)
        else:
            going_on = False
    _share_time(turn, group, duration)


def _share_time(turn: Block | None, group: list[Block], until: float | None) -> None:
    if turn is None or turn.start is None or not group:
        return
    start = turn.start
    span = until - start if until is not None and until > start else 0.0
    total = len(turn.text) + sum(len(b.text) for b in group)
    done = len(turn.text)
    for block in group:
        block.start = max(start, round(start + span * done / total, 2))
        done += len(block.text)


def _replace_blocks(body: Body, blocks: list[Block], moved: list[int]) -> None:
    """Swap in a new block list; `moved[old index]` is where that block's text now is."""
    moved.append(len(blocks))
    body.blocks = blocks
    body.headings = [Mark(m.title, m.start, moved[m.block]) for m in body.headings]
    body.timed_marks = [Mark(m.title, m.start, moved[m.block]) for m in body.timed_marks]


def _runs(blocks: list[Block]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """`(first, end)` index ranges of consecutive paragraphs: timed ones on the timeline, and
    untimed ones."""
    timed: list[tuple[int, int]] = []
    untimed: list[tuple[int, int]] = []
    paragraph = Role.PARAGRAPH
    state, first = 0, 0  # 0: neither, 1: timed, 2: untimed
    for i, block in enumerate(blocks):
        if block.role is not paragraph:
            now = 0
        elif block.start is None:
            now = 2
        else:
            now = 1 if block.on_timeline else 0
        if now != state:
            if state:
                (timed if state == 1 else untimed).append((first, i))
            state, first = now, i
    if state:
        (timed if state == 1 else untimed).append((first, len(blocks)))
    return timed, untimed


def _size(blocks: list[Block], run: tuple[int, int]) -> int:
    return sum(len(b.text) for b in blocks[run[0] : run[1]])


def _date_reading_text(body: Body) -> bool:
    """Keep one copy of a transcript written twice: untimed paragraphs and timed lines.

    Exports of videos often hold a reading version (paragraphs, no times) and the same words
    as timed lines. The paragraphs are kept, each dated by the timed line its first words are
    found in; the timed lines (and a heading left with nothing under it) are dropped. Found
    when most paragraphs are located, in order, and both copies have about as many words.
    """
    blocks = body.blocks
    timed_runs, untimed_runs = _runs(blocks)
    if not timed_runs:
        return False
    for run in untimed_runs:
        size = _size(blocks, run)
        for timed in timed_runs:
            if 0.75 * size <= _size(blocks, timed) <= 1.33 * size:
                starts = _dates(blocks[run[0] : run[1]], blocks[timed[0] : timed[1]])
                if starts is not None and _keeps_order(blocks, run, timed, starts):
                    for block, start in zip(blocks[run[0] : run[1]], starts, strict=True):
                        block.start = start
                    _drop_run(body, timed)
                    return True
    return False


def _keeps_order(
    blocks: list[Block], run: tuple[int, int], timed: tuple[int, int], starts: list[float | None]
) -> bool:
    """False when dating `run` from `timed` would put a timeline in order out of order."""
    before = [b.start for b in blocks if b.on_timeline and b.start is not None]
    if before != sorted(before):
        return True  # already out of order in the file: nothing to keep
    after: list[float] = []
    for i, block in enumerate(blocks):
        start = starts[i - run[0]] if run[0] <= i < run[1] else block.start
        if block.on_timeline and start is not None and not timed[0] <= i < timed[1]:
            after.append(start)
    return after == sorted(after)


def _dates(paragraphs: list[Block], lines: list[Block]) -> list[float | None] | None:
    """Start time of each paragraph, from the timed lines; None when they are not one text."""
    words = [_WORDS.findall(b.text.casefold()) for b in lines]
    offsets: list[int] = []
    joined = [" "]
    length = 1
    for line_words in words:
        offsets.append(length)
        text = " ".join(line_words) + " "
        joined.append(text)
        length += len(text)
    stream = "".join(joined)
    paragraph_words = [_WORDS.findall(b.text.casefold()) for b in paragraphs]
    total = sum(len(w) for w in paragraph_words)
    line_total = sum(len(w) for w in words)
    if not 0.8 * total <= line_total <= 1.25 * total:
        return None
    starts: list[float | None] = []
    cursor = 0
    found = 0
    for para in paragraph_words:
        key = " " + " ".join(para[:_KEY_WORDS]) + " "
        at = stream.find(key, cursor) if len(para) >= 3 else -1
        if at < 0:
            starts.append(None)
            continue
        found += 1
        cursor = at + 1
        starts.append(lines[bisect.bisect_right(offsets, at + 1) - 1].start)
    return starts if found * 5 >= len(paragraphs) * 3 else None


def _drop_run(body: Body, run: tuple[int, int]) -> None:
    """Leave out blocks `run`, and the heading above them if nothing else is under it."""
    blocks = body.blocks
    first, end = run
    above = blocks[first - 1] if first > 0 else None
    below = blocks[end] if end < len(blocks) else None
    if above is not None and above.role is Role.HEADING:
        if below is None or (below.role is Role.HEADING and below.level <= above.level):
            first -= 1
    kept = blocks[:first] + blocks[end:]
    moved = list(range(first)) + [first] * (end - first) + list(range(first, len(kept)))
    body.headings = [m for m in body.headings if not first <= m.block < end]
    _replace_blocks(body, kept, moved)


def _join_caption_fragments(body: Body) -> None:
    """Join timed lines cut like captions (mid-sentence) into sentence-long blocks.

    A run of timed lines is caption fragments when most of its lines do not end a sentence.
    Fragments of one speaker are joined until a sentence ends, a pause of 2 s, or about 20 s;
    the block starts with its first fragment and ends with its last.
    """
    blocks = body.blocks
    runs = [r for r in _runs(blocks)[0] if r[1] - r[0] >= _FRAGMENT_RUN]
    fragmented = [r for r in runs if _mostly_unfinished(blocks[r[0] : r[1]])]
    if not fragmented:
        return
    kept: list[Block] = []
    moved: list[int] = []
    done = 0
    for first, end in fragmented:
        moved.extend(range(len(kept), len(kept) + first - done))
        kept.extend(blocks[done:first])
        group: list[Block] = []
        curly = straight = 0  # quotation marks of `group`, kept as it grows (not rescanned)
        for block in blocks[first:end]:
            if group and not _continues(group, block, curly > 0 or straight % 2 == 1):
                kept.append(_joined(group))
                group, curly, straight = [], 0, 0
            group.append(block)
            opened, closed, plain = _quote_marks(block.text)
            curly, straight = curly + opened - closed, straight + plain
            moved.append(len(kept))
        kept.append(_joined(group))
        done = end
    moved.extend(range(len(kept), len(kept) + len(blocks) - done))
    kept.extend(blocks[done:])
    _replace_blocks(body, kept, moved)


def _ends_sentence(text: str) -> bool:
    bare = text.rstrip(_CLOSERS)
    return bool(bare) and bare[-1] in _SENTENCE_END


def _mostly_unfinished(blocks: list[Block]) -> bool:
    # A few hundred lines spread over the run tell as well as all of them.
    sample = blocks[:: max(1, len(blocks) // 400)]
    finished = sum(1 for b in sample if _ends_sentence(b.text))
    return finished * 2 < len(sample)


def _continues(group: list[Block], block: Block, quoted: bool) -> bool:
    """Whether caption fragment `block` belongs to the sentence block `group` builds."""
    last = group[-1]
    start, last_start = block.start or 0.0, last.start or 0.0
    if block.speaker != last.speaker or start < last_start:
        return False
    elapsed = start - (group[0].start or 0.0)
    if quoted:
        # A block never ends inside a quotation, short of the hard limit.
        return elapsed < _FRAGMENT_LIMIT
    if _ends_sentence(last.text):
        return False
    if last.end is not None and start - last.end >= _FRAGMENT_PAUSE:
        return False
    return elapsed < _FRAGMENT_SPAN


def _quote_marks(text: str) -> tuple[int, int, int]:
    """Opening and closing curly or angle double quotes, and straight double quotes, in `text`.

    Single quotes are left out: they are apostrophes as often as not.
    """
    if "“" in text or "”" in text or "«" in text or "»" in text:
        opened = text.count("“") + text.count("«")
        closed = text.count("”") + text.count("»")
    else:
        opened = closed = 0
    return opened, closed, text.count('"') if '"' in text else 0


def _joined(group: list[Block]) -> Block:
    first = group[0]
    if len(group) == 1:
        return first
    text = " ".join(b.text for b in group)
    return Block(text, first.role, first.start, first.speaker, line=first.line, end=group[-1].end)


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


def _outline(
    body: Body, chapters: list[Chapter], timed: list[Segment], segment_of: list[int]
) -> list[Mark]:
    """A timed document's outline is its chapters or key points; an article's, its headings.

    `timed` are the segments on the timeline. Returned marks point at segment indexes.
    """
    if timed:
        # Bisect once-built start times: documents may list thousands of key points.
        starts = [s.start or 0.0 for s in timed]
        marks = [Mark(c.title, c.start, 0) for c in chapters] or [
            m for m in body.timed_marks if m.start is not None
        ]
        if marks:
            return [_at_time(m.title, m.start or 0.0, timed, starts) for m in marks]
    return [Mark(m.title, m.start, segment_of[m.block]) for m in body.headings]


def _at_time(title: str, start: float, timed: list[Segment], starts: list[float]) -> Mark:
    """Point at the segment in progress at `start`, as `Source.segment_at` does."""
    i = bisect.bisect_right(starts, start)
    return Mark(title, start, timed[max(i - 1, 0)].index)


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
