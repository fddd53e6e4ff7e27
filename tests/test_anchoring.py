import random
import unicodedata
from dataclasses import replace

import pytest
from helpers.vaults import MakeVault
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations.anchoring import (
    ReanchorStatus,
    anchor_span,
    find_quote,
    new_annotation,
    reanchor,
    span_metadata,
)
from readmark.annotations.citation import cite
from readmark.annotations.model import Annotation, Kind, fingerprint
from readmark.annotations.quote_match import fold_quote
from readmark.annotations.workspace import Workspace
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source

Turn = tuple[float, str, str]

TALK: list[Turn] = [
    (0.0, "Host", "Welcome back. Today we talk about gardens and the weather."),
    (12.0, "Guest", "Thanks for having me. I have grown tomatoes for thirty years."),
    (30.0, "Guest", "The trick is patience. Water early, never at noon."),
    (51.0, "Host", "Some say compost is overrated. What do you think?"),
    (64.0, "Guest", "Compost is the soil's memory. Without it the beds forget everything."),
    (90.0, "Host", "Let us take a short break."),
]


def build(turns: list[Turn], *, shift: float = 0.0, source_id: str = "talk.srt") -> Source:
    """A timed source from (start, speaker, text) turns; each turn ends where the next begins."""
    builder = SourceBuilder(source_id, "Garden Talk", "srt")
    for i, (start, speaker, text) in enumerate(turns):
        end = turns[i + 1][0] if i + 1 < len(turns) else start + 10
        builder.add_segment(text, start=start + shift, end=end + shift, speaker=speaker)
    return builder.build()


def annotate(source: Source, quote: str, kind: Kind = Kind.HIGHLIGHT, note: str = "") -> Annotation:
    at = source.text.index(quote)
    return new_annotation(source, at, at + len(quote), kind, note=note)


# -- finding a quote ---------------------------------------------------------------------


def plain(text: str) -> Source:
    builder = SourceBuilder("a.txt", "A", "text")
    for paragraph in text.split("\n\n"):
        builder.add_segment(paragraph)
    return builder.build()


def test_find_quote_prefers_where_the_quote_is_said_on_the_timeline() -> None:
    # A page that repeats a line of its transcript as an untimed key quote, above it.
    builder = SourceBuilder("page.md", "Page", "markdown")
    builder.add_segment("Key quote: water early, never at noon.", speaker="Guest")
    builder.add_segment("Welcome back to the garden.", start=0.0, end=20.0, speaker="Host")
    builder.add_segment("The trick is patience. Water early, never at noon.", start=20.0, end=40.0)
    source = builder.build()
    start, end = find_quote(source, "Water early, never at noon") or (0, 0)
    assert source.text[start:end] == "Water early, never at noon"
    assert start > source.text.index("Welcome")
    assert span_metadata(source, start, end)[0] is not None


def test_find_quote_takes_the_first_place_when_none_is_timed() -> None:
    source = plain("Rain again.\n\nThen rain again, and more.")
    assert find_quote(source, "rain again") == (18, 28)
    assert find_quote(source, "Rain again") == (0, 10)


def test_find_quote_literal_gives_offsets_of_the_quote() -> None:
    source = plain("One two three.\n\nFour five six.")
    assert find_quote(source, "five six") == (21, 29)


def test_find_quote_forgives_white_space_across_paragraphs() -> None:
    source = plain("The end of one.\n\nThe start of two.")
    start, end = find_quote(source, "of one.   The  start") or (0, 0)
    assert source.text[start:end] == "of one.\n\nThe start"


@pytest.mark.parametrize(
    ("text", "quote", "found"),
    [
        ("She said \u201cnever again\u201d and left.", '"never again"', "\u201cnever again\u201d"),
        ('She said "never again" and left.', "\u201cnever again\u201d", '"never again"'),
        ("It isn\u2019t over.", "It isn't over", "It isn\u2019t over"),
        ("Wait \u2014 what?", "Wait -- what", "Wait \u2014 what"),
        ("Wait--what?", "Wait \u2013 what", "Wait--what"),
        ("And then\u2026 nothing.", "then... nothing", "then\u2026 nothing"),
        ("Quiet PLEASE now.", "quiet please", "Quiet PLEASE"),
    ],
)
def test_find_quote_forgives_marks_dashes_ellipses_and_case(
    text: str, quote: str, found: str
) -> None:
    source = plain(text)
    span = find_quote(source, quote)
    assert span is not None
    assert source.text[span[0] : span[1]] == found


