"""Finding a quotation's words among a primary's, from the closest reading to the farthest.

- exact: the quotation's words, in a row (`verbatim` when the characters agree too,
  `normalised` when only case, spacing, quote marks, dashes or punctuation differ);
- clean: the same once fillers, stutters, repeats and asides are left out on both sides;
- elided: the parts between ellipses, in order, leaving out `ELIDED_WINDOW` words at most;
- spliced: each sentence (or part) found, but not where the one before it ends;
- changed: a place where most of the words stand in order (`CHANGED_SHARE`), the rest
  different; every difference is listed.

Words are compared as `tokens.norm` gives them; each primary is indexed once (see `primary`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from readmark.annotations.quote_check.primary import Primary
from readmark.annotations.quote_check.results import Difference, Verdict
from readmark.annotations.quote_check.tokens import Dropped, Words, split_words
from readmark.library.safe_text import shorten

ELISION = re.compile(r"\[\s*(?:\.\.\.|\u2026)\s*\]|\(\s*(?:\.\.\.|\u2026)\s*\)|\.{3,}|\u2026")
"""An ellipsis marking words left out: `...`, `…`, `[...]`, `(…)`."""
ELIDED_WINDOW = 150
"""Most words the ellipses of one quotation may leave out in all (about a minute of speech);
parts farther apart are spliced, not elided."""
CHANGED_SHARE = 0.6
"""Least share of a quotation's words that must stand, in order, at one place for it to count
as changed rather than not found."""
MIN_CHANGED_WORDS = 3
"""...and never fewer words than this."""
MAX_VOTES = 20_000
"""How many word places at most are counted when looking for where a changed quotation stands
(the rarest words of the quotation first: common words are everywhere)."""
MAX_ALIGNED_WORDS = 400
"""Longer quotations are found in a row or sentence by sentence, never word by word (the
alignment's time grows with the square of the length)."""
CANDIDATES = 6
"""Places aligned word by word when looking for a changed quotation (as many again by another
ranking)."""
SHORTLIST = 60
"""Diagonals (by words exactly in line) among which the candidates are chosen."""
SHOWN_GAP = 120
"""Characters shown of the words an ellipsis leaves out."""
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACES = re.compile(r"\s+")
_APOSTROPHE = str.maketrans({"\u2019": "'", "\u02bc": "'"})


@dataclass(frozen=True, slots=True)
class QuoteWords:
    """A quotation's words, ready to be looked for."""

    text: str
    words: Words
    kept: list[int]
    """Places in `words` of the words clean verbatim keeps."""
    clean: list[str]
    """The forms of the kept words."""
    fragments: list[tuple[int, int]]
    """Ranges of `clean` between ellipses (one range when there is no ellipsis inside)."""
    marks: list[str]
    """The ellipsis between each fragment and the next, as the quotation writes it."""
    sentences: list[tuple[int, int]]
    """Ranges of `clean`, one per sentence of the quotation."""

    @property
    def pieces(self) -> list[tuple[int, int]]:
        """The parts a spliced quotation may be made of: fragments, else sentences."""
        return self.fragments if len(self.fragments) > 1 else self.sentences

    def raw(self, first: int, last: int) -> str:
        """The quotation's text from clean word `first` to clean word `last` (inclusive)."""
        return self.text[self.words.starts[self.kept[first]] : self.words.ends[self.kept[last]]]


def quote_words(text: str) -> QuoteWords:
    # In a quotation square brackets are the writer's words, not an aside of the speaker.
    words = split_words(text, brackets_are_asides=False)
    kept = words.kept
    clean = [words.norms[i] for i in kept]
    starts = [words.starts[i] for i in kept]
    marks = list(ELISION.finditer(text))
    fragments, between = _ranges(starts, [m.start() for m in marks])
    shown = [marks[i].group() for i in between]
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    sentences, _ = _ranges(starts, ends)
    return QuoteWords(text, words, kept, clean, fragments, shown, sentences)


def _ranges(starts: list[int], cuts: list[int]) -> tuple[list[tuple[int, int]], list[int]]:
    """Word ranges (half open) between cut offsets, empty ones dropped; and for each range but
    the last, the index of the cut that ends it."""
    ranges: list[tuple[int, int]] = []
    ended_by: list[int] = []
    first = 0
    for number, cut in enumerate([*cuts, math.inf]):
        last = bisect.bisect_left(starts, cut)
        if last > first:
            ranges.append((first, last))
            ended_by.append(number)
            first = last
    return ranges, ended_by[:-1]


@dataclass(frozen=True, slots=True)
class Match:
    """Where a quotation stands in one primary, and how."""

    verdict: Verdict
    runs: tuple[tuple[int, int], ...]
    """Inclusive ranges of the primary's word places (`Primary.words`), one per part."""
    differences: tuple[Difference, ...] = ()
    matched: int = 0
    """Quotation words found (for `changed`: how many stand in order)."""
    cost: int = 0
    """Words that differ (`changed`) or that the ellipses leave out (`elided`): the fewer,
    the closer."""
    gaps: tuple[tuple[int, int], ...] = ()
    """Character ranges of the primary that the quotation's ellipses leave out."""

    @property
    def first(self) -> int:
        return self.runs[0][0]


def occurrences(
    pattern: Sequence[str], words: Sequence[str], where: dict[str, list[int]]
) -> list[int]:
    """Every place where `pattern` stands in `words` in a row (`where`: places of each form)."""
    if not pattern:
        return []
    places = []
    for offset, form in enumerate(pattern):
        found = where.get(form)
        if not found:
            return []
        places.append((len(found), offset, found))
    _, offset, rarest = min(places)
    size = len(pattern)
    first = pattern[0]
    hits = []
    for place in rarest:
        start = place - offset
        if start < 0 or start + size > len(words) or words[start] != first:
            continue
        if words[start : start + size] == pattern:
            hits.append(start)
    return hits


def find_exact(quote: QuoteWords, primary: Primary) -> list[Match]:
    """The quotation's words in a row: verbatim, normalised, or clean."""
    if len(quote.fragments) != 1:
        return []
    matches: list[Match] = []
    pattern = quote.words.norms
    size = len(pattern)
    full = set()
    for start in occurrences(pattern, primary.words.norms, primary.where):
        full.add(start)
        said = primary.source.text[
            primary.words.starts[start] : primary.words.ends[start + size - 1]
        ]
        core = quote.text[quote.words.starts[0] : quote.words.ends[-1]]
        verdict = Verdict.VERBATIM if _plain(said) == _plain(core) else Verdict.NORMALISED
        matches.append(Match(verdict, ((start, start + size - 1),), matched=size))
    for start in occurrences(quote.clean, primary.clean, primary.clean_where):
        first, last = primary.kept[start], primary.kept[start + len(quote.clean) - 1]
        if first in full:
            continue
        differences = clean_differences(quote, 0, len(quote.clean), primary, start)
        matches.append(Match(Verdict.CLEAN, ((first, last),), differences, len(quote.clean)))
    return matches


def _plain(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_APOSTROPHE)).strip()


