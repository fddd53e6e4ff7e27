"""QA leftovers in the reader: light theme, narrow footer, time prompt, copy toast, restart,
help scrolling and reloads that keep the reader's place."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.reading import follow_span
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source
from readmark.tui import clipboard
from readmark.tui.app import ReadmarkApp
from readmark.tui.clipboard import SYSTEM, TERMINAL, copied_message, shorten
from readmark.tui.screens.help_screen import HelpScreen
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.key_footer import KeyFooter
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from rich.color import Color
from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

FERRY = """---
title: The night ferry
channel: Dock Radio
url: https://www.youtube.com/watch?v=ferryferry1
duration: 200
---

**Mira Holt** [00:00:00]

Lanterns hang over the canal. Boats drift by slowly.

**Tom Vale** [00:00:30]

Fog rolls in at dusk and the pilots slow down for the narrow bend below the old granary \
wall, where the current pulls hard towards the pilings. Nobody minds the damp.

**Mira Holt** [00:01:40]

The last crossing leaves at midnight. Tickets are sold on board.
"""

ORCHARD = "An orchard in winter.\n\nThe pruning starts when the sap sleeps.\n"


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "ferry.md").write_text(FERRY, encoding="utf-8")
    (folder / "orchard.txt").write_text(ORCHARD, encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "absent.toml"))
    return folder


class Run:
    def __init__(self, app: ReadmarkApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait for work that hops between workers and the UI thread."""
        for _ in range(100):
            if done():
                return
            await self.app.workers.wait_for_complete()
            await self.pilot.pause(0.02)
        raise AssertionError("the reader never got there")

    @property
    def reader(self) -> ReaderScreen:
        return next(s for s in self.app.screen_stack if isinstance(s, ReaderScreen))

    @property
    def transcript(self) -> Transcript:
        return self.reader.query_one(Transcript)

    @property
    def toasts(self) -> list[str]:
        return [n.message for n in self.app._notifications]

    def cursor_text(self) -> str:
        source = self.transcript.source
        assert source is not None
        start, end = self.transcript.cursor_span
        return source.text[start:end]


@asynccontextmanager
async def running(vault: Path, size: tuple[int, int] = (120, 36)) -> AsyncIterator[Run]:
    app = ReadmarkApp(vault)
    async with app.run_test(size=size) as pilot:
        run = Run(app, pilot)
        await run.until(lambda: bool(run.reader.query_one(SourceList).shown_ids))
        yield run


async def open_ferry(run: Run) -> None:
    await run.keys("slash", *"ferry", "enter")
    await run.until(lambda: run.transcript.source is not None)


# -- 1. light theme ----------------------------------------------------------------------------


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(style: Style) -> float:
    """WCAG contrast of a drawn style's text on its background (reverse taken into account)."""
    assert style.color is not None and style.bgcolor is not None
    fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def background(style: Style) -> Color | None:
    return style.color if style.reverse else style.bgcolor


def night_ferry() -> Source:
    builder = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    builder.add_segment(
        "Lanterns hang over the canal. Boats drift by slowly.", start=0.0, speaker="Mira"
    )
    builder.add_segment("Fog rolls in at dusk. Nobody minds the damp.", start=30.0, speaker="Tom")
    builder.add_segment("Tickets are sold on board. Bring coins.", start=60.0, speaker="Mira")
    return builder.build(duration=90.0)


def mark(source: Source, kind: Kind, word: str) -> Annotation:
    start = source.text.index(word)
    anchor = Anchor(TextQuoteSelector(word), TextPositionSelector(start, start + len(word)), "x")
    return Annotation(id=f"id-{word}", source=source.id, kind=kind, anchor=anchor)


class FerryApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Transcript()

    def on_mount(self) -> None:
        source = night_ferry()
        marks = [
            mark(source, Kind.HIGHLIGHT, "Lanterns"),
            mark(source, Kind.NOTE, "canal"),
            mark(source, Kind.DISSENT, "Nobody"),
        ]
        self.query_one(Transcript).show(source, marks)
        self.query_one(Transcript).focus()


