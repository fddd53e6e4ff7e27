"""Starting again where one stopped: the source open, the cursor on the sentence, and the
keys going to the text, so `j` reads on and `y` copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.copied import Copied
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


@pytest.mark.parametrize("size", SIZES)
async def test_resume_puts_the_keys_in_the_transcript_on_the_sentence(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("t", *"2:00", "enter")
        await r.press("q")
    with Copied() as copied:
        async with open_reader(vault, size) as r:
            await r.until(lambda: r.transcript.source is not None)
            transcript = r.transcript
            assert isinstance(r.app.focused, Transcript)
            assert transcript.current_seconds == 120
            listed = r.screen.query_one(SourceList)
            before = listed.highlighted_id
            await r.press("j")
            assert transcript.current_seconds is not None and transcript.current_seconds > 240
            assert listed.highlighted_id == before  # the list did not move
            await r.press("y")
    assert copied and "The moon pulls the water twice a day" in copied[0]
