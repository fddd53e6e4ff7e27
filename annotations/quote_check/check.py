"""Checking the quotations of a source against primary sources (transcripts)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from readmark.annotations.names import same_person
from readmark.annotations.quote_check.flags import flags_for
from readmark.annotations.quote_check.matching import (
    Match,
    QuoteWords,
    find_changed,
    find_elided,
    find_exact,
    find_spliced,
    quote_words,
)
from readmark.annotations.quote_check.primary import Primary, prepare
from readmark.annotations.quote_check.quotations import Quotation, find_quotations
from readmark.annotations.quote_check.results import (
    RANK,
    Flag,
    FlagCode,
    Place,
    QuoteCheck,
    Verdict,
    VerifyReport,
)
from readmark.annotations.quote_check.timing import speaker_at, time_at
from readmark.annotations.quote_check.tokens import split_words
from readmark.library.model import Source
from readmark.library.timecode import format_timecode

Key = tuple[float, ...]
_TITLE_HEAD = re.compile(r":\s|\s[\u2014\u2013-]\s")


def check_source(source: Source, primaries: Sequence[Source]) -> VerifyReport:
    """Every quotation of `source` checked against `primaries` (`source` itself is skipped)."""
    against = [p for p in primaries if p.id != source.id]
    prepared = [prepare(p) for p in against]
    titles = _titles([source, *against])
    checks: list[QuoteCheck] = []
    skipped: list[Quotation] = []
    for quotation in find_quotations(source):
        if tuple(split_words(quotation.text).norms) in titles:
            skipped.append(quotation)
            continue
        checks.append(_check(quotation, prepared))
    return VerifyReport(
        source.id,
        tuple(p.id for p in against),
        tuple(checks),
        tuple(skipped),
        tuple(_notes(prepared)),
    )


def check_one(source: Source, quotation: Quotation, primaries: Sequence[Source]) -> VerifyReport:
    """A report on one quotation of `source`, as `check_source` would give it: a quoted title
    is skipped, notes say which primaries cover part of their episode."""
    against = [p for p in primaries if p.id != source.id]
    prepared = [prepare(p) for p in against]
    titled = tuple(split_words(quotation.text).norms) in _titles([source, *against])
    return VerifyReport(
        source.id,
        tuple(p.id for p in against),
        () if titled else (_check(quotation, prepared),),
        (quotation,) if titled else (),
        tuple(_notes(prepared)),
    )


def check_quotation(quotation: Quotation, primaries: Sequence[Source]) -> QuoteCheck:
    """Where and how `quotation` stands in `primaries` (searched in this order on ties)."""
    return _check(quotation, [prepare(p) for p in primaries])


def _titles(sources: Sequence[Source]) -> set[tuple[str, ...]]:
    """The words of each title and chapter name (and of its part before a colon or a dash):
    quoting one names a part of an episode, it quotes no one."""
    found: set[tuple[str, ...]] = set()
    for source in sources:
        for title in (source.title, *(entry.title for entry in source.outline)):
            for part in (title, _TITLE_HEAD.split(title, maxsplit=1)[0]):
                words = tuple(split_words(part).norms)
                if words:
                    found.add(words)
    return found


def _notes(primaries: Sequence[Primary]) -> list[str]:
    if not primaries:
        return ["There is no timed or speaker-turn source to check against."]
    return [_partial(p) for p in primaries if p.coverage.partial]


def _partial(primary: Primary) -> str:
    """What a partial transcript's coverage means (only asked when `coverage.partial`)."""
    last = format_timecode(primary.coverage.last or 0.0)
    duration = format_timecode(primary.coverage.duration or 0.0)
    return (
        f"{primary.source.id} gives times up to {last} of {duration}: "
        "words not found may be in the part it does not cover"
    )


def _check(quotation: Quotation, primaries: Sequence[Primary]) -> QuoteCheck:
    quote = quote_words(quotation.text)
    best: tuple[Key, Primary, Match] | None = None
    for order, primary in enumerate(primaries):
        match = _best_in(quote, primary, quotation)
        if match is None:
            continue
        key = (*_closeness(match), *_preference(quotation, primary, match), order, match.first)
        if best is None or key < best[0]:
            best = (key, primary, match)
    if best is None:
        flags = tuple(
            Flag(FlagCode.PARTIAL_TRANSCRIPT, _partial(p)) for p in primaries if p.coverage.partial
        )
        return QuoteCheck(quotation, Verdict.NOT_FOUND, flags=flags)
    _, primary, match = best
    return _result(quotation, primary, match)


def _best_in(quote: QuoteWords, primary: Primary, quotation: Quotation) -> Match | None:
    """The closest reading of the quotation in one primary, the most likely place first."""
    for step in (find_exact, find_elided):
        found = step(quote, primary)
        if found:
            return min(found, key=lambda m: (*_closeness(m), *_preference(quotation, primary, m)))
    spliced = find_spliced(quote, primary)
    if spliced is not None:
        return spliced
    changed = find_changed(quote, primary)
    if changed:
        return min(changed, key=lambda m: (*_closeness(m), *_preference(quotation, primary, m)))
    return None


def _closeness(match: Match) -> Key:
    return (RANK[match.verdict], -match.matched, match.cost)


def _preference(quotation: Quotation, primary: Primary, match: Match) -> Key:
    """Among equally close places: the one said by the person the source names, then the one
    nearest the time it gives, then the first."""
    offset = primary.words.starts[match.first]
    speaker = speaker_at(primary.source, offset)
    named = quotation.attributed_to
    other = 1.0 if named and speaker and not same_person(named, speaker) else 0.0
    distance = 0.0
    if quotation.cited_time is not None:
        said_at = time_at(primary.source, offset)
        distance = abs(said_at - quotation.cited_time) if said_at is not None else 0.0
    return (other, distance)


def _result(quotation: Quotation, primary: Primary, match: Match) -> QuoteCheck:
    source = primary.source
    words = primary.words
    places = tuple(
        Place(
            words.starts[first],
            words.ends[last],
            time_at(source, words.starts[first]),
            speaker_at(source, words.starts[first]),
        )
        for first, last in match.runs
    )
    stop = places[-1].char_end if match.verdict is Verdict.ELIDED else places[0].char_end
    return QuoteCheck(
        quotation,
        match.verdict,
        source.id,
        places,
        source.text[places[0].char_start : stop],
        match.differences,
        tuple(flags_for(quotation, primary, match)),
    )
