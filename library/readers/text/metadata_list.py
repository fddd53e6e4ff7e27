"""A note's metadata written as a list under a `## Metadata` heading (Readwise exports):
`* Author: Mark Virtue`, `* URL: https://...`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readmark.library.model import Role
from readmark.library.readers.text.blocks import Block

_SECTION = frozenset({"metadata", "meta", "info", "details", "document info"})
_FIELD = re.compile(r"(?P<key>authors?|by|url|link|source)\s*:\s*(?P<value>\S.*)", re.IGNORECASE)
_NAMES = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_LOOKAHEAD = 40
"""How many blocks from the top the section may start within."""


@dataclass(frozen=True, slots=True)
class ListedMetadata:
    authors: list[str] = field(default_factory=list)
    url: str | None = None


def read_metadata_list(blocks: list[Block]) -> ListedMetadata | None:
    """Authors and URL from the list under a `Metadata` heading near the top; None without one."""
    authors: list[str] = []
    url: str | None = None
    inside = False
    for block in blocks[:_LOOKAHEAD]:
        if block.role is Role.HEADING:
            if inside:
                break
            inside = block.text.strip().casefold() in _SECTION
            continue
        if not inside or block.role is not Role.LIST_ITEM:
            continue
        found = _FIELD.fullmatch(block.text.strip())
        if found is None:
            continue
        key, value = found.group("key").lower(), found.group("value").strip()
        if key in ("url", "link", "source"):
            url = url or (value if "://" in value else None)
        else:
            authors.extend(n for n in _NAMES.split(value) if n and n not in authors)
    if not authors and url is None:
        return None
    return ListedMetadata(authors, url)
