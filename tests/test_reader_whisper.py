"""Whisper-style JSON reading: the common shapes, metadata and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.library.errors import SourceError
from readmark.library.loading import load_path
from readmark.library.model import Role, Source
from readmark.library.readers import whisper_json

DATA = Path(__file__).parent / "data" / "subtitles"

OPENAI = {
    "text": " Good morning. Today we talk about knots.",
    "language": "en",
    "segments": [
        {"id": 0, "start": 0.0, "end": 4.0, "text": " Good morning."},
        {"id": 1, "start": 4.0, "end": 9.5, "text": " Today we talk about knots."},
        {"id": 2, "start": 9.5, "end": 12.0, "text": " First, the bowline."},
    ],
}


def _read(data: Any, stem: str = "knots_lecture") -> Source:
    return whisper_json.read(json.dumps(data), f"talks/{stem}.json", stem)


def test_sniff_by_content() -> None:
    assert whisper_json.sniff("a.json", json.dumps(OPENAI)) == 0.9
    assert whisper_json.sniff("a.txt", '[{"start": 0, "end": 1, "text": "hi"}]') == 0.8
    assert whisper_json.sniff("a.json", '{"text": "hello"}') == 0.3
    assert whisper_json.sniff("package.json", '{"name": "x", "version": "1"}') == 0.0
    assert whisper_json.sniff("a.md", "# Segments\n") == 0.0
    assert whisper_json.sniff("transcript", json.dumps(OPENAI)) == 0.9


def test_sniff_trusts_an_unrelated_extension_over_the_content() -> None:
    assert whisper_json.sniff("notes.md", json.dumps(OPENAI)) == 0.0
    assert whisper_json.sniff("talk.srt", json.dumps(OPENAI)) == 0.0


def test_openai_shape_keeps_one_segment_per_sentence() -> None:
    source = _read(OPENAI)

    assert source.format == "whisper-json"
    assert source.title == "Knots lecture"
    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("Good morning.", 0.0, 4.0),
        ("Today we talk about knots.", 4.0, 9.5),
        ("First, the bowline.", 9.5, 12.0),
    ]
    assert {s.role for s in source.segments} == {Role.CUE}
    assert source.duration == 12.0
    assert source.warnings == []


def test_bare_list_of_segments() -> None:
    source = _read([{"start": 1.5, "end": 3, "text": "Hello there."}])

    assert [(s.text, s.start, s.end) for s in source.segments] == [("Hello there.", 1.5, 3.0)]


def test_whisperx_words_speakers_and_metadata() -> None:
    text = (DATA / "harbour_interview.json").read_text(encoding="utf-8")
    source = whisper_json.read(text, "harbour_interview.json", "harbour_interview")

    assert [(s.speaker, s.text, s.start, s.end) for s in source.segments] == [
        ("SPEAKER_00", "Welcome aboard.", 0.5, 3.0),
        ("SPEAKER_01", "Thanks for having me.", 3.2, 6.0),
        ("SPEAKER_01", "The tide turns at noon.", 6.1, 8.0),
    ]
    assert source.speakers == ["SPEAKER_00", "SPEAKER_01"]
    assert source.title == "Harbour Interview"
    assert source.url == "https://www.youtube.com/watch?v=abc123"
    assert source.channel == "Coastal Radio"
    assert source.date == "2024-01-31"


def test_nested_metadata_and_explicit_duration() -> None:
    data = {
        "metadata": {"title": "Rope Work", "authors": "R. Vance", "tags": ["knots", 3]},
        "duration": 600,
        "segments": [{"start": 0, "end": 2, "text": "Hi."}],
    }
    source = _read(data)

    assert (source.title, source.authors, source.tags) == ("Rope Work", ["R. Vance"], ["knots"])
    assert source.duration == 600.0


def test_hugging_face_chunks() -> None:
    data = {
        "text": "Tie it. Pull.",
        "chunks": [
            {"timestamp": [0.0, 1.2], "text": " Tie it."},
            {"timestamp": [1.2, None], "text": " Pull."},
        ],
    }
    source = _read(data)

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("Tie it.", 0.0, 1.2),
        ("Pull.", 1.2, 1.2),
    ]


def test_text_only_transcript_is_untimed_with_a_warning() -> None:
    source = _read({"text": "First part.\n\nSecond part."})

    assert [(s.text, s.start) for s in source.segments] == [
        ("First part.", None),
        ("Second part.", None),
    ]
    assert source.warnings == ["The transcript has no timed segments, only text."]


def test_segments_without_start_are_kept_untimed_and_reported() -> None:
    data = [
        {"start": 2.0, "end": 3.0, "text": "One"},
        {"end": 5.0, "text": "Two"},
        {"start": "0:09", "end": 10, "text": "Three"},
        "not a segment",
        {"start": -1, "text": "Four."},
        {"start": 1.0, "end": 2.0, "text": "Zero."},
    ]
    source = _read(data)

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("Zero.", 1.0, 2.0),
        ("One", 2.0, 3.0),
        ("Two", None, None),
        ("Three", 9.0, 10.0),
        ("Four.", None, None),
    ]
    assert source.duration == 10.0
    assert source.warnings == [
        "1 segment(s) were not JSON objects and were skipped.",
        "2 segment(s) had no usable start time; they are kept, without a time.",
    ]


def test_a_segment_without_speaker_does_not_inherit_one() -> None:
    data = [
        {"start": 0.0, "end": 2.0, "text": " So we sailed", "speaker": "SPEAKER_01"},
        {"start": 2.0, "end": 4.0, "text": " out past the buoy"},
        {"start": 4.0, "end": 6.0, "text": " and back.", "speaker": "SPEAKER_01"},
    ]
    source = _read(data)

    assert [(s.speaker, s.text, s.start) for s in source.segments] == [
        ("SPEAKER_01", "So we sailed", 0.0),
        (None, "out past the buoy", 2.0),
        ("SPEAKER_01", "and back.", 4.0),
    ]


def test_whisper_special_tokens_are_removed() -> None:
    data = {
        "segments": [
            {"start": 0.0, "end": 2.4, "text": "<|en|><|transcribe|><|0.00|> Hello there.<|2.40|>"},
            {"start": 2.4, "end": 3.0, "text": "<|endoftext|>"},
            {
                "start": 3.0,
                "end": 4.0,
                "words": [{"word": "<|3.00|>Bye"}, {"word": " now.<|4.00|>"}],
            },
        ]
    }
    source = _read(data)

    assert [(s.text, s.start) for s in source.segments] == [
        ("Hello there.", 0.0),
        ("Bye now.", 3.0),
    ]
    assert "<|" not in source.text


def test_invalid_json_names_the_file() -> None:
    with pytest.raises(SourceError) as caught:
        whisper_json.read('{"segments": [', "talks/broken.json", "broken")

    assert str(caught.value).startswith("talks/broken.json is not valid JSON: Expecting value")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "x"},
            'talks/knots_lecture.json is JSON but not a transcript: it has no "segments" list',
        ),
        (
            "just a string",
            "talks/knots_lecture.json is JSON but not a transcript: it holds a string",
        ),
        (
            {"segments": {"start": 0}},
            'talks/knots_lecture.json: "segments" is an object, not a list of segments.',
        ),
        (
            {"segments": [1, 2]},
            "talks/knots_lecture.json: the segments are numbers, not objects",
        ),
    ],
)
def test_wrong_shapes_give_a_clear_error(data: Any, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        _read(data)

    assert str(caught.value).startswith(message)


def test_empty_segment_list_is_an_empty_transcript() -> None:
    source = _read({"segments": []})

    assert source.segments == []
    assert source.warnings == ["The transcript has no text."]


def _assert_sane(source: Source) -> None:
    timed = [s.start for s in source.segments if s.start is not None]
    assert all(start >= 0 for start in timed)
    assert timed == sorted(timed)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_source_error(text: str) -> None:
    try:
        source = whisper_json.read(text, "x.json", "x")
    except SourceError:
        return
    _assert_sane(source)


_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["start", "end", "text", "speaker", "words", "word", "segments"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_arbitrary_json_raises_only_source_error(data: Any) -> None:
    try:
        source = whisper_json.read(json.dumps(data), "x.json", "x")
    except SourceError:
        return
    _assert_sane(source)


def test_invalid_json_error_does_not_start_with_the_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"segments": [', encoding="utf-8")
    error = load_path(path, "broken.json").error
    assert error is not None and error.startswith("not valid JSON")
