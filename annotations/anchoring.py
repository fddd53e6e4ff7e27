"""Making anchors on a source's text, and finding them again after the source changed.

Re-anchoring tries, in order: the exact quote where it was; the exact quote (or the same quote
with other spacing, quote marks or case) anywhere, choosing by context, then time, then offset;
a fuzzy match near the old place (forgiving a few words cut from inside the quote), then
anywhere; and otherwise marks the annotation orphaned.

Only the same words move an annotation by themselves, and only where the reader can trust the
place: the old offsets, matching context, or the one place the words stand. Anything else (a
fuzzy match, or the same words in a place whose context differs) is recorded as a candidate and
the annotation *needs review*: its quote and anchor stay as they were until the reader accepts
the candidate or gives up on it (see `annotations.review`). A fuzzy match that adds or drops a
negation or says other content words is no candidate at all (see `annotations.wording`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from readmark.annotations.model import (
    CONTEXT_CHARS,
    Anchor,
    Annotation,
    Candidate,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
    fingerprint,
    new_annotation_id,
    utc_now,
)
from readmark.annotations.quote_match import FoldedText, find_all, find_candidates, fold, fold_quote
from readmark.annotations.wording import foreign_edges, refusal
from readmark.library.lazy_import import LazyModule
from readmark.library.model import Role, Segment, Source

# Fuzzy matching runs only when a quote is not found as written: not worth loading at start.
fuzz = LazyModule("rapidfuzz.fuzz")
process = LazyModule("rapidfuzz.process")

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

CONTEXT_MATCH = 0.75
"""Least similarity (0-1) of the text on one side of an exact hit to the stored prefix or
suffix for the hit to be the quote's own place; an edit or a shuffle rarely changes both."""

DISTINCT_LENGTH = 20
"""Quotes at least this long that stand in one place only are taken there whatever the context
(a paragraph quoted whole has new neighbours after a shuffle, but is still itself)."""


class ReanchorStatus(StrEnum):
    UNCHANGED = "unchanged"
    """The same quote stands at the same offsets."""
    MOVED = "moved"
    """The quote stands elsewhere (where its context matches, or in one place only), or with
    other spacing, quote marks or case."""
    NEEDS_REVIEW = "needs_review"
    """Only a candidate was found: a passage like the quote, or the same words where the context
    does not match. The quote and anchor are kept; the candidate waits for the reader."""
    ORPHANED = "orphaned"
    """Nothing close enough was found; the annotation is kept as it was, flagged orphaned."""


@dataclass(frozen=True, slots=True)
class ReanchorResult:
    status: ReanchorStatus
    annotation: Annotation
    """The annotation anchored on the new text, or with a candidate to review, or orphaned."""
    score: float = 100.0
    """Similarity (0-100) to the old quote of the anchored text or candidate; 0 when orphaned."""


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


def find_quote(source: Source, quote: str, *also: str) -> tuple[int, int] | None:
    """Offsets in `source.text` of the place `quote` (or one of `also`, the same words written
    otherwise) stands: where a speaker says it at a time the file gives, else where it has a
    time, else the first place.

    Pages often repeat a line of the transcript in a list of key quotes or a heading, with no
    time or speaker, often inside quotation marks; the speaker's timed turn is the place a
    citation can link to. Literal first; then forgiving white space, curly/straight quote
    marks, dashes and ellipses; then also ignoring case.
    """
    hits = find_candidates(source.text, quote)
    for other in also:
        if other and other != quote:
            hits.extend(hit for hit in find_candidates(source.text, other) if hit not in hits)
    if not hits:
        return None
    best, best_score = hits[0], -1
    for start, end in hits[:_TIMED_LOOKUPS]:
        begin, _, speaker = span_metadata(source, start, end)
        score = (begin is not None) + 2 * (begin is not None and speaker is not None)
        if score > best_score:
            best, best_score = (start, end), score
            if score == _SAID_AND_TIMED:
                break
    return best


_TIMED_LOOKUPS = 200
"""How many places of a very common quote are checked for a time before the first is taken."""
_SAID_AND_TIMED = 3


def segments_spanned(source: Source, start: int, end: int) -> list[Segment]:
    """The segments that hold some of `source.text[start:end]`."""
    segments = source.segments
    first = bisect.bisect_right(segments, start, key=_char_end)
    found: list[Segment] = []
    for segment in segments[first:]:
        if segment.char_start >= end:
            break
        found.append(segment)
    return found


def _char_end(segment: Segment) -> int:
    return segment.char_end


