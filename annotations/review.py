"""Settling an annotation that needs review: take its candidate, or give up on it.

Re-anchoring never replaces a quote with words it only found similar (see
`annotations.anchoring`); these two decisions are the reader's, and the CLI
(`readmark check --accept/--orphan`) and the reader's `A`/`O` keys make them here.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from readmark.annotations.model import Annotation, utc_now
from readmark.annotations.quote_match import find_candidates
from readmark.library.model import Source


class Decision(StrEnum):
    ACCEPT = "accept"
    """The candidate is the quote now: its words, place, times and speaker are taken."""
    ORPHAN = "orphan"
    """The quote is gone: the annotation keeps its words and is marked orphaned."""


class ReviewError(Exception):
    """A decision that cannot be made; the message says why and what to do."""


def settle(annotation: Annotation, source: Source | None, decision: Decision) -> Annotation:
    """`annotation` with the decision applied (not saved). `source` is the source as it is now
    (re-anchor on it first); it is needed to accept, not to give up."""
    if annotation.candidate is None:
        raise ReviewError(_nothing_to_settle(annotation))
    if decision is Decision.ORPHAN:
        # `searched` stays: the same text is not searched for the same quote again.
        return replace(annotation, orphaned=True, candidate=None, updated=utc_now())
    if source is None:
        raise ReviewError(
            f"{annotation.source} cannot be read, so the candidate cannot be taken from it"
        )
    # Here: the reader loads this module to start (for `Decision`), anchoring when it is used.
    from readmark.annotations.anchoring import relocate

    start, end = candidate_span(annotation, source)
    return replace(relocate(annotation, source, start, end), updated=utc_now())


def candidate_span(annotation: Annotation, source: Source) -> tuple[int, int]:
    """Where the candidate's words stand in `source` now: at its offsets, or (the source was
    edited again since) the place nearest them; `ReviewError` when they are gone."""
    candidate = annotation.candidate
    if candidate is None:
        raise ReviewError(_nothing_to_settle(annotation))
    text = source.text
    if text[candidate.start : candidate.end] == candidate.text:
        return candidate.start, candidate.end
    hits = [hit for hit in find_candidates(text, candidate.text) if hit[0] < hit[1]]
    if not hits:
        raise ReviewError(
            f"{annotation.source} changed since the candidate of {annotation.id} was found, "
            "and its words are gone; run `readmark check` to look again"
        )
    return min(hits, key=lambda hit: abs(hit[0] - candidate.start))


def _nothing_to_settle(annotation: Annotation) -> str:
    if annotation.orphaned:
        return f"{annotation.id} is already orphaned: there is no candidate to settle"
    return (
        f"{annotation.id} does not need review: it is anchored on its own words "
        "(`readmark delete` removes an annotation)"
    )
