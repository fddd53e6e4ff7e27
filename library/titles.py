"""A readable title from a file name, for files that carry none of their own."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[_\-.\s]+")


def title_from_stem(stem: str) -> str:
    """`reading_notes-on-sleep` -> `Reading notes on sleep`; the rest of the casing is kept."""
    words = _SEPARATORS.sub(" ", stem).split()
    if not words:
        return "Untitled"
    text = " ".join(words)
    return text[0].upper() + text[1:]