def span_metadata(
    source: Source, start: int, end: int
) -> tuple[float | None, float | None, str | None]:
    """Start and end seconds and the speaker of a span, from the times the file gives.

    The start is the time of the last mark at or before the span's first character (the line
    where the words begin is said then: a citation's link lands there, never later); the end is
    where the line holding its last character ends: the next time the file gives after it in
    that segment, else the segment's end (its last time when it has none). Never an estimate.
    The speaker is given only when one speaker said the whole span.
    """
    covered = segments_spanned(source, start, end)
    begin = source.time_given_at(start)
    finish = None
    if begin is not None and covered:
        finish = max(_line_end(source, covered[-1], max(end - 1, start)) or begin, begin)
    speakers = {s.speaker for s in covered}
    speaker = speakers.pop() if len(speakers) == 1 else None
    return begin, finish, speaker


def _line_end(source: Source, segment: Segment, offset: int) -> float | None:
    """When the line holding character `offset` (inside `segment`) is over, by the file: the
    next time it gives in the segment; a caption's own end; the next time it gives at all."""
    within = offset - segment.char_start
    later = [m.time for m in segment.marks if m.offset > within]
    if later:
        return later[0]
    if segment.role is Role.CUE and segment.end is not None:
        return segment.end
    given = source.given_times
    following = given.index_at(offset) + 1
    if following < len(given):
        return given.times[following]
    if segment.marks and segment.end is not None:
        return segment.end
    return source.time_given_at(offset)


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

    The note, tags, kind and dates are kept; a candidate under review and the orphaned flag go.
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
        candidate=None,
        searched="",
    )


def search_stamp(quote: str, text_fingerprint: str) -> str:
    """What `Annotation.searched` holds: the quote and the source text it was looked for in.

    A quote that needs review or is orphaned is not searched for again in the same text, unless
    the reader edits the quote (then the stamp differs).
    """
    return fingerprint(f"{text_fingerprint}\n{quote}")


def reanchor(annotation: Annotation, source: Source) -> ReanchorResult:
    """Find `annotation`'s quote in `source` (whose text may have changed) and anchor it there.

    Whatever the status, a found annotation's times and speaker are read again from the
    segments, so a source whose timestamps were regenerated is followed too. An annotation that
    needs review or is orphaned keeps its old anchor, so a later call can still find it if the
    text returns; it is not searched for again in a text it was already searched in.
    """
    old = annotation.anchor
    exact = old.quote.exact
    position = old.position
    text = source.text
    current = fingerprint(text)
    if text[position.start : position.end] == exact and old.fingerprint == current:
        # Same text; times and speakers may still have been regenerated, so read them again.
        same_place = relocate(annotation, source, position.start, position.end)
        return ReanchorResult(ReanchorStatus.UNCHANGED, same_place)
    stamp = search_stamp(exact, current)
    if annotation.searched == stamp and (annotation.candidate or annotation.orphaned):
        return _as_decided(annotation)

    candidates = _literal_hits(text, exact)
    if not candidates:
        candidates = find_all(text, exact) or find_all(text, exact, ignore_case=True)
    if candidates:
        start, end = _best_candidate(annotation, source, candidates)
        same = (start, end) == (position.start, position.end) and text[start:end] == exact
        if same:
            return ReanchorResult(
                ReanchorStatus.UNCHANGED, relocate(annotation, source, start, end)
            )
        if _trusted_place(annotation, source, candidates, (start, end), current):
            return ReanchorResult(ReanchorStatus.MOVED, relocate(annotation, source, start, end))
        return _for_review(annotation, source, start, end, 100.0, stamp)

    for (start, end), score in _fuzzy_candidates(annotation, source):
        if start < end and refusal(exact, text[start:end]) is None:
            return _for_review(annotation, source, start, end, score, stamp)
    orphan = replace(annotation, orphaned=True, candidate=None, searched=stamp)
    return ReanchorResult(ReanchorStatus.ORPHANED, orphan, 0.0)


def _as_decided(annotation: Annotation) -> ReanchorResult:
    """The result already recorded on an annotation searched for in this very text."""
    if annotation.candidate is not None:
        candidate = annotation.candidate
        return ReanchorResult(ReanchorStatus.NEEDS_REVIEW, annotation, candidate.score)
    return ReanchorResult(ReanchorStatus.ORPHANED, annotation, 0.0)


def _for_review(
    annotation: Annotation, source: Source, start: int, end: int, score: float, stamp: str
) -> ReanchorResult:
    """`annotation` as it was, with `source.text[start:end]` as the candidate to review."""
    candidate = Candidate(start, end, source.text[start:end], round(score, 1))
    held = replace(annotation, orphaned=False, candidate=candidate, searched=stamp)
    return ReanchorResult(ReanchorStatus.NEEDS_REVIEW, held, candidate.score)