def test_find_quote_prefers_the_same_case() -> None:
    source = plain("Rain falls. rain falls.")
    assert find_quote(source, "rain falls") == (12, 22)


def test_find_quote_returns_none_when_absent_or_blank() -> None:
    source = plain("Nothing to see.")
    assert find_quote(source, "something else") is None
    assert find_quote(source, "   ") is None


# -- making anchors ----------------------------------------------------------------------


def test_anchor_span_keeps_32_characters_of_context_and_the_fingerprint() -> None:
    source = build(TALK)
    quote = "The trick is patience."
    anchor = annotate(source, quote).anchor
    assert anchor.quote.exact == quote
    assert anchor.quote.prefix == "ave grown tomatoes for thirty years.\n\n"[-32:]
    assert anchor.quote.suffix == " Water early, never at noon.\n\nSo"
    assert anchor.position.start == source.text.index(quote)
    assert anchor.fingerprint == fingerprint(source.text)


def test_anchor_span_refuses_a_span_outside_the_text() -> None:
    source = build(TALK)
    with pytest.raises(ValueError, match="talk.srt"):
        anchor_span(source, 5, len(source.text) + 1)


def test_span_metadata_within_one_turn() -> None:
    source = build(TALK)
    at = source.text.index("never at noon")
    assert span_metadata(source, at, at + 13) == (30.0, 51.0, "Guest")


def test_span_metadata_across_turns_of_one_speaker() -> None:
    source = build(TALK)
    start = source.text.index("thirty years")
    end = source.text.index("Water early") + len("Water early")
    assert span_metadata(source, start, end) == (12.0, 51.0, "Guest")


def test_span_metadata_across_speakers_has_no_speaker() -> None:
    source = build(TALK)
    start = source.text.index("never at noon")
    end = source.text.index("overrated")
    assert span_metadata(source, start, end) == (30.0, 64.0, None)


def test_span_metadata_of_an_untimed_source() -> None:
    source = plain("Just words here.")
    assert span_metadata(source, 0, 4) == (None, None, None)


def test_new_annotation_takes_time_and_speaker_from_the_segments() -> None:
    source = build(TALK)
    annotation = annotate(source, "Compost is the soil's memory.", Kind.NOTE, note="Nice line")
    assert (annotation.start, annotation.end, annotation.speaker) == (64.0, 90.0, "Guest")
    assert annotation.source == "talk.srt"
    assert annotation.note == "Nice line"
    assert annotation.created == annotation.updated != ""


# -- re-anchoring ------------------------------------------------------------------------


def test_reanchor_unchanged_source() -> None:
    source = build(TALK)
    annotation = annotate(source, "The trick is patience.")
    result = reanchor(annotation, source)
    assert result.status == ReanchorStatus.UNCHANGED
    assert result.annotation == annotation


def test_reanchor_after_a_paragraph_is_inserted_before() -> None:
    source = build(TALK)
    annotation = annotate(source, "Compost is the soil's memory.")
    edited = build([(0.0, "Host", "A word from our sponsor, who sells spades."), *TALK])
    result = reanchor(annotation, edited)
    assert result.status == ReanchorStatus.MOVED
    moved = result.annotation
    start = edited.text.index("Compost is the soil's memory.")
    assert (moved.anchor.position.start, moved.anchor.position.end) == (start, start + 29)
    assert moved.anchor.fingerprint == fingerprint(edited.text)
    assert moved.anchor.quote.prefix == edited.text[start - 32 : start]
    assert moved.quote == "Compost is the soil's memory."


def test_reanchor_a_typo_fixed_inside_the_quote_needs_review() -> None:
    typo = [*TALK]
    typo[4] = (64.0, "Guest", "Compost is the soils memroy. Without it the beds forget everything.")
    annotation = annotate(build(typo), "Compost is the soils memroy. Without it")
    edited = build(TALK)
    result = reanchor(annotation, edited)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    # The stored quote and anchor stay; the corrected words wait as the candidate.
    assert result.annotation.quote == "Compost is the soils memroy. Without it"
    assert result.annotation.anchor == annotation.anchor
    candidate = result.annotation.candidate
    assert candidate is not None
    assert candidate.text == "Compost is the soil's memory. Without it"
    assert edited.text[candidate.start : candidate.end] == candidate.text
    assert result.annotation.start == 64.0
    assert result.score == candidate.score >= 85


