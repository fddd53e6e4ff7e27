"""Lines that read as titles: short, in title case, not a sentence."""

from __future__ import annotations

import re

from readmark.library.readers.text.book_header import FIELD

_SENTENCE_END = ".!?…"
_SMALL_WORDS = frozenset(
    "a an the and or nor but of to in on at for with from by as vs vs. via per into onto is".split()
)
_TITLE_OPEN = "\"“‘'(«"
BOOK_CHAPTER = re.compile(
    r"(?:CHAPTER|Chapter|BOOK|Book|PART|Part)\s+(?:[IVXLC]{1,8}|\d{1,3}|[A-Z][a-z]{2,9})\.?"
)
"""A book's chapter line: `CHAPTER I.`, `Chapter 12`, `PART Two`."""
_SECTION_WORDS = 10


def looks_like_title(raw: str) -> bool:
    """A short line in title case with no closing punctuation: `The Speed of Diffusion`."""
    if len(raw) > 90 or raw[-1] in '.,;:!"”' or raw[0] in "-*+>|":
        return False
    if ":" in raw and FIELD.fullmatch(raw):
        return False  # `Title: Alice's Adventures in Wonderland` is a field of the book
    words = raw.split()
    if not 1 <= len(words) <= 12:
        return False
    significant = 0
    for word in words:
        bare = word.lstrip(_TITLE_OPEN)
        if not bare:
            continue
        if bare.lower() in _SMALL_WORDS:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()):
            return False
        significant += 1
    return significant > 0 and (raw[-1] != "?" or len(words) <= 8)


def looks_like_first_title(raw: str) -> bool:
    """A plain-text file's opening line set apart, short and not a sentence: its title."""
    return len(raw) <= 80 and raw[-1] not in _SENTENCE_END + ",;:" and raw[0] not in "-*+>|"


def looks_like_section(raw: str) -> bool:
    """A short line that is not a sentence, as a clipped note's section title: `Why this is in
    the vault`, `Where Fenwick is most likely wrong`."""
    words = raw.split()
    return (
        len(raw) <= 70
        and 1 <= len(words) <= _SECTION_WORDS
        and raw[-1] not in _SENTENCE_END + ',;:"”'
        and raw[0] not in '-*+>|[("“'
        and (raw[0].isupper() or raw[0].isdigit())
    )
