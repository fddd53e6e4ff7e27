"""A search asks the vault for its source ids only: the same ids a full listing gives, read from
a short record while no file moved, and found again as soon as one does."""

import os
from pathlib import Path
from typing import Any

import pytest
import readmark.library.cache
import readmark.library.vault
from helpers.vaults import write_file as write
from readmark.library.vault import Vault


def age(path: Path, seconds: int) -> None:
    """Move a file's time back, as an edit made a while ago would leave it."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write(root / "talks" / "gardens.md", "# Gardens\n\nWe talk about gardens.\n")
    write(root / "talks" / "rivers.md", "# Rivers\n\nWe talk about rivers.\n")
    write(root / "notes.txt", "Plain notes on attention.\n")
    write(root / "blob", b"\x01\x02\x00\x00binary")
    write(root / "script.py", "print('not a source')\n")
    return root


def test_ids_are_those_of_the_listing(vault: Path) -> None:
    expected = Vault(vault).scan().ids
    assert expected == ["notes.txt", "talks/gardens.md", "talks/rivers.md"]
    assert Vault(vault).source_ids() == expected
    assert Vault(vault).source_ids() == expected  # from the record this time


def test_unchanged_vault_is_not_listed_again(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = Vault(vault).source_ids()

    def unread(path: Path) -> Any:
        raise AssertionError(f"{path} read: no file changed")

    monkeypatch.setattr(readmark.library.vault, "read_cache", unread)
    assert Vault(vault).source_ids() == expected


def test_added_removed_and_renamed_sources_are_seen(vault: Path) -> None:
    Vault(vault).source_ids()
    write(vault / "talks" / "forests.md", "# Forests\n\nWe talk about forests.\n")
    (vault / "notes.txt").unlink()
    (vault / "talks" / "rivers.md").rename(vault / "talks" / "streams.md")
    assert Vault(vault).source_ids() == ["talks/forests.md", "talks/gardens.md", "talks/streams.md"]
    assert Vault(vault).source_ids() == Vault(vault).scan().ids


def test_a_file_changed_in_place_is_listed_again(vault: Path) -> None:
    Vault(vault).source_ids()
    # The same size, the contents turned to binary: it is no source any more.
    gardens = vault / "talks" / "gardens.md"
    write(gardens, b"\x00" * gardens.stat().st_size)
    age(gardens, 60)
    # A binary file rewritten as text becomes one.
    write(vault / "blob", "Now a few plain words.\n")
    assert Vault(vault).source_ids() == ["blob", "notes.txt", "talks/rivers.md"]


def test_a_file_that_could_not_be_read_is_tried_again(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = readmark.library.vault.summarise_file

    def unopenable(job: tuple[str, str, int]) -> Any:
        if job[1] == "notes.txt":
            return None, "permission denied", False  # not cached: tried again next time
        return parse(job)

    monkeypatch.setattr(readmark.library.vault, "summarise_file", unopenable)
    assert Vault(vault).source_ids() == ["talks/gardens.md", "talks/rivers.md"]
    monkeypatch.setattr(readmark.library.vault, "summarise_file", parse)
    assert Vault(vault).source_ids() == ["notes.txt", "talks/gardens.md", "talks/rivers.md"]


def test_ids_follow_a_change_of_the_formats_read(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Vault(vault).source_ids()
    version = readmark.library.cache.cache_version()
    monkeypatch.setattr(readmark.library.cache, "cache_version", lambda: version + "-other")
    calls: list[str] = []
    parse = readmark.library.vault.summarise_file

    def counted(job: tuple[str, str, int]) -> Any:
        calls.append(job[1])
        return parse(job)

    monkeypatch.setattr(readmark.library.vault, "summarise_file", counted)
    assert Vault(vault).source_ids() == ["notes.txt", "talks/gardens.md", "talks/rivers.md"]
    assert "notes.txt" in calls  # listed afresh, not taken from a record of another version


def test_unwritable_record_still_gives_the_ids(vault: Path) -> None:
    layout = Vault(vault).layout
    write(layout.machine, "in the way")  # every write there fails, as on a read-only disk
    assert Vault(vault).source_ids() == ["notes.txt", "talks/gardens.md", "talks/rivers.md"]
    assert Vault(vault).source_ids() == ["notes.txt", "talks/gardens.md", "talks/rivers.md"]
