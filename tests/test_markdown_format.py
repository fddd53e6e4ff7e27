"""Annotations as Markdown files: exact round trips, and files edited by hand."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations.markdown_format import AnnotationFormatError, parse, render
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Candidate,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)


def make(**changes: object) -> Annotation:
    annotation = Annotation(
        id="01jd3k4m5n6p7q8r9s",
        source="podcasts/episode-12.md",
        kind=Kind.DISSENT,
        anchor=Anchor(
            quote=TextQuoteSelector(
                exact="Prices always fall\nwhen supply rises.",
                prefix="she argued that ",
                suffix=" Nobody objected.",
            ),
            position=TextPositionSelector(start=120, end=157),
            fingerprint="3f2a9c0d1e2b4a5c",
        ),
        start=244.0,
        end=251.5,
        speaker="Ada",
        note="Not when demand rises faster.\n\nSee the 1970s.",
        tags=("economics", "to-check"),
        created="2026-11-23T10:15:00Z",
        updated="2026-11-24T08:00:00Z",
        confidence=Confidence.HIGH,
    )
    return replace(annotation, **changes)  # type: ignore[arg-type]


EXPECTED_FILE = """\
---
id: 01jd3k4m5n6p7q8r9s
source: podcasts/episode-12.md
kind: dissent
start: 244.0
end: 251.5
speaker: Ada
tags:
- economics
- to-check
created: '2026-11-23T10:15:00Z'
updated: '2026-11-24T08:00:00Z'
confidence: high
orphaned: false
quote_prefix: 'she argued that '
quote_suffix: ' Nobody objected.'
char_start: 120
char_end: 157
fingerprint: 3f2a9c0d1e2b4a5c
---

> Prices always fall
> when supply rises.

Not when demand rises faster.

