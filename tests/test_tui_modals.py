"""The modals and services of the reader: note editor, search, help, choice, clipboard."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyperclip
import pytest
from helpers.running_reader import open_reader
from readmark.annotations.index import SearchError, SearchHit
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Confidence,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.tui import clipboard
from readmark.tui.clipboard import SYSTEM, TERMINAL, copied_message, shorten
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.help_screen import HelpRow, HelpScreen, help_rows
from readmark.tui.screens.note_editor import NoteEditor, NoteResult
from readmark.tui.screens.search_screen import RESULT_LIMIT, SearchResults, SearchScreen, hit_label
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, OptionList, RadioSet, Static, TextArea

SIZE = (120, 36)


class Host(App[None]):
    """Pushes one screen at start and records what it is dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []
        self.notices: list[str] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notices.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), callback=self.results.append)


def keys(text: str) -> list[str]:
    """Key names that type `text`."""
    return ["space" if char == " " else char for char in text]


def rendered(content: object, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


# -- note editor ---------------------------------------------------------------------------


def dissent_editor(**options: Any) -> NoteEditor:
    return NoteEditor(
        Kind.DISSENT,
        "Trees cool a street by [bold]ten degrees[/bold] at night.",
        source_title="The long hot night",
        speaker="Ines Carvalho",
        seconds=244.0,
        **options,
    )


async def test_dissent_editor_saves_the_counterpoint_and_the_chosen_confidence() -> None:
    app = Host(dissent_editor)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, TextArea)
        await pilot.press(*keys("By day"))
        await pilot.press("tab")
        assert isinstance(app.focused, RadioSet)
        # medium is chosen at first; right moves to high and chooses it.
        await pilot.press("right")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteResult(True, "By day", Confidence.HIGH)]


async def test_dissent_editor_shows_the_quote_as_text_and_who_said_it_when() -> None:
    app = Host(dissent_editor)
    async with app.run_test(size=SIZE) as pilot:
        editor = pilot.app.screen
        quote = editor.query_one("#editor-quote Static", Static).content
        byline = editor.query_one("#editor-byline", Static).content
        prompt = [str(label.content) for label in editor.query(Label)]
        assert isinstance(quote, Text)
        assert quote.plain == "Trees cool a street by [bold]ten degrees[/bold] at night."
        assert isinstance(byline, Text)
        assert byline.plain == "The long hot night · Ines Carvalho · 4:04"
        assert "Counterpoint: where is this wrong, and why?" in prompt


