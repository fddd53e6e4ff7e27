"""Line times survive joining: each segment keeps the times the file gives inside it (marks),
and every time readmark cites or shows is one of them."""

from __future__ import annotations

import json
from pathlib import Path

from readmark.annotations.anchoring import find_quote, new_annotation, span_metadata
from readmark.annotations.citation import cite
from readmark.annotations.model import Kind
from readmark.annotations.quote_check.timing import time_at
from readmark.annotations.workspace import Workspace
from readmark.library.loading import load_path, split_long_segments
from readmark.library.model import Mark, Source
from readmark.library.readers import markdown, srt, vtt
from readmark.library.summary import summarise
from readmark.library.vault import Vault
from readmark.tui.cli.show import source_json

LECTURE = """\
WEBVTT

00:00:00.000 --> 00:00:04.000
so the first thing to know about

00:00:04.000 --> 00:00:09.500
glaciers is that they move slowly but

00:00:09.500 --> 00:00:14.000
they carry whole mountains with them

00:00:14.000 --> 00:00:20.000
over thousands of years and that is
"""

TURN = """\
**Ana** [00:01:00]

The harbour wall went up in nineteen twelve.

Nobody thought the sea would reach it again.

**Ben** [00:02:30]

It did, twice.
"""


def lecture() -> Source:
    return vtt.read(LECTURE, "talks/glaciers.vtt", "glaciers")


def offset_of(source: Source, words: str) -> int:
    at = source.text.find(words)
    assert at >= 0, words
    return at


def test_joined_captions_keep_each_line_time_where_its_words_begin() -> None:
    source = lecture()
    assert len(source.segments) == 1  # one sentence, cut over four captions
    segment = source.segments[0]
    assert [segment.text[m.offset :].split()[0] for m in segment.marks] == [
        "so",
        "glaciers",
        "they",
        "over",
    ]
    assert [m.time for m in segment.marks] == [0.0, 4.0, 9.5, 14.0]
    assert segment.marks[0] == Mark(0, 0.0) and segment.given_start


def test_a_quote_inside_a_joined_segment_is_cited_at_its_own_line() -> None:
    source = lecture()
    start = offset_of(source, "they carry whole mountains")
    end = start + len("they carry whole mountains")
    begin, finish, _ = span_metadata(source, start, end)
    # The segment starts at 0:00; the line with these words at 0:09.5, and is over by 0:14.
    assert (begin, finish) == (9.5, 14.0)
    annotation = new_annotation(source, start, end, Kind.HIGHLIGHT)
    source.url = "https://video.example/glaciers"
    assert cite(annotation, source, "plain", templates={}).endswith("glaciers#t=9")
    assert time_at(source, start) == 9.5


def test_a_turns_later_paragraph_is_cited_at_the_turns_time_never_its_estimate() -> None:
    source = markdown.read(TURN, "talks/harbour.md", "harbour")
    first, later, reply = (s for s in source.segments if s.role == "paragraph")
    assert first.marks == (Mark(0, 60.0),) and reply.marks == (Mark(0, 150.0),)
    # The later paragraph is placed between the two times for jumps, as an estimate only.
    assert later.marks == () and not later.given_start
    assert later.start is not None and 60.0 < later.start < 150.0
    start = offset_of(source, "Nobody thought")
    assert span_metadata(source, start, start + 14)[0] == 60.0
    assert source.time_given_at(start) == 60.0


def test_show_json_gives_each_segments_marks_and_each_chapters_segment() -> None:
    text = (
        "---\nchapters:\n  - '0:00 Start'\n  - '0:09 Mountains'\n---\n"
        "[0:00] so the first thing to know about\n[0:04] glaciers is that they move slowly but\n"
        "[0:09] they carry whole mountains with them\n[0:14] over thousands of years and that\n"
        "[0:20] is why the valleys are wide\n[0:25] and shaped like the letter u\n"
    )
    source = markdown.read(text, "glaciers.md", "glaciers")
    shown = json.loads(json.dumps(source_json(source)))
    first, second = shown["segments"]
    assert first["marks"] == [{"offset": 0, "time": 0.0}, {"offset": 33, "time": 4.0}]
    assert second["text"].startswith("they carry")  # the chapter at 0:09 splits the paragraph
    assert [m["time"] for m in second["marks"]] == [9.0, 14.0, 20.0, 25.0]
    assert shown["outline"] == [
        {"title": "Start", "start": 0.0, "segment": 0},
        {"title": "Mountains", "start": 9.0, "segment": 1},
    ]
    assert (shown["first_time"], shown["last_time"]) == (0.0, 25.0)


