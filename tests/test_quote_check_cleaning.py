"""Clean verbatim: what a transcript's words lose (fillers, asides, stutters, repeats) and what
they keep, so a quotation tidied as writers tidy speech is still found."""

from __future__ import annotations

import pytest
from readmark.annotations.quote_check.matching import align
from readmark.annotations.quote_check.tokens import Dropped, norm, split_words


def kept(text: str, **options: object) -> str:
    words = split_words(text, **options)  # type: ignore[arg-type]
    return " ".join(words.norms[i] for i in words.kept)


@pytest.mark.parametrize(
    ("said", "clean"),
    [
        ("So, um, the river, uh, came back.", "so the river came back"),
        ("Er, erm, hmm, the river.", "the river"),
        ("An umbrella and a hummingbird.", "an umbrella and a hummingbird"),
        ("The river [laughs] came back [inaudible] in May.", "the river came back in may"),
        (
            "The river (laughs) came back (the old one) in May.",
            "the river came back the old one in may",
        ),
        ("I- I think th- the river came back.", "i think the river came back"),
        ("We -- we opened it.", "we opened it"),
        ("We re-read the re- report.", "we re read the report"),
        ("The the river, the river came came back.", "the river came back"),
        ("You know, you know, it was it was fine.", "you know it was fine"),
        ("It was. It was a good year.", "it was it was a good year"),
        ("Well\u2026 well\u2026 it was fine.", "well it was fine"),
    ],
)
def test_what_clean_verbatim_leaves_out_of_a_transcript(said: str, clean: str) -> None:
    assert kept(said) == clean


def test_a_repeat_across_two_speakers_is_two_people_saying_it() -> None:
    text = "We agreed\n\nagreed and signed."
    words = split_words(text, [(0, 9), (11, len(text))], breaks=[0, 11])
    assert words.dropped == [Dropped.KEPT] * 5
    assert kept("We agreed agreed and signed.") == "we agreed and signed"


def test_in_a_quotation_square_brackets_are_the_writers_words() -> None:
    assert kept("[The council] was wrong [laughs].", brackets_are_asides=False) == (
        "the council was wrong"
    )


def test_words_compare_without_case_apostrophes_or_thousands_separators() -> None:
    assert norm("Don\u2019t") == norm("dont") == "dont"
    assert norm("1,000") == norm("1000")
    assert norm("3.5") != norm("35")
    assert norm("\uff21BC") == "abc"  # full-width letters


def test_a_changed_word_aligns_as_one_replacement() -> None:
    assert align(["a", "b", "x", "d"], ["q", "a", "b", "c", "d", "r"]) == [
        ("equal", 0, 2, 1, 3),
        ("replace", 2, 3, 3, 4),
        ("equal", 3, 4, 4, 5),
    ]


def test_words_after_an_ellipsis_may_skip_what_was_said_between() -> None:
    steps = align(["a", "b", "c", "d"], ["a", "b", "x", "y", "c", "d"], frozenset({2}))
    assert steps == [("equal", 0, 2, 0, 2), ("gap", 2, 2, 2, 4), ("equal", 2, 4, 4, 6)]
