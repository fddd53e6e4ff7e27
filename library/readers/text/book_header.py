"""A book's header lines, as Project Gutenberg and e-book tools write them: `Title: ...`,
`Author: ...`, `Release date: ...`, `Language: ...`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD = re.compile(
    r"(?P<key>Title|Author|Authors|Editor|Translator|Illustrator|Release [Dd]ate|Language"
    r"|Produced by|Credits|Posting [Dd]ate|Character set encoding|Original publication"
    r"|Most recently updated)\s*:\s*(?P<value>\S.*)"
)
"""One header line: a field of the book, never a heading or a speaker."""
_LOOKAHEAD = 80
"""How many lines from the top the header may stand on (after a licence preamble)."""
_AUTHORS = re.compile(r"\s*(?:;|&|\band\b)\s*")


@dataclass(frozen=True, slots=True)
class BookHeader:
    title: str | None = None
    authors: list[str] = field(default_factory=list)


def read_book_header(lines: list[str]) -> BookHeader | None:
    """Title and authors from `Title:` and `Author:` lines near the top; None unless both a
    title and another field are there."""
    fields: dict[str, str] = {}
    for raw in lines[:_LOOKAHEAD]:
        found = FIELD.fullmatch(raw.strip()) if ":" in raw else None
        if found:
            fields.setdefault(found.group("key").lower(), found.group("value").strip())
    title = fields.get("title")
    if not title or len(fields) < 2:
        return None
    names = fields.get("author") or fields.get("authors") or ""
    authors = [n for n in _AUTHORS.split(names) if n]
    return BookHeader(title, authors)
