"""On a screen opened over the reader, `q` goes back or is text: only the reader quits."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.tui.screens.help_screen import HelpScreen
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.screens.search_screen import SearchScreen
from textual.widgets import Input, TextArea


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


@pytest.mark.parametrize("size", SIZES)
async def test_q_in_the_search_screen_never_quits(vault: Path, size: tuple[int, int]) -> None:
    async with open_reader(vault, size) as r:
        await r.press("s", *"quay", "enter")
        assert isinstance(r.app.screen, SearchScreen) and r.app.is_running
        assert r.app.screen.query_one(Input).value == "quay"
        r.app.screen.query_one("#search-results").focus()
        await r.press("q")  # on the results: nothing, and certainly not quitting
        assert isinstance(r.app.screen, SearchScreen) and r.app.is_running
        footer_keys = {key for key, b in r.app.screen.active_bindings.items() if b.binding.show}
        assert "q" not in footer_keys
        await r.press("escape")
        assert isinstance(r.app.screen, ReaderScreen)


async def test_q_is_text_in_the_editor_and_prompts_and_closes_help(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("a", *"quite")
        assert isinstance(r.app.screen, NoteEditor)
        assert r.app.screen.query_one(TextArea).text == "quite"
        await r.press("escape", "slash", "q")
        assert isinstance(r.app.screen, PromptScreen)
        assert r.app.screen.query_one(Input).value.endswith("q")
        await r.press("escape", "question_mark")
        assert isinstance(r.app.screen, HelpScreen)
        await r.press("q")
        assert isinstance(r.app.screen, ReaderScreen) and r.app.is_running
        await r.press("q")  # the reader itself quits
        assert not r.app.is_running
