"""A re-anchor never changes the words silently: only the same words move an annotation by
themselves; anything else is a candidate the reader accepts or refuses, or no candidate."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.cut_and_shuffle import (
    ADJECTIVES,
    MODALS,
    NOUNS,
    VERBS,
    cut_and_shuffle,
    essay,
    word_spans,
)
from readmark.annotations.anchoring import ReanchorStatus, new_annotation, reanchor, span_metadata
from readmark.annotations.model import Annotation, Kind, fingerprint
from readmark.annotations.review import Decision, ReviewError
from readmark.annotations.wording import refusal
from readmark.annotations.workspace import Workspace
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source


def plain(*paragraphs: str) -> Source:
    builder = SourceBuilder("notes.txt", "Notes", "text")
    for paragraph in paragraphs:
        builder.add_segment(paragraph)
    return builder.build()


def timed(*turns: tuple[float, str, str]) -> Source:
    builder = SourceBuilder("talk.srt", "Talk", "srt")
    for i, (start, speaker, text) in enumerate(turns):
        end = turns[i + 1][0] if i + 1 < len(turns) else start + 10
        builder.add_segment(text, start=start, end=end, speaker=speaker)
    return builder.build()


def annotate(source: Source, quote: str, kind: Kind = Kind.HIGHLIGHT) -> Annotation:
    at = source.text.index(quote)
    return new_annotation(source, at, at + len(quote), kind, note="my note")


# -- what is no candidate at all ------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "quote", "after"),
    [
        # The measured case: a negation added and a content word changed.
        (
            "The breakthrough may come from teaching machines to read slowly.",
            "breakthrough may come from teaching",
            "The breakthrough may not come from feeding machines to read slowly.",
        ),
        # A negation added, nothing else changed.
        (
            "The breakthrough may come from teaching machines to read slowly.",
            "breakthrough may come from teaching machines",
            "The breakthrough may not come from teaching machines to read slowly.",
        ),
        # A negation dropped (a word cut from inside the quote, but the one that mattered).
        (
            "Water the beds early, never at noon, and mulch them well.",
            "Water the beds early, never at noon",
            "Water the beds early, at noon, and mulch them well.",
        ),
        # n't added.
        (
            "The council said the bridge is finished for this year at least.",
            "the bridge is finished for this year",
            "The council said the bridge isn't finished for this year at least.",
        ),
        # A content word changed inside the quote.
        (
            "Every story says the old river floods every spring near the mill, they told us.",
            "the old river floods every spring near the mill",
            "Every story says the old river dries every spring near the mill, they told us.",
        ),
        (
            "By then the farmers sold their cattle at the autumn market.",
            "the farmers sold their cattle at the autumn market",
            "By then the farmers bought their cattle at the autumn market.",
        ),
    ],
    ids=["measured", "not-added", "never-dropped", "nt-added", "floods-dries", "sold-bought"],
)
def test_a_passage_that_says_something_else_is_no_candidate(
    before: str, quote: str, after: str
) -> None:
    made = annotate(plain(before), quote)
    result = reanchor(made, plain(after))
    assert result.status == ReanchorStatus.ORPHANED
    assert result.annotation.orphaned
    assert result.annotation.candidate is None
    assert result.annotation.quote == quote
    assert result.annotation.anchor == made.anchor
    assert result.annotation.note == "my note"


@pytest.mark.parametrize(
    ("quote", "candidate", "reason"),
    [
        ("may come from teaching", "may not come from teaching", "it adds a negation"),
        ("we never sold it", "we sold it", "it drops a negation"),
        ("they do agree", "they don't agree", "it adds a negation"),
        ("they do agree", "they dont agree", "it adds a negation"),
        ("it can work", "it cannot work", "it adds a negation"),
        ("with the lights", "without the lights", "it adds a negation"),
        ("somebody came", "nobody came", "it adds a negation"),
        ("everything was left", "nothing was left", "it adds a negation"),
        ("either way", "neither way", "it adds a negation"),
        ("come from teaching", "come from feeding", "it says 'feeding', which the quote does not"),
        ("in 1998 it rose", "in 1999 it rose", "it says '1999', which the quote does not"),
        ("it could rain", "it would rain", "it says 'would', which the quote does not"),
        ("the cat sat", "the cut sat", "it says 'cut', which the quote does not"),
        ("the old bridge stood", "the new bridge stood", "it says 'new', which the quote does not"),
        ("we must build", "we may build", "it says 'may', which the quote does not"),
        ("every village voted", "some village voted", "it says 'some', which the quote does not"),
    ],
)  # fmt: skip
def test_refusal_names_the_negation_or_the_word(quote: str, candidate: str, reason: str) -> None:
    assert refusal(quote, candidate) == reason


@pytest.mark.parametrize(
    ("quote", "candidate"),
    [
        ("the council quite quickly agreed to fund", "the council agreed to fund"),  # words cut
        ("Compost is the soils memroy.", "Compost is the soil's memory."),  # typos fixed
        ("the cheapest air conditioner", "the cheapest air-conditioning"),  # another ending
        ("follow the useful meadow", "follow a useful meadow"),  # a small word changed
        ("it is not over", "it isn't over"),  # the same negation, typed another way
    ],
)
def test_cut_respelled_or_small_words_are_candidates(quote: str, candidate: str) -> None:
    assert refusal(quote, candidate) is None


# -- what needs review ----------------------------------------------------------------------


def test_a_fuzzy_match_keeps_the_quote_and_records_the_candidate() -> None:
    before = timed(
        (0.0, "Ada", "Welcome back to the garden hour."),
        (20.0, "Ben", "The old channels fill first and the new levees hold the water back."),
    )
    made = annotate(before, "channels fill first and the new levees hold")
    after = timed(
        (0.0, "Ada", "Welcome back to the garden hour, everyone."),
        (25.0, "Cleo", "The old channels fill and the levees hold the water back."),
    )
    result = reanchor(made, after)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    held = result.annotation
    assert held.needs_review and not held.orphaned
    # Quote, anchor, time and speaker are the ones the reader annotated.
    assert (held.quote, held.anchor, held.start, held.speaker) == (
        made.quote,
        made.anchor,
        20.0,
        "Ben",
    )
    assert held.candidate is not None
    assert held.candidate.text == "channels fill and the levees hold"
    assert after.text[held.candidate.start : held.candidate.end] == held.candidate.text
    assert held.span == (held.candidate.start, held.candidate.end)
    assert result.score == held.candidate.score


REFRAIN = "Keep the soil covered."


def test_the_same_words_where_the_context_differs_need_review() -> None:
    # The refrain is said twice; the passage around the annotated one is rewritten.
    before = plain(
        f"My grandmother always told me: {REFRAIN} She was right.",
        "Rain.",
        f"The catalogue says it too: {REFRAIN} It sells mulch.",
    )
    first = before.text.index(REFRAIN)
    made = new_annotation(before, first, first + len(REFRAIN), Kind.NOTE)
    after = plain(
        "An opening line that was not there before, to move everything along.",
        f"Someone on the radio said: {REFRAIN} Nobody listened.",
        "Rain.",
        f"A poster in the shed: {REFRAIN} Under it, a spade.",
    )
    result = reanchor(made, after)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    assert result.annotation.candidate is not None
    assert result.annotation.candidate.text == REFRAIN
    assert result.annotation.anchor == made.anchor


def test_the_same_words_in_one_place_move_without_review() -> None:
    quote = "the whole paragraph about the orchard and its trees"
    before = plain("First.", f"Here is {quote}.", "Last.")
    made = annotate(before, quote)
    after = plain("Last, now first.", "A new one.", f"Here is {quote}.", "First, now last.")
    result = reanchor(made, after)
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == quote
    assert result.annotation.candidate is None


def test_an_annotation_is_not_searched_again_in_the_same_text() -> None:
    before = plain("On Monday the council quite quickly agreed to fund the bridge.")
    made = annotate(before, "the council quite quickly agreed to fund")
    after = plain("On Monday the council agreed to fund the bridge.")
    held = reanchor(made, after).annotation
    assert held.needs_review
    again = reanchor(held, after)
    assert again.status == ReanchorStatus.NEEDS_REVIEW
    assert again.annotation == held
    gone = plain("Nothing of it is left.")
    orphan = reanchor(made, gone).annotation
    assert reanchor(orphan, gone).annotation == orphan
    # Editing the quote by hand makes it looked for again, here exactly.
    quote = replace(held.anchor.quote, exact="council agreed to fund")
    edited = replace(held, anchor=replace(held.anchor, quote=quote))
    moved = reanchor(edited, after)
    assert moved.status == ReanchorStatus.MOVED
    assert moved.annotation.candidate is None


def test_a_source_put_back_as_it_was_settles_the_review_by_itself() -> None:
    before = plain("On Monday the council quite quickly agreed to fund the bridge.")
    made = annotate(before, "the council quite quickly agreed to fund")
    held = reanchor(made, plain("On Monday the council agreed to fund the bridge.")).annotation
    assert held.needs_review
    result = reanchor(held, before)
    assert result.status == ReanchorStatus.UNCHANGED
    assert result.annotation.candidate is None
    assert result.annotation.quote == made.quote


# -- settling a review ----------------------------------------------------------------------

TALK_BEFORE = """WEBVTT