async def test_escape_closes_the_editor_and_returns_the_draft() -> None:
    app = Host(lambda: NoteEditor(Kind.NOTE, "A quote.", note="First line"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys(" etc"))
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [NoteResult(False, "First line etc", None)]


async def test_a_reopened_draft_keeps_its_text_and_confidence() -> None:
    app = Host(lambda: dissent_editor(note="Half a thought", confidence=Confidence.LOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteResult(True, "Half a thought", Confidence.LOW)]


async def test_an_empty_dissent_is_not_saved_and_says_why() -> None:
    app = Host(dissent_editor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NoteEditor)
        assert app.notices == ["Write the counterpoint before saving."]
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [NoteResult(False, "", Confidence.MEDIUM)]


async def test_editing_an_annotation_starts_from_its_note() -> None:
    annotation = Annotation(
        id="0000000001abcdefgh",
        source="talks/heat.md",
        kind=Kind.NOTE,
        anchor=Anchor(TextQuoteSelector("Nights stay hot."), TextPositionSelector(0, 16), "f"),
        start=3725.0,
        note="Check the 2019 data.",
        created="2026-11-23T10:15:00Z",
    )
    app = Host(lambda: NoteEditor.for_annotation(annotation, "Heat talk"))
    async with app.run_test(size=SIZE) as pilot:
        byline = pilot.app.screen.query_one("#editor-byline", Static).content
        assert isinstance(byline, Text)
        assert byline.plain == "Heat talk · 1:02:05 · written 2026-11-23"
        assert not pilot.app.screen.query(RadioSet)
        await pilot.press(*keys(" Ok"))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [NoteResult(True, "Check the 2019 data. Ok", None)]


# -- search --------------------------------------------------------------------------------


def hit(number: int, *, kind: str | None = "dissent", source: str = "talks/heat.md") -> SearchHit:
    return SearchHit(
        type="passage" if kind is None else "annotation",
        id=f"hit{number}",
        source=source,
        kind=kind,
        text="",
        note="Only by day.\nNot at night." if kind else "",
        start=244.0 if number == 1 else None,
        score=1.0,
        snippet="trees [bold]cool[/bold] the street",
        marks=((6, 10),),
        segment_index=None if kind else 3,
    )


class FakeIndex:
    """Answers queries from the worker thread and remembers them."""

    def __init__(self, hits: list[SearchHit], error: Exception | None = None) -> None:
        self.hits = hits
        self.error = error
        self.queries: list[str] = []
        self.threads: list[str] = []

    def __call__(self, query: str) -> list[SearchHit]:
        self.queries.append(query)
        self.threads.append(threading.current_thread().name)
        if self.error is not None:
            raise self.error
        return self.hits


def status_of(screen: Screen[Any]) -> str:
    content = screen.query_one("#search-status", Static).content
    assert isinstance(content, Text)
    return content.plain


async def test_search_runs_off_the_ui_thread_and_enter_opens_the_chosen_hit() -> None:
    index = FakeIndex([hit(1), hit(2, kind=None, source="lectures/night.vtt")])
    titles = {"talks/heat.md": "Heat talk", "lectures/night.vtt": "Night lecture"}
    app = Host(lambda: SearchScreen(index, title_of=titles.__getitem__))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys("cool"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert index.queries == ["cool"]
        assert index.threads[0] != threading.main_thread().name
        assert status_of(pilot.app.screen) == "2 results for cool. Enter opens one."
        results = pilot.app.screen.query_one(SearchResults)
        assert app.focused is results
        second = results.get_option_at_index(1).prompt
        assert [line.rstrip() for line in rendered(second).splitlines()] == [
            "¶ passage  Night lecture",
            "  trees [bold]cool[/bold] the street",
        ]
        # A snippet too long for the line wraps under its own start, not under the mark.
        narrow = [line.rstrip() for line in rendered(second, width=30).splitlines()]
        assert narrow[1:] == ["  trees [bold]cool[/bold] the", "  street"]
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == [hit(2, kind=None, source="lectures/night.vtt")]


async def test_a_bad_query_shows_its_message() -> None:
    index = FakeIndex([], SearchError("Cannot read the query 'kind:': kind needs a value."))
    app = Host(lambda: SearchScreen(index))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys("kind:"), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert status_of(pilot.app.screen) == "Cannot read the query 'kind:': kind needs a value."
        assert pilot.app.screen.query_one("#search-status").has_class("-error")
        assert isinstance(pilot.app.screen, SearchScreen)


async def test_no_matches_says_so_and_escape_goes_back_with_nothing() -> None:
    index = FakeIndex([])
    app = Host(lambda: SearchScreen(index, query="zebra"))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert index.queries == ["zebra"]
        assert status_of(pilot.app.screen) == "No matches for zebra."
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_an_empty_query_is_not_run() -> None:
    index = FakeIndex([hit(1)])
    app = Host(lambda: SearchScreen(index))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "enter")
        await app.workers.wait_for_complete()
        assert index.queries == []
        assert status_of(pilot.app.screen) == "Type words to search for."


def test_a_hit_shows_kind_title_time_snippet_with_styled_matches_and_note() -> None:
    match, meta = Style(bold=True), Style(dim=True)
    label = hit_label(hit(1), "Heat talk", match, meta)

    assert label.plain == (
        "⚑ dissent  Heat talk  4:04\n"
        "  trees [bold]cool[/bold] the street\n"
        "  note: Only by day. Not at night."
    )
    styled = [label.plain[s.start : s.end] for s in label.spans if s.style == match]
    assert styled == ["[bol"]  # the mark (6, 10) of the snippet, shown literally


def test_a_hit_without_a_title_shows_its_source_id() -> None:
    label = hit_label(hit(2), "", Style(), Style())
    assert label.plain.splitlines()[0] == "⚑ dissent  talks/heat.md"


def a_hit(number: int) -> SearchHit:
    return SearchHit(
        type="passage",
        id=f"rivers.md#{number}",
        source="rivers.md",
        kind=None,
        text="Rivers keep their old beds.",
        note="",
        start=None,
        score=1.0,
        snippet="Rivers keep their old beds.",
        marks=((0, 6),),
        segment_index=0,
    )


class SearchHost(App[None]):
    def __init__(self, screen: SearchScreen) -> None:
        super().__init__()
        self.search_screen = screen

    def compose(self) -> ComposeResult:
        yield Static()

    def on_mount(self) -> None:
        self.push_screen(self.search_screen)


def search_status(app: App[None]) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


async def test_a_full_page_of_results_says_it_is_only_the_first() -> None:
    screen = SearchScreen(lambda _query: [a_hit(n) for n in range(100)], limit=100, query="rivers")
    app = SearchHost(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert search_status(app) == "The first 100 results for rivers. Enter opens one."


async def test_the_reader_asks_the_vault_for_a_hundred_results(rivers_vault: Path) -> None:
    asked: list[int] = []
    async with open_reader(rivers_vault) as r:
        workspace = r.screen.workspace

        def search(query: str, limit: int = 20) -> list[SearchHit]:
            asked.append(limit)
            return [a_hit(n) for n in range(limit)]

        workspace.search = search  # type: ignore[method-assign]
        await r.press("s", *"rivers", "enter")
        assert asked == [RESULT_LIMIT] and RESULT_LIMIT == 100
        assert search_status(r.app) == "The first 100 results for rivers. Enter opens one."


# -- help ----------------------------------------------------------------------------------


class Pane(Widget):
    BINDINGS = [
        Binding("j,down", "next", "Next sentence", id="pane.next"),
        Binding("h", "highlight", "Highlight", id="pane.highlight"),
        Binding("ctrl+d", "half_page", "Half page down", id="pane.half"),
        Binding("z", "internal"),
    ]


class NarrowPane(Pane):
    BINDINGS = [Binding("h", "hide", "Hide", id="narrow.hide")]


def test_help_rows_join_keys_of_one_action_and_skip_bindings_without_description() -> None:
    assert help_rows(Pane) == [
        HelpRow(("j", "down"), "Next sentence"),
        HelpRow(("h",), "Highlight"),
        HelpRow(("ctrl+d",), "Half page down"),
    ]


def test_help_rows_show_a_subclasss_binding_first_and_once() -> None:
    assert help_rows(NarrowPane)[:2] == [
        HelpRow(("h",), "Hide"),
        HelpRow(("j", "down"), "Next sentence"),
    ]
    assert HelpRow(("h",), "Highlight") not in help_rows(NarrowPane)


def test_help_rows_follow_a_keymap() -> None:
    rows = help_rows(Pane, {"pane.highlight": "m, M", "pane.next": "n"})
    assert rows[:2] == [HelpRow(("n",), "Next sentence"), HelpRow(("m", "M"), "Highlight")]


@pytest.mark.parametrize("close_key", ["escape", "q", "question_mark"])
async def test_help_lists_every_pane_and_closes(close_key: str) -> None:
    extra = [Binding("s", "search", "Search the vault")]
    app = Host(lambda: HelpScreen([("Transcript", Pane), ("Everywhere", extra)]))
    async with app.run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        titles = [str(s.content) for s in screen.query(".help-pane").results(Static)]
        assert titles == ["Transcript", "Everywhere"]
        tables = [
            rendered(s.content)
            for s in screen.query(Static)
            if not s.has_class("help-pane") and s.id != "help-hint"
        ]
        assert [line.rstrip() for line in tables[0].splitlines()] == [
            "j / ↓           Next sentence   pane.next",
            "h               Highlight       pane.highlight",
            "^d              Half page down  pane.half",
        ]
        await pilot.press(close_key)
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)
    assert app.results == [None]


async def test_help_scrolls_with_reading_keys_at_80_by_24(ferry_vault: Path) -> None:
    async with open_reader(ferry_vault, size=(80, 24)) as run:
        await run.press("question_mark")
        assert isinstance(run.app.screen, HelpScreen)
        box = run.app.screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 0
        await run.press("j", "j")
        assert box.scroll_y == 2
        await run.press("k")
        assert box.scroll_y == 1
        await run.press("G")
        assert box.scroll_y == box.max_scroll_y
        await run.press("g")
        assert box.scroll_y == 0
        await run.press("space")
        paged = box.scroll_y
        assert paged > 2
        await run.press("pageup")
        assert box.scroll_y == 0
        await run.press("pagedown")
        assert box.scroll_y == paged


# -- choice --------------------------------------------------------------------------------

FORMATS = [("markdown", "Markdown quote with link"), ("plain", "Plain text"), ("apa", "APA")]


async def test_choice_starts_on_the_selected_option_and_enter_picks_it() -> None:
    app = Host(lambda: ChoiceScreen("Citation format", FORMATS, selected="plain"))
    async with app.run_test(size=SIZE) as pilot:
        assert pilot.app.screen.query_one(OptionList).highlighted == 1
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == ["apa"]


async def test_a_digit_picks_that_option_and_escape_cancels() -> None:
    app = Host(lambda: ChoiceScreen("Citation format", FORMATS))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        app.push_screen(ChoiceScreen("Again", FORMATS), callback=app.results.append)
        await pilot.pause()
        await pilot.press("9")  # no ninth option: nothing happens
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == ["plain", None]


# -- clipboard -----------------------------------------------------------------------------


class FakeTerminal:
    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.copied: list[str] = []

    def copy_to_clipboard(self, text: str) -> None:
        if self.fails:
            raise OSError("the terminal is gone")
        self.copied.append(text)


def no_clipboard(text: str) -> None:
    raise pyperclip.PyperclipException("could not find a copy/paste mechanism")


def test_copy_uses_the_system_clipboard_when_there_is_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(clipboard, "system_copy", copied.append)
    terminal = FakeTerminal()

    assert clipboard.copy_text(terminal, "> a quote") == "clipboard"
    assert copied == ["> a quote"]
    assert terminal.copied == []


async def test_copy_falls_back_to_osc52_without_a_clipboard_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clipboard, "system_copy", no_clipboard)
    app = Host(lambda: Screen())
    async with app.run_test(size=SIZE):
        assert clipboard.copy_text(app, "> a quote") == "terminal (OSC 52)"
        assert app.clipboard == "> a quote"


def test_copy_never_raises_even_when_everything_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "system_copy", no_clipboard)
    assert clipboard.copy_text(FakeTerminal(fails=True), "x") == clipboard.NOWHERE


