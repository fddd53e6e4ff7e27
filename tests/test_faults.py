"""Faults below the reader: killed processes, full and read-only disks, unreadable files,
annotation folders edited by other programs, and two readmark processes on one vault."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.permission_bits import PermissionBitsUnavailable, permission_bits_enforced
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.index import SearchIndex
from readmark.annotations.markdown_format import render
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore, StoreError
from readmark.annotations.workspace import Workspace, WorkspaceError
from readmark.library import durable
from readmark.library.layout import VaultLayout
from readmark.library.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
WORKER = ROOT / "tests" / "helpers" / "vault_worker.py"
SOURCES = 40
ANNOTATIONS = 200
KILL_ROUNDS = 4


def talk(number: int) -> str:
    cues = []
    for cue in range(5):
        start = cue * 10
        cues.append(
            f"00:00:{start:02d}.000 --> 00:00:{start + 9:02d}.000\n"
            f"<v Host>Talk {number} part {cue} says the same old words about topic{number}."
        )
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def make_vault(root: Path, sources: int, annotations: int) -> Path:
    root.mkdir()
    for number in range(sources):
        (root / f"talk-{number:03d}.vtt").write_text(talk(number), encoding="utf-8")
    vault = Vault(root, workers=1)
    store = AnnotationStore(root)
    loaded = [vault.load(f"talk-{n:03d}.vtt") for n in range(sources)]
    for number in range(annotations):
        source = loaded[number % sources]
        start = source.text.index("the same old words")
        note = f"thought{number} on this"
        store.save(new_annotation(source, start, start + 18, Kind.NOTE, note=note))
    return root


def annotation_hashes(vault: Path) -> dict[str, str]:
    folder = vault / ".readmark" / "annotations"
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def start_worker(vault: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(vault), *args], stdout=subprocess.PIPE, text=True, env=env
    )


def annotation_ids_found(workspace: Workspace) -> set[str]:
    return {hit.id for hit in workspace.search("type:annotation", limit=10_000)}


def passages_found(workspace: Workspace) -> int:
    return len(workspace.search("type:passage", limit=10_000))


# -- 1. SIGKILL during reindex ------------------------------------------------------------------


def test_killing_reindex_at_random_moments_tears_nothing_and_the_index_repairs_itself(
    tmp_path: Path,
) -> None:
    vault = make_vault(tmp_path / "vault", SOURCES, ANNOTATIONS)
    before = annotation_hashes(vault)
    ids = {a.id for a in AnnotationStore(vault).load_all().annotations}
    began = time.perf_counter()
    Workspace(vault).reindex()
    one_reindex = time.perf_counter() - began
    rng = random.Random(5)
    completed = 0
    for _ in range(KILL_ROUNDS):
        worker = start_worker(vault, "reindex")
        assert worker.stdout is not None
        assert worker.stdout.readline() == "up\n"
        time.sleep(rng.uniform(0, one_reindex * 1.5))
        worker.send_signal(signal.SIGKILL)
        rest, _ = worker.communicate()
        completed += rest.count("reindexed")

        assert annotation_hashes(vault) == before
        with Workspace(vault) as workspace:
            assert annotation_ids_found(workspace) == ids
            assert passages_found(workspace) == SOURCES * 5
            assert [h.source for h in workspace.search("topic7")] == ["talk-007.vtt"] * 5
    assert AnnotationStore(vault).load_all().problems == []


def test_a_lock_left_by_a_killed_writer_blocks_nobody(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 2, 0)
    holder = start_worker(vault, "lock")
    assert holder.stdout is not None
    assert holder.stdout.readline() == "up\n"
    holder.send_signal(signal.SIGKILL)
    holder.communicate()
    assert list(VaultLayout(vault).index.glob("*WRITELOCK*"))  # the file stays behind

    with Workspace(vault) as workspace:
        made = workspace.annotate("talk-001.vtt", "the same old words", Kind.NOTE, note="kiwis")
        # Indexed by the save itself: the lock was free at once.
        assert workspace.index.pending == 0
        assert [hit.id for hit in workspace.search("kiwis")] == [made.id]


def test_segment_files_gone_from_the_index_are_rebuilt_on_the_next_search(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 3, 6)
    Workspace(vault).reindex()
    segments = [p for p in VaultLayout(vault).index.iterdir() if p.suffix == ".seg"]
    assert segments
    for segment in segments:
        segment.unlink()

    with Workspace(vault) as workspace:
        assert len(annotation_ids_found(workspace)) == 6
        assert workspace.index.repaired
        assert passages_found(workspace) == 15


def test_a_damaged_table_of_contents_is_rebuilt_on_the_next_search(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 3, 6)
    Workspace(vault).reindex()
    for toc in VaultLayout(vault).index.glob("*.toc"):
        toc.write_bytes(b"\x00" * 40)

    with Workspace(vault) as workspace:
        assert len(annotation_ids_found(workspace)) == 6
        assert workspace.index.repaired


def test_a_damaged_index_held_by_another_writer_is_searched_from_memory(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 3, 6)
    Workspace(vault).reindex()
    holder = start_worker(vault, "lock")
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline() == "up\n"
        for toc in VaultLayout(vault).index.glob("*.toc"):
            toc.write_bytes(b"\x00" * 40)
        with Workspace(vault) as workspace:
            assert len(annotation_ids_found(workspace)) == 6
            assert workspace.index.in_memory
        assert [p.read_bytes() for p in VaultLayout(vault).index.glob("*.toc")] == [b"\x00" * 40]
    finally:
        holder.kill()
        holder.communicate()


# -- 2. Disk full and read-only vault ------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Workspace, Path, str]:
    vault = make_vault(tmp_path / "vault", 1, 0)
    workspace = Workspace(vault)
    made = workspace.annotate("talk-000.vtt", "the same old words", Kind.NOTE, note="first draft")
    path = workspace.store.path_for(made)
    return workspace, path, made.id


def failing(code: int) -> object:
    def fail(*_: object, **__: object) -> object:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("patched", "code", "words"),
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("replace", errno.EROFS, "the disk is read-only"),
        ("open", errno.EROFS, "the disk is read-only"),
        ("fsync", errno.EIO, "input/output error"),
    ],
)
def test_a_failing_disk_keeps_the_old_file_and_says_the_note_was_not_lost(
    saved: tuple[Workspace, Path, str],
    monkeypatch: pytest.MonkeyPatch,
    patched: str,
    code: int,
    words: str,
) -> None:
    workspace, path, annotation_id = saved
    before = path.read_bytes()
    edited = replace(workspace.get(annotation_id), note="second draft, longer " * 50)
    monkeypatch.setattr(durable.os, patched, failing(code))
    if patched == "replace":
        # Where the system can, the new file is swapped in rather than renamed over the old.
        monkeypatch.setattr(durable, "_exchange", failing(code))
    with pytest.raises(StoreError) as raised:
        workspace.save(edited)
    monkeypatch.undo()

    message = str(raised.value)
    assert str(path) in message
    assert words in message
    assert "your note was not lost" in message
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_an_unwritable_index_never_fails_a_save(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 1, 0)
    folder = VaultLayout(vault).index
    folder.parent.mkdir(parents=True)
    folder.write_text("a file where the index folder should be")
    with Workspace(vault) as workspace:
        made = workspace.annotate("talk-000.vtt", "the same old words", Kind.NOTE, note="robins")
        assert workspace.store.path_for(made).is_file()
        assert [hit.id for hit in workspace.search("robins")] == [made.id]
        assert workspace.index.in_memory


def test_a_full_disk_during_an_index_commit_keeps_the_change_pending(
    saved: tuple[Workspace, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, _, _ = saved
    from whoosh.writing import SegmentWriter

    monkeypatch.setattr(SegmentWriter, "commit", failing(errno.ENOSPC))
    made = workspace.annotate("talk-000.vtt", "the same old words", Kind.NOTE, note="wrens")
    assert workspace.store.path_for(made).is_file()
    assert workspace.index.pending == 1
    monkeypatch.undo()
    assert [hit.id for hit in workspace.search("wrens")] == [made.id]
    assert workspace.index.pending == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs, where the system allows mounting one (skipped elsewhere)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if not shutil.which("mount") or sys.platform != "linux":
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _remount_read_only(mount: Path) -> bool:
    # A file closed a moment ago can keep the mount busy; give the kernel a few tries.
    for _ in range(10):
        gc.collect()
        done = subprocess.run(["mount", "-o", "remount,ro", str(mount)], capture_output=True)
        if done.returncode == 0:
            return True
        time.sleep(0.2)
    return False


def test_a_real_full_disk_and_then_a_read_only_one(tiny_disk: Path) -> None:
    vault = tiny_disk / "vault"
    vault.mkdir()
    (vault / "talk.vtt").write_text(talk(1), encoding="utf-8")
    workspace = Workspace(vault)
    made: list[str] = []
    with pytest.raises(StoreError, match="the disk is full.*your note was not lost") as raised:
        for number in range(1000):
            note = f"note {number} " + "padding words " * 400
            made.append(workspace.annotate("talk.vtt", "the same old words", note=note).id)
    workspace.close()
    assert ".readmark" in str(raised.value)
    assert 0 < len(made) < 1000
    result = AnnotationStore(vault).load_all()
    assert result.problems == []
    assert sorted(a.id for a in result.annotations) == sorted(made)
    assert not [p for p in vault.rglob(f"{durable.TEMP_PREFIX}*")]

    if not _remount_read_only(tiny_disk):
        pytest.skip("the tmpfs stayed busy and could not be made read-only here")
    with Workspace(vault) as workspace:
        with pytest.raises(StoreError, match="the disk is read-only.*your note was not lost"):
            workspace.annotate("talk.vtt", "the same old words", note="one more")
        assert workspace.get(made[0]).id == made[0]
        assert made[0] in {hit.id for hit in workspace.search("type:annotation", limit=2000)}


# -- 3. Permission denied ------------------------------------------------------------------------


def test_unreadable_annotation_files_and_folders_are_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "vault", 3, 9)
    store = AnnotationStore(vault)
    folders = sorted(p for p in store.root.iterdir())
    locked_folder = folders[0]
    locked_file = sorted(folders[1].iterdir())[0]
    real_scandir, real_read_bytes = os.scandir, Path.read_bytes

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked_folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    def read_bytes(self: Path) -> bytes:
        if self == locked_file:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = AnnotationStore(vault).load_all()
    assert len(result.annotations) == 5
    assert [(p.path, "permission denied" in p.reason) for p in result.problems] == [
        (str(locked_folder), True),
        (str(locked_file), True),
    ]
    with Workspace(vault) as workspace:
        assert len(annotation_ids_found(workspace)) == 5
        report = workspace.check()
        assert len(report.unreadable) == 2


def test_chmod_000_files_and_folders_are_skipped_with_a_reason(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 3, 9)
    folders = sorted(AnnotationStore(vault).root.iterdir())
    locked_file = sorted(folders[1].iterdir())[0]
    folders[0].chmod(0)
    locked_file.chmod(0)
    try:
        # Root (as CI runs) reads past the mode unless held to it.
        with permission_bits_enforced():
            result = AnnotationStore(vault).load_all()
            assert len(result.annotations) == 5
            assert [p.path for p in result.problems] == [str(folders[0]), str(locked_file)]
            assert all("permission denied" in p.reason for p in result.problems)
            with Workspace(vault) as workspace:
                assert len(annotation_ids_found(workspace)) == 5
    except PermissionBitsUnavailable as why:
        pytest.skip(f"root here reads every file anyway: {why}")
    finally:
        folders[0].chmod(0o755)
        locked_file.chmod(0o644)


# -- 4. Another program edits the annotation folder ----------------------------------------------


def test_files_added_changed_and_removed_by_hand_are_picked_up(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 1, 2)
    with Workspace(vault) as workspace:
        first, second = workspace.annotations_for("talk-000.vtt")
        stamp = workspace.store.folder_stamp("talk-000.vtt")
        assert len(annotation_ids_found(workspace)) == 2

        # Added: a copy of the first under a new id, as a user might write one.
        added_path = workspace.store.path_for(first).with_name("zz1handmade.md")
        text = render(first).replace(f"id: {first.id}", "id: zz1handmade")
        added_path.write_text(text.replace("thought0", "pelicans"), encoding="utf-8")
        # Changed: the second's note rewritten in an editor.
        path = workspace.store.path_for(second)
        path.write_text(path.read_text().replace("thought1", "flamingos"), encoding="utf-8")
        # Removed: the first deleted in a file manager.
        workspace.store.path_for(first).unlink()

        assert workspace.store.folder_stamp("talk-000.vtt") != stamp
        now = workspace.annotations_for("talk-000.vtt")
        assert sorted(a.id for a in now) == sorted([second.id, "zz1handmade"])
        assert [h.id for h in workspace.search("pelicans")] == ["zz1handmade"]
        assert [h.id for h in workspace.search("flamingos")] == [second.id]
        assert annotation_ids_found(workspace) == {second.id, "zz1handmade"}
        assert len(workspace.store.load_all().annotations) == 2


@pytest.mark.parametrize(
    "copy_name", ["{id} (conflicted copy).md", "{id}.sync-conflict-20260102-101010-ABC.md"]
)
def test_a_sync_tool_conflicted_copy_is_reported_and_never_doubles_the_annotation(
    tmp_path: Path, copy_name: str
) -> None:
    vault = make_vault(tmp_path / "vault", 1, 1)
    with Workspace(vault) as workspace:
        [original] = workspace.annotations_for("talk-000.vtt")
        path = workspace.store.path_for(original)
        copy = path.with_name(copy_name.format(id=original.id))
        copy.write_text(path.read_text().replace("thought0", "their version"), encoding="utf-8")

        result = workspace.store.load_all()
        assert [a.id for a in result.annotations] == [original.id]
        [problem] = result.problems
        assert problem.path == str(copy)
        assert "sync tool" in problem.reason and f"{original.id}.md" in problem.reason
        assert [a.note for a in workspace.annotations_for("talk-000.vtt")] == [original.note]
        assert [h.id for h in workspace.search("type:annotation")] == [original.id]
        assert workspace.search('"their version"') == []

        copy.unlink()  # the user settles the conflict: the annotation stays searchable
        assert [h.id for h in workspace.search("type:annotation")] == [original.id]


def test_the_same_id_in_two_folders_is_one_annotation_and_a_problem(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 2, 1)
    with Workspace(vault) as workspace:
        [original] = workspace.annotations_for("talk-000.vtt")
        path = workspace.store.path_for(original)
        stray = workspace.store.root / "a-stray-folder" / path.name
        stray.parent.mkdir()
        stray.write_bytes(path.read_bytes())
        result = workspace.store.load_all()
        assert [a.id for a in result.annotations] == [original.id]
        assert [p.path for p in result.problems] == [str(stray)]
        assert [h.id for h in workspace.search("type:annotation")] == [original.id]

        stray.unlink()  # removing the copy must not take the annotation out of search
        assert [h.id for h in workspace.search("type:annotation")] == [original.id]


# -- 5. Two readmark processes on one vault ------------------------------------------------------


def test_two_processes_annotating_and_searching_at_once_keep_everything(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 4, 0)
    Workspace(vault).reindex()
    workers = [start_worker(vault, "annotate", tag, "25") for tag in ("alpha", "beta")]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    made = {line for output in outputs for line in output.split() if line != "up"}
    assert len(made) == 50

    result = AnnotationStore(vault).load_all()
    assert result.problems == []
    assert {a.id for a in result.annotations} == made
    with Workspace(vault) as workspace:
        assert annotation_ids_found(workspace) == made
        workspace.reindex()
        assert annotation_ids_found(workspace) == made
        assert len(workspace.search("alpha", limit=100)) == 25
        assert workspace.index.doc_count() == 50 + 4 * 5


def test_search_survives_another_process_merging_the_index(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault", 2, 4)
    with Workspace(vault) as first, Workspace(vault) as second:
        assert len(annotation_ids_found(first)) == 4
        SearchIndex(vault).optimize()  # rewrites every segment under the first's searcher
        second.reindex()
        assert len(annotation_ids_found(first)) == 4


def test_a_rebuild_on_a_really_full_disk_leaves_no_deleted_annotation_findable(
    tiny_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_CACHE_DIR", str(tiny_disk / "cache"))
    vault = make_vault(tmp_path / "vault", 2, 6)
    with Workspace(vault) as workspace:
        workspace.reindex()
        ids = annotation_ids_found(workspace)
    gone = sorted(ids)[0]
    AnnotationStore(vault).delete(gone)  # by another program: this index never hears of it
    filler = tiny_disk / "filler"
    with contextlib.suppress(OSError), open(filler, "wb", buffering=0) as file:
        while True:
            file.write(b"\0" * 4096)

    with Workspace(vault) as workspace, pytest.raises(WorkspaceError, match="the disk is full"):
        workspace.reindex()
    with Workspace(vault) as workspace:
        assert annotation_ids_found(workspace) == ids - {gone}
        assert "the disk is full" in (workspace.search_behind() or "")
    filler.unlink()
    with Workspace(vault) as workspace:
        assert annotation_ids_found(workspace) == ids - {gone}
        assert workspace.search_behind() is None
