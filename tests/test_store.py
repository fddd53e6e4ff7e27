"""The annotation store: files in the vault, edits by hand, trash, and errors a user can act on."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    LoadProblem,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.slug import is_valid_annotation_id, source_slug
from readmark.annotations.store import (
    AnnotationNotFoundError,
    AnnotationStore,
    InvalidAnnotationIdError,
    StoreError,
)

EPISODE = "podcasts/Episode 12 — Ünïcode.md"
EPISODE_SLUG = "podcasts-episode-12-unicode-md-6b77153653"


def make(annotation_id: str, start: int = 0, source: str = EPISODE, note: str = "") -> Annotation:
    return Annotation(
        id=annotation_id,
        source=source,
        kind=Kind.HIGHLIGHT,
        anchor=Anchor(
            TextQuoteSelector(f"quote at {start}"), TextPositionSelector(start, start + 11), "f00d"
        ),
        note=note,
        created="2026-11-23T10:15:00Z",
        updated="2026-11-23T10:15:00Z",
    )


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_save_writes_one_markdown_file_per_annotation(store: AnnotationStore) -> None:
    path = store.save(make("a1"))
    assert path == store.vault / ".readmark" / "annotations" / EPISODE_SLUG / "a1.md"
    assert path == store.path_for(make("a1"))
    assert path.read_text(encoding="utf-8").startswith("---\nid: a1\n")
    assert store.get("a1") == make("a1")


def test_saving_again_replaces_the_file(store: AnnotationStore) -> None:
    store.save(make("a1", note="first"))
    store.save(make("a1", note="second thoughts"))
    assert store.get("a1").note == "second thoughts"
    assert files_under(store.root) == [f"{EPISODE_SLUG}/a1.md"]


def test_saving_after_the_folder_was_removed_makes_it_again(store: AnnotationStore) -> None:
    path = store.save(make("a1"))
    shutil.rmtree(path.parent)
    assert store.save(make("a1", note="again")) == path
    assert store.get("a1").note == "again"


def test_a_note_edited_in_another_editor_is_loaded(store: AnnotationStore) -> None:
    path = store.save(make("a1", note="draft"))
    path.write_text(path.read_text(encoding="utf-8").replace("draft", "final words"), "utf-8")
    assert store.get("a1").note == "final words"
    assert AnnotationStore(store.vault).load_all().annotations[0].note == "final words"


def test_get_of_an_unknown_id_is_a_key_error_naming_the_id(store: AnnotationStore) -> None:
    with pytest.raises(AnnotationNotFoundError) as caught:
        store.get("zz9")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == f"there is no annotation zz9 in {store.root}"


def test_a_fresh_store_finds_annotations_saved_earlier(store: AnnotationStore) -> None:
    store.save(make("a1"))
    assert AnnotationStore(store.vault).get("A1 ") == make("a1")


@pytest.mark.parametrize("bad_id", ["../a1", "a1/../../x", "..", "", "a1.md", "a b", "x" * 65])
def test_ids_given_by_a_user_are_checked_before_any_file_is_touched(
    store: AnnotationStore, bad_id: str
) -> None:
    for action in (store.get, store.delete, store.restore):
        with pytest.raises(InvalidAnnotationIdError, match="is not an annotation id"):
            action(bad_id)
    with pytest.raises(InvalidAnnotationIdError):
        store.save(make(bad_id))
    assert not (store.vault / ".readmark").exists()


def test_load_all_reports_broken_files_with_their_line_and_loads_the_rest(
    store: AnnotationStore,
) -> None:
    store.save(make("b2"))
    store.save(make("a1", source="articles/essay.txt"))
    broken = store.path_for(make("c3"))
    broken.write_text("---\nid: c3\nsource: [oops\n---\n> q\n", encoding="utf-8")
    (broken.parent / ".tmp-0a1b-d4.md").write_text("---\nid: d4\n", encoding="utf-8")
    (broken.parent / "readme.txt").write_text("not an annotation", encoding="utf-8")

    result = store.load_all()

    assert [a.id for a in result.annotations] == ["a1", "b2"]
    assert len(result.problems) == 1
    assert result.problems[0].path == str(broken)
    assert result.problems[0].reason.startswith("line 4: the front matter is not valid YAML")


def test_a_file_whose_name_does_not_match_its_id_is_reported(store: AnnotationStore) -> None:
    path = store.save(make("a1"))
    path.rename(path.with_name("b2.md"))
    assert store.load_all().problems == [
        LoadProblem(
            str(path.with_name("b2.md")),
            "the file name does not match `id: a1`; rename the file to a1.md or fix the id",
        )
    ]


def test_for_source_lists_only_that_source_in_document_order(store: AnnotationStore) -> None:
    store.save(make("a1", start=500))
    store.save(make("b2", start=20))
    store.save(make("c3", start=300))
    store.save(make("d4", start=0, source="another.md"))
    assert [a.id for a in store.for_source(EPISODE)] == ["b2", "c3", "a1"]
    assert store.for_source("never-annotated.md") == []


def test_changing_the_source_moves_the_file(store: AnnotationStore) -> None:
    store.save(make("a1"))
    moved = store.save(make("a1", source="renamed.md"))
    assert files_under(store.root) == [f"{source_slug('renamed.md')}/a1.md"]
    assert moved.parent.name == source_slug("renamed.md")
    assert store.for_source(EPISODE) == []


def test_of_two_copies_of_one_id_the_newer_loads_and_the_older_is_reported(
    store: AnnotationStore,
) -> None:
    old_copy = store.save(make("a1", note="old"))
    newer = replace(make("a1", source="renamed.md", note="new"), updated="2026-12-01T00:00:00Z")
    new_copy = AnnotationStore(store.vault).save(newer)  # a fresh store cannot know the old path

    result = store.load_all()

    assert result.annotations == [newer]
    assert [problem.path for problem in result.problems] == [str(old_copy)]
    assert f"the newer one is {new_copy}" in result.problems[0].reason


def test_delete_moves_the_file_to_the_trash_and_restore_brings_it_back(
    store: AnnotationStore,
) -> None:
    saved = store.save(make("a1", note="keep me"))
    trashed = store.delete("a1")
    assert trashed == store.vault / ".readmark" / "trash" / "a1.md"
    assert not saved.exists()
    with pytest.raises(AnnotationNotFoundError):
        store.get("a1")
    assert store.load_all().annotations == []

    assert store.restore("a1") == make("a1", note="keep me")
    assert store.get("a1").note == "keep me"
    assert not trashed.exists()


def test_deleting_or_restoring_what_is_not_there_says_so(store: AnnotationStore) -> None:
    with pytest.raises(AnnotationNotFoundError, match="no annotation a1 to delete"):
        store.delete("a1")
    with pytest.raises(AnnotationNotFoundError, match="no annotation a1 in the trash"):
        store.restore("a1")


def test_restore_never_overwrites_an_annotation(store: AnnotationStore) -> None:
    store.save(make("a1", note="deleted"))
    store.delete("a1")
    store.save(make("a1", note="made again"))
    with pytest.raises(StoreError, match="already exists"):
        store.restore("a1")
    assert store.get("a1").note == "made again"


def test_cleanup_removes_temp_files_left_by_a_crash(store: AnnotationStore) -> None:
    path = store.save(make("a1"))
    leftover = path.parent / ".tmp-5e5e-a1.md"
    leftover.write_text("---\nid: a1\nsour", encoding="utf-8")
    assert store.cleanup_temp_files() == [leftover]
    assert files_under(store.root) == [f"{EPISODE_SLUG}/a1.md"]


def test_a_full_disk_keeps_the_old_file_and_says_what_to_do(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(make("a1", note="old note"))

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full_disk)
        with pytest.raises(StoreError) as caught:
            store.save(make("a1", note="new note"))

    assert str(caught.value) == (
        f"cannot save annotation to {path}: the disk is full; your note was not lost: nothing "
        "was written and the file on disk was left as it was. "
        "Free some space and save again."
    )
    assert store.get("a1").note == "old note"
    assert files_under(store.root) == [f"{EPISODE_SLUG}/a1.md"]


def test_a_read_only_vault_gives_a_clear_error(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.save(make("a1", note="old note"))
    real_open = os.open

    def read_only(file: str | Path, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(file, flags, mode)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", read_only)
        with pytest.raises(StoreError, match="the disk is read-only; your note was not lost"):
            store.save(make("a1", note="new note"))
    assert store.get("a1").note == "old note"
    assert path.read_text(encoding="utf-8").endswith("\nold note\n")


def test_a_folder_that_cannot_be_created_gives_a_clear_error(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_permission(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    with monkeypatch.context() as patch:
        patch.setattr(Path, "mkdir", no_permission)
        with pytest.raises(StoreError, match="permission denied; your note was not lost"):
            store.save(make("a1"))


def test_source_slugs_are_readable_and_unique() -> None:
    assert source_slug(EPISODE) == EPISODE_SLUG
    assert source_slug("../../etc/passwd") == "etc-passwd-3754d6cb3a"
    assert source_slug("日本語.md") == "md-8895588d43"
    assert source_slug("") == "e3b0c44298"
    assert source_slug("Notes.md") != source_slug("notes.md")
    long_id = "a/" + "very-long-folder-name/" * 5 + "talk.vtt"
    assert source_slug(long_id) == "name-very-long-folder-name-talk-vtt-689edc218f"


@given(st.text())
def test_every_slug_is_a_safe_folder_name(source_id: str) -> None:
    slug = source_slug(source_id)
    assert 10 <= len(slug) <= 51
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith(("-", "."))


def test_the_id_alphabet() -> None:
    assert is_valid_annotation_id("01jd3k4m5n6p7q8r9s")
    assert not is_valid_annotation_id("01JD3K")
    assert not is_valid_annotation_id("a-1")
