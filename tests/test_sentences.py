"""Sentences: where the reading cursor stops."""

from __future__ import annotations

import time

from readmark.library.builder import SourceBuilder
from readmark.library.model import Source
from readmark.library.sentences import MAX_SENTENCE, Sentence, index_sentences, split_sentences


def make_source(*paragraphs: str) -> Source:
    builder = SourceBuilder(id="s.md", title="S", format="markdown")
    for paragraph in paragraphs:
        builder.add_segment(paragraph)
    return builder.build()


def texts(source: Source) -> list[str]:
    return [source.text[s.start : s.end] for s in split_sentences(source)]


def test_splits_on_end_marks_and_keeps_offsets() -> None:
    source = make_source("Cities trap heat. Do they? Yes!", "Shade helps.")
    assert split_sentences(source) == [
        Sentence(0, 0, 17, 0),
        Sentence(1, 18, 26, 0),
        Sentence(2, 27, 31, 0),
        Sentence(3, 33, 45, 1),
    ]
    assert texts(source) == ["Cities trap heat.", "Do they?", "Yes!", "Shade helps."]


def test_never_crosses_a_segment() -> None:
    source = make_source("No end mark here", "nor here")
    assert texts(source) == ["No end mark here", "nor here"]
    assert [s.segment_index for s in split_sentences(source)] == [0, 1]


def test_abbreviations_initials_and_lowercase_continuations_do_not_end_a_sentence() -> None:
    source = make_source(
        "Dr. Okafor met J. R. Lee at 9 a.m. on Monday. They talked, e.g. about roofs. Then left."
    )
    assert texts(source) == [
        "Dr. Okafor met J. R. Lee at 9 a.m. on Monday.",
        "They talked, e.g. about roofs.",
        "Then left.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    source = make_source('She said "it is hot." Then she left. (Really.) Fine.')
    assert texts(source) == ['She said "it is hot."', "Then she left.", "(Really.)", "Fine."]


def test_decimal_numbers_and_ellipses() -> None:
    source = make_source("It rose 3.5 degrees... Nobody noticed. Odd…")
    assert texts(source) == ["It rose 3.5 degrees...", "Nobody noticed.", "Odd…"]


def test_unpunctuated_captions_are_cut_into_readable_pieces() -> None:
    words = " ".join(f"word{n}" for n in range(200))
    source = make_source(words)
    pieces = texts(source)
    assert len(pieces) > 3
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert " ".join(pieces) == words


def test_index_at_finds_the_sentence_holding_an_offset() -> None:
    source = make_source("One two. Three four.", "Five.")
    index = index_sentences(source)
    assert [index.index_at(o) for o in (0, 7, 8, 9, 19, 20, 21, 22, 26, 99)] == [
        0,
        0,
        0,
        1,
        1,
        1,
        2,
        2,
        2,
        2,
    ]
    assert list(index.first_of_segment) == [0, 2]
    assert index[-1] == Sentence(2, 22, 27, 1)


def test_empty_source_has_no_sentences() -> None:
    source = make_source()
    assert split_sentences(source) == []
    assert index_sentences(source).index_at(5) == 0


def test_thirty_thousand_words_split_quickly() -> None:
    paragraph = "The river rose at night. Nobody saw it, but everyone felt it! Why? " * 40
    source = make_source(*[paragraph] * 60)  # about 31,000 words
    began = time.perf_counter()
    index = index_sentences(source)
    elapsed = time.perf_counter() - began
    assert len(index) == 60 * 120
    assert elapsed < 0.25
