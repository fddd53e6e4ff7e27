"""Visual mode by segments: `J` and `K` move the selection's free end between segment
boundaries, each undoing the other, and `y` copies what is selected."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.copied import Copied
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


@pytest.mark.parametrize("size", SIZES)
async def test_k_after_j_shrinks_back_then_extends_backwards(
    vault: Path, size: tuple[int, int]
) -> None:
    with Copied() as copied:
        async with open_reader(vault, size) as r:
            transcript = await r.open("tides")
            text = transcript.source.text  # type: ignore[union-attr]
            await r.press("t", *"4:04", "enter", "v")
            anchor = transcript.selected_span()
            assert text[slice(*anchor)] == (
                "The moon pulls the water twice a day, and towns plan around it."
            )
            await r.press("J")  # to the end of the segment it is in
            assert text[slice(*transcript.selected_span())].endswith("Good ports know that.")
            await r.press("K")  # back: the selection is the anchor again
            assert transcript.selected_span() == anchor
            await r.press("K")  # on past it: from the start of the segment before
            start, end = transcript.selected_span()
            assert text[start:end] == (
                "Then tell me about the moon and its pull.\n\n"
                "The moon pulls the water twice a day, and towns plan around it."
            )
            await r.press("J")  # and forward again undoes that
            assert transcript.selected_span() == anchor
            await r.press("K", "y")
    assert len(copied) == 1
    assert copied[0].startswith('> "Then tell me about the moon and its pull. The moon pulls')
    assert "Good ports" not in copied[0]
