"""Making anchors on a source's text, and finding them again after the source changed.

Re-anchoring tries, in order: the exact quote where it was; the exact quote (or the same quote
with other spacing, quote marks or case) anywhere, choosing by context, then time, then offset;
a fuzzy match near the old place (forgiving a few words cut from inside the quote), then
anywhere; and otherwise marks the annotation orphaned.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from rapidfuzz import fuzz, process

from annotations.model import (
    CONTEXT_CHARS,
    Anchor,
    Annotation,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
    fingerprint,
    new_annotation_id,
    utc_now,
)
from annotations.quote_match import FoldedText, find_all, find_candidates, fold, fold_quote
from library.model import Segment, Source

FUZZY_THRESHOLD = 85.0
"""Least similarity (0-100) for a fuzzy match anywhere in the text to count as the quote."""

NEAR_FUZZY_THRESHOLD = 75.0
"""Least similarity near the quote's old time or place: a corrected source may drop a few
words from inside the quote, and most of it still standing there is the same passage."""

MIN_NEAR_FUZZY_LENGTH = 20
"""Quotes shorter than this need `FUZZY_THRESHOLD` even near their old place."""

CONTEXT_TIE = 0.1
"""Candidates whose context scores are within this of the best are judged by time and place."""

MIN_FUZZY_LENGTH = 4
"""Quotes shorter than this are never matched fuzzily: too many places look alike."""


class ReanchorStatus(StrEnum):
    UNCHANGED = "unchanged"
    """The same quote stands at the same offsets."""
    MOVED = "moved"
    """The quote stands elsewhere, or with other spacing, quote marks or case."""
    FUZZY = "fuzzy"
    """A similar passage was found; the quote became that passage's text."""
    ORPHANED = "orphaned"
    """Nothing close enough was found; the annotation is kept as it was, flagged orphaned."""


@dataclass(frozen=True, slots=True)
class ReanchorResult:
    status: ReanchorStatus
    annotation: Annotation
    """The annotation anchored on the new text (or flagged orphaned)."""
    score: float = 100.0
    """Similarity (0-100) of the anchored text to the old quote; 0 when orphaned."""


def anchor_span(source: Source, start: int, end: int) -> Anchor:
    """An anchor on `source.text[start:end]`, with its context and the text's fingerprint."""
    text = source.text
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}:{end} is not inside the text of {source.id}")
    return Anchor(
        quote=TextQuoteSelector(
            exact=text[start:end],
            prefix=text[max(start - CONTEXT_CHARS, 0) : start],
            suffix=text[end : end + CONTEXT_CHARS],
        ),
        position=TextPositionSelector(start, end),
        fingerprint=fingerprint(text),
    )


def find_quote(source: Source, quote: str) -> tuple[int, int] | None:
    """Offsets in `source.text` of the place `quote` stands: the first place where it is said
    on the source's timeline, else the first place at all.

    Pages often repeat a line of the transcript in a list of key quotes or a heading, with no
    time; the timed place is the one a citation can link to. Literal first; then forgiving
    white space, curly/straight quote marks, dashes and ellipses; then also ignoring case.
    """
    hits = find_candidates(source.text, quote)
    if not hits:
        return None
    for start, end in hits[:_TIMED_LOOKUPS]:
        if span_metadata(source, start, end)[0] is not None:
            return start, end
    return hits[0]


_TIMED_LOOKUPS = 200
"""How many places of a very common quote are checked for a time before the first is taken."""


def segments_spanned(source: Source, start: int, end: int) -> list[Segment]:
    """The segments that hold some of `source.text[start:end]`."""
    segments = source.segments
    ends = [s.char_end for s in segments]
    first = bisect.bisect_right(ends, start)
    found: list[Segment] = []
    for segment in segments[first:]:
        if segment.char_start >= end:
            break
        found.append(segment)
    return found


def span_metadata(
    source: Source, start: int, end: int
) -> tuple[float | None, float | None, str | None]:
    """Start and end seconds and the speaker of a span, from the segments it covers.

    The start is the first timed segment's start, the end the last one's end (its start when it
    has none): the times the file gives, never a guess inside a segment, so a citation's link
    lands at or before the quote. The speaker is given only when one speaker said the whole span.
    """
    covered = segments_spanned(source, start, end)
    timed = [s for s in covered if s.start is not None]
    begin = finish = None
    if timed:
        last = timed[-1]
        begin, finish = timed[0].start, last.end if last.end is not None else last.start
    speakers = {s.speaker for s in covered}
    speaker = speakers.pop() if len(speakers) == 1 else None
    return begin, finish, speaker