def clean_differences(
    quote: QuoteWords, first: int, stop: int, primary: Primary, at: int
) -> tuple[Difference, ...]:
    """What clean verbatim left out between the quotation's clean words `first..stop` and the
    primary's clean words from `at` on (which match them one for one)."""
    found: list[Difference] = []
    text = primary.source.text
    words = primary.words
    for i in range(first + 1, stop):
        p_before, p_next = primary.kept[at + i - first - 1], primary.kept[at + i - first]
        q_before, q_next = quote.kept[i - 1], quote.kept[i]
        said_run = range(p_before + 1, p_next)
        quoted_run = range(q_before + 1, q_next)
        said_forms = [words.norms[j] for j in said_run]
        if said_forms == [quote.words.norms[j] for j in quoted_run]:
            continue
        quoted = (
            quote.text[quote.words.starts[quoted_run[0]] : quote.words.ends[quoted_run[-1]]]
            if quoted_run
            else ""
        )
        word = quote.text[quote.words.starts[q_next] : quote.words.ends[q_next]]
        found.extend(_left_out(text, words, list(said_run), p_next, quoted, word))
    return tuple(found)


def _left_out(
    text: str, words: Words, run: list[int], kept: int, quoted: str, word: str
) -> list[Difference]:
    """One difference per group of words clean verbatim left out before the kept word `kept`:
    a filler or an aside on its own (`um`, `[laughs]`); false starts and repeats together with
    the word they lead to (`al- always` for `always`)."""
    if not run:
        return [Difference(quoted, "")]
    groups: list[list[int]] = []
    for place in run:
        attached = words.dropped[place] in (Dropped.STUTTER, Dropped.REPEAT)
        if (
            groups
            and (words.dropped[groups[-1][0]] in (Dropped.STUTTER, Dropped.REPEAT)) == attached
        ):
            groups[-1].append(place)
        else:
            groups.append([place])
    found = []
    for number, group in enumerate(groups):
        a, b = _with_brackets(text, words.starts[group[0]], words.ends[group[-1]])
        last = number == len(groups) - 1
        if last and words.dropped[group[0]] in (Dropped.STUTTER, Dropped.REPEAT):
            found.append(Difference(f"{quoted} {word}".strip(), text[a : words.ends[kept]]))
        else:
            found.append(Difference(quoted, text[a:b]))
        quoted = ""  # words of the quotation's own are shown once, with the first group
    return found


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] in "[(":
        start -= 1
    while end < len(text) and text[end] in "])":
        end += 1
    return start, end