00:00:02.000 --> 00:00:09.000
<v Rosa>Owls hunt at night and rest in hollow trees during the day.

00:00:09.000 --> 00:00:15.000
<v Rosa>Their feathers are very soft so that their wings make almost no sound.
"""

TALK_AFTER = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Tom>A word before we start.

00:00:06.000 --> 00:00:12.000
<v Rosa>Owls hunt at night and rest in hollow trees during the day.

00:00:12.000 --> 00:00:19.000
<v Lou>Their feathers are soft so that their wings make no sound.
"""


@pytest.fixture
def owls(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "owls.vtt").write_text(TALK_BEFORE, encoding="utf-8")
    return root


def needing_review(root: Path) -> Annotation:
    with Workspace(root) as workspace:
        made = workspace.annotate(
            "owls.vtt",
            "feathers are very soft so that their wings make almost no sound",
            Kind.NOTE,
            note="mine",
        )
    (root / "owls.vtt").write_text(TALK_AFTER, encoding="utf-8")
    with Workspace(root) as workspace:
        [held] = workspace.annotations_for("owls.vtt")
    assert held.id == made.id and held.needs_review
    assert held.quote == made.quote and (held.start, held.speaker) == (9.0, "Rosa")
    return held


def test_accepting_takes_the_candidates_words_time_and_speaker(owls: Path) -> None:
    held = needing_review(owls)
    with Workspace(owls) as workspace:
        accepted = workspace.settle(held.id, Decision.ACCEPT)
        source = workspace.source("owls.vtt")
        stored = workspace.get(held.id)
        report = workspace.check()
    assert stored == accepted
    assert accepted.quote == "feathers are soft so that their wings make no sound"
    assert (accepted.start, accepted.speaker, accepted.note) == (12.0, "Lou", "mine")
    assert not accepted.needs_review and not accepted.orphaned and not accepted.searched
    start, end = accepted.span
    assert source.text[start:end] == accepted.quote
    assert accepted.anchor.fingerprint == fingerprint(source.text)
    assert (report.needs_review, report.orphans, report.reanchored) == ([], [], [])