def drawn(transcript: Transcript, text: str) -> Style:
    """The style a piece of text is drawn with on screen."""
    for y in range(transcript.size.height):
        for piece in transcript.render_line(y):
            if piece.text.strip() == text and piece.style is not None:
                return piece.style
    raise AssertionError(f"{text!r} is not on screen")


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_marks_cursor_selection_and_matches_stay_readable_on_light_and_dark(
    theme: str,
) -> None:
    app = FerryApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        transcript = app.query_one(Transcript)
        transcript.find("board")  # the cursor follows to "Tickets are sold on board."
        await pilot.pause()
        page = transcript.rich_style.bgcolor
        pieces = {
            "highlight": drawn(transcript, "Lanterns"),
            "note": drawn(transcript, "canal"),
            "dissent": drawn(transcript, "Nobody"),
            "cursor": drawn(transcript, "Tickets are sold on"),
            "match": drawn(transcript, "board"),
        }
        await pilot.press("v", "w")
        pieces["selection"] = drawn(transcript, "Bring")
        for name, style in pieces.items():
            assert contrast(style) >= 4.5, (theme, name, style)
            assert background(style) != page, (theme, name, "looks like plain text")
        assert pieces["match"] != pieces["cursor"]  # the found word shows inside the cursor
        assert contrast(drawn(transcript, "Tom")) >= 3.0  # speaker names, bold
        assert contrast(drawn(transcript, "0:30")) >= 4.5  # the time gutter


# -- 2. the footer at 80 columns ---------------------------------------------------------------


def footer_keys(run: Run) -> dict[str, FooterKey]:
    footer = run.reader.query_one(KeyFooter)
    return {key.key_display: key for key in footer.query(FooterKey) if key.display}


async def test_at_80_columns_the_footer_keeps_the_panes_keys_that_fit_and_always_help(
    vault: Path,
) -> None:
    async with running(vault, size=(80, 24)) as run:
        await open_ferry(run)
        for focus in ("transcript", "sidebar", "sources"):
            run.reader.query_one(f"#{focus}").focus()
            await run.keys()
            keys = footer_keys(run)
            assert "?" in keys, focus
            assert all(k.region.right <= 80 and k.region.width for k in keys.values()), focus
        run.transcript.focus()
        await run.keys()
        assert {"h", "a", "d", "y"} <= set(footer_keys(run))


async def test_a_wide_footer_is_left_as_textual_draws_it(vault: Path) -> None:
    async with running(vault, size=(160, 36)) as run:
        await open_ferry(run)
        keys = footer_keys(run)
        assert {"?", "s", "q", "h", "t", "^p"} <= set(keys)
        assert not run.reader.query_one(KeyFooter).compact


# -- 3. the time prompt --------------------------------------------------------------------------


async def test_a_wrong_time_keeps_the_prompt_open_to_fix_and_escape_closes_it(
    vault: Path,
) -> None:
    async with running(vault) as run:
        await open_ferry(run)
        await run.keys("t", *"junk", "enter")
        prompt = run.app.screen
        assert isinstance(prompt, PromptScreen)
        assert prompt.problem == "Not a time: junk — try 4:04, 1:02:03, 244s, +30, -1m"
        await run.keys(*["backspace"] * 4, *"1:40", "enter")
        assert not isinstance(run.app.screen, PromptScreen)
        assert run.cursor_text() == "The last crossing leaves at midnight."
        await run.keys("t", *"zz", "escape")
        assert not isinstance(run.app.screen, PromptScreen)
        assert run.cursor_text() == "The last crossing leaves at midnight."


# -- 4. the copy toast -------------------------------------------------------------------------


def test_the_toast_cuts_the_quote_at_a_word_and_keeps_how_and_what_it_cites() -> None:
    quote = "Fog rolls in at dusk and the pilots slow down for the narrow bend below the wall"
    message = copied_message(TERMINAL, quote, "The night ferry, 0:30")
    assert message.startswith("Copied to the terminal (OSC 52): “Fog rolls in at dusk")
    assert message.endswith("…” — The night ferry, 0:30")
    assert "narrow bend" not in message and len(message) < 120
    assert shorten("short and sweet", 40) == "short and sweet"
    assert shorten("alpha beta gamma delta", 15) == "alpha beta…"


