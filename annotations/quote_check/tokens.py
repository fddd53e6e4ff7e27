"""Words of a text for quote checking: each with its offsets and a form compared ignoring case,
spacing, quote marks, dashes and punctuation, and whether a clean-verbatim reading leaves it out.

A clean-verbatim reading leaves out what speech adds and writing drops: fillers (`um`, `uh`),
bracketed asides (`[chuckles]`, `[inaudible]`), the broken start of a stutter (`I- I`, `th- the`)
and words said twice in a row (`the the`, `you know, you know`). Of a repeat the last copy is
kept, so a match of the clean words starts where the fluent words start.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import IntEnum

WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['\u2019][^\W_]+)*")
"""A word: letters and digits, with apostrophes inside (`don't`); a number keeps its
separators (`1,000`, `3.5`). Hyphens and dashes split words."""

FILLERS = frozenset("um umm uhm uh uhh er erm ah ahh hmm hm mm mmm mhm".split())
"""Sounds a clean-verbatim transcript leaves out."""

NON_SPEECH = frozenset(
    """laughs laugh laughter laughing chuckles chuckle chuckling giggles sighs sigh coughs cough
    inaudible unintelligible indistinct crosstalk applause music pause silence noise clears
    throat""".split()
)
"""Words of an aside in round brackets (`(laughs)`): transcripts put sounds there; in square
brackets anything in a transcript is an aside."""

ASIDE = re.compile(r"\[[^\[\]]{0,80}\]|\([^()]{0,40}\)")
SENTENCE_END = re.compile(r"(?<!\.)\.(?!\.)|[!?]")
"""A full stop (not an ellipsis, where speech trails off and picks up again), `!` or `?`."""
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None})
MAX_REPEAT = 3
"""Longest run of words (`it was it was`) whose saying twice is a repeat."""


class Dropped(IntEnum):
    """Why a clean-verbatim reading leaves a word out (KEPT: it does not)."""

    KEPT = 0
    FILLER = 1
    ASIDE = 2
    STUTTER = 3
    REPEAT = 4


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a text, in order, as parallel lists (a transcript has tens of thousands)."""

    norms: list[str]
    """Each word as compared: NFKC, case-folded, without apostrophes or thousands separators."""
    starts: list[int]
    """Offset of each word's first character in the text."""
    ends: list[int]
    """Offset one past each word's last character."""
    dropped: list[Dropped]
    """Why clean verbatim leaves the word out (`Dropped.KEPT` when it does not)."""

    def __len__(self) -> int:
        return len(self.norms)

    @property
    def kept(self) -> list[int]:
        """Indices of the words clean verbatim keeps."""
        return [i for i, why in enumerate(self.dropped) if why is Dropped.KEPT]


def norm(word: str) -> str:
    """How a word is compared: `Don’t` and `dont` alike, `1,000` and `1000` alike."""
    folded = unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)
    if folded[:1].isdigit():
        return folded.replace(",", "")
    return folded


def split_words(
    text: str,
    spans: Sequence[tuple[int, int]] | None = None,
    *,
    brackets_are_asides: bool = True,
    breaks: Collection[int] = (),
) -> Words:
    """The words of `text` (or of its `spans`, in order), with offsets into `text`.

    `brackets_are_asides`: any square-bracketed text is an aside (true of transcripts; in a
    quotation brackets mark the writer's own words, so there only sounds count as asides).
    `breaks`: offsets where a new speaker begins; nothing said across one is a repeat.
    """
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    dropped: list[Dropped] = []
    for start, stop in spans if spans is not None else [(0, len(text))]:
        asides = _aside_spans(text, start, stop, brackets_are_asides)
        aside_at = 0
        for match in WORD.finditer(text, start, stop):
            a, b = match.span()
            while aside_at < len(asides) and asides[aside_at][1] <= a:
                aside_at += 1
            word = norm(match.group())
            norms.append(word)
            starts.append(a)
            ends.append(b)
            if aside_at < len(asides) and asides[aside_at][0] <= a:
                dropped.append(Dropped.ASIDE)
            elif word in FILLERS:
                dropped.append(Dropped.FILLER)
            else:
                dropped.append(Dropped.KEPT)
    words = Words(norms, starts, ends, dropped)
    _mark_stutters(text, words)
    _mark_repeats(text, words, sorted(breaks))
    return words


def _aside_spans(text: str, start: int, stop: int, any_bracket: bool) -> list[tuple[int, int]]:
    spans = []
    for match in ASIDE.finditer(text, start, stop):
        inside = match.group()[1:-1]
        bracket = match.group()[0] == "["
        if (bracket and any_bracket) or _is_sound(inside):
            spans.append(match.span())
    return spans


def _is_sound(inside: str) -> bool:
    found = [norm(w) for w in WORD.findall(inside)]
    return bool(found) and all(w in NON_SPEECH for w in found)


def _mark_stutters(text: str, words: Words) -> None:
    """A word broken off with a dash and said again (`I- I`, `th- the`) is a stutter."""
    norms, dropped = words.norms, words.dropped
    for i in range(len(norms) - 1):
        if dropped[i] is not Dropped.KEPT or not norms[i + 1].startswith(norms[i]):
            continue
        between = text[words.ends[i] : words.starts[i + 1]]
        dash = between.strip()
        # `re-read` is one word; `re- read` and `we -- we` are a stutter.
        if dash and all(c in _DASHES for c in dash) and (between != dash or len(dash) > 1):
            dropped[i] = Dropped.STUTTER


def _mark_repeats(text: str, words: Words, breaks: list[int]) -> None:
    """The first copy of words said twice in a row (within a sentence) is a repeat."""
    kept = words.kept
    for size in range(1, MAX_REPEAT + 1):
        forms = [words.norms[i] for i in kept]
        at = 0
        while at + 2 * size <= len(kept):
            if (
                forms[at] == forms[at + size]
                and forms[at : at + size] == forms[at + size : at + 2 * size]
                and _flows(text, words, kept[at + size - 1], kept[at + size], breaks)
            ):
                for i in kept[at : at + size]:
                    words.dropped[i] = Dropped.REPEAT
                del kept[at : at + size]
                del forms[at : at + size]
                continue
            at += 1


def _flows(text: str, words: Words, before: int, after: int, breaks: list[int]) -> bool:
    """Whether the words at `before` and `after` belong to one sentence of one speaker."""
    a, b = words.ends[before], words.starts[after]
    if SENTENCE_END.search(text, a, b):
        return False
    at = bisect.bisect_left(breaks, a)
    return at == len(breaks) or breaks[at] > b
