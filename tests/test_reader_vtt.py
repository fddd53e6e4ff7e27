"""WebVTT reading: blocks, cue settings, markup, speakers, auto captions, chapter tracks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.library.model import OutlineEntry, Role, Source
from readmark.library.readers import vtt

DATA = Path(__file__).parent / "data" / "subtitles"


def _texts(source: Source) -> list[str]:
    return [s.text for s in source.segments]


def test_sniff_by_header_and_by_name() -> None:
    assert vtt.sniff("a.txt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n") == 1.0
    assert vtt.sniff("a.vtt", "\ufeffWEBVTT - with a title\n") == 1.0
    assert vtt.sniff("a.vtt", "00:01.000 --> 00:02.000\nHi\n") == 0.9
    assert vtt.sniff("a.md", "# WEBVTT is a format\n") == 0.0
    assert vtt.sniff("captions", "WEBVTT\n") == 1.0
    assert vtt.sniff("captions.txt", "00:01.000 --> 00:02.000\nHi\n") == 0.0
    # A note that starts by quoting a caption file stays a note.
    assert vtt.sniff("notes.md", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n") == 0.0


def test_blocks_ids_settings_and_hourless_times() -> None:
    text = """WEBVTT - Ferry timetable talk
Kind: captions

STYLE
::cue { color: yellow }

REGION
id:left
width:40%

NOTE
Written by hand,
two lines of comment.

intro
00:01.000 --> 00:03.500 position:10%,line-left align:start region:left
The first ferry leaves
at six.

7
01:02:03.250 --> 01:02:05.000 size:35%
The last one at ten.

NOTE the end
"""
    source = vtt.read(text, "ferries.vtt", "ferries")

    assert _texts(source) == ["The first ferry leaves at six.", "The last one at ten."]
    assert [(s.start, s.end) for s in source.segments] == [(1.0, 3.5), (3723.25, 3725.0)]
    assert source.duration == 3725.0
    assert source.format == "vtt"
    assert source.warnings == []


def test_note_between_cues_is_not_text() -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nOne,\n\nNOTE not shown\n\n"
        "00:02.000 --> 00:03.000\ntwo.\n"
    )
    assert _texts(vtt.read(text, "n.vtt", "n")) == ["One, two."]


def test_markup_is_removed_and_entities_decoded() -> None:
    text = (
        "WEBVTT\n\n00:00.000 --> 00:04.000\n"
        "<b>Bold</b> <i>and</i> <u>plain</u> <c.yellow.bg_blue>colour</c> "
        "<lang fr>merci</lang> <ruby>東京<rt>とうきょう</rt></ruby>\n"
        "fish &amp; chips &lt;hot&gt;&nbsp;now&lrm;!\n"
    )
    source = vtt.read(text, "m.vtt", "m")

    assert _texts(source) == ["Bold and plain colour merci 東京 fish & chips <hot> now!"]


def test_voice_spans_give_speakers() -> None:
    text = """WEBVTT

00:00.000 --> 00:02.000
<v Ines Duarte>Are the nets ready?</v>

00:02.000 --> 00:04.000
<v.loud Tomas>Almost!

00:04.000 --> 00:06.000
<v.loud Tomas>Give me a minute.
"""
    source = vtt.read(text, "v.vtt", "v")

    assert [(s.speaker, s.text) for s in source.segments] == [
        ("Ines Duarte", "Are the nets ready?"),
        ("Tomas", "Almost!"),
        ("Tomas", "Give me a minute."),
    ]
    assert source.speakers == ["Ines Duarte", "Tomas"]


def test_a_cue_without_a_voice_has_no_speaker_and_is_not_merged() -> None:
    text = """WEBVTT

00:00.000 --> 00:02.000
<v Ines>The nets are

00:02.000 --> 00:04.000
in the shed, and

00:04.000 --> 00:06.000
<v Ines>the boat is ready.
"""
    source = vtt.read(text, "v.vtt", "v")

    assert [(s.speaker, s.text, s.start) for s in source.segments] == [
        ("Ines", "The nets are", 0.0),
        (None, "in the shed, and", 2.0),
        ("Ines", "the boat is ready.", 4.0),
    ]
    assert source.speakers == ["Ines"]


def test_overlapping_positioned_sentences_keep_their_own_starts() -> None:
    text = """WEBVTT

00:00:00.000 --> 00:00:04.000 position:10%,line-left align:left size:35%
Which way did the dog run?

00:00:03.000 --> 00:00:06.500 position:90% align:right size:35%
Down to the pier, I think.

