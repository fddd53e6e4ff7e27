"""Repairing a damaged search index removes readmark's own files only: never anything else in
the folder, never through a link. What it leaves, it names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.index import INDEX_NAME
from readmark.annotations.index_folder import is_own
from readmark.annotations.index_schema import SCHEMA_VERSION
from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace
from readmark.library.layout import VaultLayout
from readmark.tui.app import ReadmarkApp
from readmark.tui.cli import main

TALK = """**Ines Halloran** [00:00:05]

Every bridge here was built twice. The first one always washed away in spring.
"""
FOREIGN = {
    "notes.txt": b"my own notes, kept here by mistake",
    "readmark-settings.json": b"{}",
    "_readmark_9.toc": b"not readmark's: no schema version in the name",
}


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    root = make_vault({"bridges.md": TALK})
    with Workspace(root) as workspace:
        workspace.annotate("bridges.md", "built twice", Kind.NOTE, note="masonry")
    return root


def damage(folder: Path) -> None:
    """Zero every table of contents, as a disk error or a sync tool might."""
    tocs = list(folder.glob(f"_{INDEX_NAME}_*.toc"))
    assert tocs
    for toc in tocs:
        toc.write_bytes(b"\x00" * 40)


def put_foreign_files(folder: Path) -> None:
    for name, data in FOREIGN.items():
        (folder / name).write_bytes(data)


def foreign_files_survive(folder: Path) -> bool:
    return all((folder / name).read_bytes() == data for name, data in FOREIGN.items())


def test_readmarks_own_names_are_told_from_others() -> None:
    own = [
        f"_{INDEX_NAME}_12.toc",
        f"_{INDEX_NAME}_12.toc.1712345678.25",
        f"{INDEX_NAME}_a1b2c3.seg",
        f"{INDEX_NAME}_WRITELOCK",
        "_readmark3_4.toc",
        "readmark3_zz9.seg",
        "state.json",
        ".tmp-0a1b2c-state.json",
    ]
    others = ["notes.txt", "_readmark_9.toc", "readmark.seg", "state.json.bak", "index.toc"]
    assert all(is_own(name) for name in own)
    assert not any(is_own(name) for name in others)
    assert is_own(f"readmark{SCHEMA_VERSION}.tmp", folder=True)
    assert not is_own("photos", folder=True)


def test_a_repair_removes_only_readmarks_files_and_names_the_rest(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = VaultLayout(vault).index
    damage(folder)
    put_foreign_files(folder)

    status = main(["search", "masonry", "--vault", str(vault)])
    out, err = capsys.readouterr()
    assert status == 0 and "built twice" in out
    assert foreign_files_survive(folder)
    assert f"Left in {folder}" in err
    assert all(name in err for name in FOREIGN)
    # The repaired index is whole again, and a later repair still spares the files.
    with Workspace(vault) as workspace:
        assert not workspace.index.in_memory
        assert [h.text for h in workspace.search("type:annotation")] == ["built twice"]
    assert main(["check", "--vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert f"Left in {folder}" in out and "notes.txt" in out
    assert main(["reindex", "--vault", str(vault)]) == 0
    assert "notes.txt" in capsys.readouterr().err
    assert foreign_files_survive(folder)


def test_a_linked_index_folder_is_never_cleared_through_the_link(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = VaultLayout(vault).index
    elsewhere = tmp_path / "my-cache-folder"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    damage(elsewhere)
    put_foreign_files(elsewhere)
    before = sorted(p.name for p in elsewhere.iterdir())

    status = main(["search", "masonry", "--vault", str(vault)])
    out, err = capsys.readouterr()
    assert status == 0 and "built twice" in out  # searched from memory
    assert sorted(p.name for p in elsewhere.iterdir()) == before
    assert foreign_files_survive(elsewhere)
    assert f"{folder} is a link" in err and "never deletes through a link" in err
    assert "notes.txt" in err

    assert main(["check", "--vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert f"{folder} is a link" in out and "notes.txt" in out
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_a_linked_file_in_the_index_folder_is_neither_read_nor_followed(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = VaultLayout(vault).index
    victim = tmp_path / "thesis.md"
    victim.write_text("two years of work", encoding="utf-8")
    damage(folder)
    put_foreign_files(folder)
    link = folder / f"{INDEX_NAME}_linked.seg"
    link.symlink_to(victim)

    with Workspace(vault) as workspace:
        assert [h.text for h in workspace.search("masonry")] == ["built twice"]
        assert workspace.index.in_memory
        assert f"{link} is a link" in (workspace.index.problem or "")
    assert victim.read_text(encoding="utf-8") == "two years of work"
    assert link.is_symlink() and foreign_files_survive(folder)

    assert main(["reindex", "--vault", str(vault)]) == 0
    err = capsys.readouterr().err
    assert f"{link} is a link" in err and "notes.txt" in err and link.name in err
    assert victim.read_text(encoding="utf-8") == "two years of work"


def test_a_link_to_the_vaults_own_folder_loses_no_annotation(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The worst case the old repair met: the index folder leads back into `.readmark`.
    layout = VaultLayout(vault)
    shutil.rmtree(layout.index)
    layout.index.symlink_to(layout.data, target_is_directory=True)
    (layout.data / f"_{INDEX_NAME}_3.toc").write_bytes(b"\x00" * 40)
    notes = sorted(layout.annotations.rglob("*.md"))

    assert main(["search", "masonry", "--vault", str(vault)]) == 0
    assert main(["reindex", "--vault", str(vault)]) == 0
    assert main(["check", "--vault", str(vault)]) == 0
    capsys.readouterr()
    assert sorted(layout.annotations.rglob("*.md")) == notes
    assert (layout.data / f"_{INDEX_NAME}_3.toc").exists()


async def test_the_reader_names_what_a_repair_left(vault: Path) -> None:
    folder = VaultLayout(vault).index
    damage(folder)
    put_foreign_files(folder)
    app = ReadmarkApp(vault)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if any("Left in" in n.message for n in app._notifications):
                break
        [said] = [n.message for n in app._notifications if "Left in" in n.message]
        assert str(folder) in said and "notes.txt" in said
    assert foreign_files_survive(folder)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_writers_temporary_folder_is_removed_but_a_link_named_like_one_is_not(
    vault: Path, tmp_path: Path
) -> None:
    folder = VaultLayout(vault).index
    damage(folder)
    temporary = folder / f"{INDEX_NAME}.tmp"
    temporary.mkdir()
    (temporary / "abc.doclist").write_bytes(b"half a job")
    with Workspace(vault) as workspace:
        assert workspace.index.repaired and not workspace.index.in_memory
    assert not temporary.exists()

    damage(folder)
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "photo.jpg").write_bytes(b"jpeg")
    temporary.symlink_to(kept, target_is_directory=True)
    with Workspace(vault) as workspace:
        assert workspace.index.in_memory
    assert (kept / "photo.jpg").read_bytes() == b"jpeg"
