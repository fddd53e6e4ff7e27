"""The store compares before it writes: another program's edit is never overwritten or
thrown away, whichever way a save, a move, a delete or a restore meets it."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

import pytest
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.store import (
    AnnotationStore,
    ChangedOnDiskError,
    StoreError,
)
from readmark.library import durable

SOURCE = "talks/river.vtt"


def note(annotation_id: str = "a1", text: str = "mine", source: str = SOURCE) -> Annotation:
    return Annotation(
        id=annotation_id,
        source=source,
        kind=Kind.NOTE,
        anchor=Anchor(TextQuoteSelector("the river"), TextPositionSelector(10, 19), "cafe"),
        note=text,
        created="2026-11-23T10:15:00Z",
        updated="2026-11-23T10:15:00Z",
    )


def edit_elsewhere(path: Path, old: str, new: str) -> bytes:
    """Another program's edit, written the way editors and sync tools do: a rename over it."""
    data = path.read_text(encoding="utf-8").replace(old, new).encode("utf-8")
    temp = path.with_name(".other-editor.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return data


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path)


def test_a_save_over_a_file_edited_since_it_was_read_writes_nothing(
    store: AnnotationStore,
) -> None:
    path = store.save(note(text="first"))
    theirs = edit_elsewhere(path, "first", "their words")
    with pytest.raises(ChangedOnDiskError) as caught:
        store.save(note(text="my words"))
    assert path.read_bytes() == theirs
    assert caught.value.current == theirs
    assert "changed by another program since readmark read it" in str(caught.value)
    assert "nothing was written" in str(caught.value)
    assert sorted(p.name for p in path.parent.iterdir()) == ["a1.md"]


def test_an_edit_read_back_is_saved_over_normally(store: AnnotationStore) -> None:
    path = store.save(note(text="first"))
    edit_elsewhere(path, "first", "their words")
    seen = store.get("a1")
    store.save(replace(seen, note=seen.note + ", and mine"))
    assert store.get("a1").note == "their words, and mine"


def test_the_version_given_is_the_one_compared(store: AnnotationStore) -> None:
    store.save(note(text="first"))
    opened_on = store.version("a1")
    path = store.save(note(text="second"))  # this store moved on; the caller did not
    with pytest.raises(ChangedOnDiskError):
        store.save(note(text="from the first"), opened_on)
    assert store.get("a1").note == "second"
    assert path.is_file()


def test_a_new_annotation_never_replaces_a_file(store: AnnotationStore) -> None:
    path = store.path_for(note())
    path.parent.mkdir(parents=True)
    path.write_text("a file someone else put here", encoding="utf-8")
    with pytest.raises(ChangedOnDiskError):
        store.save(note(), None)
    assert path.read_text(encoding="utf-8") == "a file someone else put here"


def test_saving_the_same_text_again_is_a_harmless_retry(store: AnnotationStore) -> None:
    store.save(note(), None)
    assert AnnotationStore(store.vault).save(note(), None) == store.path_for(note())
    assert len(store.load_all().annotations) == 1


def test_a_deleted_file_is_not_brought_back_by_a_repair(store: AnnotationStore) -> None:
    path = store.save(note())
    path.unlink()
    with pytest.raises(ChangedOnDiskError, match="was deleted by another program"):
        store.save(note(text="re-anchored"), recreate=False)
    assert not path.exists()


def test_keeping_both_puts_theirs_beside_mine(store: AnnotationStore) -> None:
    path = store.save(note(text="first"))
    opened_on = store.version("a1")
    theirs = edit_elsewhere(path, "first", "their words")
    saved = store.save_keeping_both(note(text="my words"), opened_on)

    assert saved.path == path
    assert store.get("a1").note == "my words"
    [copy] = saved.conflict_copies
    assert copy.parent == path.parent
    assert copy.name.startswith("a1 (conflicted copy ") and copy.suffix == ".md"
    assert copy.read_bytes() == theirs
    [problem] = store.load_all().problems
    assert problem.path == str(copy) and "sync tool" in problem.reason
    assert [p.path for p in store.conflict_copies()] == [str(copy)]


def test_keeping_both_over_its_own_later_write_puts_the_note_on_it(
    store: AnnotationStore,
) -> None:
    store.save(note(text="first"))
    opened_on = store.version("a1")
    moved = replace(note(text="first"), anchor=replace(note().anchor, fingerprint="beef"))
    store.save(moved)  # a re-anchor by this same reader while the note was being written

    def rebase(current: Annotation) -> Annotation:
        return replace(current, note="my words")

    saved = store.save_keeping_both(note(text="my words"), opened_on, rebase)
    assert saved.conflict_copies == ()
    assert store.get("a1") == replace(moved, note="my words")