def test_last_time_is_the_last_time_the_file_gives() -> None:
    summary = summarise(lecture())
    # The only segment starts at 0:00; its last line is timed 0:14.
    assert (summary.timed_segments, summary.first_time, summary.last_time) == (1, 0.0, 14.0)


def test_the_listing_cache_holds_the_last_given_time(tmp_path: Path) -> None:
    (tmp_path / "glaciers.vtt").write_text(LECTURE, encoding="utf-8")
    cold = Vault(tmp_path).scan().sources
    warm = Vault(tmp_path).scan().sources  # from the listing cache this time
    assert [s.last_time for s in cold] == [s.last_time for s in warm] == [14.0]


def test_a_long_segment_split_for_the_reader_keeps_its_marks() -> None:
    source = lecture()
    split = split_long_segments(source, limit=40)
    marks = [(s.char_start + m.offset, m.time) for s in split.segments for m in s.marks]
    assert [split.text[o:].split()[0] for o, _ in marks] == ["so", "glaciers", "they", "over"]
    assert [t for _, t in marks] == [0.0, 4.0, 9.5, 14.0]
    for segment in split.segments:
        if segment.marks and segment.marks[0].offset == 0:
            assert segment.start == segment.marks[0].time


def test_per_cue_labels_leave_an_unlabelled_cue_to_nobody() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nIona Reyes: Are we still on for Friday?\n\n"
        "2\n00:00:03,500 --> 00:00:04,000\nyes.\n\n"
        "3\n00:00:04,500 --> 00:00:07,000\nIona Reyes: Good, I will bring the\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\nmaps and the flask.\n\n"
        "5\n00:00:08,500 --> 00:00:10,000\nTomas Berg: Bring two flasks.\n"
    )
    source = srt.read(text, "call.srt", "call")
    assert [(s.speaker, s.text) for s in source.segments] == [
        ("Iona Reyes", "Are we still on for Friday?"),
        (None, "yes."),
        # An unlabelled cue that finishes the sentence before is the same speaker's.
        ("Iona Reyes", "Good, I will bring the maps and the flask."),
        ("Tomas Berg", "Bring two flasks."),
    ]


def test_labels_only_at_changes_of_speaker_carry_on_as_turns() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nMARA: Where were you last night?\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nI waited an hour.\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nOSKAR: At the lab.\n\n"
        "4\n00:00:07,000 --> 00:00:09,000\nAsk anyone.\n\n"
        "5\n00:00:09,000 --> 00:00:11,000\nThey saw me.\n"
    )
    source = srt.read(text, "film.srt", "film")
    assert [s.speaker for s in source.segments] == ["MARA", "MARA", "OSKAR", "OSKAR", "OSKAR"]


def test_a_file_its_extension_cannot_read_is_read_by_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "pasted.srt"
    path.write_text(
        "0:00\nwe start with the hull\n0:04\nand then turn it over\n0:09\nto fit the keel\n",
        encoding="utf-8",
    )
    source = load_path(path, "pasted.srt")
    assert [m.time for s in source.segments for m in s.marks] == [0.0, 4.0, 9.0]
    assert source.warnings == ["nothing in the file reads as srt: read as text"]


def test_annotate_prefers_the_timed_turn_over_a_quote_block(tmp_path: Path) -> None:
    (tmp_path / "show.md").write_text(
        "# Episode 4\n\nNotable Quotes\n\n> “Salt is a clock.”\n\n## Transcript\n\n"
        "Iona Reyes (00:00:05): Welcome back.\n\n"
        "Tomas Berg (00:00:09): Salt is a clock. It tells you how long the fish waited.\n",
        encoding="utf-8",
    )
    with Workspace(tmp_path) as workspace:
        source = workspace.source("show.md")
        assert find_quote(source, "“Salt is a clock.”", "Salt is a clock.") == (
            offset_of(source, "Salt is a clock. It"),
            offset_of(source, "Salt is a clock. It") + len("Salt is a clock."),
        )
        made = workspace.annotate("show.md", "“Salt is a clock.”")
    assert (made.speaker, made.start) == ("Tomas Berg", 9.0)
