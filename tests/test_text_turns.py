"""Timed speaker turns, caption fragments and reading notes in text and Markdown files."""

from __future__ import annotations

import time

from readmark.library.model import Segment, Source
from readmark.library.readers import markdown, plaintext


def read_md(text: str) -> Source:
    return markdown.read(text, "turns.md", "turns")


def read_txt(text: str) -> Source:
    return plaintext.read(text, "turns.txt", "turns")


def said(source: Source) -> list[Segment]:
    return [s for s in source.segments if s.role == "paragraph"]


LABELLED_TURNS = """\
Mira (00:10:00): The ferry left before dawn, as it always did.

By the time we reached the island the fog had lifted.

The harbour master waved us in without a word.

Tomas (00:11:00): I was on that boat too.
"""

BOLD_HEADED_TURNS = """\
**Mira** [10:00]

The ferry left before dawn, as it always did.

By the time we reached the island the fog had lifted.

**Tomas** [11:00]

I was on that boat too.
"""

STAMPED_LINES = """\
[10:00] Mira: The ferry left before dawn, as it always did.

By the time we reached the island the fog had lifted.

[10:40] Tomas: I was on that boat too.

[11:00] Mira: You slept the whole way.

[11:20] Tomas: I did not.
"""


def test_paragraphs_continuing_a_labelled_turn_get_times_between_the_turns() -> None:
    for source in (read_txt(LABELLED_TURNS), read_md(LABELLED_TURNS)):
        turn = said(source)
        assert [s.speaker for s in turn] == ["Mira", "Mira", "Mira", "Tomas"]
        starts = [s.start for s in turn]
        assert starts[0] == 600.0 and starts[3] == 660.0
        assert all(t is not None for t in starts)
        assert 600.0 < starts[1] < starts[2] < 660.0  # type: ignore[operator]
        # Each paragraph ends where the next begins, so the gutter shows a time on every one.
        assert turn[0].end == starts[1] and turn[2].end == 660.0


def test_paragraphs_under_a_bold_name_and_time_share_the_turn_time() -> None:
    turn = said(read_md(BOLD_HEADED_TURNS))
    assert [s.speaker for s in turn] == ["Mira", "Mira", "Tomas"]
    assert turn[0].start == 600.0
    assert turn[1].start is not None and 600.0 < turn[1].start < 660.0
    # Shared by length: the second paragraph starts about halfway through the minute.
    assert 620.0 < turn[1].start < 640.0


def test_a_paragraph_after_a_stamped_line_is_timed() -> None:
    turn = said(read_txt(STAMPED_LINES))
    starts = [s.start for s in turn]
    assert None not in starts
    assert starts == sorted(starts)  # type: ignore[type-var]
    assert turn[1].text.startswith("By the time") and 600.0 < starts[1] < 640.0  # type: ignore[operator]


def test_the_last_turn_inherits_its_start_or_runs_to_the_duration() -> None:
    text = "Mira (0:10): First words of the end.\n\nAnd the very last ones.\n"
    assert [s.start for s in said(read_txt(text))] == [10.0, 10.0]
    with_duration = said(read_md("---\nduration: 30\n---\n\n" + text))
    assert with_duration[1].start is not None and 10.0 < with_duration[1].start < 30.0


def test_a_next_time_earlier_than_the_turn_keeps_times_in_order() -> None:
    text = "Mira (0:10): One.\n\nTwo, still Mira.\n\nTomas (0:05): Back in time.\n"
    assert [s.start for s in said(read_txt(text))] == [10.0, 10.0, 5.0]


def test_an_untimed_turn_of_another_speaker_stays_untimed() -> None:
    text = (
        "Mira (0:10): Hello there.\n\nTomas: Hi, no time on this one.\n\n"
        "Mira (0:30): Back to me.\n\nTomas: Again untimed.\n"
    )
    turn = said(read_txt(text))
    assert [s.start for s in turn] == [10.0, None, 30.0, None]


def _captions(lines: list[tuple[int, str]]) -> str:
    stamped = "\n".join(f"- [{t // 60:02d}:{t % 60:02d}] {text}" for t, text in lines)
    return f"## Transcript\n\n{stamped}\n"


def test_caption_fragments_do_not_split_inside_a_curly_quotation() -> None:
    text = _captions(
        [
            (0, "and then the old keeper told us"),
            (2, "“you will never see the lamp lit again."),
            (4, "The sea took it.” and we"),
            (6, "believed him because he"),
            (8, "had been there forty years"),
            (10, "on the rock."),
            (12, "So we rowed back"),
            (14, "home in silence."),
        ]
    )
    blocks = [s.text for s in said(read_md(text))]
    assert blocks[0].endswith(
        "The sea took it.” and we believed him because he had been there forty years on the rock."
    )
    assert blocks[1] == "So we rowed back home in silence."
    assert all(b.count("“") == b.count("”") for b in blocks)


