"""SubRip reading: timings, messy files, merging into readable segments, speakers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.library.model import Role, Source
from readmark.library.readers import srt

BASIC = """1
00:00:01,000 --> 00:00:04,000
The lighthouse keeper
climbed the stairs

2
00:00:04,000 --> 00:00:09,500
every evening at dusk.

3
00:00:09,500 --> 00:00:12,000
Nobody knew why.
"""


def test_sniff_by_name_and_by_content() -> None:
    assert srt.sniff("talk.srt", "") == 0.95
    assert srt.sniff("Talk.EN.SRT", "") == 0.95
    assert srt.sniff("talk.txt", BASIC[:200]) == 0.85
    assert srt.sniff("talk", BASIC[:200]) == 0.85
    assert srt.sniff("talk.txt", "\ufeff" + BASIC[:60]) == 0.85
    assert srt.sniff("notes.txt", "Just some notes.\n\n1. first\n2. second\n") == 0.0
    assert srt.sniff("talk.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n") == 0.0


def test_sniff_trusts_an_unrelated_extension_over_the_content() -> None:
    # A note that quotes a subtitle file stays a note.
    assert srt.sniff("quoting-subtitles.md", BASIC) == 0.0
    assert srt.sniff("cues.json", BASIC) == 0.0


def test_a_head_of_blank_lines_is_not_subrip() -> None:
    assert srt.sniff("blank.txt", "\n" * 8000 + "1\n") == 0.0


def test_cues_join_until_a_sentence_ends() -> None:
    source = srt.read(BASIC, "subs/the_keeper-story.srt", "the_keeper-story")

    assert source.format == "srt"
    assert source.title == "The keeper story"
    assert source.duration == 12.0
    assert [s.text for s in source.segments] == [
        "The lighthouse keeper climbed the stairs every evening at dusk.",
        "Nobody knew why.",
    ]
    assert [(s.start, s.end) for s in source.segments] == [(1.0, 9.5), (9.5, 12.0)]
    assert {s.role for s in source.segments} == {Role.CUE}
    assert source.text.startswith("The lighthouse keeper climbed")
    assert source.warnings == []


def test_each_sentence_keeps_its_own_time() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nFirst line.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nSecond line.\n"
    )
    source = srt.read(text, "s.srt", "s")

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("First line.", 1.0, 3.0),
        ("Second line.", 3.0, 4.0),
    ]


def test_short_sentences_are_not_gathered() -> None:
    text = "".join(
        f"{i + 1}\n00:00:{i * 2:02d},000 --> 00:00:{i * 2 + 2:02d},000\nLine {i + 1}.\n\n"
        for i in range(6)
    )
    source = srt.read(text, "s.srt", "s")

    assert [s.text for s in source.segments] == [f"Line {i}." for i in range(1, 7)]
    assert [s.start for s in source.segments] == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]


def test_sentences_cut_across_cues_are_joined_at_their_ends() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\nThe first thing we noticed\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nwas the smell of the sea. Then\n\n"
        "3\n00:00:05,000 --> 00:00:07,000\nthe gulls came,\n\n"
        '4\n00:00:07,000 --> 00:00:09,000\nshrieking "mine!"\n\n'
        "5\n00:00:09,000 --> 00:00:10,000\nWe asked Dr.\n\n"
        "6\n00:00:10,000 --> 00:00:11,000\nOkafor why\u2026\n"
    )
    source = srt.read(text, "s.srt", "s")

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        (
            "The first thing we noticed was the smell of the sea. Then the gulls came, "
            'shrieking "mine!"',
            1.0,
            9.0,
        ),
        ("We asked Dr. Okafor why\u2026", 9.0, 11.0),
    ]


def test_speech_without_punctuation_breaks_every_twenty_seconds() -> None:
    text = "".join(
        f"{i + 1}\n00:00:{i * 5:02d},000 --> 00:00:{i * 5 + 5:02d},000\nword{i}\n\n"
        for i in range(10)
    )
    source = srt.read(text, "s.srt", "s")

    assert [(s.start, s.end) for s in source.segments] == [(0.0, 20.0), (20.0, 40.0), (40.0, 50.0)]
    assert source.segments[1].text == "word4 word5 word6 word7"


def test_a_pause_of_two_seconds_starts_a_new_segment() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nand so\n\n"
        "2\n00:00:03,900 --> 00:00:04,000\nwe waited\n\n"
        "3\n00:00:06,000 --> 00:00:07,000\nand waited\n"
    )
    source = srt.read(text, "s.srt", "s")

    assert [(s.text, s.start) for s in source.segments] == [
        ("and so we waited", 1.0),
        ("and waited", 6.0),
    ]


def test_messy_file_is_read_with_warnings_not_errors() -> None:
    lines = [
        "1",
        "00:00:01,000 --> 00:00:02,000",
        "First cue,",
        "",
        "still the first cue.",  # a blank line inside a cue
        "2",  # no blank line before the next cue
        "00:00:02.500 --> 00:00:03,000",  # a dot instead of a comma
        "Second cue.",
        "",
        "3",
        "00:00:04,000 -> 00:00:05,000",  # a broken arrow
        "Lost cue.",
        "",
        "4",
        "00:00:61,000 --> 00:00:62,000",  # seconds past 59
        "Also lost.",
        "",
        "5",
        "00:00:20,000 --> 00:00:21,000",
        "Last cue.",
        "",
    ]
    text = "\ufeff" + "\r\n".join(lines)

    source = srt.read(text, "messy.srt", "messy")

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("First cue, still the first cue.", 1.0, 2.0),
        ("Second cue.", 2.5, 3.0),
        ("Last cue.", 20.0, 21.0),
    ]
    assert source.warnings == [
        "2 cues skipped: the timing line could not be read (line 11, 15); "
        "expected `00:00:05,500 --> 00:00:07,000`."
    ]


def test_cue_ending_before_it_starts_is_kept_with_a_warning() -> None:
    source = srt.read("1\n00:00:05,000 --> 00:00:04,000\nBackwards.\n", "b.srt", "b")

    assert [(s.text, s.start, s.end) for s in source.segments] == [("Backwards.", 5.0, 5.0)]
    assert "1 cue end before they start (line 2)" in source.warnings[0]


def test_tags_and_entities_are_removed() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:03,000\n"
        '{\\an8}<i>Salt</i> &amp; <font color="#ffff00">pepper</font> &lt;3\n'
    )
    source = srt.read(text, "t.srt", "t")

    assert source.segments[0].text == "Salt & pepper <3"


def test_name_prefixes_give_speakers_and_carry_on() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nMARA: Where were you\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nlast night?\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nDr. Okafor: At the lab.\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\nDr. Okafor: Ask anyone.\n\n"
        "5\n00:00:05,000 --> 00:00:06,000\nNote: this is not a speaker.\n"
    )
    source = srt.read(text, "d.srt", "d")

    assert [(s.speaker, s.text) for s in source.segments] == [
        ("MARA", "Where were you last night?"),
        ("Dr. Okafor", "At the lab."),
        ("Dr. Okafor", "Ask anyone."),
        # The file labels each cue (Dr. Okafor twice in a row): an unlabelled cue after a
        # finished sentence is nobody's, not the last speaker's.
        (None, "Note: this is not a speaker."),
    ]
    assert source.speakers == ["MARA", "Dr. Okafor"]


def test_dialogue_dashes_split_a_cue_into_turns() -> None:
    text = "1\n00:00:01,000 --> 00:00:03,000\n- Tea?\n- JUN: Yes, please.\n"
    source = srt.read(text, "d.srt", "d")

    assert [(s.speaker, s.text, s.start) for s in source.segments] == [
        (None, "Tea?", 1.0),
        ("JUN", "Yes, please.", 1.0),
    ]


def test_empty_file_gives_a_warning_and_no_segments() -> None:
    source = srt.read("", "empty.srt", "empty")

    assert source.segments == []
    assert source.duration is None
    assert source.warnings == ["No subtitle cues were found; is this really a SubRip file?"]


def _long_srt(cues: int) -> str:
    parts = []
    for i in range(cues):
        start, end = i * 3, i * 3 + 3
        parts.append(
            f"{i + 1}\n{_clock(start)},000 --> {_clock(end)},500\n"
            f"<i>Sentence number {i}</i> goes on for a while\nand then it ends.\n"
        )
    return "\n".join(parts)


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def test_a_three_hour_file_reads_into_sentence_sized_segments() -> None:
    # Its speed is measured in bench/bench_library.py, not here.
    source = srt.read(_long_srt(3600), "long.srt", "long")

    assert source.duration == 10800.5
    assert len(source.segments) == 3600  # one sentence per cue
    at = source.segment_at(3000.0)
    assert at is not None
    assert (at.start, at.text) == (
        3000.0,
        "Sentence number 1000 goes on for a while and then it ends.",
    )


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    _assert_sane(srt.read(text, "x.srt", "x"))


_TIMING = st.builds(
    lambda a, b: f"{_clock(a)},{a % 1000:03d} --> {_clock(b)},000",
    st.integers(0, 40000),
    st.integers(0, 40000),
)
_LINE = st.one_of(
    _TIMING,
    st.sampled_from(["", "1", "42", "- ", "JO: hi.", "<i>x</i>", "a --> b", "&amp;", "end."]),
    st.text(max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=40))
def test_cue_like_junk_never_crashes(lines: list[str]) -> None:
    _assert_sane(srt.read("\n".join(lines), "x.srt", "x"))


def _assert_sane(source: Source) -> None:
    starts = [s.start for s in source.segments if s.start is not None]
    assert len(starts) == len(source.segments)
    assert all(start >= 0 for start in starts)
    assert starts == sorted(starts)
    assert all(s.end is not None and s.end >= (s.start or 0) for s in source.segments)


def test_an_arrow_in_cue_text_is_text() -> None:
    text = "1\n00:00:01,000 --> 00:00:03,000\nInput --> output\n"
    source = srt.read(text, "a.srt", "a")

    assert [s.text for s in source.segments] == ["Input --> output"]
    assert source.warnings == []
