"""The quote check in the reader: `c` inside a quotation shows what the transcript says, and
from there enter opens the transcript at the words, y copies what was said, d writes a dissent
with the differences filled in; the palette checks every quotation into a list."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.across_vault import GAZETTE, INTERVIEW, across_vault
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.annotations.citing import Citing
from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace
from readmark.tui import clipboard
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.quote_check_screen import QuoteCheckScreen
from readmark.tui.screens.quote_list_screen import QuoteListScreen
from readmark.tui.screens.reader import ReaderScreen
from textual.widgets import OptionList

CHANGED = "most of our losses came from the cleaning contract, not from the drivers."
SAID = "Most of our losses came from the cleaning contract, not from the staff"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return across_vault(make_vault)


async def check_changed_quote(r: RunningReader) -> QuoteCheckScreen:
    transcript = await r.open("sleeper that")
    assert transcript.source is not None and transcript.source.id == GAZETTE
    transcript.go_to_offset(transcript.source.text.index("cleaning contract"))
    await r.press("c")
    screen = r.app.screen
    assert isinstance(screen, QuoteCheckScreen)
    return screen


async def test_c_shows_the_verdict_the_transcript_speaker_time_and_differences(
    vault: Path,
) -> None:
    async with open_reader(vault) as r:
        screen = await check_changed_quote(r)
        shown = str(screen.query_one("#check-text").render())
    assert "The words differ from this transcript" in shown
    assert "Orla Venn on Night Trains · 1:05 · Orla Venn" in shown
    assert "quoted \u201cdrivers\u201d, said \u201cstaff\u201d" in shown
    assert "misquote" not in shown.lower()


async def test_c_outside_a_quotation_says_so(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await r.open("sleeper that")
        assert transcript.source is not None
        transcript.go_to_offset(transcript.source.text.index("The contract, then"))
        await r.press("c")
        assert isinstance(r.app.screen, ReaderScreen)
        assert any("not inside a quotation" in toast for toast in r.toasts)


async def test_enter_opens_the_transcript_where_the_words_are_said(vault: Path) -> None:
    async with open_reader(vault) as r:
        await check_changed_quote(r)
        await r.press("enter")
        await r.until(
            lambda: r.transcript.source is not None and r.transcript.source.id == INTERVIEW
        )
        assert r.cursor_text().startswith("Most of our losses")
        assert "1:05" in r.header


async def test_y_copies_the_citation_of_what_was_said(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(vault) as r:
            await check_changed_quote(r)
            await r.press("y")
    finally:
        clipboard.set_system_copy(previous)
    with Workspace(vault) as workspace:
        interview = workspace.source(INTERVIEW)
    start = interview.text.index(SAID)
    assert copied == [Citing().cite_words(interview, start, start + len(SAID))]
    assert "not from the staff" in copied[0] and "drivers" not in copied[0]


async def test_d_writes_a_dissent_on_the_quote_with_the_differences(vault: Path) -> None:
    async with open_reader(vault) as r:
        await check_changed_quote(r)
        await r.press("d")
        editor = r.app.screen
        assert isinstance(editor, NoteEditor)
        await r.press("ctrl+s")
        assert isinstance(r.app.screen, ReaderScreen)
    with Workspace(vault) as workspace:
        dissent = [a for a in workspace.annotations_for(GAZETTE) if a.kind is Kind.DISSENT]
    mine = next(a for a in dissent if a.quote == CHANGED)
    assert "The words differ from this transcript" in mine.note
    assert "quoted \u201cdrivers\u201d, said \u201cstaff\u201d" in mine.note


async def test_the_palette_checks_every_quotation_into_a_list(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("sleeper that")
        await r.press("ctrl+p", *"Check every quotation")
        await r.press("enter")
        await r.until(lambda: isinstance(r.app.screen, QuoteListScreen))
        listing = r.app.screen.query_one(OptionList)
        assert listing.option_count == 4
        labels = [str(listing.get_option_at_index(n).prompt) for n in range(4)]
        assert "The words differ from this transcript" in labels[1]
        assert labels[0].startswith("✓") and labels[1].startswith("✗")
        listing.highlighted = 1
        await r.press("enter")
        assert isinstance(r.app.screen, QuoteCheckScreen)
        assert r.app.screen.check.quotation.text == CHANGED