def find_elided(quote: QuoteWords, primary: Primary) -> list[Match]:
    """The quotation's parts between ellipses, in order, close together."""
    if len(quote.fragments) < 2:
        return []
    found = [
        occurrences(quote.clean[a:b], primary.clean, primary.clean_where)
        for a, b in quote.fragments
    ]
    if not all(found):
        return []
    sizes = [b - a for a, b in quote.fragments]
    matches = []
    for start in found[0]:
        starts = [start]
        for k in range(1, len(found)):
            after = starts[-1] + sizes[k - 1]
            i = bisect.bisect_left(found[k], after)
            if i == len(found[k]):
                break
            starts.append(found[k][i])
        else:
            left_out = starts[-1] + sizes[-1] - start - sum(sizes)
            if left_out <= ELIDED_WINDOW:
                matches.append(_elided_match(quote, primary, starts, sizes, left_out))
    return matches


def _elided_match(
    quote: QuoteWords, primary: Primary, starts: list[int], sizes: list[int], left_out: int
) -> Match:
    runs = tuple(
        (primary.kept[s], primary.kept[s + n - 1]) for s, n in zip(starts, sizes, strict=True)
    )
    text = primary.source.text
    gaps = []
    differences = []
    for k in range(len(runs) - 1):
        a, b = primary.words.ends[runs[k][1]], primary.words.starts[runs[k + 1][0]]
        gaps.append((a, b))
        left = text[a:b].strip(" ,;:")
        if left:
            differences.append(Difference(quote.marks[k], shorten(left, SHOWN_GAP)))
    return Match(Verdict.ELIDED, runs, tuple(differences), sum(sizes), left_out, tuple(gaps))


def find_spliced(quote: QuoteWords, primary: Primary) -> Match | None:
    """Each part of the quotation found, but some part not where the one before it ends."""
    pieces = quote.pieces
    if len(pieces) < 2:
        return None
    placed: list[Match] = []
    for a, b in pieces:
        part = quote_words(quote.raw(a, b - 1))
        options = find_exact(part, primary) or find_changed(part, primary)
        if not options:
            return None
        if placed:
            end = placed[-1].runs[-1][1]
            # The place nearest after the part before (or, failing that, the nearest before).
            options.sort(key=lambda m: (m.first <= end, abs(m.first - end)))
        else:
            options.sort(key=lambda m: (-m.matched, m.cost, m.first))
        placed.append(options[0])
    joined = all(
        _next_kept(primary, before.runs[-1][1]) == after.first
        for before, after in zip(placed, placed[1:], strict=False)
    )
    if joined:
        return None  # in a row after all: one place, read as changed (or elided) instead
    differences = tuple(d for m in placed for d in m.differences if m.verdict is Verdict.CHANGED)
    matched = sum(m.matched for m in placed)
    return Match(
        Verdict.SPLICED,
        tuple(run for m in placed for run in m.runs),
        differences,
        matched,
        sum(m.cost for m in placed),
    )


