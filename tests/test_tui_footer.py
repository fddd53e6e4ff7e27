"""The key footer: at 80 columns it keeps the focused pane's keys that fit, and always help."""

from __future__ import annotations

from pathlib import Path

from helpers.running_reader import RunningReader, open_reader
from readmark.tui.widgets.key_footer import KeyFooter
from textual.widgets._footer import FooterKey


def footer_keys(run: RunningReader) -> dict[str, FooterKey]:
    footer = run.screen.query_one(KeyFooter)
    return {key.key_display: key for key in footer.query(FooterKey) if key.display}


async def test_at_80_columns_the_footer_keeps_the_panes_keys_that_fit_and_always_help(
    ferry_vault: Path,
) -> None:
    async with open_reader(ferry_vault, size=(80, 24)) as run:
        await run.open("ferry")
        for focus in ("transcript", "sidebar", "sources"):
            run.screen.query_one(f"#{focus}").focus()
            await run.press()
            keys = footer_keys(run)
            assert "?" in keys, focus
            assert all(k.region.right <= 80 and k.region.width for k in keys.values()), focus
        run.transcript.focus()
        await run.press()
        assert {"h", "a", "d", "y"} <= set(footer_keys(run))


async def test_a_wide_footer_is_left_as_textual_draws_it(ferry_vault: Path) -> None:
    async with open_reader(ferry_vault, size=(160, 36)) as run:
        await run.open("ferry")
        keys = footer_keys(run)
        assert {"?", "s", "q", "h", "t", "^p"} <= set(keys)
        assert not run.screen.query_one(KeyFooter).compact
