"""A user's walk through the reader in tmux: list keys, accent-blind filter, search limits,
nested highlights, a header that fits, a citation format that sticks and marks that differ."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from readmark.annotations.index import SearchHit
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore
from readmark.tui import clipboard
from readmark.tui.app import ReadmarkApp
from readmark.tui.screens.help_screen import help_rows
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.screens.search_screen import RESULT_LIMIT, SearchScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from readmark.tui.widgets.transcript_header import HeaderParts, fit_header
from rich.color import ColorSystem
from rich.style import Style
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static

RIVERS = """---
title: "Inés Carvalho-Reyes: Rivers that remember"
channel: Delta Talks
url: https://www.youtube.com/watch?v=riversriver
duration: 3777
chapters:
  - {start_time: 0, title: Opening}
  - {start_time: 200, title: How the floodplain keeps a record of every storm it ever saw}
---

**Inés Carvalho-Reyes** [00:00:00]

Rivers keep their old beds. Floods find them again.

**Inés Carvalho-Reyes** [00:04:00]

The plain is a ledger. Every storm leaves a line. We read the lines with a spade.
"""

ANCHORS = "Anchors and chains.\n\nA chain holds by its weight, not its hook.\n"
BUOYS = "Buoys at dusk.\n\nThe red one marks the wreck.\n"


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "anchors.txt").write_text(ANCHORS, encoding="utf-8")
    (folder / "buoys.txt").write_text(BUOYS, encoding="utf-8")
    (folder / "rivers.md").write_text(RIVERS, encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "absent.toml"))
    return folder


@dataclass
class Session:
    app: ReadmarkApp
    pilot: Pilot[None]

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()

    @property
    def screen(self) -> ReaderScreen:
        return next(s for s in self.app.screen_stack if isinstance(s, ReaderScreen))

    @property
    def sources(self) -> SourceList:
        return self.screen.query_one(SourceList)

    @property
    def transcript(self) -> Transcript:
        return self.screen.query_one(Transcript)

    @property
    def header(self) -> str:
        return str(self.screen.query_one("#transcript-header").render())

    @property
    def toasts(self) -> list[str]:
        return [n.message for n in self.app._notifications]

    def title_of(self, source_id: str | None) -> str:
        return next(s.title for s in self.sources.summaries if s.id == source_id)


@asynccontextmanager
async def reader(vault: Path, size: tuple[int, int] = (120, 36)) -> AsyncIterator[Session]:
    app = ReadmarkApp(vault)
    async with app.run_test(size=size) as pilot:
        session = Session(app, pilot)
        for _ in range(100):
            await session.press()
            if session.sources.shown_ids:
                break
        yield session


async def open_rivers(r: Session) -> None:
    await r.press("slash", *"rivers", "enter")
    for _ in range(100):
        if r.transcript.source is not None:
            return
        await r.press()
    raise AssertionError("the source never opened")


# -- 1. j and k in the lists ---------------------------------------------------------------------


async def test_j_and_k_move_the_sources_list_but_type_letters_in_its_filter(vault: Path) -> None:
    async with reader(vault) as r:
        assert r.sources.has_focus
        first = r.sources.highlighted_id
        await r.press("j")
        assert r.sources.highlighted_id == r.sources.shown_ids[1]
        await r.press("k")
        assert r.sources.highlighted_id == first
        await r.press("slash", *"jk")
        assert r.sources.query_one(Input).value == "jk"
        assert r.sources.filter_text == "jk"


async def test_j_and_k_move_the_outline_and_the_annotation_sidebar(vault: Path) -> None:
    async with reader(vault) as r:
        await open_rivers(r)
        await r.press("h", "j", "j", "h")  # two highlights: the sidebar has two entries
        outline = r.screen.query_one(OutlineView)
        outline.focus()
        outline.highlighted = 0
        await r.press("j")
        assert outline.highlighted == 1
        await r.press("k")
        assert outline.highlighted == 0
        sidebar = r.screen.query_one(AnnotationSidebar)
        sidebar.focus()
        sidebar.highlighted = 0
        first, second = (a.id for a in sidebar.shown)
        await r.press("j")
        assert sidebar.marked_id == second
        await r.press("k")
        assert sidebar.marked_id == first


@pytest.mark.parametrize("pane", [SourceList, OutlineView, AnnotationSidebar])
def test_help_lists_j_and_k_with_the_arrows(pane: type[SourceList]) -> None:
    keys = {row.description: row.keys for row in help_rows(pane)}
    assert keys["Down"] == ("j", "down")
    assert keys["Up"] == ("k", "up")


# -- 2 and 3. the sources filter -------------------------------------------------------------------


async def test_the_filter_ignores_accents_and_case_on_both_sides(vault: Path) -> None:
    async with reader(vault) as r:
        for query in ("ines", "INÉS", "inés", "carvalho reyes"):
            await r.press("slash", *query)
            assert r.sources.shown_ids == ["rivers.md"], query
            await r.press("escape")


async def test_clearing_the_filter_keeps_the_found_source_selected(vault: Path) -> None:
    async with reader(vault) as r:
        await r.press("slash", *"inés")
        assert r.sources.highlighted_id == "rivers.md"
        await r.press("escape")
        assert r.sources.filter_text == ""
        assert len(r.sources.shown_ids) == 3
        assert r.sources.highlighted_id == "rivers.md"


# -- 4. search results past the limit ------------------------------------------------------------


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


async def test_the_reader_asks_the_vault_for_a_hundred_results(vault: Path) -> None:
    asked: list[int] = []
    async with reader(vault) as r:
        workspace = r.screen.workspace

        def search(query: str, limit: int = 20) -> list[SearchHit]:
            asked.append(limit)
            return [a_hit(n) for n in range(limit)]

        workspace.search = search  # type: ignore[method-assign]
        await r.press("s", *"rivers", "enter")
        assert asked == [RESULT_LIMIT] and RESULT_LIMIT == 100
        assert search_status(r.app) == "The first 100 results for rivers. Enter opens one."


# -- 5. a highlight inside a highlight -----------------------------------------------------------


async def test_h_inside_a_longer_highlight_says_already_highlighted(vault: Path) -> None:
    async with reader(vault) as r:
        await open_rivers(r)
        await r.press("v", "j", "h")  # one highlight over the first two sentences
        store = AnnotationStore(vault)
        assert len(store.load_all().annotations) == 1
        await r.press("k", "h")  # the first sentence alone
        assert [a.kind for a in store.load_all().annotations] == [Kind.HIGHLIGHT]
        assert r.toasts[-1] == "Already highlighted."


# -- 6. the header fits its pane -----------------------------------------------------------------


async def test_at_80_columns_the_header_keeps_time_and_speaker_and_shortens_the_chapter(
    vault: Path,
) -> None:
    async with reader(vault, size=(80, 24)) as r:
        await open_rivers(r)
        await r.press("t", *"4:00", "enter")
        header = r.header
        assert header.startswith("4:00 / 1:02:57  ")
        assert "Inés Carvalho-Reyes" in header
    async with reader(vault, size=(160, 36)) as r:
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


# -- 7. the chosen citation format sticks --------------------------------------------------------


async def test_the_format_chosen_with_capital_y_is_used_by_y_afterwards(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with reader(vault) as r:
            await open_rivers(r)
            await r.press("Y", "2")  # plain
            assert "From now on y copies as plain." in r.toasts[-1]
            await r.press("j", "y")
    finally:
        clipboard.set_system_copy(previous)
    assert len(copied) == 2
    assert not any(text.startswith(">") for text in copied)  # markdown quotes start with >
    assert copied[1].startswith('"Floods find them again."')


# -- 8. marks that look different in 256 colours -------------------------------------------------


class MarksApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Transcript()


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_cursor_note_highlight_dissent_and_match_differ_in_256_colours(theme: str) -> None:
    app = MarksApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        transcript = app.query_one(Transcript)
        names = ["cursor", "note", "highlight", "dissent", "match"]
        looks: dict[str, tuple[object, ...]] = {}
        for name in names:
            style: Style = transcript.get_component_rich_style(f"transcript--{name}")
            assert style.bgcolor is not None
            looks[name] = (style.bgcolor.downgrade(ColorSystem.EIGHT_BIT).number,)
        assert len(set(looks.values())) == len(names), looks
