"""The plain-text reader: articles, clipped notes, speaker turns and pasted transcripts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.library.errors import SourceError
from readmark.library.model import Role, Source
from readmark.library.readers import plaintext

DATA = Path(__file__).parent / "data" / "text"


def read(text: str, stem: str = "pasted") -> Source:
    return plaintext.read(text, f"{stem}.txt", stem)


def test_article_with_one_paragraph_per_line() -> None:
    source = read((DATA / "beekeeping_basics.txt").read_text(encoding="utf-8"), "beekeeping_basics")
    assert source.format == "text"
    assert source.title == "Beekeeping basics"
    assert [e.title for e in source.outline] == [
        "1. Choosing a Site: Sun, Shelter and Water",
        "2. The First Inspection",
        "What to Look For",
        "Further Reading",
    ]
    for entry in source.outline:
        assert source.segments[entry.segment_index].role is Role.HEADING
        assert source.segments[entry.segment_index].text == entry.title
    roles = [s.role for s in source.segments]
    assert roles.count(Role.LIST_ITEM) == 3
    assert roles.count(Role.PARAGRAPH) == 8
    assert source.speakers == []
    assert all(s.speaker is None for s in source.segments)
    assert source.segments[4].text.startswith("Note: check local rules")


def test_first_title_line_of_plain_text_is_the_title() -> None:
    source = read("The Winter Garden\n\nFrost came early this year.\n", "notes_2026")
    assert source.title == "The Winter Garden"


def test_hard_wrapped_text_and_underlined_headings() -> None:
    source = read(
        "Soil\n====\n\nGood soil crumbles\nin the hand and smells\nof the forest floor.\n\n"
        "Drainage\n--------\n\nWater should not pool.\n",
        "soil",
    )
    assert source.title == "Soil"
    assert [(s.role.value, s.text) for s in source.segments] == [
        ("heading", "Soil"),
        ("paragraph", "Good soil crumbles in the hand and smells of the forest floor."),
        ("heading", "Drainage"),
        ("paragraph", "Water should not pool."),
    ]


def test_clipped_note() -> None:
    source = read(
        "Why the river moved\nMarch 3, 2026 · The Valley Courier · rivers · history\n\n"
        "The old maps show a bend that is no longer there.\n",
        "clip",
    )
    assert (source.title, source.date, source.channel, source.tags) == (
        "Why the river moved",
        "2026-03-03",
        "The Valley Courier",
        ["rivers", "history"],
    )
    assert [(s.role.value, s.text) for s in source.segments] == [
        ("heading", "Why the river moved"),
        ("paragraph", "The old maps show a bend that is no longer there."),
    ]


def test_clipped_note_with_only_date_and_site() -> None:
    source = read("2026-03-03 · example.org\n\nA short clipping.\n", "clipping_from_web")
    assert (source.title, source.date, source.channel) == (
        "Clipping from web",
        "2026-03-03",
        "example.org",
    )


@pytest.mark.parametrize("tags", ["#energy #batteries", "energy, batteries", "#energy, #batteries"])
def test_clipped_note_tags_in_one_part_are_separate(tags: str) -> None:
    source = read(
        f"Heat pumps in old houses\n2026-01-12 · The Atlantic · {tags}\n\nThe first paragraph.\n"
    )
    assert (source.title, source.date, source.channel, source.tags) == (
        "Heat pumps in old houses",
        "2026-01-12",
        "The Atlantic",
        ["energy", "batteries"],
    )


def test_pasted_youtube_transcript() -> None:
    source = read(
        "0:00\nwelcome back everyone\n0:04\ntoday we fix\na bicycle chain\n1:02:03\nbye\n"
    )
    assert [(s.start, s.end, s.text) for s in source.segments] == [
        (0.0, 4.0, "welcome back everyone"),
        (4.0, 3723.0, "today we fix a bicycle chain"),
        (3723.0, None, "bye"),
    ]


def test_pasted_transcript_with_blank_lines() -> None:
    source = read("0:00\n\nfirst words\n\n0:09\n\nnext words\n")
    assert [(s.start, s.text) for s in source.segments] == [
        (0.0, "first words"),
        (9.0, "next words"),
    ]


def test_speaker_turns_after_an_introduction() -> None:
    source = read(
        "Recorded at the village hall in the spring.\n\nTranscript\n\n"
        "Mira Holt: Thanks for coming, everyone.\n\nDaan: Happy to be here.\n\n"
        "Mira Holt: Let us start with the bridge.\nIt has been closed since March.\n\n"
        "Daan: We have the money now.\n",
        "hall_meeting",
    )
    assert source.speakers == ["Mira Holt", "Daan"]
    assert [(s.speaker, s.text) for s in source.segments] == [
        (None, "Recorded at the village hall in the spring."),
        (None, "Transcript"),
        ("Mira Holt", "Thanks for coming, everyone."),
        ("Daan", "Happy to be here."),
        ("Mira Holt", "Let us start with the bridge. It has been closed since March."),
        ("Daan", "We have the money now."),
    ]
    assert source.segments[1].role is Role.HEADING


def test_speaker_headers_with_times() -> None:
    source = read(
        "Ada 00:00:03\nShall we?\n\nBen 00:00:09\nWe shall.\n\nAda 00:01:00\nGood.\n", "chat"
    )
    assert [(s.speaker, s.start, s.end, s.text) for s in source.segments] == [
        ("Ada", 3.0, 9.0, "Shall we?"),
        ("Ben", 9.0, 60.0, "We shall."),
        ("Ada", 60.0, None, "Good."),
    ]


def test_markdown_is_kept_literally_in_plain_text() -> None:
    source = read("A [link](https://example.com) and [bold red]markup[/].\n")
    assert source.text == "A [link](https://example.com) and [bold red]markup[/]."


def test_empty_file() -> None:
    source = read("\n\n  \n", "empty")
    assert (source.title, source.segments, source.outline) == ("Empty", [], [])


def test_sniff() -> None:
    assert plaintext.sniff("a.txt", "hello") == 0.5
    assert plaintext.sniff("a.log", "hello there\n") == 0.1
    assert plaintext.sniff("a.bin", "\x00\x01\x02") == 0.0
    assert plaintext.sniff("a.bin", "") == 0.0


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab AZ:-*>[]()\n0123456789.·—"“” \t§=')), max_size=400)
    | st.text(max_size=200)
)
def test_any_text_reads_with_consistent_offsets(text: str) -> None:
    try:
        source = read(text)
    except SourceError:
        return
    previous_end = 0
    for segment in source.segments:
        assert 0 <= previous_end <= segment.char_start < segment.char_end <= len(source.text)
        assert source.text[segment.char_start : segment.char_end] == segment.text
        assert segment.start is None or segment.start >= 0
        previous_end = segment.char_end


def test_a_name_heading_its_paragraph_after_a_quotation_starts_a_turn() -> None:
    source = read(
        "Ada Moss\nWe mapped every well in the valley.\n\n"
        '> "Water remembers where it was."\n\n'
        "Ben Ortiz\nI wrote that on the wall of the pump house.\n"
    )
    assert [(s.speaker, s.role.value, s.text) for s in source.segments] == [
        ("Ada Moss", "paragraph", "We mapped every well in the valley."),
        (None, "quote", '"Water remembers where it was."'),
        ("Ben Ortiz", "paragraph", "I wrote that on the wall of the pump house."),
    ]
    assert source.speakers == ["Ada Moss", "Ben Ortiz"]


def test_a_credited_quotation_takes_no_second_author() -> None:
    source = read(
        "Ada Moss\nWe mapped every well in the valley.\n\n"
        '> "Water remembers where it was." — Rosa Vell\n\n'
        "Ben Ortiz\nA line worth keeping.\n"
    )
    assert [(s.speaker, s.text) for s in source.segments] == [
        ("Ada Moss", "We mapped every well in the valley."),
        ("Rosa Vell", '"Water remembers where it was." — Rosa Vell'),
        ("Ben Ortiz", "A line worth keeping."),
    ]
    # The quoted author is credited on the quote, but is no speaker of the conversation.
    assert source.speakers == ["Ada Moss", "Ben Ortiz"]


def test_a_name_standing_apart_after_a_quotation_is_still_its_author() -> None:
    source = read('"Slow is smooth, and smooth is fast."\n\nRosa Vell\n\nThat stayed with me.\n')
    assert [(s.role.value, s.speaker, s.text) for s in source.segments] == [
        ("quote", "Rosa Vell", '"Slow is smooth, and smooth is fast." — Rosa Vell'),
        ("paragraph", None, "That stayed with me."),
    ]


def test_a_numbered_section_is_never_the_title() -> None:
    source = read(
        "1. Why timber is back\n\nWood stores carbon and builds fast.\n\n"
        "2. What it costs\n\nLess than steel, for now.\n",
        "timber_towers",
    )
    assert source.title == "Timber towers"
    assert [e.title for e in source.outline] == ["1. Why timber is back", "2. What it costs"]


def test_a_section_sign_line_is_never_the_title() -> None:
    source = read("§ Scope\n\nThese notes cover the first chapter only.\n", "notes_on_rivers")
    assert source.title == "Notes on rivers"
    assert [e.title for e in source.outline] == ["Scope"]


def test_a_short_first_line_set_apart_is_the_title() -> None:
    source = read(
        "Interview with the harbour master\n\nShe has run the port for twenty years.\n",
        "harbour_chat",
    )
    assert source.title == "Interview with the harbour master"
    assert source.segments[1].text == "She has run the port for twenty years."


def test_a_first_sentence_is_not_a_title() -> None:
    source = read("The port opened at dawn.\n\nShips came in all day.\n", "harbour_day")
    assert source.title == "Harbour day"
    assert [s.role for s in source.segments] == [Role.PARAGRAPH, Role.PARAGRAPH]


def test_speaker_labels_differing_only_in_case_are_one_speaker() -> None:
    source = read(
        "MAYOR: The bridge opens in May.\n\nReporter: Is that certain?\n\n"
        "Mayor: As certain as the weather.\n\nREPORTER: So, no.\n\nMayor: Ha.\n"
    )
    assert source.speakers == ["Mayor", "Reporter"]
    assert [s.speaker for s in source.segments] == [
        "Mayor",
        "Reporter",
        "Mayor",
        "Reporter",
        "Mayor",
    ]


def test_an_all_caps_speaker_keeps_the_only_spelling_it_has() -> None:
    source = read("HOST: Welcome.\n\nGUEST: Thanks.\n\nHOST: Shall we?\n")
    assert source.speakers == ["HOST", "GUEST"]
