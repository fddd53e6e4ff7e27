"""A primary source (a transcript) made ready for checking quotations against it.

Each primary's words are split, cleaned and indexed once (`prepare`), and kept in memory by
the source's fingerprint, so checking a hundred quotations reads a long transcript once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from readmark.annotations.model import fingerprint
from readmark.annotations.quote_check.timing import last_time
from readmark.annotations.quote_check.tokens import Dropped, Words, split_words
from readmark.library.model import Role, Segment, Source

COVERED_SHARE = 0.9
"""A transcript whose last time is below this share of the episode's duration covers part of
it only."""
MIN_MISSING_SECONDS = 120.0
"""...and only when at least this much is missing (a closing jingle is not a missing part)."""
CACHE_SIZE = 16
"""Primaries kept prepared in memory."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of the episode a transcript's times reach."""

    last: float | None
    """The latest time the transcript gives."""
    duration: float | None
    """The episode's length from the source's metadata."""

    @property
    def partial(self) -> bool:
        if self.last is None or not self.duration:
            return False
        missing = self.duration - self.last
        return self.last < self.duration * COVERED_SHARE and missing >= MIN_MISSING_SECONDS


@dataclass(frozen=True, slots=True, eq=False)
class Primary:
    """A transcript's spoken words, indexed for finding a quotation among them."""

    source: Source
    words: Words
    """Every spoken word (headings, descriptions and quoted passages are not speech)."""
    where: dict[str, list[int]]
    """Each word form to its places in `words`, in order."""
    kept: list[int]
    """The places in `words` of the words clean verbatim keeps."""
    clean: list[str]
    """The word forms of the kept words (`clean[i]` is `words.norms[kept[i]]`)."""
    clean_where: dict[str, list[int]]
    """Each word form to its places in `clean`, in order."""
    coverage: Coverage


def is_spoken(segment: Segment) -> bool:
    """Whether a segment is speech: timed or given to a speaker, and not a heading or a quote."""
    if segment.role in (Role.HEADING, Role.QUOTE):
        return False
    return segment.start is not None or segment.speaker is not None


def is_primary(source: Source) -> bool:
    """Whether a source can be checked against: a timed or speaker-turn transcript."""
    return source.error is None and any(is_spoken(s) for s in source.segments)


def choose_primaries(
    sources: Iterable[Source], against: Sequence[str] = (), *, checking: str | None = None
) -> list[Source]:
    """The primaries to check a source (id `checking`) against: those named in `against`, in
    that order; else every timed or speaker-turn source but the one checked."""
    if against:
        by_id = {s.id: s for s in sources}
        return [by_id[i] for i in against if i in by_id]
    return [s for s in sources if s.id != checking and is_primary(s)]


_CACHE: OrderedDict[tuple[str, str, str, float | None], Primary] = OrderedDict()
_CACHE_LOCK = threading.Lock()
"""Checks may run in worker threads; the cache is shared by all of them."""


def prepare(source: Source) -> Primary:
    """`source` indexed for checking; the same text is indexed once per process."""
    key = _key(source)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            if cached.source is not source:
                # The same words, times and speakers; its title or URL may have been edited.
                cached = _CACHE[key] = replace(cached, source=source)
            _CACHE.move_to_end(key)
            return cached
    primary = _index(source)
    with _CACHE_LOCK:
        _CACHE[key] = primary
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return primary


def _key(source: Source) -> tuple[str, str, str, float | None]:
    """What a prepared primary is made from: the text, its segments (places, times, speakers,
    roles) and the duration its coverage is measured against, which front matter alone sets."""
    layout = "\n".join(
        f"{s.char_start},{s.char_end},{s.start},{s.end},{s.role},{s.speaker}"
        for s in source.segments
    )
    return (source.id, fingerprint(source.text), fingerprint(layout), source.duration)


def forget_prepared() -> None:
    """Drop every prepared primary (a benchmark's cold start; memory back)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _index(source: Source) -> Primary:
    spans: list[tuple[int, int]] = []
    breaks: list[int] = []
    previous: Segment | None = None
    for segment in source.segments:
        if not is_spoken(segment):
            previous = None
            continue
        if previous is None or previous.speaker != segment.speaker:
            breaks.append(segment.char_start)
        spans.append((segment.char_start, segment.char_end))
        previous = segment
    words = split_words(source.text, spans, breaks=breaks)
    where: dict[str, list[int]] = {}
    for i, form in enumerate(words.norms):
        where.setdefault(form, []).append(i)
    kept = [i for i, why in enumerate(words.dropped) if why is Dropped.KEPT]
    clean = [words.norms[i] for i in kept]
    clean_where: dict[str, list[int]] = {}
    for i, form in enumerate(clean):
        clean_where.setdefault(form, []).append(i)
    coverage = Coverage(last_time(source), source.duration)
    return Primary(source, words, where, kept, clean, clean_where, coverage)
