"""What checking a quotation finds: a verdict, where in which primary, and what differs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from readmark.annotations.quote_check.quotations import Quotation


class Verdict(StrEnum):
    """How the quoted words stand in the primary, from closest to farthest."""

    VERBATIM = "verbatim"
    """The same characters (white space and the typing of apostrophes aside)."""
    NORMALISED = "normalised"
    """The same words; case, spacing, quote marks, dashes or punctuation differ."""
    CLEAN = "clean"
    """The same words once fillers, stutters, repeated words and asides are left out."""
    ELIDED = "elided"
    """Fragments joined by an ellipsis, found in order close together."""
    SPLICED = "spliced"
    """Sentences found in places apart, joined without a mark."""
    CHANGED = "changed"
    """Most words said in order, some different."""
    NOT_FOUND = "not_found"
    """Not in the primaries checked."""

    @property
    def faithful(self) -> bool:
        """Whether the quotation gives the words as said (an elision marked as such counts)."""
        return self in FAITHFUL


FAITHFUL = frozenset({Verdict.VERBATIM, Verdict.NORMALISED, Verdict.CLEAN, Verdict.ELIDED})
RANK = {verdict: rank for rank, verdict in enumerate(Verdict)}
"""Verdicts by closeness: the lower, the closer the quotation is to what was said."""


class FlagCode(StrEnum):
    STOPS_MID_SENTENCE = "stops-mid-sentence"
    """The primary's sentence goes on with words that qualify it (but, unless, not, ...)."""
    STARTS_MID_SENTENCE = "starts-mid-sentence"
    """The primary's sentence begins, before the quoted words, with a negation."""
    OTHER_SPEAKER = "other-speaker"
    """The source names someone who is not the speaker of these words in the primary."""
    CITED_TIME = "cited-time"
    """The time the source gives is not where the words are said."""
    SPANS_SPEAKERS = "spans-speakers"
    """The words run across two speakers' turns."""
    PIECES_APART = "pieces-apart"
    """The quotation's parts are said in different places."""
    CUT_CHANGES_SENSE = "cut-changes-sense"
    """The words an ellipsis leaves out include a negation."""
    PARTIAL_TRANSCRIPT = "partial-transcript"
    """A primary covers part of the episode only: not found means not in this text."""


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: str
    """What the text shows, in words a reader can check."""

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True, slots=True)
class Difference:
    """Words the quotation gives (`quoted`) where the primary has other words (`said`); either
    may be empty (words added or left out)."""

    quoted: str
    said: str

    def to_json(self) -> dict[str, str]:
        return {"quoted": self.quoted, "said": self.said}


@dataclass(frozen=True, slots=True)
class Place:
    """A run of the primary's words that a quotation (or a part of it) stands for."""

    char_start: int
    """Offset in the primary's `Source.text`."""
    char_end: int
    start: float | None
    """When it is said (seconds), when the primary is timed."""
    speaker: str | None


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """The result of checking one quotation against the primaries."""

    quotation: Quotation
    verdict: Verdict
    primary: str | None = None
    """The id of the primary where the words were found (None when not found)."""
    places: tuple[Place, ...] = ()
    """Where the words stand in the primary: one place, or one per part (elided, spliced)."""
    said: str = ""
    """The primary's words at the first place, as its text gives them."""
    differences: tuple[Difference, ...] = ()
    flags: tuple[Flag, ...] = field(default=())

    @property
    def start(self) -> float | None:
        return self.places[0].start if self.places else None

    @property
    def speaker(self) -> str | None:
        return self.places[0].speaker if self.places else None

    def has(self, code: FlagCode) -> bool:
        return any(flag.code is code for flag in self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quotation.text,
            "char_start": self.quotation.char_start,
            "char_end": self.quotation.char_end,
            "verdict": str(self.verdict),
            "primary": self.primary,
            "start": self.start,
            "speaker": self.speaker,
            "differences": [d.to_json() for d in self.differences],
            "flags": [str(flag) for flag in self.flags],
        }


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Every quotation of one source, checked."""

    source: str
    """The id of the source whose quotations were checked."""
    primaries: tuple[str, ...]
    """The ids of the primaries checked against, in order."""
    checks: tuple[QuoteCheck, ...]
    skipped_titles: tuple[Quotation, ...] = ()
    """Quoted chapter or episode titles: names of parts, not words anyone said."""
    notes: tuple[str, ...] = ()
    """What the reader should know about the check as a whole (a partial transcript, ...)."""

    @property
    def all_faithful(self) -> bool:
        return all(check.verdict.faithful for check in self.checks)

    def to_json(self) -> list[dict[str, Any]]:
        return [check.to_json() for check in self.checks]