def test_caption_fragments_keep_a_straight_quotation_past_a_pause_and_the_span() -> None:
    text = _captions(
        [
            (0, "we waited on the quay for"),
            (4, "the boat and at last"),
            (9, 'she read the note aloud "the'),
            (15, "harbour closes at dusk and"),
            (22, "stays closed until the storm"),
            (28, 'passes" and folded it'),
            (30, "away for later."),
            (32, "Then we walked"),
            (34, "up the hill."),
        ]
    )
    blocks = said(read_md(text))
    # Once the quotation closes, the usual 20 s span applies again.
    assert [b.start for b in blocks] == [0.0, 30.0, 32.0]
    assert blocks[0].text.count('"') == 2
    assert blocks[0].text.endswith('the storm passes" and folded it')


def test_an_unclosed_quotation_still_ends_a_block_at_the_hard_limit() -> None:
    lines = [(0, 'he began "and so')] + [(5 * n, f"on and on {n}") for n in range(1, 30)]
    blocks = said(read_md(_captions(lines)))
    assert len(blocks) > 1
    assert all((b.end or 0) - (b.start or 0) <= 65 for b in blocks[:-1])


def test_an_unclosed_quotation_over_many_same_time_fragments_reads_quickly() -> None:
    lines = ["[00:00] the porter began “and so"] + [
        f"[00:00] we carried crate {n} up the stair" for n in range(20_000)
    ]
    began = time.perf_counter()
    source = plaintext.read("\n".join(lines) + "\n", "crates.txt", "crates")
    # Rescanning the whole growing block per fragment took about 18 s here.
    assert time.perf_counter() - began < 5.0
    assert source.segments[0].text.startswith("the porter began “and so we carried crate 0")


READING_NOTES = """\
# Notes on the lighthouse talk

The talk runs long, but the middle third is worth it. The speaker spent a decade on the rock
and it shows in how she describes the weather turning over the course of an afternoon.

[12:30] She says the lamp was never automated, which contradicts the ministry report.

I want to check that claim against the archive before I quote it anywhere. The report is
dated 1998 and may predate the refit, so both could be right.

[31:05] The story about the supply boat is the best part of the talk.

Overall: worth citing for the first-hand detail, not for the dates.
"""


def test_reading_notes_citing_a_few_times_are_not_a_timed_transcript() -> None:
    for source in (read_md(READING_NOTES), read_txt(READING_NOTES)):
        assert source.timed_segments == []
        # The times stay readable where they were written.
        cited = [s.text for s in source.segments if s.text.startswith("[")]
        assert cited == [
            "[12:30] She says the lamp was never automated, which contradicts the ministry report.",
            "[31:05] The story about the supply boat is the best part of the talk.",
        ]
        assert [e.title for e in source.outline] == ["Notes on the lighthouse talk"]


def test_bare_clock_times_in_prose_paragraphs_are_not_a_timeline() -> None:
    text = (
        "We met at the harbour office before the boats went out for the day.\n\n"
        "10:30 the first boat left, and the rest followed within the hour.\n\n"
        "Nobody expected the weather to turn, least of all the harbour master.\n\n"
        "14:15 the first boat came back with a torn sail and a story.\n\n"
        "By evening the quay was full of people waiting for news of the rest.\n"
    )
    source = read_txt(text)
    assert source.timed_segments == []
    assert "10:30 the first boat left" in source.text


def test_a_clock_time_wrapped_to_a_line_start_stays_in_its_sentence() -> None:
    text = (
        "Notes on the orchard lecture\n\n"
        "He takes his time with the grafting history before he gets\n"
        "to pruning; at\n"
        "18:40 he shows the cut, which\n"
        "is the clearest part. Near the end, at\n"
        "52:10 he shows it again.\n\n"
        "The rest is about cider.\n"
    )
    source = plaintext.read(text, "orchard.txt", "orchard")
    assert [s.text for s in source.segments] == [
        "Notes on the orchard lecture",
        "He takes his time with the grafting history before he gets to pruning; at 18:40 he "
        "shows the cut, which is the clearest part. Near the end, at 52:10 he shows it again.",
        "The rest is about cider.",
    ]
    assert source.timed_segments == []


def test_a_run_of_timed_lines_after_an_introduction_is_still_a_transcript() -> None:
    intro = "\n\n".join(f"Introduction paragraph number {n} about the talk." for n in range(6))
    lines = "\n".join(f"[0:{n * 10:02d}] Line {n} of what was said." for n in range(4))
    source = read_md(f"{intro}\n\n{lines}\n")
    assert [s.start for s in source.timed_segments] == [0.0, 10.0, 20.0, 30.0]


def test_stamped_lines_right_under_a_prose_line_are_still_a_transcript() -> None:
    text = "Captions below\n00:00 good morning all\n00:04 and welcome back\n00:09 to the yard.\n"
    source = plaintext.read(text, "yard.txt", "yard")
    assert [s.start for s in source.segments if s.start is not None] == [0.0, 4.0, 9.0]


def test_timed_turns_with_long_continuations_stay_a_transcript() -> None:
    paragraphs = "\n\n".join(f"More from Mira, paragraph {n}." for n in range(5))
    text = f"**Mira** [0:00]\n\n{paragraphs}\n\n**Tomas** [1:00]\n\n{paragraphs}\n"
    source = read_md(text)
    assert len(source.timed_segments) == 10
