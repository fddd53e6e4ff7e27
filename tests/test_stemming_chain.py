"""The one-loop indexing path of the stemming analyzer gives the chain's terms and positions."""

from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations.index_schema import STEMMING, StemmingChain
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.formats import Positions

WORDS = ["The", "running", "café", "naïve", "a", "I", "of", "x", "Cooling", "centres", "2026"]


def chain(text: str, **options: object) -> list[tuple[str, int | None]]:
    tokens = CompositeAnalyzer.__call__(STEMMING, text, **options)
    return [(t.text, getattr(t, "pos", None)) for t in tokens if not t.stopped]


def fast(text: str, **options: object) -> list[tuple[str, int | None]]:
    return [(t.text, getattr(t, "pos", None)) for t in STEMMING(text, **options)]


_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from([*WORDS, " ", ", ", ".", "-", "e\u0301", "\u00e9t\u00e9"])).map(
        "".join
    ),
)


@settings(max_examples=400, deadline=None)
@given(_text, st.integers(0, 50))
def test_indexing_gives_the_chains_terms_and_positions(text: str, start_pos: int) -> None:
    options = {"mode": "index", "positions": True, "boosts": True, "start_pos": start_pos}
    assert fast(text, **options) == chain(text, **options)


def test_a_sentence_is_stemmed_without_stop_words_and_positions_close_up() -> None:
    got = fast("The nights were running hotter than the days", mode="index", positions=True)
    expected = [("night", 1), ("were", 2), ("runn", 3), ("hotter", 4), ("than", 5), ("dai", 6)]
    assert got == expected


def test_queries_and_snippets_still_go_through_the_chain() -> None:
    # Snippets ask for character offsets; the one-loop path has none to give.
    tokens = STEMMING("Running late", chars=True, mode="query", removestops=False)
    assert [(t.text, t.startchar, t.endchar) for t in tokens] == [("runn", 0, 7), ("late", 8, 12)]


def test_a_field_indexes_the_same_postings_either_way() -> None:
    text = "Cooling centres save lives; the evidence is thin, but it is real. Café naïve."
    fmt = Positions()
    by_chain = list(fmt.word_values(text, CompositeAnalyzer(*STEMMING.items), mode="index"))
    assert list(fmt.word_values(text, StemmingChain(), mode="index")) == by_chain