def test_a_version_written_in_the_instant_of_the_swap_is_put_back(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(note(text="first"))
    real_exchange = durable._exchange
    theirs: list[bytes] = []

    def edit_first(first: Path, second: Path) -> bool:
        if not theirs:  # between the look at the file and the swap
            theirs.append(edit_elsewhere(path, "first", "their words"))
        return real_exchange(first, second)

    monkeypatch.setattr(durable, "_exchange", edit_first)
    if not real_exchange(path, path):  # a system that cannot swap names has no such instant
        pytest.skip("this filesystem cannot swap two names")
    with pytest.raises(ChangedOnDiskError) as caught:
        store.save(note(text="my words"))
    assert path.read_bytes() == theirs[0] == caught.value.current
    assert sorted(p.name for p in path.parent.iterdir()) == ["a1.md"]


def test_moving_to_another_source_checks_the_file_it_moves(store: AnnotationStore) -> None:
    old = store.save(note(text="first"))
    theirs = edit_elsewhere(old, "first", "their words")
    with pytest.raises(ChangedOnDiskError):
        store.save(note(text="first", source="talks/renamed.vtt"))
    assert old.read_bytes() == theirs
    assert not store.path_for(note(source="talks/renamed.vtt")).exists()


def test_delete_refuses_a_note_changed_since_it_was_read(store: AnnotationStore) -> None:
    path = store.save(note(text="first"))
    theirs = edit_elsewhere(path, "first", "their words")
    with pytest.raises(ChangedOnDiskError, match="was not deleted"):
        store.delete("a1")
    assert path.read_bytes() == theirs
    store.get("a1")  # seen now: deleting it is a choice made on what is there
    store.delete("a1")
    assert not path.exists()


def test_an_edit_in_the_instant_of_a_delete_goes_back(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(note(text="first"))
    real_rename = os.rename
    theirs: list[bytes] = []

    def edit_first(source: str | Path, target: str | Path) -> None:
        if Path(source) == path and not theirs:
            theirs.append(edit_elsewhere(path, "first", "their words"))
        real_rename(source, target)

    monkeypatch.setattr(os, "rename", edit_first)
    with pytest.raises(ChangedOnDiskError):
        store.delete("a1")
    assert path.read_bytes() == theirs[0]
    assert [p.name for p in store.trash.iterdir()] == []


def test_deleting_the_same_id_twice_keeps_both_in_the_trash(store: AnnotationStore) -> None:
    store.save(note(text="the first life"))
    store.delete("a1")
    store.save(note(text="the second life"))
    store.delete("a1")
    trashed = sorted(store.trash.iterdir())
    assert [p.name for p in trashed] == ["a1.1.md", "a1.md"]
    assert "the first life" in trashed[0].read_text(encoding="utf-8")
    assert store.restore("a1").note == "the second life"


def test_restore_never_replaces_a_file_that_appears_meanwhile(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(note(text="deleted"))
    store.delete("a1")
    target = store.path_for(note())
    real_link = os.link

    def someone_writes_first(source: str | Path, destination: str | Path) -> None:
        if Path(destination) == target:
            target.write_text("written by another program", encoding="utf-8")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", someone_writes_first)
    with pytest.raises(StoreError, match="already exists"):
        store.restore("a1")
    assert target.read_text(encoding="utf-8") == "written by another program"
    assert (store.trash / "a1.md").is_file()


def test_a_failed_move_to_the_trash_puts_the_note_back(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(note(text="keep me"))
    before = path.read_bytes()

    real_move = durable._move_new

    def trash_full(source: Path, target: Path) -> None:
        if target.parent == store.trash:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_move(source, target)

    with monkeypatch.context() as patch:
        patch.setattr(durable, "_move_new", trash_full)
        with pytest.raises(StoreError, match="the disk is full; the annotation is unchanged"):
            store.delete("a1")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["a1.md"]


def test_a_trash_on_another_disk_still_takes_and_gives_back(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(note(text="across disks"))
    real_link = os.link

    def no_cross_device(source: str | Path, target: str | Path) -> None:
        if Path(source).parent != Path(target).parent:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_link(source, target)

    monkeypatch.setattr(os, "link", no_cross_device)
    trashed = store.delete("a1")
    assert not path.exists() and "across disks" in trashed.read_text(encoding="utf-8")
    assert store.restore("a1").note == "across disks"
    assert path.is_file() and not trashed.exists()


def test_a_lock_held_too_long_does_not_stop_a_save(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fcntl = pytest.importorskip("fcntl")
    path = store.save(note(text="first"))
    monkeypatch.setattr(durable, "_LOCK_WAIT", 0.05)
    stuck = os.open(path.parent, os.O_RDONLY)  # another readmark, stopped while it held it
    try:
        fcntl.flock(stuck, fcntl.LOCK_EX)
        store.save(note(text="second"))
        edit_elsewhere(path, "second", "their words")
        with pytest.raises(ChangedOnDiskError):  # and the compare still runs without it
            store.save(note(text="third"))
    finally:
        os.close(stuck)
    assert store.get("a1").note == "their words"
