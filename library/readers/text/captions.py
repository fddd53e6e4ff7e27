"""Timed lines cut like captions (mid-sentence), joined into sentence-long blocks."""

from __future__ import annotations

import bisect

from readmark.library.readers.text.blocks import Block, Body, paragraph_runs, replace_blocks

_CLOSERS = "\"'”’»)]*_ "
_SENTENCE_END = ".!?…"
_FRAGMENT_SPAN = 20.0
"""Caption fragments are joined into blocks of at most about this many seconds."""
_FRAGMENT_PAUSE = 2.0
"""A silence this long between caption fragments ends a sentence block."""
_FRAGMENT_LIMIT = 60.0
"""A quotation still open keeps a block growing past sentence ends and pauses up to this."""
_FRAGMENT_RUN = 6
"""Fewer timed lines than this are too few to tell caption fragments from short turns."""


def join_caption_fragments(body: Body, chapters: list[float] | None = None) -> None:
    """Join timed lines cut like captions (mid-sentence) into sentence-long blocks.

    A run of timed lines is caption fragments when most of its lines do not end a sentence.
    Fragments of one speaker are joined until a sentence ends, a pause of 2 s, about 20 s, or a
    chapter starts (`chapters`: start times, in order); the block starts with its first fragment,
    ends with its last, and keeps each fragment's time as a mark where its words begin.
    """
    bounds = sorted(chapters or ())
    blocks = body.blocks
    runs = [r for r in paragraph_runs(blocks)[0] if r[1] - r[0] >= _FRAGMENT_RUN]
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
            quoted = curly > 0 or straight % 2 == 1
            if group and (
                not _continues(group, block, quoted) or _chapter_between(bounds, group, block)
            ):
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
    replace_blocks(body, kept, moved)


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


def _chapter_between(bounds: list[float], group: list[Block], block: Block) -> bool:
    """Whether a chapter starts after the last fragment of `group` and by `block`."""
    if not bounds or block.start is None:
        return False
    i = bisect.bisect_right(bounds, group[-1].start or 0.0)
    return i < len(bounds) and bounds[i] <= block.start


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
    marks: list[tuple[int, float]] = []
    offset = 0
    for block in group:
        marks.extend((offset + at, time) for at, time in block.given_marks())
        offset += len(block.text) + 1
    joined = Block(text, first.role, first.start, first.speaker, line=first.line, end=group[-1].end)
    joined.marks = marks
    return joined
