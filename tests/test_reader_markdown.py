"""The Markdown reader: front matter, transcripts, key points, articles, titles and outlines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.library.errors import SourceError
from readmark.library.model import Role, Source
from readmark.library.readers import markdown
from readmark.library.readers.text.dates import parse_date
from readmark.library.readers.text.front_matter import read_metadata

DATA = Path(__file__).parent / "data" / "text"


def read(text: str, stem: str = "some_note") -> Source:
    return markdown.read(text, f"notes/{stem}.md", stem)


def test_transcript_with_front_matter_and_chapters_json_string() -> None:
    source = read((DATA / "lecture_notes.md").read_text(encoding="utf-8"), "lecture_notes")
    assert source.format == "markdown"
    assert source.title == "Tides and the Moon: Lecture 4"
    assert source.channel == "Harbour Science Club"
    assert source.date == "2025-09-11"
    assert source.duration == 610.0
    assert source.url == "https://www.youtube.com/watch?v=TIDE0004xyz"
    assert source.tags == ["oceans", "astronomy", "tides"]
    timed = source.timed_segments
    assert [(s.start, s.end) for s in timed] == [(0, 4), (4, 200), (200, 598), (598, 610)]
    assert timed[0].text == "Good evening, and welcome back to the harbour lectures."
    assert [(e.title, e.start, e.segment_index) for e in source.outline] == [
        ("Why water bulges", 0.0, timed[0].index),
        ("Spring and neap tides", 200.0, timed[2].index),
    ]
    assert not any("formats" in s.text or "iframe" in s.text for s in source.segments)
    assert source.warnings == [
        "left out 1 code block (4 lines, from line 19), 1 HTML lines, 1 images: not reading text"
    ]


def test_key_points_are_the_outline_and_link_stamps_give_times() -> None:
    source = read((DATA / "old_mill.md").read_text(encoding="utf-8"), "old_mill")
    assert source.title == "A Walk Through the Old Mill"
    assert source.date == "2024-05-02"
    assert source.duration == 750.0
    spoken = [s for s in source.segments if s.role is Role.PARAGRAPH]
    assert [(s.start, s.end, s.text) for s in spoken] == [
        (0.0, 15.0, "We start at the gate by the stream."),
        (15.0, 280.0, "Here is the wheel, still turning after [bold] claims."),
        (280.0, 750.0, "Up the ladder is the loft."),
    ]
    # The outline leads to the moment in the transcript, not to the key point itself.
    assert [(e.title, e.start, e.segment_index) for e in source.outline] == [
        ("The wheel", 15.0, spoken[1].index),
        ("The grain loft", 280.0, spoken[2].index),
    ]
    key_points = [s for s in source.segments if s.role is Role.LIST_ITEM]
    assert [(s.text, s.start, s.end) for s in key_points] == [
        # Their moments are in the outline; the segments stay off the media's timeline.
        ("The wheel (0:15) - how the wheel turns", None, None),
        ("The grain loft (4:40) - where sacks were kept", None, None),
    ]


def test_chapters_section_in_the_body_becomes_the_outline() -> None:
    source = read(
        "## Chapters\n\n- [00:00–01:00] Arrival\n- [01:00–02:00] Departure\n\n## Transcript\n\n"
        "- [00:00] We arrive.\n- [00:30] We wait.\n- [01:05] We leave.\n"
    )
    # A chapter begins at the line the file times nearest to it: `We leave.` (1:05), not
    # `We wait.` (0:30).
    assert [(e.title, e.start, source.segments[e.segment_index].text) for e in source.outline] == [
        ("Arrival", 0.0, "We arrive."),
        ("Departure", 60.0, "We leave."),
    ]
    assert [s.start for s in source.timed_segments] == [0.0, 30.0, 65.0]


def test_other_timestamp_shapes_in_a_body() -> None:
    source = read(
        "**00:00** Bold stamp.\n\n00:07 Bare stamp.\n\n00:09 - Bare again.\n\n[00:12] Bracket.\n"
    )
    assert [(s.start, s.end, s.text) for s in source.segments] == [
        (0.0, 7.0, "Bold stamp."),
        (7.0, 9.0, "Bare stamp."),
        (9.0, 12.0, "Bare again."),
        (12.0, None, "Bracket."),
    ]


def test_malformed_yaml_warns_with_the_line_and_reads_the_body() -> None:
    source = read(
        "---\ntitle: Fine\nbroken: [unclosed\nother: 1\n---\n\nThe body survives.\n", "raw_notes"
    )
    assert source.warnings == ["front matter is not valid YAML (line 4); metadata ignored"]
    assert source.title == "Raw notes"
    assert [s.text for s in source.segments] == ["The body survives."]


def test_front_matter_variants() -> None:
    source = read(
        "---\nTitle: 42\nuploader: Someone\nauthor: Ann Lee, Bo Chen\ndate: 2026-02-16\n"
        "duration_seconds: 3723\nwebpage_url: https://example.com/v\nsource: The Paper\n"
        "tags: [one, two]\nspeakers: [Ann Lee]\n---\nText.\n"
    )
    assert source.title == "42"
    assert source.channel == "Someone"
    assert source.authors == ["Ann Lee", "Bo Chen"]
    assert source.speakers == ["Ann Lee"]
    assert (source.date, source.duration, source.url, source.tags) == (
        "2026-02-16",
        3723.0,
        "https://example.com/v",
        ["one", "two"],
    )


def test_chapters_list_of_mappings_and_strings() -> None:
    source = read(
        "---\nchapters:\n  - {start: '1:00', title: Second}\n  - '0:00 First'\n---\n"
        "[0:00] one\n\n[0:30] two\n\n[1:10] three\n"
    )
    # `Second` (1:00) begins at the line the file times nearest to it, `three` (1:10).
    assert [(e.title, e.start, e.segment_index) for e in source.outline] == [
        ("First", 0.0, 0),
        ("Second", 60.0, 2),
    ]


def test_article_outline_is_its_headings_and_h1_is_the_title() -> None:
    source = read("# Field Notes on Moss\n\nIntro text.\n\n## Where It Grows\n\nOn stones.\n")
    assert source.title == "Field Notes on Moss"
    assert [(e.title, e.segment_index) for e in source.outline] == [
        ("Field Notes on Moss", 0),
        ("Where It Grows", 2),
    ]
    assert [s.role for s in source.segments] == [
        Role.HEADING,
        Role.PARAGRAPH,
        Role.HEADING,
        Role.PARAGRAPH,
    ]


def test_front_matter_title_wins_over_h1_and_h2_is_not_a_title() -> None:
    assert read("---\ntitle: From Meta\n---\n# From Heading\n").title == "From Meta"
    assert read("## Only a Section\n\ntext\n", "my-moss_notes").title == "My moss notes"


def test_clipped_note_in_markdown() -> None:
    source = read("# Owls at Dusk\nMarch 3, 2026 · Night Notes · birds\n\nThey wake late.\n")
    assert (source.title, source.date, source.channel, source.tags) == (
        "Owls at Dusk",
        "2026-03-03",
        "Night Notes",
        ["birds"],
    )
    assert [s.text for s in source.segments] == ["Owls at Dusk", "They wake late."]


def test_empty_body_and_empty_file() -> None:
    only_meta = read("---\ntitle: Nothing Here\n---\n")
    assert (only_meta.title, only_meta.segments, only_meta.text) == ("Nothing Here", [], "")
    empty = read("", "blank_page")
    assert (empty.title, empty.segments, empty.warnings) == ("Blank page", [], [])


def test_rich_markup_stays_literal() -> None:
    source = read("Press [bold red]stop[/] now, or [b]x[/b] \\[escaped\\].\n")
    assert source.text == "Press [bold red]stop[/] now, or [b]x[/b] [escaped]."


def test_links_and_emphasis_reduce_to_text() -> None:
    source = read("Read **the [guide](https://example.com/g)** and _then_ rest.\n")
    assert source.text == "Read the guide and then rest."


def test_sniff() -> None:
    assert markdown.sniff("a.md", "") == 0.9
    assert markdown.sniff("a.markdown", "") == 0.9
    assert markdown.sniff("a.txt", "---\ntitle: x\n---\n") == 0.7
    assert markdown.sniff("a.txt", "intro\n## Part\n") == 0.5
    assert markdown.sniff("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nhi\n") == 0.0


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab A:#-*>[]()`_!\n0123456789.·—"“” \t<>/=~§')),
        max_size=400,
    )
    | st.text(max_size=200)
)
def test_any_text_reads_with_consistent_offsets(text: str) -> None:
    try:
        source = read(text)
    except SourceError:
        return
    previous_end = 0
    for i, segment in enumerate(source.segments):
        assert segment.index == i
        assert 0 <= previous_end <= segment.char_start < segment.char_end <= len(source.text)
        assert source.text[segment.char_start : segment.char_end] == segment.text
        assert segment.start is None or segment.start >= 0
        previous_end = segment.char_end
    for entry in source.outline:
        assert 0 <= entry.segment_index < max(len(source.segments), 1)


COMMENTARY = """---
title: Reading the Harbour Report
url: https://www.youtube.com/watch?v=HARB77
---

