"""Smaller shapes of real notes and transcripts, beside the fixtures of test_real_shapes."""

from __future__ import annotations

import json

from readmark.library.readers import markdown, whisper_json
from readmark.library.readers.text.inline import reduce_inline


def test_escaped_punctuation_and_backticks_read_as_written() -> None:
    assert reduce_inline(r"a constant named \`add\` costs US\$0.0084 \#3") == (
        "a constant named `add` costs US$0.0084 #3"
    )
    assert reduce_inline(r"`code` and \`not code\`") == "code and `not code`"


def test_a_chapter_list_without_a_label_is_known_by_the_times_starting_again() -> None:
    source = markdown.read(
        "A talk about rivers.\n\n"
        "0:00 Welcome\n1:10 Meanders\n2:40 Oxbow lakes\n\n"
        "[0:00] so today rivers. [0:05] they bend.\n\n[0:09] and they wander.\n\n"
        "[1:12] a meander grows. \n\n[2:45] and then it is cut off.\n",
        "rivers.md",
        "rivers",
    )
    assert [(e.title, e.start) for e in source.outline] == [
        ("Welcome", 0.0),
        ("Meanders", 70.0),
        ("Oxbow lakes", 160.0),
    ]
    times = [m.time for s in source.segments for m in s.marks]
    assert times == sorted(times) and times[0] == 0.0  # the list is not on the timeline


def test_broken_toml_front_matter_is_a_warning() -> None:
    source = markdown.read('+++\ntitle = "Unclosed\n+++\n\nBody text.\n', "n.md", "n")
    assert source.warnings == ["front matter is not valid TOML (line 2); metadata ignored"]
    assert [s.text for s in source.segments] == ["Body text."]


def test_utterances_in_milliseconds_without_a_duration() -> None:
    data = {
        "utterances": [
            {"speaker": "A", "start": 1_200, "end": 40_000, "text": "It began in the spring."},
            {"speaker": "B", "start": 41_000, "end": 90_500, "text": "Which spring?"},
        ]
    }
    source = whisper_json.read(json.dumps(data), "a.json", "a")
    assert [(s.speaker, s.start, s.end) for s in source.segments] == [
        ("Speaker A", 1.2, 40.0),
        ("Speaker B", 41.0, 90.5),
    ]


def test_turns_are_one_segment_each_even_mid_sentence() -> None:
    data = {
        "turns": [
            {"speaker": "SPEAKER_00", "start": 1.0, "end": 3.0, "text": "So the plan is"},
            {"speaker": "SPEAKER_00", "start": 3.2, "end": 5.0, "text": "to wait a week"},
        ]
    }
    source = whisper_json.read(json.dumps(data), "t.json", "t")
    assert [s.text for s in source.segments] == ["So the plan is", "to wait a week"]


def test_a_paragraph_opened_by_a_label_that_is_no_speaker_is_nobodys() -> None:
    going_on = "\n\n".join(f"The tide turned at {n} o'clock." for n in range(1, 15))
    source = markdown.read(
        "Mira: The ferry left before dawn.\n\nTomas: I was on it.\n\nMira: You slept.\n\n"
        f"Tomas: I did not.\n\n{going_on}\n\nJane Okafor: Everyone off.\n\nAnd take your bags.\n",
        "f.md",
        "f",
    )
    speakers = [s.speaker for s in source.segments]
    # A label met once, far from the conversation, is no speaker: its paragraph is nobody's,
    # not Tomas's, and neither is the one after it.
    assert speakers[:4] == ["Mira", "Tomas", "Mira", "Tomas"]
    assert speakers[-2:] == [None, None]
    assert source.segments[-2].text == "Jane Okafor: Everyone off."
