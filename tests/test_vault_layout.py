"""What lives where: a vault carries annotations and the trash (what git or a sync tool should
share); the index and caches stay on each machine, the reading position with each user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import platformdirs
import pytest
from helpers.vaults import MakeVault
from readmark.library.layout import GITIGNORE_TEXT, VaultLayout
from readmark.tui.cli import main

TALK = """**Ines Halloran** [00:00:05]

Every bridge here was built twice. The first one always washed away in spring.

**Tom Prieto** [00:01:10]

Stone lasts; timber floats. The ferrymen liked it that way.
"""


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"talks/bridges.md": TALK})


def cli(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def git(vault: Path, *argv: str) -> str:
    done = subprocess.run(["git", *argv], cwd=vault, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_add_in_a_vault_stages_annotations_and_the_trash_only(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(vault, "init", "-q")
    kept = json.loads(
        cli(vault, capsys, "annotate", "talks/bridges.md", "--quote", "Stone lasts", "--json")
    )
    gone = json.loads(
        cli(vault, capsys, "annotate", "talks/bridges.md", "--quote", "built twice", "--json")
    )
    cli(vault, capsys, "search", "bridge")
    cli(vault, capsys, "reindex")
    cli(vault, capsys, "delete", gone["id"])
    cli(vault, capsys, "check")
    layout = VaultLayout(vault)
    # What an older readmark, the reader's export, or a crash mid-save leave in `.readmark/`.
    leftovers = [
        layout.legacy_index / "_readmark4_1.toc",
        layout.data / "cache" / "sources.json",
        layout.legacy_reading_state,
        layout.exports / "talks" / "bridges.md",
        next(layout.annotations.iterdir()) / ".tmp-0a1b2c-note.md",
        layout.trash / ".tmp-0a1b2c-note.md",
    ]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("derived", encoding="utf-8")

    git(vault, "add", "-A")
    staged = sorted(git(vault, "diff", "--cached", "--name-only").split())
    slug = next(layout.annotations.iterdir()).name
    assert staged == [
        ".readmark/.gitignore",
        f".readmark/annotations/{slug}/{kept['id']}.md",
        f".readmark/trash/{gone['id']}.md",
        "talks/bridges.md",
    ]
    assert layout.gitignore.read_text(encoding="utf-8") == GITIGNORE_TEXT


def test_a_gitignore_the_user_edited_is_kept(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = VaultLayout(vault)
    layout.data.mkdir()
    layout.gitignore.write_text("# mine\n", encoding="utf-8")
    cli(vault, capsys, "annotate", "talks/bridges.md", "--quote", "Stone lasts")
    assert layout.gitignore.read_text(encoding="utf-8") == "# mine\n"


def test_reading_a_vault_writes_nothing_into_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(vault, capsys, "sources")
    cli(vault, capsys, "show", "talks/bridges.md")
    cli(vault, capsys, "search", "bridge")
    cli(vault, capsys, "reindex")
    cli(vault, capsys, "check")
    assert sorted(p.name for p in vault.iterdir()) == ["talks"]


def test_each_vault_has_its_own_machine_folder_and_a_link_shares_it(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "notes", tmp_path / "b" / "notes"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (tmp_path / "link").symlink_to(first)
    assert VaultLayout(first).machine != VaultLayout(second).machine
    assert VaultLayout(first).machine.name.startswith("notes-")
    assert VaultLayout(tmp_path / "link").machine == VaultLayout(first).machine
    odd = tmp_path / "näme with spaces; and $(quotes)"
    odd.mkdir()
    assert all(c.isalnum() or c in "-._" for c in VaultLayout(odd).key)


def test_without_the_variables_the_platforms_own_folders_are_used(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READMARK_CACHE_DIR")
    monkeypatch.delenv("READMARK_STATE_DIR")
    layout = VaultLayout(vault)
    assert layout.machine.parent.parent == Path(platformdirs.user_cache_dir("readmark"))
    assert layout.reading_state.parent.parent == Path(platformdirs.user_state_dir("readmark"))


def test_the_variables_move_the_folders(vault: Path, tmp_path: Path) -> None:
    layout = VaultLayout(vault)
    assert layout.index.is_relative_to(os.environ["READMARK_CACHE_DIR"])
    assert layout.source_cache.is_relative_to(os.environ["READMARK_CACHE_DIR"])
    assert layout.reading_state.is_relative_to(os.environ["READMARK_STATE_DIR"])
    assert not layout.index.is_relative_to(vault)
