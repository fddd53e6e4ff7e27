"""The shared body parser: line kinds, inline Markdown, speakers, paragraphs, headings."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from readmark.library.builder import clean_text, normalise_space
from readmark.library.model import Role
from readmark.library.readers.text.blocks import Body
from readmark.library.readers.text.body import parse_body
from readmark.library.readers.text.classify import classify
from readmark.library.readers.text.clipped import read_clipped_header
from readmark.library.readers.text.dates import parse_date
from readmark.library.readers.text.inline import reduce_inline
from readmark.library.readers.text.labels import is_name
from readmark.library.readers.text.lines import Kind
from readmark.library.safe_text import printable


def body(text: str, *, markdown: bool = True) -> Body:
    return parse_body(text.splitlines(), markdown=markdown)


def texts(parsed: Body) -> list[tuple[str, str]]:
    return [(block.role.value, block.text) for block in parsed.blocks]


@pytest.mark.parametrize(
    ("line", "time", "text"),
    [
        ("[4:04](https://www.youtube.com/watch?v=abc&t=244s) so it begins", 244.0, "so it begins"),
        ("- [00:00] hello there", 0.0, "hello there"),
        ("[01:02:03] an hour in", 3723.0, "an hour in"),
        ("00:12 plain stamp", 12.0, "plain stamp"),
        ("**00:42** in bold", 42.0, "in bold"),
        ("(1:05) - in parentheses", 65.0, "in parentheses"),
        ("[00:00:05,500] with a fraction", 5.5, "with a fraction"),
    ],
)
def test_timed_lines_give_their_time_and_text(line: str, time: float, text: str) -> None:
    classified = classify(line, markdown=True)
    assert classified.kind is Kind.TIMED
    assert classified.time == time
    assert classified.text == text


@pytest.mark.parametrize(("line", "time"), [("0:00", 0.0), ("12:34", 754.0), ("1:02:03", 3723.0)])
def test_a_time_alone_on_a_line(line: str, time: float) -> None:
    classified = classify(line, markdown=False)
    assert (classified.kind, classified.time) == (Kind.TIME_ALONE, time)


def test_key_point_lines_carry_title_and_time() -> None:
    line = classify(
        "- **Opening words** ([0:54](https://youtu.be/x?t=54)) - a warm welcome", markdown=True
    )
    assert (line.kind, line.label, line.time, line.text) == (
        Kind.KEYPOINT,
        "Opening words",
        54.0,
        "a warm welcome",
    )


def test_impossible_clock_is_not_a_time() -> None:
    assert classify("[12:75] not a time", markdown=True).kind is not Kind.TIMED


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("see [the notes](https://example.com/n) first", "see the notes first"),
        ("**bold** and *italic* and __strong__ and `code`", "bold and italic and strong and code"),
        ("a picture ![alt](p.png) here", "a picture  here"),
        (
            "keep [bold] and [bold red]x[/] as they are",
            "keep [bold] and [bold red]x[/] as they are",
        ),
        ("snake_case_name and 2 * 3 * 4 stay", "snake_case_name and 2 * 3 * 4 stay"),
        ("line<br>break and <span class='x'>span</span>", "linebreak and span"),
        (r"an escaped \*star\*", "an escaped *star*"),
    ],
)
def test_inline_markdown_reduces_to_reading_text(markdown: str, plain: str) -> None:
    assert reduce_inline(markdown) == plain


@pytest.mark.parametrize(
    "label", ["Alice", "Dr. Bo Li", "MARGARET", "Jean de la Croix", "Speaker 2"]
)
def test_names(label: str) -> None:
    assert is_name(label)


@pytest.mark.parametrize(
    "label", ["Note", "Step 1", "Warning", "the host", "This is it", "Summary", "Q", "A"]
)
def test_not_names(label: str) -> None:
    assert not is_name(label)


def test_name_lines_introduce_turns_that_span_paragraphs() -> None:
    parsed = body(
        "MARTA\n\nWe set out at dawn.\n\nThe fog lifted by nine.\n\n"
        "OSKAR\n\nI stayed behind.\n\nMARTA\n\nYou always do.\n"
    )
    assert [(b.speaker, b.text) for b in parsed.blocks] == [
        ("MARTA", "We set out at dawn."),
        ("MARTA", "The fog lifted by nine."),
        ("OSKAR", "I stayed behind."),
        ("MARTA", "You always do."),
    ]


def test_labelled_turns_strip_the_label_and_keep_times() -> None:
    parsed = body(
        "Ines (00:00:10): Shall we start?\n\nTomas (00:00:14): Yes, go ahead.\n\n"
        "Ines: First question, then.\n"
    )
    assert [(b.speaker, b.start, b.text) for b in parsed.blocks] == [
        ("Ines", 10.0, "Shall we start?"),
        ("Tomas", 14.0, "Yes, go ahead."),
        ("Ines", None, "First question, then."),
    ]


def test_bold_speaker_header_with_time_on_its_own_line() -> None:
    parsed = body(
        "**Ruth** [00:01:05]\n\nThe samples came back clean.\n\n**Abel** [00:01:20]\n\nGood.\n"
    )
    assert [(b.speaker, b.start, b.text) for b in parsed.blocks] == [
        ("Ruth", 65.0, "The samples came back clean."),
        ("Abel", 80.0, "Good."),
    ]


def test_note_and_step_labels_in_an_article_are_not_speakers() -> None:
    parsed = body(
        "Note: this is a draft.\n\nStep 1: boil the water.\n\nStep 2: add the leaves.\n\n"
        "Note: steep for three minutes.\n"
    )
    assert all(b.speaker is None for b in parsed.blocks)
    assert parsed.blocks[0].text == "Note: this is a draft."


def test_a_single_name_label_is_not_a_speaker() -> None:
    parsed = body("Intro paragraph here.\n\nGandalf: a name used once in prose.\n")
    assert parsed.blocks[1].speaker is None
    assert parsed.blocks[1].text == "Gandalf: a name used once in prose."


def test_a_name_after_a_quotation_is_an_attribution() -> None:
    parsed = body(
        "> The sea is patient.\n\nLena\n\nLena: and this is a turn\n\nPiet: so is this\n\n"
        "Joos: and this\n"
    )
    assert texts(parsed)[0] == ("quote", "The sea is patient. — Lena")
    assert [b.speaker for b in parsed.blocks[1:]] == ["Lena", "Piet", "Joos"]


def test_dash_attribution_joins_the_quotation() -> None:
    parsed = body("“Measure twice, cut once.”\n— An old carpenter\n", markdown=False)
    assert texts(parsed) == [("paragraph", "“Measure twice, cut once.” — An old carpenter")]


def test_prose_then_a_transcript_heading_then_turns() -> None:
    parsed = body(
        "A short introduction to the talk.\n\n## Transcript\n\n"
        "Host: Welcome.\n\nGuest: Thank you.\n\nHost: Let us begin.\n"
    )
    assert [(b.role.value, b.speaker) for b in parsed.blocks] == [
        ("paragraph", None),
        ("heading", None),
        ("paragraph", "Host"),
        ("paragraph", "Guest"),
        ("paragraph", "Host"),
    ]


def test_hard_wrapped_lines_join_into_paragraphs() -> None:
    parsed = body(
        "The river was low\nthat summer, and\nthe boats stayed home.\n\nNext paragraph.\n",
        markdown=False,
    )
    assert texts(parsed) == [
        ("paragraph", "The river was low that summer, and the boats stayed home."),
        ("paragraph", "Next paragraph."),
    ]


def test_long_lines_are_one_paragraph_each() -> None:
    long_a = "First paragraph " + "goes on and on " * 10 + "until it ends."
    long_b = "Second paragraph " + "also goes on " * 10 + "and ends too."
    parsed = body(f"{long_a}\n{long_b}\nThe Next Part\n{long_a}\n", markdown=False)
    assert [b.role for b in parsed.blocks] == [
        Role.PARAGRAPH,
        Role.PARAGRAPH,
        Role.HEADING,
        Role.PARAGRAPH,
    ]


def test_headings_of_plain_text() -> None:
    parsed = body(
        "Opening words of the note.\n\n1. Where the Water Goes\n\nSome text.\n\n"
        "§ Appendix\n\nMore text.\n\nMethods\n=======\n\nA Quiet Title Line\n\nclosing.\n",
        markdown=False,
    )
    assert [b.text for b in parsed.blocks if b.role is Role.HEADING] == [
        "1. Where the Water Goes",
        "Appendix",
        "Methods",
        "A Quiet Title Line",
    ]
    assert [m.title for m in parsed.headings] == [
        "1. Where the Water Goes",
        "Appendix",
        "Methods",
        "A Quiet Title Line",
    ]


def test_numbered_runs_are_lists_not_headings() -> None:
    parsed = body("1. eggs\n2. flour\n3. Milk\n", markdown=False)
    assert texts(parsed) == [("list_item", "eggs"), ("list_item", "flour"), ("list_item", "Milk")]


def test_code_fences_html_and_images_are_left_out_with_one_warning() -> None:
    parsed = body(
        'Before.\n\n```json\n{"a": 1,\n "b": 2}\n```\n\n<div class="x">\n</div>\n\n'
        "![pic](p.png)\n\nAfter.\n"
    )
    assert texts(parsed) == [("paragraph", "Before."), ("paragraph", "After.")]
    assert parsed.warnings == [
        "left out 1 code block (2 lines, from line 3), 2 HTML lines, 1 images: not reading text"
    ]


def test_plain_text_keeps_markdown_syntax_literally() -> None:
    parsed = body("See [the notes](https://example.com) and **this**.\n", markdown=False)
    assert parsed.blocks[0].text == "See [the notes](https://example.com) and **this**."


def test_lists_and_quotes() -> None:
    parsed = body("- apples\n- pears that are\n  quite ripe\n\n> a quoted\n> line\n")
    assert texts(parsed) == [
        ("list_item", "apples"),
        ("list_item", "pears that are quite ripe"),
        ("quote", "a quoted line"),
    ]


def test_a_lone_clock_time_in_prose_is_text() -> None:
    parsed = body("10:30 meet at the station\n\nThen lunch.\n", markdown=False)
    assert parsed.blocks[0].start is None
    assert parsed.blocks[0].text == "10:30 meet at the station"


def test_chapter_runs_of_title_then_time_become_outline_marks() -> None:
    parsed = body("Chapters:\nOpening 0:00\nThe long middle 2:30\nEnd 9:15\n", markdown=False)
    assert [(m.title, m.start) for m in parsed.timed_marks] == [
        ("Opening", 0.0),
        ("The long middle", 150.0),
        ("End", 555.0),
    ]


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-02-16", "2026-02-16"),
        (20260216, "2026-02-16"),
        ("20260216", "2026-02-16"),
        ("March 3, 2026", "2026-03-03"),
        ("3 Mar 2026", "2026-03-03"),
        ("2026-02-16T08:00:00Z", "2026-02-16"),
        ("2026-02-30", None),
        ("soon", None),
    ],
)
def test_dates(value: object, iso: str | None) -> None:
    assert parse_date(value) == iso


def test_clipped_header_with_title_date_publication_and_tags() -> None:
    header = read_clipped_header(
        [
            "How Owls See at Night",
            "March 3, 2026 · The Field Journal · birds · #vision",
            "",
            "Text.",
        ]
    )
    assert header is not None
    assert (header.title, header.date, header.channel, header.tags) == (
        "How Owls See at Night",
        "2026-03-03",
        "The Field Journal",
        ["birds", "vision"],
    )
    assert (header.title_line, header.meta_line) == (0, 1)


def test_clipped_header_that_is_only_a_date_and_domain() -> None:
    header = read_clipped_header(["2026-03-03 · example.com", "", "Body."])
    assert header is not None
    assert (header.title, header.date, header.channel) == (None, "2026-03-03", "example.com")


def test_ordinary_first_lines_are_not_a_clipped_header() -> None:
    assert read_clipped_header(["A title", "An ordinary first sentence."]) is None


def test_clipped_header_keeps_a_tag_with_a_space_whole() -> None:
    header = read_clipped_header(["Kilns", "2026-01-12 · Clay Weekly · wood firing · #kilns"])
    assert header is not None
    assert header.tags == ["wood firing", "kilns"]


_ODD_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ab \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000\x1b[m\x07\u202e")
    ),
    max_size=60,
)


@given(_ODD_TEXT)
def test_space_is_normalised_as_the_regex_did(text: str) -> None:
    assert normalise_space(text) == re.sub(r"\s+", " ", text).strip()


@given(_ODD_TEXT | st.text(max_size=60))
def test_clean_text_takes_the_fast_path_only_when_nothing_changes(text: str) -> None:
    assert clean_text(text) == normalise_space(printable(text))


def test_a_range_stamp_gives_the_line_its_end() -> None:
    line = classify("- [00:04–00:09] the rope goes over", markdown=True)
    assert (line.kind, line.time, line.end, line.text) == (
        Kind.TIMED,
        4.0,
        9.0,
        "the rope goes over",
    )


def test_lines_end_only_at_line_ends() -> None:
    from readmark.library.readers.text.lines import split_lines

    # \x1e and NEL (a Latin-1 `…`) are not line ends; a lone CR is.
    assert split_lines("a\x1eb\x85c\r\nd\re\n") == ["a\x1eb\x85c", "d", "e"]
    assert split_lines("") == []
