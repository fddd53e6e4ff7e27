"""Opening a large transcript: its first page is read while the rest of the file still loads,
and everything that needs the whole file works once the whole is shown."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from readmark.library.loading import FIRST_PAGE_BYTES
from readmark.library.model import Source
from readmark.library.vault import Vault
from textual.worker import NoActiveWorker, get_current_worker

from tests.helpers.running_reader import RunningReader, open_reader
from tests.helpers.vaults import MakeVault

PEOPLE = ("Maren Holt", "Tobias Eke")
BIG = "harbour/long-interview.md"
LINE = (
    "The ferry ran late again because the tide was lower than the timetable assumed. "
    "Nobody on the quay seemed surprised by it. "
)


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def long_interview() -> str:
    """Timed speaker turns past the size at which a file opens by its first page; the last
    turn says something said nowhere else."""
    parts = [
        "---\ntitle: A Very Long Harbour Interview\nduration: 99999\n"
        "chapters:\n  - {start_time: 0, title: Arrivals}\n"
        "  - {start_time: 60000, title: Departures}\n---\n\n## Transcript\n\n"
    ]
    size, turn = 0, 0
    while size < FIRST_PAGE_BYTES * 1.5:
        block = f"**{PEOPLE[turn % 2]}** [{clock(turn * 25)}]\nTurn {turn}. {LINE * 3}\n\n"
        parts.append(block)
        size += len(block)
        turn += 1
    parts.append(f"**{PEOPLE[0]}** [{clock(turn * 25)}]\nThe lighthouse keeper waved goodbye.\n")
    return "".join(parts)


class HeldRead:
    """Holds the reading of whole files until the test lets it go on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.go_on = threading.Event()
        self.started = threading.Event()
        whole = Vault.load

        def held(vault: Vault, source_id: str) -> Source:
            if source_id != BIG or not opening():
                return whole(vault, source_id)  # the index reads it too: only the open waits
            self.started.set()
            assert self.go_on.wait(120), "the test never let the read go on"
            return whole(vault, source_id)

        monkeypatch.setattr(Vault, "load", held)


def opening() -> bool:
    """Whether this thread is the reader's worker that opens a source."""
    try:
        return get_current_worker().group == "open"
    except NoActiveWorker:
        return False


async def wait_for(reader: RunningReader, done: Callable[[], bool]) -> None:
    """Let the app run (without waiting for its workers: one is held) until `done()`; a busy
    machine may take a while, so the limit is generous."""
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError("the reader never got there")
        await reader.pilot.pause(0.02)


def moved_from(reader: RunningReader, span: tuple[int, int]) -> bool:
    return reader.transcript.cursor_span != span


@pytest.fixture
def big_vault(make_vault: MakeVault) -> Path:
    return make_vault(
        {
            BIG: long_interview(),
            "notes/short-note.md": "# A short note\n\nThe quay is closed on Sundays.\n",
        }
    )


async def test_first_page_is_read_while_the_rest_loads(
    big_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(monkeypatch)
    async with open_reader(big_vault) as r:
        await r.pilot.press("enter")
        await wait_for(r, lambda: r.transcript.reading)
        assert held.started.is_set() and not held.go_on.is_set()
        assert "reading 2 MB" in r.header
        assert "Turn 0. The ferry ran late" in r.transcript.source.text[:2000]
        for _ in range(6):  # the cursor moves through the first turn's sentences
            before = r.transcript.cursor_span
            await r.pilot.press("j")
            await wait_for(r, partial(moved_from, r, before))
            if r.cursor_text() == "Nobody on the quay seemed surprised by it.":
                break
        assert r.cursor_text() == "Nobody on the quay seemed surprised by it."
        await wait_for(r, lambda: "Maren Holt" in r.header)

        await r.pilot.press("slash")
        await wait_for(r, lambda: any("Still reading" in t for t in r.toasts))
        assert r.app.screen is r.screen  # no prompt: the find waits for the whole file
        await r.pilot.press("h")
        await r.pilot.pause()
        assert r.screen.annotations == []

        held.go_on.set()
        await r.settle()
        assert not r.transcript.reading
        assert "reading" not in r.header
        # The reader stays on the words they moved to.
        assert r.cursor_text() == "Nobody on the quay seemed surprised by it."


async def test_find_time_and_outline_work_once_the_whole_is_shown(
    big_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(monkeypatch)
    async with open_reader(big_vault) as r:
        await r.pilot.press("enter")
        await wait_for(r, lambda: r.transcript.reading)
        held.go_on.set()
        await r.settle()
        transcript = r.transcript
        source = transcript.source
        assert source is not None and source.text.endswith("The lighthouse keeper waved goodbye.")

        assert transcript.find("lighthouse keeper") == 1
        assert r.cursor_text() == "The lighthouse keeper waved goodbye."
        await r.press("escape", "g")

        await r.press("t", *"16:40:00", "enter")  # turn 2400 is said at 60,000 s
        assert r.cursor_text().startswith("Turn 2400.")

        await r.press("g", "right_curly_bracket", "right_curly_bracket")
        assert "Departures" in r.header


async def test_another_source_opened_meanwhile_stays_open(
    big_vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(monkeypatch)
    async with open_reader(big_vault) as r:
        await r.pilot.press("enter")
        await wait_for(r, lambda: r.transcript.reading)
        r.sources.focus()
        await r.pilot.press("slash", *"short", "enter")
        await wait_for(r, lambda: r.transcript.source is not None and not r.transcript.reading)
        held.go_on.set()  # the long file's read ends after the reader moved on
        await r.settle()
        source = r.transcript.source
        assert source is not None and source.id == "notes/short-note.md"
        assert "reading" not in r.header


def test_first_page_reads_as_the_whole_file_begins(big_vault: Path) -> None:
    from readmark.library.loading import first_page, load_path

    path = big_vault / "harbour" / "long-interview.md"
    head = first_page(path, "harbour/long-interview.md")
    whole = load_path(path, "harbour/long-interview.md")
    assert head is not None and len(head.text) < len(whole.text) // 10
    assert head.title == whole.title == "A Very Long Harbour Interview"
    # Every segment but the last (which the cut may shorten) is the whole file's, marks too.
    for shown, read in zip(head.segments[:-1], whole.segments, strict=False):
        assert (shown.text, shown.speaker, shown.marks, shown.char_start) == (
            read.text,
            read.speaker,
            read.marks,
            read.char_start,
        )


def test_a_small_file_opens_whole_without_a_first_page(make_vault: MakeVault) -> None:
    from readmark.library.loading import first_page

    vault = make_vault({"short.md": "**Maren Holt** [00:00:01]\nA short talk.\n"})
    assert first_page(vault / "short.md", "short.md") is None
