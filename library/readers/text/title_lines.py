"""Lines that read as titles: short, in title case, not a sentence."""

from __future__ import annotations

_SENTENCE_END = ".!?…"
_SMALL_WORDS = frozenset(
    "a an the and or nor but of to in on at for with from by as vs vs. via per into onto is".split()
)
_TITLE_OPEN = "\"“‘'(«"


def looks_like_title(raw: str) -> bool:
    """A short line in title case with no closing punctuation: `The Speed of Diffusion`."""
    if len(raw) > 90 or raw[-1] in '.,;:!"”' or raw[0] in "-*+>|":
        return False
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