def _trusted_place(
    annotation: Annotation,
    source: Source,
    hits: Sequence[tuple[int, int]],
    chosen: tuple[int, int],
    current: str,
) -> bool:
    """Whether the same words at `chosen` (not the old offsets) are surely the quote's place."""
    if annotation.anchor.fingerprint == current:
        return True  # the source is as it was: the reader edited the quote, and chose the words
    quote = annotation.anchor.quote
    sides = _context_sides(source.text, *chosen, quote.prefix, quote.suffix)
    if all(side is None for side in sides):
        return True  # the quote was the whole text: nothing around it to compare
    if any(side is not None and side >= CONTEXT_MATCH for side in sides):
        return True
    return len(hits) == 1 and len(fold_quote(quote.exact)) >= DISTINCT_LENGTH


def _literal_hits(text: str, quote: str) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    if not quote:
        return hits
    at = text.find(quote)
    while at != -1:
        hits.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return hits


def _context_sides(
    text: str, start: int, end: int, prefix: str, suffix: str
) -> tuple[float | None, float | None]:
    """How well the text before and after a candidate matches the stored prefix and suffix
    (0-1 each; None for a side with nothing stored)."""
    before = after = None
    want_before = fold_quote(prefix)
    if want_before:
        slack = len(prefix) + 16  # room for white space the fold will collapse
        have = fold_quote(text[max(start - slack, 0) : start])[-len(want_before) :]
        before = fuzz.ratio(want_before, have) / 100
    want_after = fold_quote(suffix)
    if want_after:
        have = fold_quote(text[end : end + len(suffix) + 16])[: len(want_after)]
        after = fuzz.ratio(want_after, have) / 100
    return before, after


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around a candidate matches the stored prefix and suffix (0-1)."""
    before, after = _context_sides(text, start, end, prefix, suffix)
    total = 0.0
    weight = 0
    for side, stored in ((before, prefix), (after, suffix)):
        if side is not None:
            size = len(fold_quote(stored))
            total += side * size
            weight += size
    return total / weight if weight else 1.0


def _time_distance(annotation: Annotation, source: Source, start: int) -> float:
    """Seconds between the annotation's old start and the time a citation of the candidate
    would start at."""
    if annotation.start is None:
        return math.inf
    begin = source.time_given_at(start)
    return math.inf if begin is None else abs(begin - annotation.start)


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
    return min(tied, key=lambda c: (_time_distance(annotation, source, c[0]), abs(c[0] - old)))


def _fuzzy_candidates(
    annotation: Annotation, source: Source
) -> Iterator[tuple[tuple[int, int], float]]:
    """Passages most like the quote, best first: near the old time and offset, then anywhere
    (reached only when every passage near was refused)."""
    needle = fold_quote(annotation.quote).lower()
    if len(needle) < MIN_FUZZY_LENGTH:
        return
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
    old = folded.folded_offset(annotation.anchor.position.start)
    yield from _ranked(needle, source.text, folded, found, old, near, annotation.quote)
    anywhere = _coarse_scan(needle, haystack, cuts)
    yield from _ranked(
        needle, source.text, folded, anywhere, old, FUZZY_THRESHOLD, annotation.quote
    )


def _ranked(
    needle: str,
    text: str,
    folded: FoldedText,
    found: list[tuple[tuple[int, int], float]],
    old: int,
    threshold: float,
    quote: str,
) -> Iterator[tuple[tuple[int, int], float]]:
    """Folded matches as spans of the original text, best score first, nearest on a tie."""
    for (a, b), score in sorted(found, key=lambda f: (-f[1], abs(f[0][0] - old))):
        start, end = _trim_space(text, *folded.original_span(a, b))
        if PARAGRAPH_BREAK in text[start:end] and PARAGRAPH_BREAK not in quote:
            # Words cut from the quote's end let the match run on into the next paragraph.
            start, end, score = _best_paragraph(needle, text, start, end, threshold, score)
        head, tail = foreign_edges(quote, text[start:end])
        if head or tail:
            a, b = _trim_space(text, start + head, end - tail)
            trimmed = fuzz.ratio(needle, fold_quote(text[a:b]).lower())
            if trimmed >= threshold:
                start, end, score = a, b, trimmed
        yield (start, end), score


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
        place = source.given_times.place_of(annotation.start)
        if place is not None:
            centers.append(folded.folded_offset(place))
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
