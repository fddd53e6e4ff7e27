"""Clipped notes: a title line, then `March 3, 2026 · Some Publication · tag1 · tag2`, or the
header a clipper writes line by line (a folder label, the title, `source: URL`, `by Name`, the
date as a browser prints it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readmark.library.readers.text.dates import parse_date
from readmark.library.readers.text.labels import is_name

_SEPARATOR = re.compile(r"\s+[·•|]\s+|\s*·\s*")
_DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?:/\S*)?", re.I
)
_BY = re.compile(r"by\s+(.+)", re.IGNORECASE)
_SOURCE = re.compile(r"(?:source|url|link|from)\s*:\s*(\S.*)", re.IGNORECASE)
_FOLDER = re.compile(r"\d{1,3}[-_.][a-z][\w-]*|[\w-]+(?:/[\w-]+)+/?")
"""`06-reference`, `resources/articles`: the folder a clipper filed the note in."""
_NAMES = re.compile(r"\s*(?:,|&|\band\b)\s*")
# Tags in one part: `#energy #batteries` or `energy, batteries`.
_TAG_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?=#)")
_LOOKAHEAD = 8
"""How many lines from the top a clipped header may start on."""
_HEADER_LINES = 5
"""How many lines after the title a line-by-line header may take."""


@dataclass(frozen=True, slots=True)
class ClippedHeader:
    """What the first lines of a clipped note say."""

    meta_line: int
    """Index of the date (or `date · source · tags`) line in the body lines; the first header
    line after the title when there is no date."""
    title: str | None = None
    title_line: int | None = None
    date: str | None = None
    channel: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    url: str | None = None
    skip_lines: tuple[int, ...] = ()
    """Index of every header line that is not the title (left out of the text)."""


@dataclass(slots=True)
class _Parts:
    """What one header line says."""

    date: str | None = None
    channel: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def read_clipped_header(lines: list[str]) -> ClippedHeader | None:
    """The header of a clipped note, or None when the first lines are not one."""
    filled = [(i, line.strip()) for i, line in enumerate(lines[:_LOOKAHEAD]) if line.strip()]
    if not filled:
        return None
    folder: list[int] = []
    if len(filled) > 2 and _FOLDER.fullmatch(filled[0][1]):
        folder.append(filled[0][0])
        filled = filled[1:]
    first_index, first = filled[0]
    parts = _meta(first)
    if parts is not None:
        return _header(None, None, [(first_index, parts)], folder)
    if len(filled) < 2 or len(first) > 200 or first.startswith(("-", "*", ">", "[", "|")):
        return None
    found: list[tuple[int, _Parts]] = []
    for index, line in filled[1 : 1 + _HEADER_LINES]:
        parts = _meta(line) or _line_part(line)
        if parts is None:
            break
        found.append((index, parts))
    if not any(p.date or p.url or p.authors for _, p in found):
        return None
    if not any(p.date for _, p in found) and len(found) < 2 and not folder:
        # A title and one `by ...` or `source: ...` line: too little to call it a clipping.
        return None
    title = first.lstrip("#").strip().strip("*_").strip()
    return _header(title or None, first_index, found, folder)


def _header(
    title: str | None, title_line: int | None, found: list[tuple[int, _Parts]], folder: list[int]
) -> ClippedHeader:
    merged = _Parts()
    for _, parts in found:
        merged.date = merged.date or parts.date
        merged.channel = merged.channel or parts.channel
        merged.url = merged.url or parts.url
        merged.authors.extend(a for a in parts.authors if a not in merged.authors)
        merged.tags.extend(t for t in parts.tags if t not in merged.tags)
    dated = [i for i, parts in found if parts.date]
    return ClippedHeader(
        dated[0] if dated else found[0][0],
        title,
        title_line,
        merged.date,
        merged.channel,
        merged.authors,
        merged.tags,
        merged.url,
        tuple(folder + [i for i, _ in found]),
    )


def _line_part(line: str) -> _Parts | None:
    """A header line of its own: `source: URL`, `by Name`, or a date as clippers write it."""
    if len(line) > 200:
        return None
    date = parse_date(line)
    if date:
        return _Parts(date=date)
    source = _SOURCE.fullmatch(line)
    if source:
        return _source(source.group(1).strip())
    authors = _authors(line)
    return _Parts(authors=authors) if authors else None


def _source(value: str) -> _Parts:
    domain = _DOMAIN.fullmatch(value)
    if domain is None:
        return _Parts(channel=value)
    url = value if "://" in value else None
    return _Parts(channel=domain.group(1), url=url)


def _authors(part: str) -> list[str]:
    """`by Ada Lovelace and Charles Babbage` -> both names; [] when it is not a byline."""
    by = _BY.fullmatch(part)
    if by is None:
        return []
    names = [n.strip() for n in _NAMES.split(by.group(1).strip()) if n.strip()]
    return names if names and all(is_name(n) for n in names) else []


def _meta(line: str) -> _Parts | None:
    """Read a `date · source · tags` line; None unless it has a date or is `·`-separated."""
    if len(line) > 300:
        return None
    parts = [p.strip() for p in _SEPARATOR.split(line) if p.strip()]
    date = next((d for d in map(parse_date, parts) if d), None)
    if "·" not in line and not (date and len(parts) == 1):
        return None
    found = _Parts(date=date)
    for part in parts:
        if parse_date(part):
            continue
        source = _SOURCE.fullmatch(part)
        authors = _authors(part)
        if source:
            named = _source(source.group(1).strip())
            found.channel = found.channel or named.channel
            found.url = found.url or named.url
        elif authors:
            found.authors.extend(authors)
        elif _BY.fullmatch(part):
            found.authors.append(part[3:].strip())
        elif found.channel is None and not part.startswith("#"):
            domain = _DOMAIN.fullmatch(part)
            found.channel = domain.group(1) if domain else part
        else:
            found.tags.extend(_tags(part))
    if not date and not found.url and not any(_DOMAIN.fullmatch(p) for p in parts):
        return None
    return found


def _tags(part: str) -> list[str]:
    """The tags of one `·` part; several when it lists them with `#` or commas."""
    words = (w.lstrip("#").strip() for w in _TAG_SPLIT.split(part))
    return [w for w in words if w]