def test_reanchor_a_deleted_quote_is_orphaned_but_kept() -> None:
    source = build(TALK)
    annotation = annotate(source, "Water early, never at noon.", Kind.NOTE, note="Check this")
    cut = [t for t in TALK if t[0] != 30.0]
    result = reanchor(annotation, build(cut))
    assert result.status == ReanchorStatus.ORPHANED
    assert result.annotation.orphaned
    assert result.annotation.quote == "Water early, never at noon."
    assert result.annotation.note == "Check this"
    assert result.annotation.anchor == annotation.anchor


def test_reanchor_an_orphan_is_found_again_when_the_text_returns() -> None:
    source = build(TALK)
    annotation = annotate(source, "Water early, never at noon.")
    orphan = reanchor(annotation, build([t for t in TALK if t[0] != 30.0])).annotation
    result = reanchor(orphan, source)
    assert result.status == ReanchorStatus.UNCHANGED
    assert not result.annotation.orphaned


def test_reanchor_follows_regenerated_timestamps() -> None:
    source = build(TALK)
    annotation = annotate(source, "The trick is patience.")
    result = reanchor(annotation, build(TALK, shift=4.5))
    assert result.status == ReanchorStatus.UNCHANGED
    assert (result.annotation.start, result.annotation.end) == (34.5, 55.5)


def test_reanchor_follows_reflowed_white_space() -> None:
    source = build(TALK)
    annotation = annotate(source, "The trick is patience. Water early")
    reflowed = [*TALK]
    reflowed[2] = (30.0, "Guest", "The trick is patience.")
    reflowed.insert(3, (40.0, "Guest", "Water early, never at noon."))
    result = reanchor(annotation, build(reflowed))
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == "The trick is patience.\n\nWater early"
    assert result.annotation.end == 51.0


REFRAIN = "Keep the soil covered."


def repeated_talk(first_speaker: str = "Guest") -> list[Turn]:
    # The refrain stands twice, with the same words around it both times.
    return [
        (0.0, "Host", "Welcome back."),
        (10.0, first_speaker, f"{REFRAIN} That is all."),
        (20.0, "Host", "Anything else?"),
        (300.0, "Guest", f"{REFRAIN} That is all."),
        (320.0, "Host", "Goodbye."),
    ]


@pytest.mark.parametrize("which", [0, 1])
def test_reanchor_a_repeated_sentence_keeps_the_occurrence_nearest_in_time(which: int) -> None:
    source = build(repeated_talk())
    starts = [i for i in range(len(source.text)) if source.text.startswith(REFRAIN, i)]
    annotation = new_annotation(source, starts[which], starts[which] + len(REFRAIN), Kind.NOTE)
    # A long insertion puts the old offset nearer the other occurrence; time still decides.
    edited = build([(0.0, "Host", "Sponsor message. " * 40), *repeated_talk()[1:]])
    result = reanchor(annotation, edited)
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.start == annotation.start


def test_reanchor_a_repeated_sentence_without_times_keeps_the_nearest_offset() -> None:
    text = f"Intro.\n\n{REFRAIN} Yes.\n\nMiddle part.\n\n{REFRAIN} Yes.\n\nEnd."
    source = plain(text)
    second = text.rindex(REFRAIN)
    annotation = new_annotation(source, second, second + len(REFRAIN), Kind.HIGHLIGHT)
    edited = plain(text.replace("Intro.", "Intro, now longer."))
    result = reanchor(annotation, edited)
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.anchor.position.start == edited.text.rindex(REFRAIN)


def test_reanchor_a_repeated_sentence_prefers_the_matching_context() -> None:
    told = f"My grandmother always told me: {REFRAIN} She was right."
    sold = f"The seed catalogue says it too: {REFRAIN} It sells mulch."
    source = plain(f"Sun.\n\n{told}\n\nRain.\n\n{sold}\n\nSnow.")
    first = source.text.index(REFRAIN)
    annotation = new_annotation(source, first, first + len(REFRAIN), Kind.HIGHLIGHT)
    # The two paragraphs swap: the old offset now holds the other occurrence.
    edited = plain(f"Sun.\n\n{sold}\n\nRain.\n\n{told}\n\nSnow.")
    result = reanchor(annotation, edited)
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.anchor.position.start == edited.text.rindex(REFRAIN)
    assert result.annotation.anchor.quote.prefix.endswith("My grandmother always told me: ")


