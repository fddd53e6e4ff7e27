"""Starting the reader: a small vault is listed in the first frame, a big one by a worker with
progress; Python's collector, kept off while the reader starts, runs again once it has."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.library.collector import pause_for_start, start_done
from readmark.library.vault import Vault
from readmark.tui.app import ReadmarkApp
from readmark.tui.screens import reader
from readmark.tui.widgets.source_list import SourceList


@pytest.fixture
def listed_vault(make_vault: MakeVault) -> Path:
    vault = make_vault(HARBOUR_VAULT)
    Vault(vault).scan()  # the listing cache every start after the first one finds
    return vault


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


async def test_a_small_vault_is_listed_in_the_first_frame(listed_vault: Path) -> None:
    expected = Vault(listed_vault).scan().ids
    app = ReadmarkApp(listed_vault)
    async with app.run_test(size=(120, 36)):
        # No pause, no wait for a worker: what the screen holds as it is first shown.
        sources = app.screen.query_one(SourceList)
        assert sorted(sources.shown_ids) == sorted(expected)
        assert sources.border_title is not None
        assert f"({len(expected)})" in str(sources.border_title)


async def test_a_big_vault_is_listed_by_a_worker(
    listed_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "SMALL_LISTING_BYTES", 0)
    read_on_main_thread: list[bool] = []
    read_listing = reader.ReaderScreen._read_listing

    def spied(screen: reader.ReaderScreen, *args: Any) -> Any:
        read_on_main_thread.append(threading.current_thread() is threading.main_thread())
        return read_listing(screen, *args)

    monkeypatch.setattr(reader.ReaderScreen, "_read_listing", spied)
    expected = Vault(listed_vault).scan().ids
    app = ReadmarkApp(listed_vault)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(app.screen.query_one(SourceList).shown_ids) == sorted(expected)
    assert read_on_main_thread and not any(read_on_main_thread)


async def test_a_small_vault_with_a_file_to_parse_is_listed_by_a_worker(
    listed_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A transcript dropped in since the last listing: parsing it (it could be 50 MB) must not
    # hold the first frame.
    (listed_vault / "late-arrival.md").write_text(
        "# A late arrival\n\n**Ines** [0:00] The tide came in after we listed.\n",
        encoding="utf-8",
    )
    parsed_on_main_thread: list[bool] = []
    parse_all = Vault._parse_all

    def spied(vault: Vault, files: Any) -> Any:
        parsed_on_main_thread.append(threading.current_thread() is threading.main_thread())
        return parse_all(vault, files)

    monkeypatch.setattr(Vault, "_parse_all", spied)
    app = ReadmarkApp(listed_vault)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "late-arrival.md" in app.screen.query_one(SourceList).shown_ids
    assert parsed_on_main_thread and not any(parsed_on_main_thread)


@pytest.mark.usefixtures("collector_restored")
async def test_the_collector_is_off_while_the_reader_starts_and_on_once_it_has(
    listed_vault: Path,
) -> None:
    pause_for_start()
    assert not gc.isenabled()
    app = ReadmarkApp(listed_vault)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(SourceList).shown_ids
        assert gc.isenabled()
        # What start-up made is kept out of the later full passes.
        assert gc.get_freeze_count() > 0


@pytest.mark.usefixtures("collector_restored")
def test_the_start_leaves_a_collector_it_did_not_turn_off_as_it_was() -> None:
    gc.disable()  # turned off by someone else (a caller embedding the reader)
    assert not start_done()
    assert not gc.isenabled()
