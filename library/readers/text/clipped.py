"""Clipped notes: a title line, then `March 3, 2026 · Some Publication · tag1 · tag2`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readmark.library.readers.text.dates import parse_date

_SEPARATOR = re.compile(r"\s+[·•|]\s+|\s*·\s*")
_DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?:/\S*)?", re.I
)
_BY = re.compile(r"by\s+(.+)", re.IGNORECASE)
# Tags in one part: `#energy #batteries` or `energy, batteries`.
_TAG_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?=#)")
_LOOKAHEAD = 8
"""How many lines from the top a clipped header may start on."""


@dataclass(frozen=True, slots=True)
class ClippedHeader:
    """What the first lines of a clipped note say."""

    meta_line: int
    """Index of the `date · source · tags` line in the body lines."""
    title: str | None = None
    title_line: int | None = None
    date: str | None = None
    channel: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def read_clipped_header(lines: list[str]) -> ClippedHeader | None:
    """The header of a clipped note, or None when the first lines are not one."""
    filled = [(i, line.strip()) for i, line in enumerate(lines[:_LOOKAHEAD]) if line.strip()]
    if not filled:
        return None
    first_index, first = filled[0]
    header = _meta(first, first_index)
    if header is not None:
        return header
    if len(filled) < 2 or len(first) > 200 or first.startswith(("-", "*", ">", "[", "|")):
        return None
    meta_index, second = filled[1]
    header = _meta(second, meta_index)
    if header is None:
        return None
    title = first.lstrip("#").strip().strip("*_").strip()
    return ClippedHeader(
        meta_index,
        title or None,
        first_index,
        header.date,
        header.channel,
        header.authors,
        header.tags,
    )


def _meta(line: str, index: int) -> ClippedHeader | None:
    """Read a `date · source · tags` line; None unless it has a date or is `·`-separated."""
    if len(line) > 300:
        return None
    parts = [p.strip() for p in _SEPARATOR.split(line) if p.strip()]
    date = next((d for d in map(parse_date, parts) if d), None)
    if "·" not in line and not (date and len(parts) == 1):
        return None
    if not date and not any(_DOMAIN.fullmatch(p) for p in parts):
        return None
    channel: str | None = None
    authors: list[str] = []
    tags: list[str] = []
    for part in parts:
        if parse_date(part):
            continue
        by = _BY.fullmatch(part)
        if by:
            authors.append(by.group(1).strip())
        elif channel is None and not part.startswith("#"):
            domain = _DOMAIN.fullmatch(part)
            channel = domain.group(1) if domain else part
        else:
            tags.extend(_tags(part))
    return ClippedHeader(index, date=date, channel=channel, authors=authors, tags=tags)


def _tags(part: str) -> list[str]:
    """The tags of one `·` part; several when it lists them with `#` or commas."""
    words = (w.lstrip("#").strip() for w in _TAG_SPLIT.split(part))
    return [w for w in words if w]