def test_giving_up_keeps_the_quote_and_is_not_asked_again(owls: Path) -> None:
    held = needing_review(owls)
    with Workspace(owls) as workspace:
        orphaned = workspace.settle(held.id, Decision.ORPHAN)
        stored = workspace.get(held.id)
        report = workspace.check()
        [listed] = workspace.annotations_for("owls.vtt")
    assert stored == orphaned == listed
    assert orphaned.orphaned and orphaned.candidate is None
    assert (orphaned.quote, orphaned.anchor, orphaned.start, orphaned.speaker) == (
        held.quote,
        held.anchor,
        9.0,
        "Rosa",
    )
    assert report.needs_review == []
    assert [o.annotation.id for o in report.orphans] == [held.id]


def test_a_decision_on_a_candidate_the_source_changed_since_is_refused(owls: Path) -> None:
    held = needing_review(owls)
    (owls / "owls.vtt").write_text(
        TALK_AFTER.replace("make no sound", "make hardly any sound"), encoding="utf-8"
    )
    with Workspace(owls) as workspace:
        with pytest.raises(ReviewError, match="changed since"):
            workspace.settle(held.id, Decision.ACCEPT)
        stored = workspace.get(held.id)
    assert stored.quote == held.quote  # the reader never saw the new words: nothing taken


