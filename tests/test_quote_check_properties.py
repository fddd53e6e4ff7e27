"""Properties of the quote check over any span of the interview's sentences: the words as said
are verbatim at their own segment and time; one content word swapped is `changed`, with exactly
that word as the difference."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from readmark.annotations.quote_check import Difference, Quotation, Verdict, check_quotation
from readmark.annotations.quote_check.primary import is_spoken, prepare
from readmark.annotations.quote_check.tokens import WORD, Dropped, norm
from readmark.annotations.wording import STOP_WORDS
from readmark.library.loading import load_path
from readmark.library.model import Segment, Source
from readmark.library.sentences import split_sentences

INTERVIEW = load_path(Path(__file__).parent / "data" / "verify" / "interview.md", "interview.md")
FOREIGN = ("zorblax", "quindlewort", "frumptious", "glaverent")
"""Words the interview never says."""


@dataclass(frozen=True)
class Spoken:
    segment: Segment
    words: list[tuple[int, int]]
    """Offsets in the source's text of each word of the sentence."""


def spoken_sentences(source: Source) -> list[Spoken]:
    found = []
    for sentence in split_sentences(source):
        segment = source.segments[sentence.segment_index]
        if not is_spoken(segment):
            continue
        words = [m.span() for m in WORD.finditer(source.text, sentence.start, sentence.end)]
        if len(words) >= 4:
            found.append(Spoken(segment, words))
    return found


SENTENCES = spoken_sentences(INTERVIEW)


@st.composite
def spans(draw: st.DrawFn) -> tuple[Spoken, int, int]:
    """A sentence and a run of at least 4 of its words (first, last inclusive)."""
    sentence = draw(st.sampled_from(SENTENCES))
    count = len(sentence.words)
    first = draw(st.integers(0, count - 4))
    last = draw(st.integers(first + 3, count - 1))
    return sentence, first, last


def quotation(text: str) -> Quotation:
    return Quotation(text, 0, len(text))


@settings(max_examples=150, deadline=None)
@given(spans())
def test_any_span_of_a_sentence_is_verbatim_at_its_segment_and_time(
    span: tuple[Spoken, int, int],
) -> None:
    sentence, first, last = span
    start, end = sentence.words[first][0], sentence.words[last][1]
    text = INTERVIEW.text[start:end]
    assume(INTERVIEW.text.count(text) == 1)  # words said twice have two right places
    check = check_quotation(quotation(text), [INTERVIEW])
    assert check.verdict is Verdict.VERBATIM
    assert (check.places[0].char_start, check.places[0].char_end) == (start, end)
    assert check.start == sentence.segment.start
    assert check.speaker == sentence.segment.speaker
    assert check.differences == ()


@settings(max_examples=150, deadline=None)
@given(spans(), st.sampled_from(FOREIGN), st.data())
def test_one_swapped_content_word_is_changed_with_exactly_that_difference(
    span: tuple[Spoken, int, int], foreign: str, data: st.DataObject
) -> None:
    sentence, first, last = span
    words = sentence.words[first : last + 1]
    forms = [norm(INTERVIEW.text[a:b]) for a, b in words]
    primary = prepare(INTERVIEW)
    by_offset = dict(zip(primary.words.starts, primary.words.dropped, strict=True))
    # Fluent words only: a filler or stutter in the span is compared another way.
    assume(all(by_offset[a] is Dropped.KEPT for a, _ in words))
    content = [
        i
        for i, (a, b) in enumerate(words)
        if forms[i] not in STOP_WORDS and INTERVIEW.text[a:b].isalpha()
    ]
    assume(content)
    swapped = data.draw(st.sampled_from(content))
    # The rest of the words must tell one place (`x y _ z` said twice has two right answers).
    assume(_places(primary.clean, forms, swapped) == 1)
    a, b = words[swapped]
    start, end = words[0][0], words[-1][1]
    text = INTERVIEW.text[start:a] + foreign + INTERVIEW.text[b:end]
    check = check_quotation(quotation(text), [INTERVIEW])
    assert check.verdict is Verdict.CHANGED
    assert check.differences == (Difference(foreign, INTERVIEW.text[a:b]),)
    assert check.start == sentence.segment.start
    assert (check.places[0].char_start, check.places[0].char_end) == (start, end)


def _places(clean: list[str], forms: list[str], wildcard: int) -> int:
    size = len(forms)
    return sum(
        all(k == wildcard or clean[at + k] == forms[k] for k in range(size))
        for at in range(len(clean) - size + 1)
    )
