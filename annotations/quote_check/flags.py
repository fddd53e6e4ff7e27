"""What a reader should look at twice in a quotation found in a primary.

- the primary's sentence goes on with words that qualify what was quoted (`but`, `unless`,
  `not`, `except`, `, though`, ...), or begins, before the quoted words, with a negation;
- the source names as the speaker someone who is not the one speaking there (only when it
  names someone: `she said` attributes nothing);
- the source gives a time that is not where the words are;
- the words run across two speakers; the parts of a spliced quotation stand apart; the words
  an ellipsis leaves out include a negation.
"""

from __future__ import annotations

import re

from readmark.annotations.names import same_person
from readmark.annotations.quote_check.matching import Match
from readmark.annotations.quote_check.primary import Primary, is_spoken
from readmark.annotations.quote_check.quotations import Quotation
from readmark.annotations.quote_check.results import Flag, FlagCode
from readmark.annotations.quote_check.timing import segment_at, speaker_at, time_at
from readmark.annotations.quote_check.tokens import WORD, norm
from readmark.annotations.wording import is_negation
from readmark.library.model import Source
from readmark.library.safe_text import shorten
from readmark.library.timecode import format_timecode

QUALIFIERS = re.compile(
    r"^\s*(?:[,;:\u2014\u2013-]+\s*)?(?:but|unless|except|not|never|though|although|only|if|"
    r"provided|until|without|yet|however|rather than|as long as|apart from|at least|or not)\b",
    re.IGNORECASE,
)
"""Words that, going on from where a quotation stops, change the sense of what it says."""
QUALIFYING_LEAD = re.compile(
    r"^(?:if|unless|when|only|except|in|for|among|outside|apart from|at least|in theory|"
    r"on paper|for now)\b[^.!?]{0,60},\s*$",
    re.IGNORECASE,
)
"""A short opening phrase that limits what follows it (`In rich cities,`, `For a small town,`)."""
SENTENCE_END = re.compile(r"[.!?](?:[\"'\u201d\u2019)\]]*)(?:\s|$)")
WORDS_BEFORE = 6
"""How many words before a quotation's start are searched for a negation."""
EDGE_WORDS = 2
"""How many words at each end of what an ellipsis leaves out are searched for a negation."""
CITED_TIME_TOLERANCE = 30.0
"""Seconds a cited time may be off the segment that says the words."""
CONTINUATION_LIMIT = 400
"""Characters of following segments read to find where a sentence ends."""
SHOWN = 90
"""Characters shown of the primary's words around a quotation."""


def flags_for(quotation: Quotation, primary: Primary, match: Match) -> list[Flag]:
    source = primary.source
    words = primary.words
    start = words.starts[match.first]
    end = words.ends[match.runs[-1][1]]
    speaker = speaker_at(source, start)
    flags: list[Flag] = []
    going_on = _continuation(source, end)
    if going_on and QUALIFIERS.match(going_on):
        flags.append(
            Flag(
                FlagCode.STOPS_MID_SENTENCE,
                f"this transcript goes on: \u201c{shorten(going_on, SHOWN)}\u201d",
            )
        )
    lead = _lead(source, start)
    if lead:
        flags.append(
            Flag(
                FlagCode.STARTS_MID_SENTENCE,
                f"this transcript has before it: \u201c{shorten(lead, SHOWN)}\u201d",
            )
        )
    if quotation.attributed_to and speaker and not same_person(quotation.attributed_to, speaker):
        flags.append(
            Flag(
                FlagCode.OTHER_SPEAKER,
                f"the source names {quotation.attributed_to}; in this transcript "
                f"{speaker} says these words",
            )
        )
    last_speaker = speaker_at(source, words.starts[match.runs[-1][1]])
    if speaker and last_speaker and last_speaker != speaker and match.runs[0] == match.runs[-1]:
        flags.append(
            Flag(
                FlagCode.SPANS_SPEAKERS,
                f"the words run from {speaker}'s turn into {last_speaker}'s",
            )
        )
    said_at = time_at(source, start)
    if quotation.cited_time is not None and said_at is not None:
        if not _near(source, start, end, quotation.cited_time):
            flags.append(
                Flag(
                    FlagCode.CITED_TIME,
                    f"the source gives {format_timecode(quotation.cited_time)}; this "
                    f"transcript has the words at {format_timecode(said_at)}",
                )
            )
    if len(match.runs) > 1 and not match.gaps:
        flags.append(Flag(FlagCode.PIECES_APART, _apart(source, primary, match)))
    dropped = _negations(source, match.gaps)
    if dropped:
        flags.append(
            Flag(
                FlagCode.CUT_CHANGES_SENSE,
                "the words the ellipsis leaves out include "
                + ", ".join(f"\u201c{word}\u201d" for word in dropped),
            )
        )
    return flags