def long_transcript() -> list[Turn]:
    """About 180,000 characters of distinct sentences, one turn every 8 seconds."""
    pick = random.Random(7)
    turns: list[Turn] = []
    for i in range(1800):
        words = " ".join(f"w{pick.randrange(1000)}" for _ in range(12))
        turns.append((i * 8.0, "AB"[i % 2], f"Turn {i} says {words} and then stops."))
    return turns


def test_reanchor_is_fast_on_a_three_hour_transcript() -> None:
    turns = long_transcript()
    source = build(turns)
    assert len(source.text) > 150_000
    target = turns[1200][2]
    annotation = annotate(source, target[5:60])
    cut_word = target.split()[4]
    edited_turns = [(0.0, "A", "A new opening remark that was not there before."), *turns]
    edited_turns[1201] = (edited_turns[1201][0], "A", target.replace(f" {cut_word}", "", 1))
    reworded_turns = [*turns]
    reworded_turns[1200] = (turns[1200][0], "A", target.replace("says", "said", 1))
    deleted = [t for i, t in enumerate(turns) if i != 1200]
    edited, reworded, cut = build(edited_turns), build(reworded_turns), build(deleted)
    fuzzy = reanchor(annotation, edited)
    other_word = reanchor(annotation, reworded)
    orphan = reanchor(annotation, cut)
    assert fuzzy.status == ReanchorStatus.NEEDS_REVIEW
    assert fuzzy.annotation.candidate is not None
    assert target[5:60].replace(f" {cut_word}", "", 1).startswith(fuzzy.annotation.candidate.text)
    # "said" is not a word of the quote: no candidate, however alike the letters.
    assert other_word.status == ReanchorStatus.ORPHANED
    assert orphan.status == ReanchorStatus.ORPHANED


# -- properties --------------------------------------------------------------------------

words = st.text(alphabet="ab \u2019'\u201c\"-\u2014.", min_size=1, max_size=30)


@st.composite
def source_and_span(draw: st.DrawFn) -> tuple[Source, int, int]:
    paragraphs = draw(st.lists(words, min_size=1, max_size=6))
    builder = SourceBuilder("p.txt", "P", "text")
    for paragraph in paragraphs:
        builder.add_segment(paragraph)
    source = builder.build()
    if not source.text:
        builder.add_segment("x")
        source = builder.build()
    start = draw(st.integers(0, len(source.text) - 1))
    end = draw(st.integers(start + 1, len(source.text)))
    return source, start, end


@settings(max_examples=200, deadline=None)
@given(source_and_span())
def test_property_find_quote_finds_the_same_text(case: tuple[Source, int, int]) -> None:
    source, start, end = case
    exact = source.text[start:end]
    found = find_quote(source, exact)
    if not exact.strip():
        assert found is None
        return
    assert found is not None
    assert source.text[found[0] : found[1]] == exact


@settings(max_examples=200, deadline=None)
@given(source_and_span())
def test_property_find_quote_forgives_retyped_marks(case: tuple[Source, int, int]) -> None:
    source, start, end = case
    exact = source.text[start:end]
    retyped = exact.replace("\u2019", "'").replace("\u2014", " -- ").replace(" ", "\n ")
    found = find_quote(source, retyped)
    if not fold_quote(exact):
        return
    assert found is not None
    assert fold_quote(source.text[found[0] : found[1]]).lower() == fold_quote(retyped).lower()


@settings(max_examples=200, deadline=None)
@given(source_and_span())
def test_property_reanchor_on_the_same_source_is_unchanged(case: tuple[Source, int, int]) -> None:
    source, start, end = case
    annotation = new_annotation(source, start, end, Kind.HIGHLIGHT)
    result = reanchor(annotation, source)
    assert result.status == ReanchorStatus.UNCHANGED
    assert result.annotation.anchor.position == annotation.anchor.position


def test_reanchor_with_a_stale_fingerprint_but_same_text_is_unchanged() -> None:
    source = build(TALK)
    annotation = annotate(source, "Let us take a short break.")
    stale = replace(annotation, anchor=replace(annotation.anchor, fingerprint="0" * 16))
    result = reanchor(stale, source)
    assert result.status == ReanchorStatus.UNCHANGED
    assert result.annotation.anchor.fingerprint == fingerprint(source.text)


