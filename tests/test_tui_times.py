"""The reader shows, jumps to and cites only times the file gives, line by line."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from readmark.library.timecode import format_timecode
from readmark.tui import clipboard
from readmark.tui.app import ReadmarkApp
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from textual.pilot import Pilot

URL = "https://www.youtube.com/watch?v=Kq2nWr8sPd0"
GUTTER = re.compile(r" *(~?\d+:\d\d(?::\d\d)?)  ")
CAPTIONS = f"""---
title: Mending a Dry Stone Wall
channel: Field Crafts
url: {URL}
---

Chapters:
00:00 Reading the gap
00:21 Setting the footing

## Transcript

[0:00]({URL}&t=0s) when a wall comes down the first thing
[0:04]({URL}&t=4s) you do is nothing at all. You stand and
[0:08]({URL}&t=8s) look at how the stones fell because the
[0:13]({URL}&t=13s) fall tells you where the wall was weak
[0:17]({URL}&t=17s) and now we clear the footing right down
[0:21]({URL}&t=21s) to the big flat stones at the bottom
[0:26]({URL}&t=26s) and we lay them back with the long side
[0:30]({URL}&t=30s) going into the wall not along it
"""
INTERVIEW = """---
title: The Waller's Year
---

**Ines Moor** [00:00:00]

I started walling the winter my father's knees gave out.

He would sit on the trailer and shout at me for every stone I placed the wrong way round.

**Tam Reid** [00:02:00]

And now you shout at apprentices.
"""


@asynccontextmanager
async def reading(vault: Path, name: str) -> AsyncIterator[tuple[Pilot[None], Transcript]]:
    app = ReadmarkApp(vault)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = next(s for s in app.screen_stack if isinstance(s, ReaderScreen))
        for _ in range(100):
            if screen.query_one(SourceList).shown_ids:
                break
            await pilot.pause(0.02)
        # A restart reopens the source last read, and puts the keys in the transcript: let it
        # finish before the keys go to the list.
        for _ in range(20):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                break
        screen.query_one(SourceList).focus()
        await pilot.press("slash", *name, "enter")
        transcript = screen.query_one(Transcript)
        # The place of the last session may still be opening: wait for the source asked for.
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            opened = transcript.source
            if opened is not None and name in opened.title.lower():
                break
        assert transcript.source is not None and name in transcript.source.title.lower()
        yield pilot, transcript


def header(transcript: Transcript) -> str:
    return str(transcript.screen.query_one("#transcript-header").render())


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "wall.md").write_text(CAPTIONS, encoding="utf-8")
    (folder / "year.md").write_text(INTERVIEW, encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "no-config.toml"))
    return folder


async def test_the_header_and_y_give_the_time_of_the_cursors_line(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with reading(vault, "dry stone") as (pilot, transcript):
            source = transcript.source
            assert source is not None
            # The first paragraph joins five caption lines; its second sentence begins inside
            # the line the file times at 0:04.
            transcript.go_to_offset(source.text.index("fall tells you"))
            await settle(pilot)
            start, _ = transcript.selected_span()
            assert source.text.startswith("You stand and", start)
            assert header(transcript).startswith("0:04")
            await pilot.press("y")
            await settle(pilot)
    finally:
        clipboard.set_system_copy(previous)
    assert copied and copied[0].endswith(f"[0:04]({URL}&t=4s)")


async def test_t_lands_on_the_line_and_the_chapter_agrees_everywhere(vault: Path) -> None:
    async with reading(vault, "dry stone") as (pilot, transcript):
        source = transcript.source
        assert source is not None
        await pilot.press("t", *"0:21", "enter")
        await settle(pilot)
        at = transcript.cursor_offset
        assert source.text.startswith("to the big flat stones", at)
        assert header(transcript).startswith("0:21") and "Setting the footing" in header(transcript)
        outline = transcript.screen.query_one(OutlineView)
        assert outline.marked is not None
        assert outline.entries[outline.marked][0].title == "Setting the footing"
        # `}` from the top reaches the same place, where the chapter's title is drawn.
        await pilot.press("g", "right_curly_bracket", "right_curly_bracket")
        await settle(pilot)
        assert transcript.cursor_offset == at
        segment = source.segment_at_offset(at)
        assert segment is not None and segment.char_start == at


async def test_the_gutter_shows_each_lines_time_and_an_estimate_as_one(vault: Path) -> None:
    async with reading(vault, "dry stone") as (pilot, transcript):
        shown = [transcript.render_line(y).text for y in range(20)]
        gutters = [gutter(line) for line in shown]
        # Beside each wrapped line, the time of the caption line its first word is on, where
        # that changes: the second wrapped line begins inside the line timed 0:04.
        timed = [
            (g, line.strip()[len(g) :].strip()) for g, line in zip(gutters, shown, strict=True) if g
        ]
        assert [g for g, _ in timed][:2] == ["0:00", "0:04"]
        source = transcript.source
        assert source is not None
        for time, words in timed[:4]:
            at = source.text.index(words[:20])
            assert time == format_timecode(source.time_given_at(at) or 0.0)
        assert not any(g.startswith("~") for g in gutters)
    async with reading(vault, "waller") as (pilot, transcript):
        shown = [transcript.render_line(y).text for y in range(20)]
        later = gutter(next(line for line in shown if "He would sit" in line))
        assert later.startswith("~") and later != "~0:00"  # placed by its words, shown so
        source = transcript.source
        assert source is not None
        transcript.go_to_offset(source.text.index("He would sit"))
        await settle(pilot)
        assert header(transcript).startswith("0:00")  # what y cites: the turn's time


def gutter(line: str) -> str:
    """The time in a rendered line's gutter ("" when none)."""
    found = GUTTER.match(line)
    return found.group(1) if found else ""