def new_annotation(
    source: Source,
    start: int,
    end: int,
    kind: Kind,
    note: str = "",
    tags: Iterable[str] = (),
    confidence: Confidence | None = None,
) -> Annotation:
    """A fresh annotation on `source.text[start:end]`, timed and attributed from the segments."""
    begin, finish, speaker = span_metadata(source, start, end)
    now = utc_now()
    return Annotation(
        id=new_annotation_id(),
        source=source.id,
        kind=kind,
        anchor=anchor_span(source, start, end),
        start=begin,
        end=finish,
        speaker=speaker,
        note=note,
        tags=tuple(tags),
        created=now,
        updated=now,
        confidence=confidence,
    )


def relocate(annotation: Annotation, source: Source, start: int, end: int) -> Annotation:
    """`annotation` anchored on `source.text[start:end]`: new quote, context, times and speaker.

    The note, tags, kind and dates are kept.
    """
    begin, finish, speaker = span_metadata(source, start, end)
    return replace(
        annotation,
        source=source.id,
        anchor=anchor_span(source, start, end),
        start=begin,
        end=finish,
        speaker=speaker,
        orphaned=False,
    )


def reanchor(annotation: Annotation, source: Source) -> ReanchorResult:
    """Find `annotation`'s quote in `source` (whose text may have changed) and anchor it there.

    Whatever the status, a found annotation's times and speaker are read again from the
    segments, so a source whose timestamps were regenerated is followed too. An orphaned
    annotation keeps its old anchor, so a later call can still find it if the text returns.
    """
    old = annotation.anchor
    exact = old.quote.exact
    position = old.position
    text = source.text
    if text[position.start : position.end] == exact and old.fingerprint == fingerprint(text):
        # Same text; times and speakers may still have been regenerated, so read them again.
        same_place = relocate(annotation, source, position.start, position.end)
        return ReanchorResult(ReanchorStatus.UNCHANGED, same_place)

    candidates = _literal_hits(text, exact)
    if not candidates:
        candidates = find_all(text, exact) or find_all(text, exact, ignore_case=True)
    if candidates:
        start, end = _best_candidate(annotation, source, candidates)
        same = (start, end) == (position.start, position.end) and text[start:end] == exact
        status = ReanchorStatus.UNCHANGED if same else ReanchorStatus.MOVED
        return ReanchorResult(status, relocate(annotation, source, start, end))

    fuzzy = _fuzzy_find(annotation, source)
    if fuzzy is not None:
        (start, end), score = fuzzy
        return ReanchorResult(ReanchorStatus.FUZZY, relocate(annotation, source, start, end), score)
    return ReanchorResult(ReanchorStatus.ORPHANED, replace(annotation, orphaned=True), 0.0)


