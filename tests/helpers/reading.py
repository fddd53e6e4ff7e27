"""A reading session driven with Pilot, at any terminal size, over a small vault of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readmark.tui import clipboard
from readmark.tui.app import ReadmarkApp
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from textual import events
from textual.pilot import Pilot

SIZES = [(80, 24), (120, 36), (200, 50)]
"""A small terminal, a roomy one and a wide one: every layout rule is checked at each."""

HARBOUR_TALK = """---
title: Tides and towns
channel: Harbour Talks
url: https://www.youtube.com/watch?v=abcdefghijk
upload_date: 20260213
duration: 300
tags: [coast, tides]
chapters:
  - {start_time: 0, title: Opening}
  - {start_time: 120, title: The moon}
---

**Ada Quill** [00:00:00]

Welcome to the show about tides. We start at the harbour wall.

**Ben Rowe** [00:00:40]

Thanks. Tides are slower than people think. Sea walls are always the answer.

**Ada Quill** [00:02:00]

Then tell me about the moon and its pull.

**Ben Rowe** [00:04:04]

The moon pulls the water twice a day, and towns plan around it. Good ports know that.
"""

SILT_ESSAY = """---
title: Why harbours silt up
author: Nell Carver
date: 2025-11-02
tags: [harbours, sediment]
---

# Why harbours silt up

Every harbour is a truce between a river that wants to drop its load and a sea that wants
to move it along the coast. When the truce breaks, the channel fills.

## Dredging is a subscription

A dredged channel is not a repair but a subscription: the mud comes back at a rate the river
sets, and the bill arrives every year. Heat and silt both arrive in summer.

## What the old builders knew

They placed quays where the current scoured the bed for free, and they let marshes take the
silt before it reached the berths. The marsh is the cheapest dredger there is.
"""


def make_vault(folder: Path) -> Path:
    """A vault of two sources: a timed interview and an untimed essay, in folders."""
    (folder / "talks").mkdir(parents=True)
    (folder / "essays").mkdir()
    (folder / "talks" / "tides-and-towns.md").write_text(HARBOUR_TALK, encoding="utf-8")
    (folder / "essays" / "why-harbours-silt-up.md").write_text(SILT_ESSAY, encoding="utf-8")
    return folder


@dataclass
class Session:
    """The running app and its pilot, with the questions tests ask of them."""

    app: ReadmarkApp
    pilot: Pilot[None]
    said: list[str] = field(default_factory=list)
    """Every notification shown, in order (they leave the screen after a while)."""

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def settle(self) -> None:
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def burst(self, *keys: str) -> None:
        """Send keys as a terminal delivers a paste or fast typing: all at once, without
        waiting for the app between them."""
        driver = self.app._driver
        assert driver is not None
        for key in keys:
            char = key if len(key) == 1 else None
            name = {" ": "space"}.get(key, key)
            driver.send_message(events.Key(name, char))
        await self.settle()
        await self.settle()

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait for work that hops from worker to worker."""
        for _ in range(200):
            if done():
                return
            await self.settle()
            await self.pilot.pause(0.02)
        raise AssertionError("the reader never got there")

    @property
    def screen(self) -> ReaderScreen:
        for candidate in self.app.screen_stack:
            if isinstance(candidate, ReaderScreen):
                return candidate
        raise AssertionError("no reader screen")

    @property
    def transcript(self) -> Transcript:
        return self.screen.query_one(Transcript)

    @property
    def header(self) -> str:
        return str(self.screen.query_one("#transcript-header").render())

    @property
    def toasts(self) -> list[str]:
        return list(self.said)

    def text_lines(self) -> list[str]:
        """The transcript's lines as drawn, right-trimmed."""
        transcript = self.transcript
        return [transcript.render_line(y).text.rstrip() for y in range(transcript.size.height)]

    async def open(self, words: str) -> Transcript:
        """Open the source whose title has `words`, through the list's filter."""
        if self.screen.panes.narrow and self.screen.panes.overlay != "sources-pane":
            await self.press("ctrl+b")
        self.screen.query_one(SourceList).focus()
        await self.press("slash", *words, "enter")
        await self.until(lambda: self.transcript.source is not None)
        self.screen.query_one(SourceList).show_all()
        self.transcript.focus()
        await self.settle()
        return self.transcript


@asynccontextmanager
async def reading(vault: Path, size: tuple[int, int] = (120, 36)) -> AsyncIterator[Session]:
    app = ReadmarkApp(vault)
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(str(message))
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        session = Session(app, pilot, said)
        await session.settle()
        await session.until(lambda: bool(session.screen.query_one(SourceList).shown_ids))
        await session.settle()
        yield session


class Copied:
    """Collects what the reader copies to the system clipboard."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._previous: Callable[[str], None] | None = None

    def __enter__(self) -> list[str]:
        self._previous = clipboard.set_system_copy(self.texts.append)
        return self.texts

    def __exit__(self, *_: object) -> None:
        clipboard.set_system_copy(self._previous)
