"""When the index cannot be written (a full or read-only disk), search still answers, from the
files' point of view: nothing deleted shows up, new notes are found, and it says it is behind.
A rebuild that fails half-way leaves no deleted annotation findable, then or later."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import readmark.annotations.index
from helpers.vaults import MakeVault
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.index import INDEX_NAME
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace, WorkspaceError
from readmark.library.layout import VaultLayout
from readmark.library.vault import Vault
from readmark.tui.app import ReadmarkApp
from readmark.tui.cli import main
from readmark.tui.screens.search_screen import SearchScreen
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import FcntlLock
from whoosh.writing import SegmentWriter

TALK = """**Ines Halloran** [00:00:05]

Every bridge here was built twice. The first one always washed away in spring.

**Tom Prieto** [00:01:10]

Stone lasts; timber floats. The ferrymen liked it that way.
"""


def failing(code: int) -> Callable[..., object]:
    def fail(*_: object, **__: object) -> object:
        raise OSError(code, os.strerror(code))

    return fail


REAL_COMMIT = SegmentWriter.commit


def commit_on_a_full_disk(writer: SegmentWriter, *args: object, **kwargs: object) -> None:
    """A commit of an index on disk fails with ENOSPC; one in memory goes through."""
    if isinstance(writer.storage, FileStorage):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    REAL_COMMIT(writer, *args, **kwargs)


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"bridges.md": TALK})


def note_on(vault: Path, quote: str, note: str) -> Annotation:
    """An annotation saved the way another program (or another machine's sync) would: the file
    alone, with no word to this machine's index."""
    source = Vault(vault).load("bridges.md")
    start = source.text.index(quote)
    made = new_annotation(source, start, start + len(quote), Kind.NOTE, note=note)
    AnnotationStore(vault).save(made)
    return made


def notes_found(workspace: Workspace, query: str = "type:annotation") -> list[str]:
    return sorted(hit.note for hit in workspace.search(query, limit=100))


def notes_on_disk(vault: Path) -> list[str]:
    """What the index on disk holds, read without readmark."""
    index = whoosh_index.open_dir(str(VaultLayout(vault).index), indexname=INDEX_NAME)
    with index.searcher() as searcher:
        return sorted(
            doc.get("note", "") for doc in searcher.all_stored_fields() if doc["type"] != "passage"
        )


@pytest.fixture
def two_notes(vault: Path) -> tuple[str, str]:
    with Workspace(vault) as workspace:
        first = workspace.annotate("bridges.md", "built twice", Kind.NOTE, note="masonry")
        second = workspace.annotate("bridges.md", "Stone lasts", Kind.NOTE, note="quarries")
    return first.id, second.id


@pytest.mark.parametrize("held_back_limit", [readmark.annotations.index.HELD_BACK_LIMIT, 0])
def test_a_rebuild_that_fails_on_a_full_disk_leaves_no_deleted_annotation_findable(
    vault: Path,
    two_notes: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    held_back_limit: int,
) -> None:
    monkeypatch.setattr(readmark.annotations.index, "HELD_BACK_LIMIT", held_back_limit)
    first, _ = two_notes
    monkeypatch.setattr(SegmentWriter, "commit", commit_on_a_full_disk)
    with Workspace(vault) as workspace:
        workspace.delete(first)  # the file goes to the trash; the index cannot hear of it
        with pytest.raises(WorkspaceError, match="could not be rebuilt: the disk is full"):
            workspace.reindex()
    assert notes_on_disk(vault) == ["masonry", "quarries"]  # the old index still holds it

    with Workspace(vault) as workspace:  # a later run, the disk still full
        assert notes_found(workspace) == ["quarries"]
        assert workspace.search("masonry") == []
        assert "the disk is full" in (workspace.search_behind() or "")

    monkeypatch.undo()  # space is free again: the next search rewrites the index
    with Workspace(vault) as workspace:
        assert notes_found(workspace) == ["quarries"]
        assert workspace.search_behind() is None
    assert notes_on_disk(vault) == ["quarries"]


def test_a_rebuild_stopped_before_its_commit_leaves_no_deleted_annotation_findable(
    vault: Path, two_notes: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = two_notes
    with Workspace(vault) as workspace:
        workspace.sync_index()
    AnnotationStore(vault).delete(first)  # by another readmark, whose index write was lost

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt  # ctrl+c half-way through the rebuild

    monkeypatch.setattr(readmark.annotations.index.SearchIndex, "_apply", interrupted)
    with Workspace(vault) as workspace, pytest.raises(KeyboardInterrupt):
        workspace.reindex()
    monkeypatch.undo()
    assert notes_on_disk(vault) == ["masonry", "quarries"]
    with Workspace(vault) as workspace:
        assert notes_found(workspace) == ["quarries"]
    assert notes_on_disk(vault) == ["quarries"]


def test_a_rebuild_that_finds_the_index_busy_keeps_its_state(
    vault: Path, two_notes: tuple[str, str]
) -> None:
    with Workspace(vault) as workspace:
        workspace.sync_index()
    state = (VaultLayout(vault).index / "state.json").read_bytes()
    holder = whoosh_index.open_dir(str(VaultLayout(vault).index), indexname=INDEX_NAME)
    writer = holder.writer()
    try:
        with Workspace(vault) as workspace, pytest.raises(WorkspaceError, match="busy"):
            workspace.reindex()
    finally:
        writer.cancel()
    assert (VaultLayout(vault).index / "state.json").read_bytes() == state


@pytest.fixture
def read_only_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every attempt to lock the index for writing fails as on a read-only disk (for root too)."""
    monkeypatch.setattr(FcntlLock, "acquire", failing(errno.EROFS))


def test_search_on_a_read_only_index_answers_with_what_changed_since(
    vault: Path, two_notes: tuple[str, str], read_only_index: None
) -> None:
    first, _ = two_notes
    AnnotationStore(vault).delete(first)
    note_on(vault, "timber floats", "driftwood")
    with Workspace(vault) as workspace:
        assert notes_found(workspace) == ["driftwood", "quarries"]
        assert workspace.search("masonry") == []
        assert [hit.note for hit in workspace.search("driftwood")] == ["driftwood"]
        # A save in this run stays pending, and is found too.
        workspace.annotate("bridges.md", "ferrymen", Kind.NOTE, note="tolls")
        assert workspace.index.pending == 1
        assert notes_found(workspace) == ["driftwood", "quarries", "tolls"]
        said = workspace.search_behind() or ""
        assert "the disk is read-only" in said and str(VaultLayout(vault).index) in said
    assert notes_on_disk(vault) == ["masonry", "quarries"]  # nothing was written


def test_the_search_command_answers_and_says_the_index_is_behind(
    vault: Path,
    two_notes: tuple[str, str],
    read_only_index: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = two_notes
    AnnotationStore(vault).delete(first)
    note_on(vault, "timber floats", "driftwood")
    assert main(["search", "driftwood OR masonry", "--vault", str(vault)]) == 0
    out, err = capsys.readouterr()
    assert "driftwood" in out and "masonry" not in out
    assert err.count("\n") == 1
    assert "The search index is behind (the disk is read-only" in err
    assert "catches up once it can be written" in err

    assert main(["check", "--vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "could not be updated (the disk is read-only)" in out


def test_search_on_a_full_disk_answers_instead_of_failing(
    vault: Path,
    two_notes: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    note_on(vault, "timber floats", "driftwood")
    monkeypatch.setattr(SegmentWriter, "commit", commit_on_a_full_disk)
    assert main(["search", "driftwood", "--json", "--vault", str(vault)]) == 0
    out, err = capsys.readouterr()
    assert '"note": "driftwood"' in out
    assert "(the disk is full" in err


def test_past_the_memory_limit_search_still_hides_what_is_gone_and_says_what_it_misses(
    vault: Path, two_notes: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace(vault) as workspace:
        workspace.sync_index()  # written while the disk could take it
    monkeypatch.setattr(FcntlLock, "acquire", failing(errno.EROFS))
    monkeypatch.setattr(readmark.annotations.index, "HELD_BACK_LIMIT", 0)
    first, _ = two_notes
    AnnotationStore(vault).delete(first)
    note_on(vault, "timber floats", "driftwood")
    with Workspace(vault) as workspace:
        assert notes_found(workspace) == ["quarries"]
        assert "1 changed file is not searched yet" in (workspace.search_behind() or "")


async def test_the_reader_says_once_that_search_is_behind(
    vault: Path, two_notes: tuple[str, str], read_only_index: None
) -> None:
    note_on(vault, "timber floats", "driftwood")
    app = ReadmarkApp(vault)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s", *"driftwood", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert [hit.note for hit in app.screen.hits] == ["driftwood"]
        app.screen.start_search("quarries")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [hit.note for hit in app.screen.hits] == ["quarries"]
        said = [n.message for n in app._notifications if "behind" in n.message]
        assert len(said) == 1 and "the disk is read-only" in said[0]


def test_an_annotation_deleted_by_another_program_before_any_search_is_not_found(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["annotate", "bridges.md", "--quote", "built twice", "--note", "masonry"]
    assert main([*argv, "--vault", str(vault)]) == 0
    assert main(["annotate", "bridges.md", "--quote", "Stone lasts", "--vault", str(vault)]) == 0
    capsys.readouterr()
    [path] = [p for p in AnnotationStore(vault).root.rglob("*.md") if "masonry" in p.read_text()]
    path.unlink()  # a file manager, a `git checkout`, a sync from another machine

    assert main(["search", "type:annotation", "--json", "--vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert '"quote": "Stone lasts"' in out and "masonry" not in out
    assert notes_on_disk(vault) == [""]