def test_reanchor_after_words_cut_from_the_quote_keeps_whole_words_at_the_edges() -> None:
    before = plain("On Monday the council quite quickly agreed to fund the bridge. Then it rained.")
    annotation = annotate(before, "the council quite quickly agreed to fund")
    after = plain("On Monday the council agreed to fund the bridge. Then it rained.")
    result = reanchor(annotation, after)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    # Not "y the council agreed to fund": the match must not begin inside "Monday".
    assert result.annotation.candidate is not None
    assert result.annotation.candidate.text == "the council agreed to fund"
    assert result.annotation.quote == "the council quite quickly agreed to fund"


def test_reanchor_never_leaves_half_a_word_at_an_edge() -> None:
    before = plain("He said trees are the cheapest air conditioner we have, and he meant it.")
    annotation = annotate(before, "trees are the cheapest air conditioner")
    after = plain("He said trees are the cheapest air-conditioning unit we have, and he meant it.")
    result = reanchor(annotation, after)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    assert result.annotation.candidate is not None
    assert result.annotation.candidate.text == "trees are the cheapest air-conditioning"


# -- composed and decomposed accents ---------------------------------------------------------------

COMPOSED = "Tomamos un caf\u00e9 en la plaza de S\u00e3o Jo\u00e3o antes de la reuni\u00f3n."
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


@pytest.mark.parametrize(
    ("source_text", "quote"),
    [
        (COMPOSED, unicodedata.normalize("NFD", "caf\u00e9 en la plaza de S\u00e3o")),
        (DECOMPOSED, "caf\u00e9 en la plaza de S\u00e3o"),
    ],
    ids=["nfd-quote-in-nfc-text", "nfc-quote-in-nfd-text"],
)
def test_a_quote_matches_whatever_the_accent_form(
    make_vault: MakeVault, source_text: str, quote: str
) -> None:
    root = make_vault({"notes.txt": source_text})
    with Workspace(root) as workspace:
        made = workspace.annotate("notes.txt", quote, Kind.HIGHLIGHT)
        text = workspace.source("notes.txt").text
        start, end = made.anchor.position.start, made.anchor.position.end
        # The anchor spans the whole accented words in the source's own form.
        assert unicodedata.normalize("NFC", text[start:end]) == "caf\u00e9 en la plaza de S\u00e3o"
        assert made.quote == text[start:end]


def test_an_annotation_follows_its_source_resaved_decomposed(make_vault: MakeVault) -> None:
    root = make_vault({"notes.txt": COMPOSED})
    with Workspace(root) as workspace:
        made = workspace.annotate("notes.txt", "Jo\u00e3o antes", Kind.HIGHLIGHT)
    (root / "notes.txt").write_text(DECOMPOSED, encoding="utf-8")
    with Workspace(root) as workspace:
        result = reanchor(made, workspace.source("notes.txt"))
    # The same words, only spelled with combining accents: an exact match, not a fuzzy one.
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == unicodedata.normalize("NFD", "Jo\u00e3o antes")


# -- the time a quote begins inside a long segment -------------------------------------------------

FILLER = " ".join(f"word{n:02d}" for n in range(40))
LONG_TALK = f"""WEBVTT

00:01:00.000 --> 00:02:00.000
<v Lee>{FILLER} the river turns north here {FILLER}

00:02:00.000 --> 00:02:05.000
<v Lee>That is all.
"""


def test_a_quote_in_the_middle_of_a_long_segment_links_to_the_segments_own_time(
    make_vault: MakeVault,
) -> None:
    # The file says when the segment starts; a guess inside it could land after the words.
    root = make_vault({"river.vtt": LONG_TALK})
    with Workspace(root) as workspace:
        made = workspace.annotate("river.vtt", "the river turns north", Kind.HIGHLIGHT)
        source = workspace.source("river.vtt")
    segment = source.segment_at_offset(made.anchor.position.start)
    assert (made.start, made.end) == (segment.start, segment.end)
    source.url = "https://video.example/watch?v=river"
    link = cite(made, source, "plain", templates={})
    assert link.endswith(f"https://video.example/watch?v=river#t={int(segment.start or 0)}")
