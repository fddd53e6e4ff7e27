"""Inputs the fuzzers found that once crashed or broke an invariant, kept so they stay fixed.

Every JSON file under `tests/data/fuzz/` (written by `scripts/fuzz_campaign.py`) is replayed
through its property; the tests below spell out what the user would have seen.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from readmark.library.loading import split_long_segments, split_text
from readmark.library.readers import markdown, srt
from readmark.library.timecode import (
    TimecodeError,
    format_compact,
    format_timecode,
    parse_timecode,
    time_from_url,
    try_parse_timecode,
    url_at_time,
)
from test_fuzz_readers import TARGETS, check_source, run_target

FUZZ_DATA = Path(__file__).parent / "data" / "fuzz"
SAVED = sorted(FUZZ_DATA.glob("*.json"))


def decode_args(encoded: list[dict[str, Any]]) -> tuple[Any, ...]:
    values: list[Any] = []
    for item in encoded:
        ((kind, value),) = item.items()
        if kind == "bytes_hex":
            values.append(bytes.fromhex(value))
        elif kind == "float":
            values.append(float(value))
        else:
            values.append(value)
    return tuple(values)


def test_saved_inputs_are_kept() -> None:
    assert len(SAVED) >= 5
    assert {json.loads(p.read_text())["target"] for p in SAVED} <= set(TARGETS)


@pytest.mark.parametrize("path", SAVED, ids=[p.stem for p in SAVED])
def test_saved_input_keeps_its_property(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    run_target(record["target"], decode_args(record["args"]))


# split_text looped for ever when a cut fell where the piece began (small limits).
def test_split_text_always_moves_on() -> None:
    assert split_text("abcdef", 1) == ["a", "b", "c", "d", "e", "f"]
    assert split_text("ab cd", 2) == ["ab", "cd"]
    assert split_text("a. b. c.", 3) == ["a.", "b.", "c."]


OVERLAPPING = """1
00:00:00,000 --> 00:00:10,000
one two three four five six seven eight.

2
00:00:01,000 --> 00:00:02,000
Hi.
"""


# Pieces of a long cue shared out its whole time, landing after an overlapping cue's start.
def test_split_pieces_stay_before_the_next_segment() -> None:
    source = srt.read(OVERLAPPING, "talk.srt", "talk")
    split = split_long_segments(source, 10)
    starts = [s.start for s in split.segments]
    assert starts == sorted(starts)
    assert split.segments[-1].text == "Hi." and split.segments[-1].start == 1.0
    assert all(s.start is not None and s.start <= 1.0 for s in split.segments)
    assert split.segments[-2].end == 10.0  # the cue's own end is kept on its last piece
    check_source(split, sorted_times=True)


# Hundreds of digits parsed as an infinite time, which crashed every place that shows one.
def test_a_time_too_large_is_refused() -> None:
    with pytest.raises(TimecodeError, match="too large"):
        parse_timecode("9" * 400 + "h")
    assert try_parse_timecode("9" * 400 + "s") is None
    assert time_from_url("https://youtu.be/x?t=" + "9" * 400) is None
    assert parse_timecode("9" * 20 + "s") == 1e20


def test_infinite_and_nan_times_format_without_crashing() -> None:
    url = "https://www.youtube.com/watch?v=abc"
    assert url_at_time(url, math.inf) == url
    assert url_at_time(url, math.nan) == url
    assert format_timecode(math.inf) == "0:00"
    assert format_compact(math.nan) == "0s"
    assert url_at_time(url, 244.9) == url + "&t=244s"


def test_front_matter_duration_too_large_is_ignored() -> None:
    text = f"---\nduration: {'9' * 400}s\n---\nA paragraph.\n"
    source = markdown.read(text, "talk.md", "talk")
    assert source.duration is None
    assert [s.text for s in source.segments] == ["A paragraph."]


DATED_TWICE = """[00:00:00](https://youtu.be/x?t=0) So we begin.
Ana: we begin with the tide tables

[00:00:00](https://youtu.be/x?t=0) So we begin.
Ana: yes

[00:00:07](https://youtu.be/x?t=7) Then we begin with the tide tables
"""


# Dating an untimed paragraph from a later timed line put 0:07 before 0:00 on the timeline.
def test_dating_paragraphs_never_puts_the_timeline_out_of_order() -> None:
    source = markdown.read(DATED_TWICE, "talk.md", "talk")
    starts = [s.start for s in source.segments if s.start is not None]
    assert starts == [0.0, 0.0, 7.0]
    assert source.segments[-1].text == "Then we begin with the tide tables"
    check_source(source, sorted_times=True)