## Highlights

> "Ports are patient machines."
> — Ines, [0:12](https://www.youtube.com/watch?v=HARB77&t=12s)

> "Cranes — and the people who drive them — set the pace."
> — Ines (quoting the report), [1:05](https://www.youtube.com/watch?v=HARB77&t=65s)

## Key Points

- **Patient machines** ([0:12](https://www.youtube.com/watch?v=HARB77&t=12s)) - why ports are slow
- **The crane drivers** ([1:05](https://www.youtube.com/watch?v=HARB77&t=65s)) - who sets the pace

## Transcript

[0:00](https://www.youtube.com/watch?v=HARB77&t=0s) Hello and welcome.

[0:10](https://www.youtube.com/watch?v=HARB77&t=10s) Ports are patient machines, the report says.

[1:00](https://www.youtube.com/watch?v=HARB77&t=60s) And the crane drivers set the pace.
"""


def test_credited_quotes_take_their_speaker_but_stay_off_the_timeline() -> None:
    source = read(COMMENTARY, "harbour")
    quotes = [s for s in source.segments if s.role is Role.QUOTE]
    assert [(q.start, q.end, q.speaker) for q in quotes] == [
        (None, None, "Ines"),
        (None, None, "Ines"),
    ]
    credit = "— Ines (quoting the report), 1:05"
    assert quotes[1].text == f'"Cranes — and the people who drive them — set the pace." {credit}'
    assert source.speakers == ["Ines"]


def test_key_point_times_lead_the_outline_to_the_transcript() -> None:
    source = read(COMMENTARY, "harbour")
    points = [s for s in source.segments if s.role is Role.LIST_ITEM]
    assert [(p.start, p.end) for p in points] == [(None, None), (None, None)]
    assert [s.start for s in source.timed_segments] == sorted(
        s.start for s in source.timed_segments if s.start is not None
    )
    spoken = [s for s in source.segments if s.role is Role.PARAGRAPH]
    assert [(s.start, s.end) for s in spoken] == [(0.0, 10.0), (10.0, 60.0), (60.0, None)]
    assert [(e.title, e.start, e.segment_index) for e in source.outline] == [
        ("Patient machines", 12.0, spoken[1].index),
        ("The crane drivers", 65.0, spoken[2].index),
    ]


def test_a_transcript_written_twice_is_read_once_with_times_on_the_paragraphs() -> None:
    source = read((DATA / "twice_told.md").read_text(encoding="utf-8"), "twice_told")
    assert [(s.role.value, s.start, s.end, s.text[:24]) for s in source.segments] == [
        ("heading", None, None, "How Rivers Bend"),
        ("heading", None, None, "Transcript (reading)"),
        ("paragraph", 0.0, 15.0, "No river runs straight f"),
        ("paragraph", 15.0, 60.0, "sand and gravel. Over th"),
    ]
    assert [(e.title, e.segment_index) for e in source.outline] == [
        ("Why rivers wander", 2),
        ("Oxbow lakes", 3),
    ]
    assert source.warnings == [
        "the transcript is written twice (reading paragraphs and timed lines): "
        "kept the paragraphs, dated from the timed lines"
    ]


def test_notes_as_long_as_the_transcript_are_not_taken_for_a_second_copy() -> None:
    notes = "My notes: knots hold by friction, and a good knot is easy to untie after a load."
    lines = "\n".join(f"- [00:{n * 5:02d}] The speaker ties knot {n} slowly." for n in range(3))
    source = read(f"## Notes\n\n{notes}\n\n## Transcript\n\n{lines}\n")
    assert source.warnings == []
    assert source.segments[1].text == notes
    assert len(source.timed_segments) == 3


def test_caption_fragments_are_joined_into_sentences() -> None:
    source = read((DATA / "caption_fragments.md").read_text(encoding="utf-8"), "knots")
    assert [(s.start, s.end, s.text) for s in source.timed_segments] == [
        (
            0.0,
            10.0,
            "Today we tie the bowline, which sailors call the king of knots because it never "
            "slips and always comes undone.",
        ),
        (
            10.0,
            None,
            "Make a small loop in the standing part, then pass the end up through the loop, "
            "around the back and down again.",
        ),
    ]


def test_caption_fragments_break_at_a_pause_and_after_twenty_seconds() -> None:
    source = read(
        "- [00:00–00:02] the tide turns\n"
        "- [00:05–00:07] and the boats\n"  # three seconds of silence before it
        "- [00:07–00:09] swing round on\n"
        "- [00:09–00:30] their moorings while\n"
        "- [00:30–00:33] the harbour wakes up\n"
        "- [00:33–00:35] slowly and\n"
        "- [00:35–00:37] then all at once\n"
    )
    assert [(s.start, s.end, s.text) for s in source.timed_segments] == [
        (0.0, 2.0, "the tide turns"),
        (5.0, 30.0, "and the boats swing round on their moorings while"),
        (30.0, 37.0, "the harbour wakes up slowly and then all at once"),
    ]


def test_full_sentence_lines_stay_one_segment_each() -> None:
    lines = "\n".join(f"- [00:{n * 3:02d}] Sentence number {n} ends here." for n in range(8))
    source = read(lines)
    assert len(source.timed_segments) == 8


def test_caption_fragments_of_two_speakers_are_not_joined() -> None:
    source = read(
        "- [00:00] Ana: so the rope\n- [00:02] Ana: goes over\n- [00:04] Bo: wait, under\n"
        "- [00:06] Bo: or over\n- [00:08] Ana: over, then\n- [00:10] Ana: round the post\n"
    )
    assert [(s.start, s.speaker, s.text) for s in source.timed_segments] == [
        (0.0, "Ana", "so the rope goes over"),
        (4.0, "Bo", "wait, under or over"),
        (8.0, "Ana", "over, then round the post"),
    ]


def test_headings_that_start_with_a_time_are_timed_chapters() -> None:
    source = read(
        "# The ferry talk\n\n## [02:10](https://youtu.be/abc?t=130) Boarding\n\nWe queued.\n\n"
        "## 1:05:00 Landing\n\nWe got off.\n"
    )
    assert [(e.title, e.start) for e in source.outline] == [
        ("The ferry talk", None),
        ("Boarding", 130.0),
        ("Landing", 3900.0),
    ]


def test_a_timed_line_above_a_rule_keeps_its_time() -> None:
    source = read("[00:04](https://youtu.be/a?t=4) We rowed out.\n---\n\n[00:09] Then back.\n")
    assert [(s.start, s.text) for s in source.timed_segments] == [
        (4.0, "We rowed out."),
        (9.0, "Then back."),
    ]
    assert all(s.role is Role.PARAGRAPH for s in source.segments)


def test_a_fence_never_closed_does_not_swallow_the_transcript() -> None:
    source = read(
        "[00:01] We set off at dawn.\n```\n\n[00:06] The wind came up.\n\n[00:09] We turned."
    )
    assert [(s.start, s.text) for s in source.timed_segments] == [
        (1.0, "We set off at dawn."),
        (6.0, "The wind came up."),
        (9.0, "We turned."),
    ]
    closed = read('[00:01] We set off.\n```\n{"raw": 1}\n```\n[00:06] The wind came up.\n')
    assert "raw" not in closed.text


# -- a url from the timestamp links ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "url"),
    [
        ("https://youtu.be/ABC?t=5", "https://youtu.be/ABC?t=12", "https://youtu.be/ABC"),
        (
            "https://www.youtube.com/watch?v=ABC&t=5s",
            "https://www.youtube.com/watch?v=ABC&t=244s",
            "https://www.youtube.com/watch?v=ABC",
        ),
    ],
)
def test_timestamp_links_give_the_source_url(first: str, second: str, url: str) -> None:
    source = read(f"# Pond life\n\n[0:05]({first}) Welcome back.\n\n[4:04]({second}) Frogs next.\n")
    assert source.url == url
    assert [s.start for s in source.timed_segments] == [5.0, 244.0]


def test_front_matter_url_wins_over_timestamp_links() -> None:
    source = read(
        "---\nurl: https://example.org/pond\n---\n\n"
        "[0:05](https://youtu.be/ABC?t=5) Welcome back.\n\n"
        "[0:09](https://youtu.be/ABC?t=9) Frogs next.\n"
    )
    assert source.url == "https://example.org/pond"


def test_links_to_different_videos_give_no_url() -> None:
    source = read(
        "[0:05](https://youtu.be/ABC?t=5) Welcome back.\n\n"
        "[0:09](https://youtu.be/XYZ?t=9) Another talk.\n"
    )
    assert source.url is None


# -- front-matter values that cannot be read say so ------------------------------------------


def test_iso_8601_duration_is_read() -> None:
    assert read_metadata({"duration": "PT1H2M3S"}).duration == 3723.0
    assert read_metadata({"duration": "PT45S"}).duration == 45.0


@pytest.mark.parametrize("value", [-5, "abc", "PT", "P"])
def test_unreadable_duration_is_left_out_with_a_warning(value: object) -> None:
    meta = read_metadata({"duration": value})
    assert meta.duration is None
    assert meta.warnings == [f"front matter: duration '{value}' is not a length of time; left out"]


def test_day_first_date_is_read_when_the_day_is_over_12() -> None:
    meta = read_metadata({"upload_date": "16/02/2026"})
    assert (meta.date, meta.warnings) == ("2026-02-16", [])
    assert parse_date("31.12.2025") == "2025-12-31"


def test_ambiguous_or_unreadable_date_is_left_out_with_a_warning() -> None:
    ambiguous = read_metadata({"upload_date": "05/02/2026"})
    assert ambiguous.date is None
    assert ambiguous.warnings == [
        "front matter: upload_date '05/02/2026' could be day or month first; "
        "left out (write it as 2026-02-16)"
    ]
    assert read_metadata({"date": "someday"}).warnings == [
        "front matter: date 'someday' is not a date; left out"
    ]


def test_front_matter_warnings_reach_the_source() -> None:
    source = read("---\ntitle: Moss\nduration: -5\n---\n\nMoss grows slowly.\n")
    assert source.warnings == ["front matter: duration '-5' is not a length of time; left out"]


def test_readable_front_matter_gives_no_warning() -> None:
    source = read("---\nduration: 1:02:03\ndate: 2026-02-16\n---\n\nMoss grows slowly.\n")
    assert (source.duration, source.date, source.warnings) == (3723.0, "2026-02-16", [])
