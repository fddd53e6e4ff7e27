"""The annotator on its own: the rules every front end follows, without a terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from readmark.annotations.annotating import (
    AlreadyAnnotatedError,
    AlreadyHighlightedError,
    Annotator,
    NotAnnotatableError,
)
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.store import AnnotationStore, ChangedOnDiskError, StoreError
from readmark.annotations.workspace import Workspace
from readmark.library import durable

TALK = """**Rosa Lind** [00:00:05]

Bees fly further than we think. Some travel five kilometres for pollen.

**Piet Mol** [00:02:00]

A hive needs water close by. Shallow dishes work best.
"""


@pytest.fixture
def annotator(tmp_path: Path) -> Annotator:
    (tmp_path / "bees.md").write_text(TALK, encoding="utf-8")
    workspace = Workspace(tmp_path)
    made = Annotator(workspace)
    made.open("bees.md")
    return made


def span(annotator: Annotator, words: str) -> tuple[int, int]:
    assert annotator.source is not None
    start = annotator.source.text.index(words)
    return start, start + len(words)


def test_a_highlight_inside_a_highlight_is_not_made(annotator: Annotator) -> None:
    wide_words = span(annotator, "Bees fly further than we think. Some")
    wide = annotator.create(*wide_words, Kind.HIGHLIGHT)
    with pytest.raises(AlreadyHighlightedError) as refused:
        annotator.create(*span(annotator, "further than we"), Kind.HIGHLIGHT)
    assert refused.value.existing.id == wide.annotation.id
    # With a note asked for it is an error: the note would be lost inside the other one.
    with pytest.raises(AlreadyAnnotatedError, match="--kind note") as error:
        annotator.create(*span(annotator, "further than we"), Kind.HIGHLIGHT, note="why")
    assert not isinstance(error.value, AlreadyHighlightedError)
    # A highlight overlapping only part of it, and a note inside it, are made.
    annotator.create(*span(annotator, "think. Some travel"), Kind.HIGHLIGHT)
    annotator.create(*span(annotator, "further than we"), Kind.NOTE, note="how far?")
    assert len(AnnotationStore(annotator.workspace.root).load_all().annotations) == 3


def test_one_note_per_words_and_kind_and_the_editor_opens_the_one_there(
    annotator: Annotator,
) -> None:
    words = span(annotator, "A hive needs water close by.")
    first = annotator.create(*words, Kind.DISSENT, note="rain will do", confidence=Confidence.LOW)
    with pytest.raises(AlreadyAnnotatedError, match="one dissent note per passage"):
        annotator.create(*words, Kind.DISSENT, note="again")
    draft = annotator.draft_on(*words, Kind.DISSENT)
    assert draft.annotation is not None and draft.annotation.id == first.annotation.id
    assert draft.note == "rain will do" and draft.confidence is Confidence.LOW
    annotator.save_draft(draft, "rain will do, mostly", Confidence.MEDIUM)
    assert annotator.draft_on(*words, Kind.NOTE).is_new  # another kind is another note
    [stored] = AnnotationStore(annotator.workspace.root).load_all().annotations
    assert (stored.note, stored.confidence) == ("rain will do, mostly", Confidence.MEDIUM)


def test_a_note_that_cannot_be_saved_is_kept_as_a_draft(
    annotator: Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = span(annotator, "Shallow dishes work best.")
    draft = annotator.draft_on(*words, Kind.NOTE)

    def full(path: Path, data: bytes, **_: object) -> None:
        raise OSError(28, os.strerror(28), str(path))

    monkeypatch.setattr(durable, "write_atomic", full)
    with pytest.raises(StoreError, match="the disk is full"):
        annotator.save_draft(draft, "pebbles in them", None)
    monkeypatch.undo()
    again = annotator.draft_on(*words, Kind.NOTE)
    assert again.note == "pebbles in them"
    annotator.save_draft(again, again.note, None)
    assert annotator.draft_on(*words, Kind.NOTE).note == "pebbles in them"  # the saved one
    assert annotator.drafts.get(again.key) is None


def test_delete_goes_over_the_version_read_and_undo_brings_back_the_last(
    annotator: Annotator,
) -> None:
    one = annotator.create(*span(annotator, "Bees fly further than we think."), Kind.HIGHLIGHT)
    two = annotator.create(*span(annotator, "Shallow dishes work best."), Kind.HIGHLIGHT)
    annotator.delete(one.annotation.id)
    annotator.delete(two.annotation.id)
    assert annotator.annotations == []
    back = annotator.undo_delete()
    assert back is not None and back.annotation.id == two.annotation.id
    assert [a.id for a in annotator.annotations] == [two.annotation.id]
    # Another program edits the one on screen: it is not thrown away unseen.
    path = annotator.workspace.store.path_for(back.annotation)
    path.write_text(path.read_text(encoding="utf-8") + "\nTheirs.\n", encoding="utf-8")
    with pytest.raises(ChangedOnDiskError):
        annotator.delete(two.annotation.id)
    assert path.exists()
    assert annotator.undo_delete() is not None  # the first one
    assert annotator.undo_delete() is None


def test_nothing_is_anchored_on_a_file_that_could_not_be_read(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"segments": [', encoding="utf-8")
    annotator = Annotator(Workspace(tmp_path))
    source = annotator.workspace.vault.load("broken.json")
    annotator.show(source, annotator.load("broken.json", source))
    with pytest.raises(NotAnnotatableError, match="could not be read"):
        annotator.create(0, 1, Kind.HIGHLIGHT)


def test_a_reread_begun_before_a_save_here_is_not_taken_over_it(annotator: Annotator) -> None:
    with Workspace(annotator.workspace.root) as other:  # another program writes a note...
        theirs = other.annotate("bees.md", "A hive needs water close by.", Kind.NOTE, note="x")
    since = annotator.changes
    stale = annotator.load("bees.md")  # ...the reader reads the folder again...
    mine = annotator.create(*span(annotator, "Bees fly further"), Kind.HIGHLIGHT)  # ...and saves
    assert [a.id for a in stale.annotations] == [theirs.id]
    assert not annotator.reloaded("bees.md", stale, since)  # that read would drop mine
    assert [a.id for a in annotator.annotations] == [mine.annotation.id]
    with pytest.raises(AlreadyHighlightedError):  # so the same key cannot make a second one
        annotator.create(*span(annotator, "Bees fly further"), Kind.HIGHLIGHT)
    since = annotator.changes
    fresh = annotator.load("bees.md")
    assert annotator.reloaded("bees.md", fresh, since)
    assert {a.id for a in annotator.annotations} == {theirs.id, mine.annotation.id}