def test_a_candidate_nobody_was_shown_cannot_be_accepted_blind(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate(
            "owls.vtt", "feathers are very soft so that their wings make almost no sound"
        )
    (owls / "owls.vtt").write_text(TALK_AFTER, encoding="utf-8")
    with Workspace(owls) as workspace:
        with pytest.raises(ReviewError, match="the candidate is now \u201cfeathers are soft"):
            workspace.settle(made.id, Decision.ACCEPT)
        assert workspace.get(made.id).quote == made.quote
        # Now it has been shown (check lists it), the same decision goes through.
        assert [a.id for a in workspace.check().needs_review] == [made.id]
        accepted = workspace.settle(made.id, Decision.ACCEPT)
    assert accepted.quote == "feathers are soft so that their wings make no sound"


def test_an_anchored_annotation_has_nothing_to_settle(owls: Path) -> None:
    with Workspace(owls) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.HIGHLIGHT)
        for decision in Decision:
            with pytest.raises(ReviewError, match="does not need review"):
                workspace.settle(made.id, decision)
        assert workspace.get(made.id) == made


# -- a long source, cut and shuffled ----------------------------------------------------------

CLAIM_WORDS = frozenset({*NOUNS, *VERBS, *ADJECTIVES, *MODALS})


def vocabulary(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w in CLAIM_WORDS]


def negations(text: str) -> int:
    return len(re.findall(r"\b(?:not|never)\b", text.lower()))


def is_subsequence(part: list[str], whole: list[str]) -> bool:
    rest = iter(whole)
    return all(any(word == other for other in rest) for word in part)


