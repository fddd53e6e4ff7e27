"""Quotations and their credits: `— Name (note), [0:54](url)` gives a speaker and a time."""

from __future__ import annotations

import re

from readmark.library.readers.text.blocks import Block
from readmark.library.readers.text.labels import is_name
from readmark.library.timecode import CLOCK_PATTERN, parse_clock, time_from_url

ATTRIBUTION = re.compile(r"(?:—|–|--|~)\s*(\S.{0,80})")
# The last `— Name (note), [0:54](url)` of a quotation; no dash may follow it.
_CREDIT = re.compile(
    r"(?:—|–|--|―)\s*(?P<who>[^,\[\]()—–―\"“”]{1,60}?)\s*(?:\([^()]*\))?"
    r"\s*(?:,\s*(?P<when>[^—–―]*?))?\s*$"
)
ATTRIBUTED = re.compile(r"(?:—|–|--|―)\s*[^—–―\"“”]{1,80}$")
_TIME_LINK = re.compile(rf"\[\s*({CLOCK_PATTERN})\s*\]\(([^)\s]*)\)")
_BARE_CLOCK = re.compile(rf"[\[(]?\s*({CLOCK_PATTERN})\s*[\])]?")
_QUOTE_OPEN = "\"“‘'«"
_QUOTE_CLOSE = "\"”’'»"


def credit(block: Block, text: str, *, speaker: bool = True) -> None:
    """Give a quotation the time it links to and the speaker its `— Name` credits.

    The time points at a moment of the media; the block stays off the timeline.
    """
    link = _TIME_LINK.search(text)
    start = parse_clock(link.group(1)) if link else None
    if link and start is None:
        start = time_from_url(link.group(2))
    credited = _CREDIT.search(text)
    if credited:
        who = credited.group("who").strip()
        if speaker and is_name(who):
            block.speaker = who
        when = credited.group("when")
        if start is None and when:
            clock = _BARE_CLOCK.fullmatch(when.strip())
            start = parse_clock(clock.group(1)) if clock else None
    if start is not None:
        block.start = start
        block.on_timeline = False


def is_quotation(text: str) -> bool:
    stripped = text.rstrip(".,;")
    return len(stripped) > 1 and stripped[0] in _QUOTE_OPEN and stripped[-1] in _QUOTE_CLOSE
