"""The reader running under Pilot over a vault, with the few questions tests ask of it.

`async with open_reader(vault) as r:` starts the app at a terminal size, waits for the sources
list, and hands back `r`: keys (`r.press`), waits (`r.settle`, `r.until`, `r.poll`), opening a
source (`r.open`), and the panes and toasts a user sees.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from readmark.tui.app import ReadmarkApp
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from textual import events
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

IDLE_ROUNDS = 200
"""How many rounds of "wait for the workers, then for the messages" settling may take: a
chain (a save, then a reload; a look at the disk, then a reload) ends in a few."""

UNTIL_ROUNDS = 100

SIZES = [(80, 24), (120, 36), (200, 50)]
"""A small terminal, a roomy one and a wide one: the layout rules are checked at each."""


class RunningReader:
    """The running app and its pilot."""

    def __init__(self, app: ReadmarkApp, pilot: Pilot[None], said: list[str] | None = None) -> None:
        self.app = app
        self.pilot = pilot
        self.said = said if said is not None else []
        """Every notification shown since the start, in order: a toast leaves the screen after
        a while, which a busy machine can outrun."""

    async def press(self, *keys: str) -> None:
        """Press keys as a user does, then wait until everything they started is done."""
        await self.pilot.press(*keys)
        await self.settle()

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

    async def settle(self) -> None:
        """Wait until the app is idle: no worker running and no message waiting.

        A worker may start another as it ends (a save starts a reload, a look at the disk starts
        a reload), so one wait for the workers is not enough: wait again until a round starts
        nothing new."""
        for _ in range(IDLE_ROUNDS):
            try:
                await self.app.workers.wait_for_complete()
            except WorkerCancelled:
                pass  # an exclusive worker replaced by a newer one: wait for that one next round
            await self.pilot.pause()
            if not self.busy():
                return
        raise AssertionError(f"the reader was still busy after {IDLE_ROUNDS} rounds: {self.busy()}")

    def busy(self) -> list[str]:
        """What the app is still doing: running workers and nodes with messages waiting."""
        doing = [f"worker {w.name or w.group}" for w in self.app.workers if not w.is_finished]
        nodes: list[DOMNode] = [self.app]
        for screen in self.app.screen_stack:
            nodes.append(screen)
            nodes.extend(screen.walk_children(with_self=False))
        doing += [f"messages for {node!r}" for node in nodes if node.message_queue_size]
        return doing

    async def until(self, done: Callable[[], bool], seconds: float | None = None) -> None:
        """Wait for something that another program or a timer brings about, not a key: for a
        number of rounds, or for `seconds` of the clock when a real program keeps the time."""
        deadline = None if seconds is None else time.monotonic() + seconds
        rounds = 0
        while deadline is not None and time.monotonic() < deadline or rounds < UNTIL_ROUNDS:
            if done():
                return
            await self.settle()
            await self.pilot.pause(0.02)
            rounds += 1
        if done():
            return
        raise AssertionError("the reader never got there")

    async def poll(self) -> None:
        """One look at the disk, as the reader's 2-second timer takes, and what it starts."""
        self.screen._check_source_changed()
        await self.settle()

    async def open(self, words: str) -> Transcript:
        """Open the source the sources filter finds for `words`, as a user does: in a narrow
        terminal the list is shown over the text first (ctrl+b)."""
        if self.screen.panes.narrow and self.screen.panes.overlay != "sources-pane":
            await self.press("ctrl+b")
        before = self.transcript.source
        self.sources.focus()
        await self.press("slash", *words, "enter")
        await self.until(
            lambda: self.transcript.source is not None and self.transcript.source is not before
        )
        return self.transcript

    @property
    def screen(self) -> ReaderScreen:
        for candidate in self.app.screen_stack:
            if isinstance(candidate, ReaderScreen):
                return candidate
        raise AssertionError("no reader screen")

    @property
    def sources(self) -> SourceList:
        return self.screen.query_one(SourceList)

    @property
    def transcript(self) -> Transcript:
        return self.screen.query_one(Transcript)

    @property
    def sidebar(self) -> AnnotationSidebar:
        return self.screen.query_one(AnnotationSidebar)

    @property
    def header(self) -> str:
        return str(self.screen.query_one("#transcript-header").render())

    @property
    def toasts(self) -> list[str]:
        return [str(n.message) for n in self.app._notifications]

    def text_lines(self) -> list[str]:
        """The transcript's lines as drawn, right-trimmed."""
        transcript = self.transcript
        return [transcript.render_line(y).text.rstrip() for y in range(transcript.size.height)]

    def cursor_text(self) -> str:
        source = self.transcript.source
        assert source is not None
        start, end = self.transcript.cursor_span
        return source.text[start:end]


@asynccontextmanager
async def open_reader(
    vault: Path, size: tuple[int, int] = (120, 36)
) -> AsyncIterator[RunningReader]:
    """The reader on `vault` at a terminal of `size`, once its sources list has arrived."""
    app = ReadmarkApp(vault)
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(str(message))
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        reader = RunningReader(app, pilot, said)
        await reader.settle()
        await reader.until(lambda: bool(reader.sources.shown_ids))
        yield reader
