"""The quote check: each quotation of a commentary found (or not) in the interview it quotes,
with the verdict, place, speaker, time, differences and flags a reader acts on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from readmark.annotations.quote_check import (
    FlagCode,
    Quotation,
    Verdict,
    check_quotation,
    check_source,
    choose_primaries,
    find_quotations,
    is_primary,
    prepare,
    time_at,
)
from readmark.library.builder import SourceBuilder
from readmark.library.loading import load_path
from readmark.library.model import Source

DATA = Path(__file__).parent / "data" / "verify"
INTERVIEW = "interviews/millbrook.md"


@pytest.fixture(scope="module")
def interview() -> Source:
    return load_path(DATA / "interview.md", INTERVIEW)


@pytest.fixture(scope="module")
def commentary() -> Source:
    return load_path(DATA / "commentary.md", "notes/brennan.md")


@pytest.fixture(scope="module")
def results(interview: Source, commentary: Source) -> dict[str, dict[str, Any]]:
    report = check_source(commentary, [interview])
    return {check.quotation.text: check.to_json() for check in report.checks}


def expected(quote: str, verdict: str, start: float | None, **rest: Any) -> dict[str, Any]:
    """The JSON of one check, with the fields that are the same for most of them filled in."""
    found = verdict != "not_found"
    return {
        "quote": quote,
        "verdict": verdict,
        "primary": INTERVIEW if found else None,
        "start": start,
        "speaker": rest.pop("speaker", "Ewan Castell" if found else None),
        "differences": rest.pop("differences", []),
        "flags": rest.pop("flags", []),
    }


def result(results: dict[str, dict[str, Any]], quote: str) -> dict[str, Any]:
    found = dict(results[quote])
    found.pop("char_start")
    found.pop("char_end")
    return found


def test_a_verbatim_quotation(results: dict[str, dict[str, Any]]) -> None:
    quote = "A culvert is a river that somebody decided to forget."
    assert result(results, quote) == expected(quote, "verbatim", 31.0)


def test_the_same_words_with_other_case_and_punctuation_are_normalised(
    results: dict[str, dict[str, Any]],
) -> None:
    # The transcript: "Floods don't respect the map — they respect the valley."
    quote = "floods don't respect the map; they respect the valley."
    assert result(results, quote) == expected(quote, "normalised", 68.0)


def test_fillers_stutters_repeats_and_asides_left_out_are_clean_verbatim(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = "The first thing you learn is that water always remembers where it used to run,"
    assert result(results, quote) == expected(
        quote,
        "clean",
        68.0,
        differences=[
            {"quoted": "", "said": "um"},
            {"quoted": "", "said": "[laughs]"},
            {"quoted": "always", "said": "al- always"},
            {"quoted": "it", "said": "it it"},
        ],
    )


def test_parts_joined_by_an_ellipsis_are_elided_and_show_what_was_left_out(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = (
        "Opening the culvert on Mill Lane cost four times what the council had budgeted \u2026 "
        "and it was still the best money the town ever spent."
    )
    assert result(results, quote) == expected(
        quote,
        "elided",
        245.0,
        differences=[
            {"quoted": "\u2026", "said": "partly because nobody had surveyed the old brick arches"}
        ],
    )


def test_an_ellipsis_that_cuts_a_negation_is_flagged(results: dict[str, dict[str, Any]]) -> None:
    quote = "A buried river will \u2026 stay buried forever."
    assert result(results, quote) == expected(
        quote,
        "elided",
        334.0,
        differences=[{"quoted": "\u2026", "said": "not, in most towns"}],
        flags=["cut-changes-sense: the words the ellipsis leaves out include \u201cnot\u201d"],
    )


def test_sentences_from_places_apart_joined_without_a_mark_are_spliced(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = "Nobody in the town wanted the river back. Now they hold weddings on the footbridge."
    assert result(results, quote) == expected(
        quote,
        "spliced",
        113.0,
        flags=[
            "pieces-apart: the parts stand apart in this transcript: at 1:53 (Ewan Castell), "
            "6:43 (Ewan Castell)"
        ],
    )


def test_a_word_that_differs_makes_it_changed_and_is_listed(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = (
        "most of the flooding we saw came from drains that were too old, not from the river itself."
    )
    assert result(results, quote) == expected(
        quote, "changed", 155.0, differences=[{"quoted": "old", "said": "small"}]
    )


def test_a_quotation_cut_before_a_qualifier_is_flagged(results: dict[str, dict[str, Any]]) -> None:
    quote = "Daylighting pays for itself in flood damage avoided"
    assert result(results, quote) == expected(
        quote,
        "verbatim",
        289.0,
        flags=[
            "stops-mid-sentence: this transcript goes on: "
            "\u201c, but only where the valley floor is still open ground.\u201d"
        ],
    )


def test_a_quotation_cut_after_a_limiting_phrase_is_flagged(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = "a daylit river is the cheapest flood defence there is"
    assert result(results, quote) == expected(
        quote,
        "verbatim",
        195.0,
        flags=["starts-mid-sentence: this transcript has before it: \u201cFor a small town,\u201d"],
    )


def test_a_fabricated_quotation_is_not_found(results: dict[str, dict[str, Any]]) -> None:
    quote = "every town in the country should tear up its culverts by the end of the decade."
    assert result(results, quote) == expected(quote, "not_found", None)


def test_words_of_another_speaker_named_as_the_guests_are_flagged(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = "the river is the cheapest park a town will ever get."
    assert result(results, quote) == expected(
        quote,
        "normalised",
        440.0,
        speaker="Priya Nandakumar",
        flags=[
            "other-speaker: the source names Castell; in this transcript Priya Nandakumar "
            "says these words"
        ],
    )


def test_credited_block_quotes_are_checked_and_a_wrong_time_is_flagged(
    results: dict[str, dict[str, Any]],
) -> None:
    right = "Find the old maps. Walk the line with the people who get flooded."
    assert result(results, right) == expected(right, "verbatim", 490.0)
    wrong = "The brick tunnel was failing."
    assert result(results, wrong) == expected(
        wrong,
        "verbatim",
        195.0,
        flags=["cited-time: the source gives 1:15; this transcript has the words at 3:15"],
    )


def test_single_quote_marks_make_a_quotation_but_apostrophes_do_not(
    results: dict[str, dict[str, Any]],
) -> None:
    quote = "the tunnel fails and the town has to choose"
    assert result(results, quote) == expected(quote, "verbatim", 334.0)
    assert not any("bring back" in q or "It's" in q for q in results)


def test_every_quotation_is_checked_once_in_the_order_of_the_text(
    commentary: Source, results: dict[str, dict[str, Any]]
) -> None:
    assert len(results) == 14
    for found in results.values():
        assert commentary.text[found["char_start"] : found["char_end"]] == found["quote"]
    starts = [found["char_start"] for found in results.values()]
    assert starts == sorted(starts)


def test_the_json_of_a_check_has_exactly_the_published_fields(
    results: dict[str, dict[str, Any]],
) -> None:
    for found in results.values():
        assert list(found) == [
            "quote",
            "char_start",
            "char_end",
            "verdict",
            "primary",
            "start",
            "speaker",
            "differences",
            "flags",
        ]
        assert found["verdict"] in {v.value for v in Verdict}
        json.dumps(found)


def test_the_report_fails_when_any_quotation_is_spliced_changed_or_not_found(
    interview: Source, commentary: Source
) -> None:
    report = check_source(commentary, [interview])
    assert not report.all_faithful
    faithful = [c for c in report.checks if c.verdict.faithful]
    assert {c.verdict for c in faithful} == {"verbatim", "normalised", "clean", "elided"}
    assert report.primaries == (INTERVIEW,)
    assert report.notes == ()


def test_the_primary_words_at_the_match_are_given_for_citing(interview: Source) -> None:
    check = check_quotation(Quotation("Daylighting pays for itself", 0, 27), [interview])
    assert check.said == "Daylighting pays for itself"
    place = check.places[0]
    assert interview.text[place.char_start : place.char_end] == check.said


# --- finding quotations -----------------------------------------------------------------------


def article(*paragraphs: str) -> Source:
    builder = SourceBuilder("notes/article.md", "Article", "markdown")
    for paragraph in paragraphs:
        builder.add_segment(paragraph)
    return builder.build(authors=["A Writer"])


@pytest.mark.parametrize(
    ("paragraph", "quoted"),
    [
        ("She wrote \u201cfour words in curly marks\u201d once.", "four words in curly marks"),
        ('He said "four words in straight marks" twice.', "four words in straight marks"),
        ("Sie sagte \u201edas ist ein deutsches Zitat\u201c heute.", "das ist ein deutsches Zitat"),
        (
            "Elle a dit \u00ab\u00a0une citation en fran\u00e7ais\u00a0\u00bb hier.",
            "une citation en fran\u00e7ais",
        ),
        ("Er sagte \u00bbdas Zitat in Gegenrichtung\u00ab dann.", "das Zitat in Gegenrichtung"),
        (
            "A \u2018single curly quotation it\u2019s in\u2019 here.",
            "single curly quotation it\u2019s in",
        ),
        ("A 'single straight quotation here' too.", "single straight quotation here"),
    ],
)
def test_quote_marks_of_every_kind(paragraph: str, quoted: str) -> None:
    assert [q.text for q in find_quotations(article(paragraph))] == [quoted]


@pytest.mark.parametrize(
    "paragraph",
    [
        "It's the council's plan, and the students' union won't like it.",
        "The '90s were the decade of rock 'n' roll revivals in town.",
        "They call it \u201cdaylighting\u201d and \u201cbring it back\u201d in the trade.",
        "An unclosed \u201cquotation that never ends in this paragraph.",
    ],
)
def test_apostrophes_short_terms_and_stray_marks_are_no_quotations(paragraph: str) -> None:
    assert find_quotations(article(paragraph)) == []


def test_a_quote_inside_a_quotation_is_part_of_it() -> None:
    found = find_quotations(
        article("He said \u201cthey called it \u2018the old ditch\u2019 for years\u201d.")
    )
    assert [q.text for q in found] == ["they called it \u2018the old ditch\u2019 for years"]


@pytest.mark.parametrize(
    ("paragraph", "named"),
    [
        ("Castell said \u201cthe tunnel was failing anyway\u201d.", "Castell"),
        (
            "Ewan Castell told the council that \u201cthe tunnel was failing anyway\u201d.",
            "Ewan Castell",
        ),
        ("As Castell put it, \u201cthe tunnel was failing anyway\u201d.", "Castell"),
        ("According to Dr. Castell, \u201cthe tunnel was failing anyway\u201d.", "Dr. Castell"),
        ("\u201cThe tunnel was failing anyway,\u201d Castell says.", "Castell"),
        ("\u201cThe tunnel was failing anyway,\u201d said Priya Nandakumar.", "Priya Nandakumar"),
        ("Then Castell said \u201cthe tunnel was failing anyway\u201d.", "Castell"),
        ("She said \u201cthe tunnel was failing anyway\u201d.", None),
        ("The engineers said \u201cthe tunnel was failing anyway\u201d.", None),
    ],
)
def test_only_a_named_speaker_attributes_a_quotation(paragraph: str, named: str | None) -> None:
    (quotation,) = find_quotations(article(paragraph))
    assert quotation.attributed_to == named


def test_a_credited_block_quote_is_a_quotation_without_its_credit(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Note\n\n> \u201cThe brick tunnel was failing badly.\u201d\n"
        "> \u2014 Ewan Castell, 3:15\n\n"
        "> An uncredited block of words quoted here.\n",
        encoding="utf-8",
    )
    source = load_path(path, "note.md")
    (quotation,) = find_quotations(source)
    assert quotation.text == "The brick tunnel was failing badly."
    assert quotation.block and quotation.attributed_to == "Ewan Castell"
    assert quotation.cited_time == 195.0
    assert source.text[quotation.char_start : quotation.char_end] == quotation.text


def test_a_time_given_beside_a_quotation_is_its_cited_time() -> None:
    after, before = find_quotations(
        article(
            "He says \u201cthe tunnel was failing anyway\u201d (3:15) to everyone.",
            "At 4:05 he says \u201cit was not simple at all\u201d again.",
        )
    )
    assert after.cited_time == 195.0
    assert before.cited_time == 245.0


def test_a_quoted_chapter_title_names_a_part_and_is_not_checked(interview: Source) -> None:
    source = article(
        "In \u201cMoney, floods and the footbridge\u201d he explains the budget.",
        "The episode \u201cEwan Castell: The River Under the Car Park\u201d is worth it.",
    )
    report = check_source(source, [interview])
    assert report.checks == ()
    assert [q.text for q in report.skipped_titles] == [
        "Money, floods and the footbridge",
        "Ewan Castell: The River Under the Car Park",
    ]


# --- primaries --------------------------------------------------------------------------------


def timed(source_id: str, lines: list[tuple[float, str, str | None]], **meta: Any) -> Source:
    builder = SourceBuilder(source_id, source_id, "srt")
    for start, text, speaker in lines:
        builder.add_segment(text, start=start, speaker=speaker)
    return builder.build(**meta)


def test_timed_and_speaker_turn_sources_are_primaries(
    interview: Source, commentary: Source
) -> None:
    cues = timed("clips/a.srt", [(0.0, "Hello there.", None)])
    assert is_primary(interview) and is_primary(cues)
    assert not is_primary(commentary)
    assert choose_primaries([commentary, cues, interview]) == [cues, interview]
    assert choose_primaries([commentary, cues, interview], checking="clips/a.srt") == [interview]
    assert choose_primaries([commentary, cues, interview], [INTERVIEW, "gone.md"]) == [interview]


def test_a_primary_covering_part_of_the_episode_says_not_found_means_not_in_this_text() -> None:
    partial = timed(
        "clips/first-ten-minutes.srt",
        [
            (0.0, "We start with the river.", "Host"),
            (590.0, "And that is the first part.", "Guest"),
        ],
        duration=3600.0,
    )
    source = article("He said \u201cthe river will be open by spring\u201d on air.")
    report = check_source(source, [partial])
    (check,) = report.checks
    assert check.verdict is Verdict.NOT_FOUND
    assert [str(f) for f in check.flags] == [
        "partial-transcript: clips/first-ten-minutes.srt gives times up to 9:53 of 1:00:00: "
        "words not found may be in the part it does not cover"
    ]
    assert report.notes == (str(check.flags[0]).split(": ", 1)[1],)


def test_without_primaries_the_report_says_so() -> None:
    report = check_source(article("He said \u201cthe river will be open by spring\u201d."), [])
    assert report.notes == ("There is no timed or speaker-turn source to check against.",)
    assert [c.verdict for c in report.checks] == [Verdict.NOT_FOUND]


def test_the_place_said_by_the_named_speaker_wins_a_tie() -> None:
    both = timed(
        "talks/both.srt",
        [
            (0.0, "The river always comes back.", "Host"),
            (60.0, "The river always comes back.", "Guest"),
        ],
    )
    named = find_quotations(article("Guest said \u201cthe river always comes back\u201d."))[0]
    unnamed = find_quotations(article("It is said \u201cthe river always comes back\u201d."))[0]
    assert check_quotation(named, [both]).start == 60.0
    assert check_quotation(unnamed, [both]).start == 0.0


def test_the_primary_that_has_the_words_is_chosen() -> None:
    one = timed("a.srt", [(0.0, "Nothing of interest is said here today.", "Host")])
    two = timed("b.srt", [(30.0, "The river always comes back in the end.", "Guest")])
    quotation = find_quotations(article("He said \u201cthe river always comes back\u201d."))[0]
    check = check_quotation(quotation, [one, two])
    assert (check.primary, check.start, check.speaker) == ("b.srt", 30.0, "Guest")


def test_words_across_subtitle_cues_are_found_and_the_sentence_followed_over_them() -> None:
    cues = timed(
        "clips/cues.srt",
        [
            (10.0, "Opening the river was the right", "Guest"),
            (12.5, "decision for this town, unless", "Guest"),
            (15.0, "the money runs out first.", "Guest"),
        ],
    )
    quotation = find_quotations(
        article("He said \u201cOpening the river was the right decision for this town\u201d.")
    )[0]
    check = check_quotation(quotation, [cues])
    assert check.verdict is Verdict.VERBATIM  # a cue break is white space, not a word
    assert check.start == 10.0
    assert [str(f) for f in check.flags] == [
        "stops-mid-sentence: this transcript goes on: "
        "\u201c, unless the money runs out first.\u201d"
    ]


def test_words_running_into_the_next_speakers_turn_are_flagged() -> None:
    turns = timed(
        "talks/turns.srt",
        [
            (0.0, "We opened the river in spring.", "Host"),
            (5.0, "And it flooded in June.", "Guest"),
        ],
    )
    quotation = find_quotations(
        article("Host said \u201cwe opened the river in spring and it flooded\u201d.")
    )[0]
    check = check_quotation(quotation, [turns])
    assert check.verdict is Verdict.NORMALISED
    assert check.has(FlagCode.SPANS_SPEAKERS)


def test_a_primary_is_indexed_once_per_text(interview: Source) -> None:
    assert prepare(interview) is prepare(interview)
    edited = timed(INTERVIEW, [(0.0, "Entirely different words now.", "Host")])
    assert prepare(edited) is not prepare(interview)


def test_time_at_is_the_start_of_the_segment_saying_the_words(interview: Source) -> None:
    at = interview.text.index("A culvert is a river")
    assert time_at(interview, at) == 31.0
    assert time_at(interview, interview.text.index("River engineer Ewan Castell")) is None


def test_a_check_is_told_as_what_the_text_shows(interview: Source, commentary: Source) -> None:
    from readmark.annotations.quote_check.wording import describe, dissent_note

    report = check_source(commentary, [interview])
    changed = next(c for c in report.checks if c.verdict is Verdict.CHANGED)
    assert describe(changed) == (
        "The words differ from this transcript (interviews/millbrook.md, 2:35, Ewan Castell): "
        "quoted \u201cold\u201d, said \u201csmall\u201d."
    )
    assert dissent_note(changed) == (
        "The words differ from this transcript (interviews/millbrook.md, 2:35, Ewan Castell).\n"
        "- quoted \u201cold\u201d, said \u201csmall\u201d\n"
        "\n"
        "The transcript: \u201cMost of the flooding we saw came from drains that were too small, "
        "not from the river itself\u201d"
    )
    missing = next(c for c in report.checks if c.verdict is Verdict.NOT_FOUND)
    assert describe(missing) == "Not in the text of the transcripts checked."
    wording = " ".join(describe(c) + dissent_note(c) for c in report.checks).lower()
    assert "misquot" not in wording


def test_odd_quotations_get_a_verdict_not_an_error(interview: Source) -> None:
    long_text = " ".join(["the river came back to the town"] * 80)
    odd = [
        "um uh er um",
        "1,000 2,000 3,000 4,000",
        "\u2026 \u2026 \u2026 \u2026",
        long_text,
        "[laughs] [laughs] [laughs] [laughs]",
    ]
    for text in odd:
        check = check_quotation(Quotation(text, 0, len(text)), [interview])
        assert check.verdict is Verdict.NOT_FOUND


def test_a_source_without_text_has_no_quotations(interview: Source) -> None:
    empty = SourceBuilder("notes/empty.md", "Empty", "markdown").build()
    assert check_source(empty, [interview]).checks == ()
    broken = SourceBuilder("notes/broken.md", "Broken", "markdown").build(error="not text")
    assert not is_primary(broken)


def test_an_untimed_speaker_turn_transcript_gives_the_speaker_and_no_time() -> None:
    builder = SourceBuilder("notes/turns.md", "Turns", "markdown")
    builder.add_segment("We will open the river next spring.", speaker="Mayor")
    builder.add_segment("Will you really?", speaker="Reporter")
    turns = builder.build()
    assert is_primary(turns)
    quotation = find_quotations(article("Mayor said \u201cwe will open the river\u201d."))[0]
    check = check_quotation(quotation, [turns])
    assert (check.verdict, check.speaker, check.start) == (Verdict.NORMALISED, "Mayor", None)
