"""Opening a source in the reader: a large file's head is shown while the whole is read.

The screen's open worker asks `first_page` for the head, shows it, and reads the whole file; the
header says how long that has taken (`status`) until the complete source replaces the head. A
place the reader moved to in the head is followed into the whole (`place_in_whole`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from readmark.annotations.reading import follow_span
from readmark.library.errors import SourceError
from readmark.library.model import Source
from readmark.library.sentences import SentenceIndex, index_sentences
from readmark.library.vault import Vault


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The head of a file, ready to show (its sentences found in the worker)."""

    source: Source
    sentences: SentenceIndex
    offset: int


@dataclass(frozen=True, slots=True)
class Reading:
    """A file being read in the background since `began` (monotonic seconds)."""

    source_id: str
    size: int
    began: float

    def status(self) -> str:
        seconds = int(time.monotonic() - self.began)
        return f"reading {self.size / 1_000_000:.0f} MB… {seconds} s"


def first_page(vault: Vault, source_id: str, offset: int) -> FirstPage | None:
    """The head of `source_id` when it holds `offset` (else it would show the wrong place)."""
    try:
        head = vault.first_page(source_id)
    except SourceError:
        return None
    if head is None or offset >= head.segments[-1].char_start:
        return None  # the head's last segment may be cut short: no place in it is sure
    return FirstPage(head, index_sentences(head), offset)


def place_in_whole(head: Source, start: int, end: int, whole: Source) -> int:
    """Where the words at `start:end` of the head stand in the whole source: the same offset
    when the segment holding them reads the same in both, else found by their words."""
    in_head = head.segment_at_offset(start)
    in_whole = whole.segment_at_offset(start)
    if (
        in_head is not None
        and in_whole is not None
        and in_head.char_start == in_whole.char_start
        and in_head.text == in_whole.text
    ):
        return start
    return follow_span(head, start, end, whole)
