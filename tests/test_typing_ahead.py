"""Keys typed right after a key that opens an editor or a prompt belong to it, however fast
they come: typed quickly, pasted, or sent by a text expander."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.screens.search_screen import SearchScreen
from readmark.tui.widgets.source_list import SourceList
from textual.widgets import Input, TextArea


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


def editor_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, NoteEditor), f"no note editor open, but {screen!r}"
    return screen.query_one(TextArea).text


@pytest.mark.parametrize("size", SIZES)
async def test_a_then_fast_typing_goes_into_the_note(vault: Path, size: tuple[int, int]) -> None:
    async with open_reader(vault, size) as r:
        transcript = await r.open("tides")
        await r.press("t", *"2:00", "enter")
        before = transcript.cursor
        # One press call: every key is sent right after the one before.
        await r.press("a", *"good point, and odd")
        assert editor_text(r.app) == "good point, and odd"
        assert transcript.cursor == before  # no g (top), no o (browser), no d (dissent)
        assert [type(s).__name__ for s in r.app.screen_stack] == ["ReaderScreen", "NoteEditor"]


@pytest.mark.parametrize("size", SIZES)
async def test_a_pasted_burst_after_d_goes_into_the_dissent(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        transcript = await r.open("tides")
        await r.press("t", *"0:40", "enter")
        before = transcript.cursor
        # All keys queued at once, before the app handles the first: as a paste arrives.
        await r.burst("d", *"go to the top? no")
        assert editor_text(r.app) == "go to the top? no"
        assert transcript.cursor == before
        assert isinstance(r.app.screen, NoteEditor) and r.app.screen.kind.value == "dissent"


async def test_keys_typed_after_t_slash_and_s_go_to_their_prompts(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await r.open("tides")
        await r.burst("t", *"4:04", "enter")
        assert transcript.current_seconds == 244
        await r.burst("g", "slash", *"harbour", "enter")
        assert transcript.find_position is not None
        assert transcript.find_position[0] == "harbour"
        await r.burst("s", *"walls")
        assert isinstance(r.app.screen, SearchScreen)
        assert r.app.screen.query_one(Input).value == "walls"


async def test_keys_after_a_refused_e_are_dropped_not_run(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await r.open("tides")
        await r.press("t", *"2:00", "enter")
        before = transcript.cursor
        await r.burst("e", *"good")  # nothing under the cursor to edit
        assert isinstance(r.app.screen, ReaderScreen)
        assert transcript.cursor == before
        assert "No annotation under the cursor." in r.said
        await r.press("j")  # and the reader takes keys again afterwards
        assert transcript.cursor == before + 1


@pytest.mark.parametrize("field_there", [True, False], ids=["field", "field-not-yet"])
async def test_keys_typed_after_slash_in_the_list_go_into_its_filter(
    vault: Path, field_there: bool
) -> None:
    # The filter's field joins the list after the first frame: a `/` that comes before it
    # still opens it. Either way, the keys sent right after `/` are typed into it.
    async with open_reader(vault) as r:
        sources = r.screen.query_one(SourceList)
        if not field_there:
            await sources.query_one(Input).remove()
            assert not sources.query(Input)
        await r.burst("slash", *"tides")
        assert sources.filter_text == "tides"
        assert sources.query_one(Input).has_focus
        assert sources.shown_ids == ["talks/tides-and-towns.md"]