def test_set_system_copy_installs_a_fake_and_restores_pyperclip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copied: list[str] = []
    clipboard.set_system_copy(copied.append)
    try:
        assert clipboard.copy_text(FakeTerminal(), "hello") == "clipboard"
    finally:
        previous = clipboard.set_system_copy(None)
    assert copied == ["hello"]
    assert previous == copied.append
    reached: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", reached.append)
    assert clipboard.copy_text(FakeTerminal(), "again") == "clipboard"
    assert reached == ["again"]


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
    ferry_vault: Path, system_works: bool
) -> None:
    copied: list[str] = []

    def system(text: str) -> None:
        if not system_works:
            raise RuntimeError("no clipboard program")
        copied.append(text)

    previous = clipboard.set_system_copy(system)
    try:
        async with open_reader(ferry_vault) as run:
            await run.open("ferry")
            await run.press("t", *"0:30", "enter", "v", "J", "y")
            toast = run.toasts[-1]
    finally:
        clipboard.set_system_copy(previous)
    how = SYSTEM if system_works else TERMINAL
    assert toast.startswith(f"Copied to the {how}: “Fog rolls in at dusk")
    assert toast.endswith("…” — The night ferry, 0:30")
    assert len(toast) < 130
    if system_works:
        assert "Nobody minds the damp." in copied[0]  # the whole quote went to the clipboard