def _literal_hits(text: str, quote: str) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    if not quote:
        return hits
    at = text.find(quote)
    while at != -1:
        hits.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return hits


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around a candidate matches the stored prefix and suffix (0-1)."""
    total = 0.0
    weight = 0
    want_before = fold_quote(prefix)
    if want_before:
        slack = len(prefix) + 16  # room for white space the fold will collapse
        have = fold_quote(text[max(start - slack, 0) : start])[-len(want_before) :]
        total += fuzz.ratio(want_before, have) * len(want_before)
        weight += len(want_before)
    want_after = fold_quote(suffix)
    if want_after:
        have = fold_quote(text[end : end + len(suffix) + 16])[: len(want_after)]
        total += fuzz.ratio(want_after, have) * len(want_after)
        weight += len(want_after)
    return total / weight / 100 if weight else 1.0


def _time_distance(
    annotation: Annotation, source: Source, ends: list[int], start: int, end: int
) -> float:
    """Seconds between the annotation's old start and the candidate's first timed segment."""
    if annotation.start is None:
        return math.inf
    first = bisect.bisect_right(ends, start)
    for segment in source.segments[first:]:
        if segment.char_start >= end:
            break
        if segment.start is not None:
            return abs(segment.start - annotation.start)
    return math.inf


def _best_candidate(
    annotation: Annotation, source: Source, candidates: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """The candidate with the best context; among near-ties, the nearest in time, then offset."""
    if len(candidates) == 1:
        return candidates[0]
    quote = annotation.anchor.quote
    scores = [_context_score(source.text, s, e, quote.prefix, quote.suffix) for s, e in candidates]
    best = max(scores)
    tied = [c for c, score in zip(candidates, scores, strict=True) if score >= best - CONTEXT_TIE]
    old = annotation.anchor.position.start
    ends = [segment.char_end for segment in source.segments]  # once, not per candidate
    return min(
        tied,
        key=lambda c: (_time_distance(annotation, source, ends, *c), abs(c[0] - old)),
    )


def _fuzzy_find(annotation: Annotation, source: Source) -> tuple[tuple[int, int], float] | None:
    """The passage most like the quote, near the old time and offset first, then anywhere."""
    needle = fold_quote(annotation.quote).lower()
    if len(needle) < MIN_FUZZY_LENGTH:
        return None
    folded = fold(source.text)
    haystack = folded.lower
    near = NEAR_FUZZY_THRESHOLD if len(needle) >= MIN_NEAR_FUZZY_LENGTH else FUZZY_THRESHOLD
    cuts = _cut_edges(annotation)
    found: list[tuple[tuple[int, int], float]] = []
    for center in _search_centers(annotation, source, folded):
        radius = max(4 * len(needle), 1500)
        lo = max(center - radius, 0)
        hi = min(center + radius + len(needle), len(haystack))
        hit = _align(needle, haystack, lo, hi, cuts, near)
        if hit is not None:
            found.append(hit)
    threshold = near
    if not found:
        found = _coarse_scan(needle, haystack, cuts)
        threshold = FUZZY_THRESHOLD
    if not found:
        return None
    old = folded.folded_offset(annotation.anchor.position.start)
    (a, b), score = max(found, key=lambda f: (f[1], -abs(f[0][0] - old)))
    start, end = _trim_space(source.text, *folded.original_span(a, b))
    if PARAGRAPH_BREAK in source.text[start:end] and PARAGRAPH_BREAK not in annotation.quote:
        # Words cut from the quote's end let the match run on into the next paragraph.
        start, end, score = _best_paragraph(needle, source.text, start, end, threshold, score)
    return (start, end), score


def _cut_edges(annotation: Annotation) -> tuple[bool, bool]:
    """Whether the reader's own quote began and ended inside a word (then a match may too)."""
    selector = annotation.anchor.quote
    text = f"{selector.prefix}{selector.exact}{selector.suffix}"
    at = len(selector.prefix)
    return _inside_word(text, at), _inside_word(text, at + len(selector.exact))


_JOINERS = "-'’"
"""Characters that join two words into one (`air-conditioning`, `don't`)."""


def _in_word(text: str, i: int) -> bool:
    """Whether character `i` belongs to a word: a letter or digit, or a joiner between two."""
    if not 0 <= i < len(text):
        return False
    char = text[i]
    if char.isalnum():
        return True
    return (
        char in _JOINERS
        and 0 < i < len(text) - 1
        and text[i - 1].isalnum()
        and (text[i + 1].isalnum())
    )


def _inside_word(text: str, at: int) -> bool:
    """Whether offset `at` falls between two characters of one word."""
    return _in_word(text, at - 1) and _in_word(text, at)


PARAGRAPH_BREAK = "\n\n"


def _trim_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _best_paragraph(
    needle: str, text: str, start: int, end: int, threshold: float, score: float
) -> tuple[int, int, float]:
    """The part of `text[start:end]` within one paragraph most like the needle, if it is good
    enough by itself; else the span as it was (a quote may have been reflowed across two)."""
    best = (start, end, score)
    best_part_score = -1.0
    at = start
    for part in text[start:end].split(PARAGRAPH_BREAK):
        a, b = _trim_space(text, at, at + len(part))
        at += len(part) + len(PARAGRAPH_BREAK)
        if a == b:
            continue
        part_score = fuzz.ratio(needle, fold_quote(text[a:b]).lower())
        if part_score >= threshold and part_score > best_part_score:
            best, best_part_score = (a, b, part_score), part_score
    return best


def _search_centers(annotation: Annotation, source: Source, folded: FoldedText) -> list[int]:
    """Folded offsets to search around: where the old time now falls, and the old offset."""
    centers: list[int] = []
    if annotation.start is not None:
        segment = source.segment_at(annotation.start)
        if segment is not None:
            centers.append(folded.folded_offset(segment.char_start))
    old = folded.folded_offset(annotation.anchor.position.start)
    if all(abs(old - c) > 500 for c in centers):
        centers.append(old)
    return centers