See the 1970s.
"""


def test_render_writes_front_matter_then_blockquote_then_note() -> None:
    assert render(make()) == EXPECTED_FILE


def test_parse_reads_the_rendered_file_back() -> None:
    assert parse(EXPECTED_FILE) == make()


NEEDS_REVIEW_LINES = """\
orphaned: false
review_candidate: Prices fall when supply rises.
review_start: 131
review_end: 161
review_score: 86.5
searched_fingerprint: 9b1c0e7d2a4f6e3b
quote_prefix: 'she argued that '
"""


def needing_review() -> Annotation:
    candidate = Candidate(131, 161, "Prices fall when supply rises.", 86.5)
    return make(candidate=candidate, searched="9b1c0e7d2a4f6e3b")


def test_a_candidate_to_review_is_written_after_orphaned_and_read_back() -> None:
    text = render(needing_review())
    assert NEEDS_REVIEW_LINES in text
    # The quote and the anchor stay the reader's; only the lines above were added.
    assert text.replace(
        NEEDS_REVIEW_LINES, "orphaned: false\nquote_prefix: 'she argued that '\n"
    ) == (EXPECTED_FILE)
    assert parse(text) == needing_review()
    assert parse(text).needs_review


def test_an_annotation_without_a_candidate_has_no_review_lines() -> None:
    assert "review_" not in render(make()) and "searched_" not in render(make())


def test_deleting_the_review_lines_by_hand_drops_the_candidate() -> None:
    text = render(needing_review())
    kept = "".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("review_")
    )
    assert parse(kept) == make(searched="9b1c0e7d2a4f6e3b")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("review_candidate: words\nreview_end: 9\n", "`review_candidate:` needs `review_start:`"),
        ("review_candidate: words\nreview_start: a\nreview_end: 9\n", "`review_start:` should be"),
        (
            "review_candidate: words\nreview_start: 1\nreview_end: 9\nreview_score: high\n",
            "`review_score:` should be a number, not 'high'",
        ),
    ],
)
def test_a_broken_review_line_says_which(lines: str, message: str) -> None:
    text = EXPECTED_FILE.replace("orphaned: false\n", f"orphaned: false\n{lines}")
    with pytest.raises(AnnotationFormatError, match=re.escape(message)):
        parse(text)


def test_a_note_edited_in_another_editor_is_the_new_note() -> None:
    edited = EXPECTED_FILE.replace("See the 1970s.", "See the 1970s and 2021.\n\n- a list")
    assert (
        parse(edited).note == "Not when demand rises faster.\n\nSee the 1970s and 2021.\n\n- a list"
    )


def test_a_quote_edited_in_another_editor_is_the_new_quote() -> None:
    edited = EXPECTED_FILE.replace("> when supply rises.", "> when supply rises sharply.")
    assert parse(edited).quote == "Prices always fall\nwhen supply rises sharply."


def test_windows_line_ends_and_a_byte_order_mark_are_accepted() -> None:
    edited = "\ufeff" + EXPECTED_FILE.replace("\n", "\r\n")
    assert parse(edited) == make()


def test_a_note_typed_right_under_the_quote_is_still_the_note() -> None:
    text = EXPECTED_FILE.split("\n\nNot when")[0] + "\nMy note\n"
    parsed = parse(text)
    assert (parsed.quote, parsed.note) == ("Prices always fall\nwhen supply rises.", "My note")


def test_an_empty_note_leaves_the_file_ending_with_the_quote() -> None:
    text = render(make(note=""))
    assert text.endswith("---\n\n> Prices always fall\n> when supply rises.\n")
    assert parse(text).note == ""


def test_hand_written_clock_times_and_unquoted_dates_are_understood() -> None:
    edited = (
        EXPECTED_FILE.replace("start: 244.0", "start: '4:04'")
        .replace("end: 251.5", "end: 1:02:03")
        .replace("created: '2026-11-23T10:15:00Z'", "created: 2026-11-23T10:15:00Z")
    )
    parsed = parse(edited)
    assert (parsed.start, parsed.end, parsed.created) == (244.0, 3723.0, "2026-11-23T10:15:00Z")


def test_a_single_tag_written_as_text_is_one_tag() -> None:
    edited = EXPECTED_FILE.replace("tags:\n- economics\n- to-check", "tags: economics")
    assert parse(edited).tags == ("economics",)


def test_missing_optional_fields_take_their_defaults() -> None:
    text = (
        "---\nid: a1\nsource: notes.md\nkind: highlight\nchar_start: 0\nchar_end: 4\n---\n\n"
        "> Word\n"
    )
    parsed = parse(text)
    assert parsed == Annotation(
        id="a1",
        source="notes.md",
        kind=Kind.HIGHLIGHT,
        anchor=Anchor(TextQuoteSelector("Word"), TextPositionSelector(0, 4), ""),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "line 1: the file does not start with a `---` front matter line"),
        ("---\nid: a1\n", "the front matter has no closing `---` line"),
        (
            "---\nid: a1\nsource: x.md\nkind: [unclosed\nchar_start: 0\n---\n> q\n",
            "line 5: the front matter is not valid YAML: ",
        ),
        ("---\n- a list\n---\n> q\n", "line 2: the front matter is not a list of `key: value`"),
        (
            "---\nid: a1\nsource: x.md\nkind: rant\nchar_start: 0\nchar_end: 1\n---\n> q\n",
            "`kind: rant` is not one of highlight, note, dissent",
        ),
        (
            "---\nid: a1\nsource: x.md\nkind: note\nchar_end: 1\n---\n> q\n",
            "the front matter has no `char_start:`",
        ),
        (
            "---\nid: a1\nsource: x.md\nkind: note\nchar_start: 0\nchar_end: 1\nstart: soon\n---\n",
            "`start:` should be a time in seconds, not 'soon'",
        ),
        (
            "---\nid: a1\nsource: x.md\nkind: note\nchar_start: 0\nchar_end: 1\norphaned: 3\n---\n",
            "`orphaned:` should be true or false, not 3",
        ),
    ],
)
def test_files_that_are_not_annotations_say_why(text: str, message: str) -> None:
    with pytest.raises(AnnotationFormatError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)


# Strings as a reader might produce them, plus the ones that trip YAML and Markdown up.
tricky = st.sampled_from(
    ["", "yes", "no", "null", "~", ": ", "- x", "# heading", "> quoted", "---", "...", "'", '"',
     "0123", "1e3", "2026-11-23", "a: b", "[x]", "{y}", "&a", "*b", "!t", "%", "@", "`", "|", ">",
     " lead", "trail ", "\t", "\r", "\r\n", "\x85", "\u2028", "\ufeff", "\x00", "\x7f", "é", "😀"]
)  # fmt: skip
text = st.lists(
    st.one_of(tricky, st.text(st.characters(exclude_categories=["Cs"]), max_size=12)),
    max_size=6,
).map("\n".join)
seconds = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))


@st.composite
def any_annotation(draw: st.DrawFn) -> Annotation:
    start = draw(st.integers(min_value=0, max_value=10**9))
    return Annotation(
        id=draw(st.text("0123456789abcdefghjkmnpqrstvwxyz", min_size=1, max_size=26)),
        source=draw(text),
        kind=draw(st.sampled_from(Kind)),
        anchor=Anchor(
            quote=TextQuoteSelector(exact=draw(text), prefix=draw(text), suffix=draw(text)),
            position=TextPositionSelector(start, start + draw(st.integers(0, 10**6))),
            fingerprint=draw(text),
        ),
        start=draw(seconds),
        end=draw(seconds),
        speaker=draw(st.one_of(st.none(), text)),
        note=draw(text),
        tags=tuple(draw(st.lists(text, max_size=4))),
        created=draw(text),
        updated=draw(text),
        confidence=draw(st.one_of(st.none(), st.sampled_from(Confidence))),
        orphaned=draw(st.booleans()),
        candidate=draw(
            st.one_of(
                st.none(),
                st.builds(
                    Candidate,
                    st.integers(0, 10**9),
                    st.integers(0, 10**9),
                    text,
                    st.floats(0, 100, allow_nan=False),
                ),
            )
        ),
        searched=draw(text),
    )


@settings(max_examples=400, deadline=None)
@given(any_annotation())
def test_parse_of_render_is_the_same_annotation(annotation: Annotation) -> None:
    assert parse(render(annotation)) == annotation


@settings(max_examples=200, deadline=None)
@given(any_annotation())
def test_every_front_matter_value_sits_on_its_own_line(annotation: Annotation) -> None:
    header = render(annotation).split("\n---\n", 1)[0].removeprefix("---\n")
    for line in header.split("\n"):
        assert re.match(r"[a-z_]+:( |$)|- ", line), line
