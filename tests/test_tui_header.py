"""The transcript header: time, chapter, speaker and title fitted to the pane, the title giving
way first and time and speaker kept at any width."""

from __future__ import annotations

from pathlib import Path

from helpers.running_reader import open_reader
from readmark.tui.widgets.transcript_header import HeaderParts, fit_header


async def test_at_80_columns_the_header_keeps_time_and_speaker_and_shortens_the_chapter(
    rivers_vault: Path,
) -> None:
    async with open_reader(rivers_vault, size=(80, 24)) as r:
        await r.open("rivers")
        await r.press("t", *"4:00", "enter")
        header = r.header
        assert header.startswith("4:00 / 1:02:57  ")
        assert "Inés Carvalho-Reyes" in header
    async with open_reader(rivers_vault, size=(160, 36)) as r:
        await r.press("t", *"4:00", "enter")
        header = r.header
        # The title gave way to the long chapter, itself shortened; the speaker stays.
        assert header.startswith("4:00 / 1:02:57  § How the floodplain keeps a record")
        assert header.rstrip().endswith("…  Inés Carvalho-Reyes")


def test_the_title_gives_way_before_the_chapter_and_both_before_time_and_speaker() -> None:
    parts = HeaderParts("4:40 / 1:02:57", "A very long chapter title indeed", "Ada", "Tides")
    whole = fit_header(parts, 200).plain
    assert whole == "4:40 / 1:02:57  § A very long chapter title indeed  Ada  — Tides"
    assert (
        fit_header(parts, 60).plain == "4:40 / 1:02:57  § A very long chapter title indeed  Ada  "
    )
    assert fit_header(parts, 50).plain == "4:40 / 1:02:57  § A very long chapter titl…  Ada  "
    narrow = fit_header(parts, 30).plain
    assert narrow.startswith("4:40 / 1:02:57  ") and "Ada" in narrow
    assert len(narrow) <= 30