def _continuation(source: Source, end: int) -> str:
    """The rest of the sentence after offset `end`, over into the speaker's next segments when
    a segment ends mid-sentence (a subtitle cue)."""
    segment = segment_at(source, end - 1)
    if segment is None:
        return ""
    rest = source.text[end : segment.char_end]
    following = segment.index + 1
    while SENTENCE_END.search(rest) is None and len(rest) < CONTINUATION_LIMIT:
        if following >= len(source.segments):
            break
        after = source.segments[following]
        if not is_spoken(after) or after.speaker != segment.speaker:
            break
        rest = f"{rest} {after.text}"
        following += 1
    stop = SENTENCE_END.search(rest)
    if stop is not None and not rest[: stop.start()].strip():
        return ""  # the sentence ends right there
    return _one_line(rest[: stop.start() + 1] if stop else rest)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lead(source: Source, start: int) -> str:
    """The words of the sentence before offset `start`, when they limit or turn round what
    follows: a negation, or an opening phrase such as `In rich cities,`."""
    segment = segment_at(source, start)
    if segment is None:
        return ""
    head = source.text[segment.char_start : start]
    ends = list(SENTENCE_END.finditer(head))
    head = head[ends[-1].end() :] if ends else head
    found = list(WORD.finditer(head))
    if QUALIFYING_LEAD.match(head.strip() + " "):
        return head.strip()
    found = found[-WORDS_BEFORE:]
    if not any(is_negation(norm(m.group())) for m in found):
        return ""
    return head[found[0].start() :].strip()


def _near(source: Source, start: int, end: int, cited: float) -> bool:
    first = time_at(source, start)
    last = time_at(source, end)
    if first is None:
        return True
    holding = segment_at(source, end - 1)
    finish = holding.end if holding is not None and holding.end is not None else last
    finish = max(finish or first, first)
    return first - CITED_TIME_TOLERANCE <= cited <= finish + CITED_TIME_TOLERANCE


def _apart(source: Source, primary: Primary, match: Match) -> str:
    places = []
    for first, _ in match.runs:
        at = time_at(source, primary.words.starts[first])
        who = speaker_at(source, primary.words.starts[first])
        where = format_timecode(at) if at is not None else "an untimed place"
        places.append(f"{where} ({who})" if who else where)
    return "the parts stand apart in this transcript: at " + ", ".join(places)


def _negations(source: Source, gaps: tuple[tuple[int, int], ...]) -> list[str]:
    """Negations an ellipsis cuts from the words it joins: among the first or last words left
    out (`will … stay` for `will not, in most towns, stay`); one deep inside an aside that was
    cut (`partly because nobody had surveyed it`) turns nothing round."""
    found: list[str] = []
    for a, b in gaps:
        left_out = list(WORD.finditer(source.text, a, b))
        edges = left_out[:EDGE_WORDS] + left_out[-EDGE_WORDS:]
        for match in edges:
            if is_negation(norm(match.group())) and match.group() not in found:
                found.append(match.group())
    return found
