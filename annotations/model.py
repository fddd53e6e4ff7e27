"""What a reader writes about a source: highlights, notes and dissent notes, anchored to text."""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache


class Kind(StrEnum):
    HIGHLIGHT = "highlight"
    NOTE = "note"
    DISSENT = "dissent"
    """A note that disagrees with the quoted claim."""


class Confidence(StrEnum):
    """How sure the reader is of a dissent."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


CONTEXT_CHARS = 32
"""Characters of prefix and suffix kept around a quote, as W3C text-quote selectors do."""


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    start: int
    """Offset into the source's normalised text (`Source.text`)."""
    end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation points: by quote and by position, plus the text it was made on."""

    quote: TextQuoteSelector
    position: TextPositionSelector
    fingerprint: str
    """`fingerprint(Source.text)` when the anchor was made or last re-anchored."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage of an edited source that may be an annotation's quote, for the reader to judge.

    Re-anchoring records one when it finds only something like the quote (words cut from it,
    a typo fixed) or the same words in a place whose context does not match; the stored quote
    stays as it was until the reader accepts the candidate or gives up on it.
    """

    start: int
    """Offset into the source's text as it was when the candidate was found."""
    end: int
    text: str
    """The candidate's words, as they stand in the source."""
    score: float
    """Similarity (0-100) of the candidate to the stored quote."""


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    """Sortable by creation time (see `new_annotation_id`)."""
    source: str
    """The vault-relative source id."""
    kind: Kind
    anchor: Anchor
    start: float | None = None
    """Seconds where the quote begins (from the segments it spans), when the source is timed."""
    end: float | None = None
    speaker: str | None = None
    """Set when one speaker said the whole quote."""
    note: str = ""
    """Markdown text."""
    tags: tuple[str, ...] = ()
    created: str = ""
    """UTC, ISO 8601 (`2026-11-23T10:15:00Z`)."""
    updated: str = ""
    confidence: Confidence | None = None
    """Only for dissent notes."""
    orphaned: bool = False
    """True when re-anchoring could not find the quote in the edited source; kept, never dropped."""
    candidate: Candidate | None = None
    """Set while the annotation needs review: what re-anchoring found instead of the quote."""
    searched: str = ""
    """Stands for the quote and the source text it was last looked for in without being found
    exactly (set while needs review or orphaned), so the same search is not made again; see
    `annotations.anchoring.search_stamp`."""

    def __post_init__(self) -> None:
        # Tags come typed by hand (CLI, editor, an edited file): `#a, b` is the tags a and b.
        object.__setattr__(self, "tags", normalise_tags(self.tags))

    @property
    def quote(self) -> str:
        return self.anchor.quote.exact

    @property
    def needs_review(self) -> bool:
        """True when the source changed and only a candidate (not the quote itself) was found."""
        return self.candidate is not None

    @property
    def span(self) -> tuple[int, int]:
        """Where the annotation stands in the source's current text: the candidate while it
        needs review (the anchor's offsets belong to the text before the edit), else the anchor."""
        if self.candidate is not None:
            return self.candidate.start, self.candidate.end
        return self.anchor.position.start, self.anchor.position.end


_TAG_SEPARATORS = re.compile(r"[,\s]+")


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as typed (`#reading`, `a,b`, `a, b`, ` a `) as clean words: `#` stripped, split on
    commas and white space, empty ones dropped, duplicates (ignoring case) dropped, order kept."""
    if isinstance(tags, str):
        tags = (tags,)
    clean: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        for word in _TAG_SEPARATORS.split(str(raw)):
            tag = word.lstrip("#")
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                clean.append(tag)
    return tuple(clean)


_NOTE_TAG = re.compile(r"(?<![\w#&/:])#([^\W\d_][\w/-]*|\d+[^\W\d][\w/-]*)")
"""`#word` as Obsidian reads a tag: after a space or punctuation (not in `a#b`, `&#39;` or a
link's `/#part`), not all digits (`#1` is a number), letters, digits, `_`, `-`, `/`."""


def note_tags(note: str) -> tuple[str, ...]:
    """The `#tag` words of a note (a heading's `# ` is no tag), in order, each once."""
    return normalise_tags(match.group(1).rstrip("/-") for match in _NOTE_TAG.finditer(note))


@lru_cache(maxsize=8)
def fingerprint(text: str) -> str:
    """A short content hash of a source's normalised text.

    Cached: re-anchoring compares every annotation of a source with the same long text.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def new_annotation_id(now_ms: int | None = None) -> str:
    """A ULID-like id: 10 characters of milliseconds since 1970, then 8 random ones.

    Lexical order is creation order, and the id is safe as a file name.
    """
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    stamp = "".join(_CROCKFORD[(millis >> shift) & 31] for shift in range(45, -5, -5))
    noise = int.from_bytes(os.urandom(5), "big")
    tail = "".join(_CROCKFORD[(noise >> shift) & 31] for shift in range(35, -5, -5))
    return stamp + tail


def id_time(annotation_id: str) -> int:
    """The milliseconds since 1970 an id of `new_annotation_id` begins with; 0 for another id."""
    millis = 0
    for char in annotation_id[:10].lower():
        digit = _CROCKFORD.find(char)
        if digit < 0 or len(annotation_id) < 10:
            return 0
        millis = millis * 32 + digit
    return millis


@dataclass(slots=True)
class LoadProblem:
    """An annotation file that could not be read, and why."""

    path: str
    reason: str
    conflict_of: str | None = None
    """Set when the file is a sync tool's second copy of this annotation id."""


@dataclass(slots=True)
class LoadResult:
    annotations: list[Annotation] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