@pytest.mark.parametrize("system_works", [True, False])
async def test_y_on_a_long_passage_says_how_it_was_copied_in_a_short_toast(
    vault: Path, system_works: bool
) -> None:
    copied: list[str] = []

    def system(text: str) -> None:
        if not system_works:
            raise RuntimeError("no clipboard program")
        copied.append(text)

    previous = clipboard.set_system_copy(system)
    try:
        async with running(vault) as run:
            await open_ferry(run)
            await run.keys("t", *"0:30", "enter", "v", "J", "y")
            toast = run.toasts[-1]
    finally:
        clipboard.set_system_copy(previous)
    how = SYSTEM if system_works else TERMINAL
    assert toast.startswith(f"Copied to the {how}: “Fog rolls in at dusk")
    assert toast.endswith("…” — The night ferry, 0:30")
    assert len(toast) < 130
    if system_works:
        assert "Nobody minds the damp." in copied[0]  # the whole quote went to the clipboard


# -- 5. the reopened source is the list's cursor -----------------------------------------------


async def test_on_restart_the_sources_list_sits_on_the_reopened_source(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        (folder / f"note{n:02}.txt").write_text(f"Note number {n}. It is short.\n")
    async with running(folder, size=(80, 24)) as run:
        await run.keys("end", "up", "up", "enter")
        await run.until(lambda: run.transcript.source is not None)
        await run.keys("q")
    async with running(folder, size=(80, 24)) as run:
        await run.until(lambda: run.transcript.source is not None)
        await run.keys("ctrl+b")  # at 80 columns the list shows over the text when asked
        sources = run.reader.query_one(SourceList)
        assert sources.highlighted_id == "note27.txt"
        listing = sources.query_one("_Options")
        assert listing.scroll_offset.y > 0
        shown = [listing.render_line(y).text for y in range(listing.size.height)]
        assert any("27" in line for line in shown)  # scrolled into view


# -- 6. help scrolls ---------------------------------------------------------------------------


async def test_help_scrolls_with_reading_keys_at_80_by_24(vault: Path) -> None:
    async with running(vault, size=(80, 24)) as run:
        await run.keys("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        box = run.app.screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 0
        await run.keys("j", "j")
        assert box.scroll_y == 2
        await run.keys("k")
        assert box.scroll_y == 1
        await run.keys("G")
        assert box.scroll_y == box.max_scroll_y
        await run.keys("g")
        assert box.scroll_y == 0
        await run.keys("space")
        paged = box.scroll_y
        assert paged > 2
        await run.keys("pageup")
        assert box.scroll_y == 0
        await run.keys("pagedown")
        assert box.scroll_y == paged


# -- 7. a reload keeps the reader on the same sentence -----------------------------------------


async def test_text_inserted_above_does_not_move_the_cursor_off_its_sentence(vault: Path) -> None:
    async with running(vault) as run:
        await open_ferry(run)
        await run.keys("t", *"1:40", "enter", "j")
        assert run.cursor_text() == "Tickets are sold on board."
        await run.keys("v")
        assert run.transcript.selecting
        grown = FERRY.replace(
            "Boats drift by slowly.", "Boats drift by slowly. A gull cries twice over the water."
        )
        (vault / "ferry.md").write_text(grown, encoding="utf-8")
        run.reader._check_source_changed()
        await run.until(
            lambda: run.transcript.source is not None and "gull" in run.transcript.source.text
        )
        await run.keys()
        assert run.cursor_text() == "Tickets are sold on board."
        assert not run.transcript.selecting  # a selection in progress is let go


def test_a_sentence_that_is_gone_falls_back_to_the_nearest_offset() -> None:
    old = night_ferry()
    start = old.text.index("Tickets")
    end = start + len("Tickets are sold on board.")
    builder = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    builder.add_segment("Entirely different words now.", start=0.0)
    new = builder.build()
    assert follow_span(old, start, end, new) == len(new.text) - 1
    moved = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    moved.add_segment("A new opening line. Tickets are sold on board. Bring coins.", start=0.0)
    again = moved.build()
    assert follow_span(old, start, end, again) == again.text.index("Tickets")
