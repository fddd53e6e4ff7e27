"""Finding a quote in a text while forgiving white space, quote marks, dashes and ellipses.

Both the text and the quote are folded to a canonical form (see `fold`), the search runs on the
folded text, and every hit is mapped back to offsets in the original text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

# Length-preserving replacements: curly and typographic marks become their ASCII cousins.
_MARKS = str.maketrans(
    {
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "`": "'",
        "\u00b4": "'",  # ´
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
    }
)

# Spans that fold to something of another length. Spaces around a dash are dropped because
# "a—b", "a — b" and "a -- b" are the same dash typed three ways.
# A lone space needs no rewrite; skipping it keeps folding a long transcript quick.
_REWRITES = re.compile(r"(?:\s*-+)+\s*|\s{2,}|[^\S ]|\u2026")


@dataclass(frozen=True, slots=True, eq=False)
class FoldedText:
    """A text in canonical form, with the way back to the original offsets."""

    text: str
    """The folded text (case kept)."""
    lower: str
    """The folded text, lower-cased character by character (same length as `text`)."""
    starts: array[int]
    """Original offset where each folded character begins (a compact array: texts are long)."""
    ends: array[int]
    """Original offset one past where each folded character ends."""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of the folded span `[start, end)` (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def folded_offset(self, original: int) -> int:
        """The folded index of the first character at or after `original`."""
        return bisect.bisect_left(self.starts, original)


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (İ) grow when lower-cased; keep those as they are so offsets hold.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_starter(char: str) -> bool:
    # Conjoining Hangul vowels and finals compose with the syllable before them.
    return unicodedata.combining(char) == 0 and not (
        "\u1160" <= char <= "\u11ff" or "\ud7b0" <= char <= "\ud7ff"
    )


# Runs that may need composing: non-ASCII text and the character just before it.
_NON_ASCII = re.compile(r".?[^\x00-\x7f]+", re.DOTALL)


def _nfc(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """`text` in NFC, with each composed character's original start and end offsets.

    The offsets are None when the text already is NFC (the common case: nothing moves).
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None, None
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def keep(a: int, b: int) -> None:
        pieces.append(text[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    last = 0
    for run in _NON_ASCII.finditer(text):
        keep(last, run.start())
        cluster = run.start()
        for at in range(cluster + 1, run.end() + 1):
            if at < run.end() and not _is_starter(text[at]):
                continue
            # A starter and the marks after it compose on their own, so offsets stay local.
            composed = unicodedata.normalize("NFC", text[cluster:at])
            pieces.append(composed)
            starts.extend([cluster] * len(composed))
            ends.extend([at] * len(composed))
            cluster = at
        last = run.end()
    keep(last, len(text))
    return "".join(pieces), starts, ends


def _fold_uncached(original: str) -> FoldedText:
    composed, nfc_starts, nfc_ends = _nfc(original)
    folded = _fold_composed(composed)
    if nfc_starts is None or nfc_ends is None:
        return folded
    return FoldedText(
        folded.text,
        folded.lower,
        array("q", (nfc_starts[i] for i in folded.starts)),
        array("q", (nfc_ends[i - 1] for i in folded.ends)),
    )


def _fold_composed(original: str) -> FoldedText:
    marked = original.translate(_MARKS)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for match in _REWRITES.finditer(marked):
        a, b = match.span()
        if a > last:
            pieces.append(marked[last:a])
            starts.extend(range(last, a))
            ends.extend(range(last + 1, a + 1))
        chunk = match.group()
        if chunk == "\u2026":
            pieces.append("...")
            starts.extend((a, a, a))
            ends.extend((b, b, b))
        else:
            pieces.append("-" if "-" in chunk else " ")
            starts.append(a)
            ends.append(b)
        last = b
    if last < len(marked):
        pieces.append(marked[last:])
        starts.extend(range(last, len(marked)))
        ends.extend(range(last + 1, len(marked) + 1))
    folded = "".join(pieces)
    return FoldedText(folded, _lower_same_length(folded), array("q", starts), array("q", ends))


@lru_cache(maxsize=4)
def fold(text: str) -> FoldedText:
    """The canonical form of `text`: NFC (so decomposed accents match composed ones), one space
    for any run of white space, straight quote marks, `-` for any dash (and the spaces around
    it), `...` for an ellipsis.

    Cached, since the same source text is searched for many quotes in a row.
    """
    return _fold_uncached(text)


def straighten(text: str) -> str:
    """`text` with curly quote marks and typographic dashes made ASCII; the length is kept, so
    offsets into it are offsets into `text`."""
    return text.translate(_MARKS)


def fold_quote(quote: str) -> str:
    """A quote folded like a text, and trimmed."""
    return _fold_uncached(quote).text.strip()


def find_all(text: str, quote: str, *, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Every non-overlapping place `quote` stands in `text`, forgiving spacing and marks.

    Offsets are into the original `text`, in order.
    """
    needle = fold_quote(quote)
    if not needle:
        return []
    folded = fold(text)
    haystack = folded.lower if ignore_case else folded.text
    if ignore_case:
        needle = _lower_same_length(needle)
    hits: list[tuple[int, int]] = []
    at = haystack.find(needle)
    while at != -1:
        hits.append(_trim(text, *folded.original_span(at, at + len(needle))))
        at = haystack.find(needle, at + len(needle))
    return hits


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    # A folded dash swallows the spaces around it; a hit should not begin or end with them.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_candidates(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` stands, from the strictest way of matching that finds it at all:
    literally, then forgiving spacing and marks, then also ignoring case."""
    if not quote.strip():
        return []
    literal: list[tuple[int, int]] = []
    at = text.find(quote)
    while at != -1:
        literal.append((at, at + len(quote)))
        at = text.find(quote, at + len(quote))
    if literal:
        return literal
    for ignore_case in (False, True):
        hits = find_all(text, quote, ignore_case=ignore_case)
        if hits:
            return hits
    return []
