"""Who speaks: which labels of a body are speakers, and the one spelling of each."""

from __future__ import annotations

from collections import Counter

from readmark.library.readers.text.labels import is_name
from readmark.library.readers.text.lines import Kind, Line

_RUN_DISTANCE = 12
"""Labelled lines at most this many lines apart are turns of one conversation."""


def accepted_speakers(lines: list[Line]) -> dict[str, str]:
    """Labels that are speakers, each mapped to the one spelling used for that speaker.

    A label is a speaker when it recurs, sits in a run of turns or comes with a time. Bare
    name lines (`ALICE`) must recur among at least two speakers, unless they head the text
    right below them (no blank line) in a run of such turns. Labels that differ only by case
    are one speaker.
    """
    # (line index, casefolded label, comes with a time, is a bare name line)
    candidates: list[tuple[int, str, bool, bool]] = []
    spellings: dict[str, Counter[str]] = {}
    direct: list[tuple[int, str]] = []
    keys: dict[str, str] = {}
    labelled = [(i, line) for i, line in enumerate(lines) if line.label is not None]
    for i, line in labelled:
        label = line.label or ""
        key = keys.get(label)
        if key is None:
            key = keys[label] = label.casefold()
        if line.kind is Kind.LABELLED:
            candidates.append((i, key, line.time is not None, False))
        elif line.kind is Kind.TIMED:
            candidates.append((i, key, False, False))
        elif line.kind is Kind.NAME_LINE and introduces_text(lines, i):
            candidates.append((i, key, False, not line.explicit))
            if i + 1 < len(lines) and lines[i + 1].kind is Kind.TEXT:
                direct.append((i, key))
        elif line.kind is Kind.NAME_TIME and not in_run(lines, i, Kind.NAME_TIME):
            if not is_name(label):
                continue  # `Break 01:06`, `Intro 0:00`: a moment, not a speaker
            candidates.append((i, key, True, False))
        else:
            continue
        variants = spellings.get(key)
        if variants is None:
            variants = spellings[key] = Counter()
        variants[label] += 1
    counts = Counter(c[1] for c in candidates)
    accepted = {c[1] for c in candidates if c[2] or counts[c[1]] >= 2}
    if len(accepted) == len(spellings) >= 2:
        # Every label recurs: nothing more to decide (and long transcripts skip the walks below).
        return {label: _spelling(variants) for variants in spellings.values() for label in variants}
    # Three labelled turns in a row are a conversation even if no name recurs.
    run: list[tuple[int, str, bool, bool]] = []
    for candidate in candidates:
        if candidate[3]:
            continue
        if run and candidate[0] - run[-1][0] > _RUN_DISTANCE:
            run = []
        run.append(candidate)
        if len(run) == 3:
            accepted.update(c[1] for c in run)
        elif len(run) > 3:
            accepted.add(candidate[1])
    for k, (i, key, _, _) in enumerate(candidates):
        if key in accepted:
            continue
        neighbours = candidates[max(k - 1, 0) : k] + candidates[k + 1 : k + 2]
        if any(n[1] in accepted and abs(n[0] - i) <= _RUN_DISTANCE for n in neighbours):
            accepted.add(key)
    accepted |= _direct_turns(direct)
    if len(accepted) < 2:
        accepted -= {c[1] for c in candidates if c[3]} - {c[1] for c in candidates if not c[3]}
    return {
        label: _spelling(spellings[key]) for key in accepted for label in spellings.get(key, ())
    }


def _direct_turns(direct: list[tuple[int, str]]) -> set[str]:
    """Names heading the line right below them, two different ones close together: turns."""
    found: set[str] = set()
    for (i, first), (j, second) in zip(direct, direct[1:], strict=False):
        if first != second and j - i <= _RUN_DISTANCE:
            found.update((first, second))
    return found


def _spelling(variants: Counter[str]) -> str:
    """The spelling a speaker goes by: the most used, a Title Case one before ALL CAPS."""
    return min(variants, key=lambda v: (len(v) > 1 and v.isupper(), -variants[v]))


def introduces_text(lines: list[Line], i: int) -> bool:
    """Whether a name line is followed by something said (not another name, heading or end)."""
    j = i + 1
    while j < len(lines) and lines[j].kind is Kind.BLANK:
        j += 1
    return j < len(lines) and lines[j].kind in (Kind.TEXT, Kind.QUOTE, Kind.LIST, Kind.TIMED)


def in_run(lines: list[Line], i: int, kind: Kind) -> bool:
    before = i > 0 and lines[i - 1].kind is kind
    after = i + 1 < len(lines) and lines[i + 1].kind is kind
    return before or after
