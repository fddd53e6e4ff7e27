"""Quote check benchmark: a 3-hour generated interview and a commentary with 100 quotations.

    uv run python bench/bench_verify.py            # 3 hours, 100 quotations
    uv run python bench/bench_verify.py --hours 1 --quotes 50

Prints the time to check every quotation (cold: the transcript indexed first; warm: indexed
already, as when checking a second commentary), next to a peer: one forgiving exact search per
quotation (`quote_match.find_all`, what re-anchoring uses), which finds verbatim quotations
only. The target is under 2 s cold for 3 hours and 100 quotations. Also prints how many
quotations got the verdict they were made for.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readmark.annotations.quote_check import check_source  # noqa: E402
from readmark.annotations.quote_check.primary import forget_prepared  # noqa: E402
from readmark.annotations.quote_match import find_all  # noqa: E402
from readmark.library.builder import SourceBuilder  # noqa: E402
from readmark.library.model import Source  # noqa: E402

TARGET_SECONDS = 2.0
WORDS_PER_SECOND = 2.5
COMMON = (
    "the of and to a in that it is was i for on you he be with as by at have are this not "
    "but from or they we what so there all one would if about which when their up out them "
    "do into more some could time these two may then first any like other than now only its "
    "over also after back our well way even because good through just people very"
).split()
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
KINDS = ("verbatim", "normalised", "clean", "elided", "spliced", "changed", "not_found")


def vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    stems: set[str] = set()
    while len(stems) < size:
        stems.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    words = COMMON + sorted(stems)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


def sentence(rng: random.Random, words: list[str], weights: list[float]) -> list[str]:
    chosen = rng.choices(words, cum_weights=weights, k=rng.randint(8, 22))
    said: list[str] = []
    for word in chosen:
        roll = rng.random()
        if roll < 0.02:
            said.append("um,")
        elif roll < 0.03:
            said.append(f"{word[:2]}-")
        elif roll < 0.035:
            said.append("[laughs]")
        said.append(word)
    said[0] = said[0].capitalize()
    return said


def interview(hours: float, seed: int) -> tuple[Source, list[list[list[str]]]]:
    """A timed two-speaker transcript; also its turns as sentences of words."""
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    builder = SourceBuilder("podcasts/long-interview.md", "A Long Interview", "markdown")
    turns: list[list[list[str]]] = []
    clock = 0.0
    speakers = ("Ada Host", "Bo Guest")
    while clock < hours * 3600:
        turn = [sentence(rng, words, weights) for _ in range(rng.randint(1, 6))]
        text = " ".join(" ".join(s) + "." for s in turn)
        length = len(text.split()) / WORDS_PER_SECOND
        builder.add_segment(text, start=clock, end=clock + length, speaker=speakers[len(turns) % 2])
        turns.append(turn)
        clock += length
    return builder.build(duration=clock, speakers=list(speakers)), turns


def disfluent(word: str) -> bool:
    return word in ("um,", "[laughs]") or word.endswith("-")


def fluent(words: list[str]) -> list[str]:
    return [w for w in words if not disfluent(w)]


def span_of(rng: random.Random, said: list[str], *, with_disfluency: bool) -> list[str] | None:
    """6-12 words of a sentence as said, with or without a filler, stutter or aside inside."""
    for _ in range(50):
        a = rng.randint(0, max(0, len(said) - 6))
        span = said[a : a + rng.randint(6, 12)]
        while span and disfluent(span[0]):
            span = span[1:]
        while span and disfluent(span[-1]):
            span = span[:-1]
        # A stutter just before the last word leaves that word verbatim on its own.
        inside = span[:-2] if with_disfluency else span
        if len(fluent(span)) >= 5 and any(map(disfluent, inside)) == with_disfluency:
            return span
    return None


def quotations(turns: list[list[list[str]]], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, quoted text) pairs, made from the transcript's own words."""
    rng = random.Random(seed + 1)
    made: list[tuple[str, str]] = []
    while len(made) < count:
        kind = KINDS[len(made) % len(KINDS)]
        turn = rng.choice(turns)
        said = rng.choice(turn)
        clean = fluent(said)
        span = span_of(rng, said, with_disfluency=kind == "clean")
        if span is None:
            continue
        if kind == "verbatim":
            text = " ".join(span)
        elif kind == "normalised":
            text = " ".join(span).upper()
        elif kind == "clean":
            text = " ".join(fluent(span))
        elif kind == "elided":
            if len(clean) < 12:
                continue
            text = " ".join(clean[:4]) + " \u2026 " + " ".join(clean[-4:])
        elif kind == "spliced":
            other = fluent(rng.choice(rng.choice(turns)))
            text = " ".join(clean) + ". " + " ".join(other) + "."
        elif kind == "changed":
            words = fluent(span)
            words[len(words) // 2] = "zorblax"
            text = " ".join(words)
        else:
            text = " ".join(rng.sample(SYLLABLES, 8)) + " nothing said"
        made.append((kind, text))
    return made


def commentary(made: list[tuple[str, str]]) -> Source:
    builder = SourceBuilder("notes/commentary.md", "Commentary", "markdown")
    for _, text in made:
        builder.add_segment(f"The guest told us that \u201c{text}\u201d and moved on.")
    return builder.build(authors=["A Writer"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--quotes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    primary, turns = interview(args.hours, args.seed)
    made = quotations(turns, args.quotes, args.seed)
    source = commentary(made)
    words = len(primary.text.split())

    forget_prepared()
    began = time.perf_counter()
    report = check_source(source, [primary])
    cold = time.perf_counter() - began
    began = time.perf_counter()
    check_source(source, [primary])
    warm = time.perf_counter() - began
    began = time.perf_counter()
    peer_found = sum(bool(find_all(primary.text, text)) for _, text in made)
    peer = time.perf_counter() - began

    agree = Counter(
        kind for (kind, _), check in zip(made, report.checks, strict=True) if check.verdict == kind
    )
    wanted = Counter(kind for kind, _ in made)
    print(f"primary: {args.hours:g} h, {words:,} words, {len(primary.segments):,} turns")
    print(f"quotations: {len(report.checks)}")
    print(
        f"quote check, cold (indexing the transcript): {cold:.3f} s   target < {TARGET_SECONDS} s"
    )
    print(f"quote check, warm (transcript indexed):     {warm:.3f} s")
    print(f"peer, one forgiving exact search each:      {peer:.3f} s   ({peer_found} found)")
    print(f"ratio cold / peer: {cold / peer:.2f}   warm / peer: {warm / peer:.2f}")
    print("verdicts as made: " + ", ".join(f"{k} {agree[k]}/{wanted[k]}" for k in KINDS))


if __name__ == "__main__":
    main()
