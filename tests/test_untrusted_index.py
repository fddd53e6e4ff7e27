"""An index that came with a vault is never opened: Whoosh unpickles its files, so opening one is
running whatever its author put in it. The same goes for a cache folder someone else can write."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.index import INDEX_NAME, SearchIndex
from readmark.annotations.index_schema import build_schema
from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace
from readmark.library.layout import VaultLayout
from readmark.tui.app import ReadmarkApp
from readmark.tui.cli import main
from readmark.tui.screens.search_screen import SearchScreen
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

TALK = """---
title: Bridges of the north
---

**Ines Halloran** [00:00:05]

Every bridge here was built twice. The first one always washed away in spring.

**Tom Prieto** [00:01:10]

Stone lasts; timber floats. The ferrymen liked it that way.
"""


class Planted:
    """What a hostile index can hold: unpickling it runs `os.mkdir(marker)`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def plant_index(folder: Path, marker: Path) -> None:
    """A real Whoosh index whose newest table of contents, and a segment file, run code."""
    folder.mkdir(parents=True, exist_ok=True)
    made = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    toc = TOC(build_schema(), [Planted(marker)], made.latest_generation() + 1)
    toc.write(FileStorage(str(folder)), INDEX_NAME)
    (folder / f"{INDEX_NAME}_planted.seg").write_bytes(pickle.dumps(Planted(marker)))
    (folder / "state.json").write_text('{"version": 0}', encoding="utf-8")


def planted_index_runs(tmp_path: Path) -> bool:
    """Whether opening a planted index really runs its code (so the tests below can fail)."""
    marker = tmp_path / "control-marker"
    plant_index(tmp_path / "control-index", marker)
    with contextlib.suppress(Exception):
        whoosh_index.open_dir(str(tmp_path / "control-index"), indexname=INDEX_NAME).reader()
    return marker.exists()


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"bridges.md": TALK})


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    assert planted_index_runs(tmp_path)
    return tmp_path / "marker"


def run(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# -- an index inside the vault ------------------------------------------------------------------


def test_no_command_opens_an_index_found_in_the_vault(
    vault: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy = VaultLayout(vault).legacy_index
    plant_index(legacy, marker)
    planted = files_under(legacy)

    argv = ("annotate", "bridges.md", "--quote", "built twice", "--json")
    status, out, err = run(vault, capsys, *argv)
    assert status == 0, err
    assert not marker.exists()
    # Said once, on stderr, in one line: the folder is ignored and can go.
    assert err.count("\n") == 1
    assert f"{legacy} is ignored" in err and "You can delete that folder" in err
    annotation_id = json.loads(out)["id"]

    commands = [
        ("sources",),
        ("show", "bridges.md"),
        ("annotate", "bridges.md", "--quote", "Stone lasts", "--kind", "dissent"),
        ("search", "timber"),
        ("cite", annotation_id),
        ("export", "--format", "markdown"),
        ("reindex",),
        ("delete", annotation_id),
        ("restore", annotation_id),
    ]
    for argv in commands:
        status, out, err = run(vault, capsys, *argv)
        assert status == 0, (argv, err)
        assert not marker.exists(), argv
        assert "is ignored" not in err, argv  # not on every command forever
    status, out, err = run(vault, capsys, "check")
    assert status == 0, err
    assert not marker.exists()
    assert f"{legacy} is ignored" in out  # `check` lists it while it is there
    assert files_under(legacy) == planted  # and readmark never touched it

    status, out, _ = run(vault, capsys, "search", "kind:dissent", "--json")
    assert [h["text"] if h["type"] == "passage" else h["quote"] for h in json.loads(out)] == [
        "Stone lasts"
    ]


def test_the_index_is_kept_per_machine_outside_the_vault(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(vault, capsys, "annotate", "bridges.md", "--quote", "built twice")
    run(vault, capsys, "search", "bridges")
    run(vault, capsys, "reindex")
    layout = VaultLayout(vault)
    assert sorted(p.name for p in layout.data.iterdir()) == [".gitignore", "annotations"]
    assert layout.machine.parent.parent == Path(os.environ["READMARK_CACHE_DIR"])
    assert any(p.suffix == ".toc" for p in layout.index.iterdir())
    assert layout.source_cache.is_file()
    for folder in (layout.machine.parent.parent, layout.machine.parent, layout.machine):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_the_legacy_notice_is_said_once_per_machine_and_again_on_another(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    VaultLayout(vault).legacy_index.mkdir(parents=True)
    assert "is ignored" in run(vault, capsys, "search", "bridges")[2]
    assert "is ignored" not in run(vault, capsys, "search", "bridges")[2]
    monkeypatch.setenv("READMARK_CACHE_DIR", str(tmp_path / "another-machine"))
    assert "is ignored" in run(vault, capsys, "search", "bridges")[2]


def test_a_vault_without_an_old_index_says_nothing_about_one(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(vault, capsys, "search", "bridges")
    assert (status, err) == (0, "")
    assert "is ignored" not in run(vault, capsys, "check")[1]


async def test_the_reader_never_opens_an_index_found_in_the_vault(
    vault: Path, marker: Path
) -> None:
    plant_index(VaultLayout(vault).legacy_index, marker)
    for run_number in range(2):
        app = ReadmarkApp(vault)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(100):
                await app.workers.wait_for_complete()
                await pilot.pause()
                reader = app.screen
                if reader.query(SourceList) and reader.query_one(SourceList).shown_ids:
                    break
            await app.workers.wait_for_complete()
            await pilot.press("enter")  # opens the only source
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert reader.query_one(Transcript).source is not None
            await pilot.press("s", *"ferrymen", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            assert [hit.source for hit in app.screen.hits] == ["bridges.md"]
            said = [n.message for n in app._notifications if "is ignored" in n.message]
            # One notification on the first run on this machine, none after.
            assert len(said) == (1 if run_number == 0 else 0)
        assert not marker.exists()


# -- a cache folder that is not the user's alone --------------------------------------------------


def test_an_index_folder_others_can_write_is_not_opened(
    vault: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Workspace(vault).reindex()
    layout = VaultLayout(vault)
    plant_index(layout.index, marker)
    layout.machine.chmod(0o777)

    with Workspace(vault) as workspace:
        made = workspace.annotate("bridges.md", "washed away", Kind.NOTE, note="floods")
        assert [hit.id for hit in workspace.search("floods")] == [made.id]
        assert workspace.index.in_memory
        assert "can be written by other users" in (workspace.index.problem or "")
    assert not marker.exists()
    status, out, err = run(vault, capsys, "search", "floods")
    assert status == 0 and "floods" in out
    assert not marker.exists()
    assert "kept in memory" in err and f"chmod go-w {layout.machine}" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_an_index_folder_another_user_owns_is_not_opened(vault: Path, marker: Path) -> None:
    layout = VaultLayout(vault)
    plant_index(layout.index, marker)
    os.chown(layout.index, 4242, 4242)
    with Workspace(vault) as workspace:
        assert workspace.search("ferrymen")
        assert workspace.index.in_memory
        assert "belongs to another user" in (workspace.index.problem or "")
    assert not marker.exists()


def test_a_cache_folder_inside_the_vault_is_not_trusted(
    vault: Path, marker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_CACHE_DIR", str(vault / "cache"))
    plant_index(VaultLayout(vault).index, marker)
    index = SearchIndex(vault)
    assert index.in_memory
    assert "inside the vault" in (index.problem or "")
    assert not marker.exists()