def _next_kept(primary: Primary, place: int) -> int:
    at = bisect.bisect_right(primary.kept, place)
    return primary.kept[at] if at < len(primary.kept) else -1


def find_changed(quote: QuoteWords, primary: Primary) -> list[Match]:
    """Places where most of the quotation's words stand in order, the rest different."""
    size = len(quote.clean)
    needed = max(MIN_CHANGED_WORDS, math.ceil(CHANGED_SHARE * size))
    if size < needed or size > MAX_ALIGNED_WORDS:
        return []
    elided = len(quote.fragments) > 1
    slack = max(3, size // 4)
    extra = ELIDED_WINDOW if elided else 0
    matches = []
    for diagonal, votes in _diagonals(quote.clean, primary):
        if votes < needed and not elided:
            continue  # too few of the words stand near here for most of them to
        low = max(0, diagonal - slack)
        high = min(len(primary.clean), diagonal + size + slack + extra)
        match = _aligned(quote, primary, low, high, needed)
        if match is not None:
            matches.append(match)
    return matches


def _diagonals(clean: list[str], primary: Primary) -> list[tuple[int, int]]:
    """Where the quotation most likely starts in the primary's clean words, with how many of
    its words stand about there: the places its words vote for, the rarest words first."""
    forms = sorted(set(clean), key=lambda f: len(primary.clean_where.get(f, ())))
    offsets: dict[str, list[int]] = {}
    for i, form in enumerate(clean):
        offsets.setdefault(form, []).append(i)
    votes: Counter[int] = Counter()
    counted = 0
    for form in forms:
        places = primary.clean_where.get(form)
        if not places:
            continue
        if counted and counted + len(places) * len(offsets[form]) > MAX_VOTES:
            break
        for i in offsets[form]:
            votes.update(p - i for p in places)
        counted += len(places) * len(offsets[form])
    # Words added or left out shift the diagonal a little: count the neighbours in, for the
    # diagonals with the most words in line.
    leading = votes.most_common(SHORTLIST)
    spread = {d: sum(votes.get(d + shift, 0) for shift in (-2, -1, 0, 1, 2)) for d, _ in leading}
    by_spread = sorted(spread.items(), key=lambda item: -item[1])
    # The best places by words exactly in line (a word changed in place), then by words about
    # in line (words added or left out).
    chosen: list[tuple[int, int]] = []
    width = max(3, len(clean) // 2)
    for ranking in (leading, by_spread):
        taken = 0
        for diagonal, count in ranking:
            if count < 2 or taken == CANDIDATES:
                break
            if all(abs(diagonal - other) > width for other, _ in chosen):
                chosen.append((diagonal, spread[diagonal]))
                taken += 1
    return chosen


def _aligned(quote: QuoteWords, primary: Primary, low: int, high: int, needed: int) -> Match | None:
    """The quotation aligned word by word with the primary's clean words `low..high`, when
    enough of them stand in order."""
    boundaries = frozenset(a for a, _ in quote.fragments[1:])
    steps = align(quote.clean, primary.clean[low:high], boundaries)
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in steps if tag == "equal")
    longest = max((i2 - i1 for tag, i1, i2, _, _ in steps if tag == "equal"), default=0)
    if matched < needed or longest < 2:
        return None
    differences: list[Difference] = []
    gaps: list[tuple[int, int]] = []
    cost = 0
    for tag, i1, i2, j1, j2 in steps:
        if tag == "equal":
            continue
        if tag == "gap":
            a = primary.words.starts[primary.kept[low + j1]]
            b = primary.words.ends[primary.kept[low + j2 - 1]]
            gaps.append((a, b))
            continue
        quoted = quote.raw(i1, i2 - 1) if i2 > i1 else ""
        said = _primary_raw(primary, low + j1, low + j2 - 1) if j2 > j1 else ""
        cost += max(i2 - i1, j2 - j1)
        differences.append(Difference(quoted, said))
    if not differences or cost > len(quote.clean):
        return None  # nothing differs (found another way), or more differs than stands
    first = primary.kept[low + steps[0][3]]
    last = primary.kept[low + steps[-1][4] - 1]
    return Match(Verdict.CHANGED, ((first, last),), tuple(differences), matched, cost, tuple(gaps))


Step = tuple[str, int, int, int, int]
"""(`equal` | `replace` | `delete` | `insert` | `gap`, quote from, quote to, said from, said to):
`gap` is said words an ellipsis of the quotation stands for."""


def align(
    quoted: Sequence[str], said: Sequence[str], gaps: frozenset[int] = frozenset()
) -> list[Step]:
    """The fewest word edits turning `quoted` into a run of `said` (which may begin and end
    anywhere); words of `said` at a quotation index in `gaps` (after an ellipsis) are free.

    Steps are merged runs, as `difflib` gives them; a changed word is a `replace`, never a
    `delete` and an `insert`.
    """
    n, m = len(quoted), len(said)
    if n == 0:
        return []
    # cost[i][j]: fewest edits for quoted[:i] against said ending at j (any start).
    cost = [[0] * (m + 1)]
    for i in range(1, n + 1):
        row = [i] + [0] * m
        above = cost[i - 1]
        word = quoted[i - 1]
        free = i in gaps
        for j in range(1, m + 1):
            best = above[j - 1] + (word != said[j - 1])
            if above[j] + 1 < best:
                best = above[j] + 1
            inserted = row[j - 1] + (0 if free and i < n else 1)
            if inserted < best:
                best = inserted
            row[j] = best
        cost.append(row)
    last, before = cost[n], cost[n - 1]

    def ending(k: int) -> tuple[int, bool, int]:
        # Among the cheapest ends, one reached by reading a word (the last quoted word said
        # differently) before one reached by dropping it.
        diagonal = k > 0 and last[k] == before[k - 1] + (quoted[n - 1] != said[k - 1])
        return last[k], not diagonal, k

    j = min(range(m + 1), key=ending)
    i = n
    single: list[tuple[str, int, int]] = []
    while i > 0:
        here = cost[i][j]
        if j > 0 and here == cost[i - 1][j - 1] + (quoted[i - 1] != said[j - 1]):
            single.append(("equal" if quoted[i - 1] == said[j - 1] else "replace", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif here == cost[i - 1][j] + 1:
            single.append(("delete", i - 1, j))
            i -= 1
        else:
            free = i in gaps and i < n
            single.append(("gap" if free else "insert", i, j - 1))
            j -= 1
    single.reverse()
    return _merged(single)


def _merged(single: list[tuple[str, int, int]]) -> list[Step]:
    """Runs of single steps; a run of edits (changed, left out or added words) is one step."""
    steps: list[Step] = []
    for tag, i, j in single:
        di = 0 if tag in ("insert", "gap") else 1
        dj = 0 if tag == "delete" else 1
        if steps and _kind(steps[-1][0]) == _kind(tag):
            old, i1, i2, j1, j2 = steps[-1]
            steps[-1] = (old if old == tag else "replace", i1, i2 + di, j1, j2 + dj)
        else:
            steps.append((tag, i, i + di, j, j + dj))
    return steps


def _kind(tag: str) -> str:
    return tag if tag in ("equal", "gap") else "edit"


def _primary_raw(primary: Primary, first: int, last: int) -> str:
    words = primary.words
    return primary.source.text[words.starts[primary.kept[first]] : words.ends[primary.kept[last]]]