00:00:04.000 --> 00:00:06.500 position:45%,line-right align:center size:35%
Then hurry!
"""
    source = vtt.read(text, "p.vtt", "p")

    assert [(s.text, s.start, s.end) for s in source.segments] == [
        ("Which way did the dog run?", 0.0, 4.0),
        ("Down to the pier, I think.", 3.0, 6.5),
        ("Then hurry!", 4.0, 6.5),
    ]
    assert source.segment_at(3.5) == source.segments[1]


def test_two_voices_in_one_cue_become_two_segments() -> None:
    text = "WEBVTT\n\n00:05.000 --> 00:07.000\n<v Ana>Left?\n<v Ben>Right.\n"
    source = vtt.read(text, "v.vtt", "v")

    assert [(s.speaker, s.text, s.start) for s in source.segments] == [
        ("Ana", "Left?", 5.0),
        ("Ben", "Right.", 5.0),
    ]


def test_youtube_auto_captions_read_once() -> None:
    text = (DATA / "tide_pools.en.vtt").read_text(encoding="utf-8")
    source = vtt.read(text, "tide_pools.en.vtt", "tide_pools.en")

    assert source.title == "Tide pools"
    assert _texts(source) == [
        "so today we look at tide pools and the creatures living there [Music]"
    ]
    assert (source.segments[0].start, source.segments[0].end) == (0.0, 9.0)


def test_roll_up_captions_without_word_timings_are_deduplicated() -> None:
    lines = ["the river", "rises in spring", "and floods the", "lower fields", "every year"]
    cues = [lines[0]] + [f"{a}\n{b}" for a, b in zip(lines, lines[1:], strict=False)]
    text = "WEBVTT\n\n" + "".join(
        f"00:0{i}.000 --> 00:0{i + 1}.000\n{cue}\n\n" for i, cue in enumerate(cues)
    )
    source = vtt.read(text, "r.vtt", "r")

    assert _texts(source) == ["the river rises in spring and floods the lower fields every year"]


def test_a_single_repeated_line_is_not_taken_for_rolling_captions() -> None:
    text = (
        "WEBVTT\n\n00:01.000 --> 00:02.000\nNo.\n\n00:02.000 --> 00:03.000\nNo.\n\n"
        "00:03.000 --> 00:04.000\nWell, maybe.\n"
    )
    assert _texts(vtt.read(text, "n.vtt", "n")) == ["No.", "No.", "Well, maybe."]


CHAPTERS = """WEBVTT

1
00:00:00.000 --> 00:02:00.000
Opening remarks

2
00:02:00.000 --> 00:09:30.000
Why tides matter

3
00:09:30.000 --> 00:15:00.000
Questions from the floor
"""


def test_long_title_like_cues_are_read_as_chapters() -> None:
    source = vtt.read(CHAPTERS, "talk.vtt", "talk")

    assert _texts(source) == ["Opening remarks", "Why tides matter", "Questions from the floor"]
    assert {s.role for s in source.segments} == {Role.HEADING}
    assert source.outline == [
        OutlineEntry("Opening remarks", 0.0, 0),
        OutlineEntry("Why tides matter", 120.0, 1),
        OutlineEntry("Questions from the floor", 570.0, 2),
    ]
    assert source.duration == 900.0


def test_a_file_named_chapters_is_a_chapter_track_even_with_short_cues() -> None:
    text = "WEBVTT\n\n00:00.000 --> 00:05.000\nStart\n\n00:05.000 --> 00:09.000\nEnd\n"

    named = vtt.read(text, "talk.chapters.vtt", "talk.chapters")
    plain = vtt.read(text, "talk.vtt", "talk")

    assert named.title == "Talk"
    assert [e.title for e in named.outline] == ["Start", "End"]
    assert plain.outline == []
    assert [s.role for s in plain.segments] == [Role.CUE]


def test_speech_is_not_mistaken_for_chapters() -> None:
    text = (
        "WEBVTT\n\n00:00.000 --> 00:30.000\nWe sailed at dawn.\n\n"
        "00:30.000 --> 01:00.000\nThe wind dropped by noon.\n"
    )
    source = vtt.read(text, "s.vtt", "s")

    assert source.outline == []
    assert _texts(source) == ["We sailed at dawn.", "The wind dropped by noon."]


def test_overlapping_cues_are_put_in_time_order() -> None:
    text = (
        "WEBVTT\n\n00:04.000 --> 00:06.000\n<v B>Later.\n\n00:01.000 --> 00:05.000\n<v A>Earlier.\n"
    )
    source = vtt.read(text, "o.vtt", "o")

    assert [(s.speaker, s.start) for s in source.segments] == [("A", 1.0), ("B", 4.0)]


def test_missing_header_and_bad_timings_are_warnings() -> None:
    text = "00:01.000 --> 00:02.000\nKept.\n\n00:02.000 --> soon\nLost.\n"
    source = vtt.read(text, "h.vtt", "h")

    assert _texts(source) == ["Kept."]
    assert source.warnings == [
        "The file does not start with WEBVTT; it was read anyway.",
        "1 cue skipped: the timing line could not be read (line 4); "
        "expected `00:00:05,500 --> 00:00:07,000`.",
    ]


def test_only_a_header_gives_no_segments() -> None:
    source = vtt.read("WEBVTT\n\nNOTE nothing yet\n", "e.vtt", "e")

    assert source.segments == []
    assert source.warnings == ["No subtitle cues were found."]


_LINE = st.one_of(
    st.sampled_from(
        [
            "WEBVTT",
            "",
            " ",
            "NOTE",
            "STYLE",
            "00:01.000 --> 00:02.000 align:start",
            "00:00:03.000 --> 00:00:01.000",
            "<v Ann>hi",
            "- Yes.",
            "<00:00:01.000><c> word</c>",
            "BOB: ok.",
        ]
    ),
    st.text(max_size=20),
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.lists(_LINE, max_size=40).map("\n".join)))
def test_arbitrary_text_never_crashes(text: str) -> None:
    source = vtt.read(text, "x.vtt", "x")

    starts = [s.start for s in source.segments if s.start is not None]
    assert len(starts) == len(source.segments)
    assert all(start >= 0 for start in starts)
    assert starts == sorted(starts)