def test_cut_and_shuffle_of_a_long_source_rewords_no_annotation(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    text = essay(seed=11)
    (root / "essay.txt").write_text(text, encoding="utf-8")
    with Workspace(root) as workspace:
        source = workspace.source("essay.txt")
        assert source.text == text
        spans = word_spans(text, 1000, seed=12)
        made = {a.id: a for a in (new_annotation(source, s, e, Kind.NOTE) for s, e in spans)}
        for annotation in made.values():
            workspace.store.save(annotation)
    edited, order = cut_and_shuffle(text, seed=13)
    (root / "essay.txt").write_text(edited, encoding="utf-8")

    with Workspace(root) as workspace:
        report = workspace.check()
        stored, problems = workspace.all_annotations()
        again = workspace.check()
    assert problems == [] and len(stored) == 1000

    # Where each annotation's own passage stands now, when none of its words were cut.
    old_starts = [0] + [m.end() for m in re.finditer("\n\n", text)]
    new_paragraphs = edited.split("\n\n")
    new_starts = [0]
    for paragraph in new_paragraphs[:-1]:
        new_starts.append(new_starts[-1] + len(paragraph) + 2)
    new_index = {old: new for new, old in enumerate(order)}

    def own_place(annotation: Annotation) -> tuple[int, int] | None:
        old = bisect.bisect_right(old_starts, annotation.anchor.position.start) - 1
        new = new_index[old]
        at = new_paragraphs[new].find(annotation.quote)
        if at < 0:
            return None
        return new_starts[new] + at, new_starts[new] + at + len(annotation.quote)

    exact, review, orphaned, cut = [], [], [], 0
    for now in stored:
        before = made[now.id]
        place = own_place(before)
        cut += place is None
        # Whatever happened, the words the reader annotated are the words stored.
        assert now.quote == before.quote
        assert now.note == before.note
        if now.needs_review:
            review.append(now.id)
            assert now.anchor == before.anchor and not now.orphaned
            candidate = now.candidate
            assert candidate is not None
            assert edited[candidate.start : candidate.end] == candidate.text
            # The candidate says nothing the quote did not: no word of a claim added, no
            # negation added or dropped.
            assert is_subsequence(vocabulary(candidate.text), vocabulary(before.quote))
            assert negations(candidate.text) == negations(before.quote)
        elif now.orphaned:
            orphaned.append(now.id)
            assert now.anchor == before.anchor
        else:
            exact.append(now.id)
            # Moved only with its own passage: the same words in the same place.
            assert now.span == place
            assert now.anchor.fingerprint == fingerprint(edited)

    assert len(exact) + len(review) + len(orphaned) == 1000
    assert cut > 400  # about half the annotations lost words
    assert len(exact) > 300 and len(review) > 300 and len(orphaned) > 50
    assert sorted(a.id for a in report.reanchored) == sorted(exact)
    assert sorted(a.id for a in report.needs_review) == sorted(review)
    assert sorted(o.annotation.id for o in report.orphans) == sorted(orphaned)
    # A second check finds the same and changes nothing.
    assert again.reanchored == []
    assert sorted(a.id for a in again.needs_review) == sorted(review)
    assert sorted(o.annotation.id for o in again.orphans) == sorted(orphaned)


# -- words cut from inside a quote -----------------------------------------------------------------

FLOODS = [
    (0.0, "Mia", "Good evening and welcome to a night about weather and rivers."),
    (20.0, "Ravi", "When spring floods come the old channels fill first and the new levees hold."),
    (45.0, "Mia", "That is the part most towns forget until the water is at the door."),
    (70.0, "Ravi", "We saw it again last year along the lower valley."),
]


def flood_talk(turns: list[tuple[float, str, str]]) -> Source:
    builder = SourceBuilder("floods.srt", "Floods", "srt")
    for i, (start, speaker, text) in enumerate(turns):
        end = turns[i + 1][0] if i + 1 < len(turns) else start + 10
        builder.add_segment(text, start=start, end=end, speaker=speaker)
    return builder.build()


def annotate_in(source: Source, quote: str) -> Annotation:
    at = source.text.index(quote)
    return new_annotation(source, at, at + len(quote), Kind.NOTE, note="keep me")


def corrected(index: int, text: str) -> Source:
    turns = [*FLOODS]
    turns[index] = (turns[index][0], turns[index][1], text)
    return flood_talk(turns)


def test_two_words_cut_from_inside_a_quote_need_review() -> None:
    made = annotate_in(flood_talk(FLOODS), "channels fill first and the new levees")
    source = corrected(1, "When spring floods come the old channels fill and the levees hold.")
    result = reanchor(made, source)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    assert not result.annotation.orphaned
    assert result.annotation.quote == "channels fill first and the new levees"
    assert result.annotation.candidate is not None
    assert result.annotation.candidate.text == "channels fill and the levees"
    assert result.annotation.note == "keep me"
    assert 75 <= result.score < 85


def test_words_cut_from_the_end_of_a_quote_do_not_run_into_the_next_turn() -> None:
    made = annotate_in(flood_talk(FLOODS), "the old channels fill first and the new levees hold.")
    source = corrected(1, "When spring floods come the old channels fill first and the new.")
    result = reanchor(made, source)
    assert result.status == ReanchorStatus.NEEDS_REVIEW
    candidate = result.annotation.candidate
    assert candidate is not None
    assert candidate.text == "the old channels fill first and the new."
    assert span_metadata(source, candidate.start, candidate.end)[2] == "Ravi"


def test_an_exact_copy_elsewhere_still_wins_over_a_fuzzy_match_in_place() -> None:
    quote = "the old channels fill first and the new levees hold"
    made = annotate_in(flood_talk(FLOODS), quote)
    turns = [*FLOODS, (90.0, "Ravi", f"Again: {quote}.")]
    turns[1] = (20.0, "Ravi", "When spring floods come the channels fill and the new levees hold.")
    result = reanchor(made, flood_talk(turns))
    assert result.status == ReanchorStatus.MOVED
    assert result.annotation.quote == quote
    assert result.annotation.start is not None and result.annotation.start >= 90.0


def test_a_quote_mostly_gone_is_still_orphaned() -> None:
    made = annotate_in(flood_talk(FLOODS), "the old channels fill first and the new levees hold")
    result = reanchor(made, corrected(1, "When spring floods come the levees hold."))
    assert result.status == ReanchorStatus.ORPHANED
    assert result.annotation.orphaned