def _align(
    needle: str,
    haystack: str,
    lo: int,
    hi: int,
    cuts: tuple[bool, bool],
    threshold: float = FUZZY_THRESHOLD,
) -> tuple[tuple[int, int], float] | None:
    """The best match of `needle` inside `haystack[lo:hi]`, edges tuned, if above threshold."""
    window = haystack[lo:hi]
    if not window:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, window, score_cutoff=threshold - 10)
    if alignment is None:
        return None
    a, b = _tune_edges(needle, haystack, lo + alignment.dest_start, lo + alignment.dest_end)
    a, b = _snap_to_words(needle, haystack, a, b, cuts)
    score = fuzz.ratio(needle, haystack[a:b])
    return ((a, b), score) if score >= threshold else None


def _tune_edges(needle: str, haystack: str, a: int, b: int) -> tuple[int, int]:
    """Nudge both ends so the span is as like the needle as can be (partial alignment keeps
    the needle's length, which cuts a word short when an edit changed the length)."""
    reach = min(max(3, len(needle) // 10), 24)
    if not 0 <= a < b <= len(haystack):
        return a, b
    for _ in range(2):
        b = max(
            range(max(a + 1, b - reach), min(b + reach, len(haystack)) + 1),
            key=lambda e: (fuzz.ratio(needle, haystack[a:e]), -abs(e - b)),
        )
        a = max(
            range(max(a - reach, 0), min(a + reach, b - 1) + 1),
            key=lambda s: (fuzz.ratio(needle, haystack[s:b]), -abs(s - a)),
        )
    return a, b


WORD_REACH = 40
"""Farthest an edge moves to the start or end of the word it cuts (bounds a run-on "word")."""


def _snap_to_words(
    needle: str, haystack: str, a: int, b: int, cuts: tuple[bool, bool]
) -> tuple[int, int]:
    """Widen or narrow an end that cuts a word (`air-condition|ing`, `Monda|y the`) to whole
    words, whichever reads more like the needle: a citation must never put half a word in
    someone's mouth. An end the reader's own quote cut (`cuts`) may stay where it is.

    Edge tuning has a short reach, so after many cut words it can stop inside a word.
    """
    starts, ends = [a], [b]
    if not cuts[0] and _inside_word(haystack, a):
        before = _word_edge(haystack, a, -1)
        after = _word_edge(haystack, a, +1)
        while after < b and not _in_word(haystack, after):
            after += 1
        starts = [before] + ([after] if after < b else [])
    if not cuts[1] and _inside_word(haystack, b):
        beyond = _word_edge(haystack, b, +1)
        back = _word_edge(haystack, b, -1)
        while back > a and not _in_word(haystack, back - 1):
            back -= 1
        ends = [beyond] + ([back] if back > a else [])
    spans = [(s, e) for s in starts for e in ends if s < e]
    if not spans:
        return a, b
    return max(spans, key=lambda p: fuzz.ratio(needle, haystack[p[0] : p[1]]))


def _word_edge(text: str, at: int, step: int) -> int:
    """Where the word that offset `at` cuts begins (`step` -1) or ends (+1), within reach."""
    limit = WORD_REACH
    if step < 0:
        while limit and _in_word(text, at - 1):
            at, limit = at - 1, limit - 1
    else:
        while limit and _in_word(text, at):
            at, limit = at + 1, limit - 1
    return at


def _coarse_scan(
    needle: str, haystack: str, cuts: tuple[bool, bool]
) -> list[tuple[tuple[int, int], float]]:
    """Rank needle-sized windows over the whole text cheaply, then align around the best few."""
    size = len(needle)
    step = max(size // 4, 1)
    starts = range(0, max(len(haystack) - size, 0) + 1, step)
    windows = [haystack[s : s + size] for s in starts]
    best = process.extract(needle, windows, scorer=fuzz.ratio, limit=5, score_cutoff=50)
    found: list[tuple[tuple[int, int], float]] = []
    for _, _, index in best:
        at = starts[index]
        hit = _align(needle, haystack, max(at - size, 0), min(at + 2 * size, len(haystack)), cuts)
        if hit is not None:
            found.append(hit)
    return found
