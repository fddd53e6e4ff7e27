"""Sentences of a source: the unit the reading cursor moves by.

Sentences never cross a segment. A run of words with no sentence end (auto-captions) is cut at
a space every `MAX_SENTENCE` characters or so, so the cursor never swallows a whole page.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from readmark.library.model import Source

MAX_SENTENCE = 320
"""Characters after which a sentence with no end mark is cut at a space."""

_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]* ")
"""A sentence end and the one space after it (source text has single spaces)."""
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st vs etc e.g i.e cf al approx fig no jr sr mt inc ltd co".split()
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence, as char offsets into `Source.text`."""

    index: int
    """Position in the source's list of sentences."""
    start: int
    """Offset of the first character."""
    end: int
    """Offset one past the last character (no trailing space)."""
    segment_index: int
    """The segment holding the sentence."""


class SentenceIndex:
    """All sentences of a source in compact arrays, for sources of millions of words.

    `split_sentences` returns the same sentences as objects; the reader keeps this form.
    """

    __slots__ = ("starts", "ends", "segments", "first_of_segment")

    def __init__(self) -> None:
        self.starts = array("q")
        """Start offset of each sentence."""
        self.ends = array("q")
        """End offset of each sentence."""
        self.segments = array("q")
        """Segment index of each sentence."""
        self.first_of_segment = array("q")
        """For each segment, the index of its first sentence."""

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> Sentence:
        if index < 0:
            index += len(self.starts)
        return Sentence(index, self.starts[index], self.ends[index], self.segments[index])

    def __iter__(self) -> Iterator[Sentence]:
        return (self[i] for i in range(len(self.starts)))

    def index_at(self, offset: int) -> int:
        """The sentence holding char `offset`; between sentences, the next one (or the last)."""
        if not self.starts:
            return 0
        i = bisect.bisect_right(self.ends, offset)
        if i < len(self.starts) and offset >= self.starts[i]:
            return i
        # `offset` is on a space or separator: the sentence it ends, when exactly at its end.
        if i > 0 and offset == self.ends[i - 1]:
            return i - 1
        return min(i, len(self.starts) - 1)


def index_sentences(source: Source) -> SentenceIndex:
    """Split every segment of `source` into sentences (compact form)."""
    index = SentenceIndex()
    starts, ends, segments = index.starts, index.ends, index.segments
    # One flat loop: this runs once per sentence of sources with millions of words.
    for segment in source.segments:
        index.first_of_segment.append(len(starts))
        text, base, number = segment.text, segment.char_start, segment.index
        start = 0
        for match in _END.finditer(text):
            end = match.end() - 1
            if text[end + 1 : end + 2].islower():
                continue
            if text[match.start()] == "." and _is_abbreviation(text, match.start()):
                continue
            if end - start > MAX_SENTENCE:
                for a, b in _cut_long(text, start, end):
                    starts.append(base + a)
                    ends.append(base + b)
                    segments.append(number)
            else:
                starts.append(base + start)
                ends.append(base + end)
                segments.append(number)
            start = end + 1
        if start < len(text):
            for a, b in _cut_long(text, start, len(text)):
                starts.append(base + a)
                ends.append(base + b)
                segments.append(number)
    return index


def split_sentences(source: Source) -> list[Sentence]:
    """The sentences of `source`, in order; none crosses a segment."""
    return list(index_sentences(source))


def _is_abbreviation(text: str, mark: int) -> bool:
    """Whether the word before the full stop at `mark` is an initial or a known abbreviation."""
    word_start = text.rfind(" ", 0, mark) + 1
    word = text[word_start:mark].lower().lstrip("\"'(\u201c\u2018[")
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a sentence with no end mark at spaces into pieces of about `MAX_SENTENCE`."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        if cut <= start:
            break
        yield start, cut
        start = cut + 1
    yield start, end
