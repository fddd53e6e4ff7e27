"""The reader's layout at 80x24, 120x36 and 200x50: side panes that step aside in a small
terminal, a readable measure, the sidebar as a detail pane when there is room, and the header's
place and find count."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.copied import Copied
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.widgets.annotation_detail import AnnotationDetail
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from textual.widgets import Input, TextArea

LONG_NOTE = (
    "Walls move the erosion along the coast to the next town, which then builds its own wall, "
    "and so on down the shore until the last town has nothing left to build on."
)


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    folder = make_vault(HARBOUR_VAULT)
    with Workspace(folder) as workspace:
        workspace.annotate(
            "talks/tides-and-towns.md",
            "Sea walls are always the answer.",
            Kind.DISSENT,
            note=LONG_NOTE,
            tags=["defences", "coast"],
            confidence=Confidence.HIGH,
        )
    return folder


def text_width(lines: list[str]) -> int:
    """The widest line of text drawn (margins and gutter aside)."""
    return max((len(line.strip()) for line in lines), default=0)


@pytest.mark.parametrize("size", SIZES)
async def test_the_text_gets_a_readable_measure(vault: Path, size: tuple[int, int]) -> None:
    width, _ = size
    async with open_reader(vault, size) as r:
        await r.open("silt")  # paragraphs long enough to fill any line
        shown = text_width(r.text_lines())
        assert 60 <= shown <= 90, f"{shown} characters a line at {width} columns"
        sources, sidebar = r.screen.query_one("#sources-pane"), r.screen.query_one("#sidebar")
        if width < 110:
            # The side panes stepped aside for the text.
            assert not sources.display and not sidebar.display
            assert r.transcript.region.width == width
        else:
            assert sources.display and sidebar.display
            assert sidebar.region.width >= 24
        if width >= 200:
            # What the measure leaves goes to the sidebar.
            assert sidebar.region.width >= 60


async def test_at_80_columns_ctrl_b_and_ctrl_e_show_a_pane_over_the_text(vault: Path) -> None:
    async with open_reader(vault, (80, 24)) as r:
        await r.open("tides")
        sources = r.screen.query_one("#sources-pane")
        await r.press("ctrl+b")
        assert sources.display and sources.has_class("-overlay")
        assert sources.region.x == 0 and sources.region.width < 80
        assert isinstance(r.app.focused, SourceList)
        await r.press("escape")  # the filter "tides" opened it with goes first
        assert sources.display and r.sources.filter_text == ""
        await r.press("escape")
        assert not sources.display and isinstance(r.app.focused, Transcript)
        sidebar = r.screen.query_one("#sidebar")
        await r.press("ctrl+e")
        assert sidebar.display and sidebar.region.right == 80
        assert isinstance(r.app.focused, AnnotationSidebar)
        await r.press("enter")  # go to the annotation: the pane steps aside again
        assert not sidebar.display and isinstance(r.app.focused, Transcript)
        assert r.transcript.current_seconds is not None and r.transcript.current_seconds >= 40
        await r.press("ctrl+b")
        await r.press("j", "enter")  # choosing a source closes the list
        assert not sources.display


async def test_at_wide_sizes_ctrl_b_and_ctrl_e_hide_and_show_columns(vault: Path) -> None:
    async with open_reader(vault, (200, 50)) as r:
        await r.open("silt")
        wide = r.transcript.region.width
        await r.press("ctrl+e")
        assert r.screen.query_one("#sidebar").has_class("-hidden")
        assert r.transcript.region.width > wide
        assert text_width(r.text_lines()) <= 90  # the measure holds, centred in the room
        await r.press("ctrl+e")
        assert not r.screen.query_one("#sidebar").has_class("-hidden")


@pytest.mark.parametrize("size", SIZES)
async def test_the_selected_annotation_shows_in_full(vault: Path, size: tuple[int, int]) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("t", *"0:40", "enter", "j", "j")  # onto the dissent's sentence
        detail = r.screen.query_one(AnnotationDetail)
        assert detail.annotation is not None and detail.annotation.note == LONG_NOTE
        if size[0] < 110:
            await r.press("ctrl+e")
        shown = " ".join(" ".join(line.split()) for line in detail_lines(detail))
        assert "“Sea walls are always the answer.”" in shown
        assert "Dissent · high confidence" in shown
        assert "Ben Rowe · 0:40" in shown
        assert LONG_NOTE in shown  # the whole note, wrapped
        assert "#defences #coast" in shown


async def test_a_note_saved_under_the_cursor_shows_in_the_detail(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("t", *"0:40", "enter", "j", "j")  # onto the dissent
        detail = r.screen.query_one(AnnotationDetail)
        assert detail.annotation is not None and detail.annotation.kind is Kind.DISSENT
        await r.press("j", "a", *"Ports plan by it", "ctrl+s")  # a note on the next sentence
        assert detail.annotation is not None and detail.annotation.note == "Ports plan by it"
        assert "Ports plan by it" in " ".join(detail_lines(detail))


def detail_lines(detail: AnnotationDetail) -> list[str]:
    text = detail.query_one("#annotation-detail-text")
    return [text.render_line(y).text.strip() for y in range(text.size.height)]


@pytest.mark.parametrize("size", SIZES)
async def test_e_x_y_and_enter_act_on_the_annotation_selected_in_the_sidebar(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("g")  # the cursor far from the annotation
        if size[0] < 110:
            await r.press("ctrl+e")
        else:
            r.screen.query_one(AnnotationSidebar).focus()
        with Copied() as copied:
            await r.press("y")
        assert copied and copied[0].startswith('> "Sea walls are always the answer." — Ben Rowe')
        await r.press("e")
        assert isinstance(r.app.screen, NoteEditor)
        assert r.app.screen.query_one(TextArea).text == LONG_NOTE
        await r.press("escape")
        if size[0] < 110:
            await r.press("ctrl+e")
        r.screen.query_one(AnnotationSidebar).focus()
        await r.press("x")
        assert AnnotationStore(vault).load_all().annotations == []
        await r.press("u")
        [back] = AnnotationStore(vault).load_all().annotations
        if size[0] < 110:
            await r.press("ctrl+e")
        r.screen.query_one(AnnotationSidebar).focus()
        await r.press("enter")
        assert r.transcript.cursor_offset == back.span[0]


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_shows_how_far_into_an_untimed_source(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("silt")
        assert r.header.split()[0].endswith("%")
        assert int(r.header.split()[0].rstrip("%")) < 30
        await r.press("G")
        assert r.header.startswith("100%")
        footer_keys = {key for key, b in r.screen.active_bindings.items() if b.binding.show}
        assert "t" not in footer_keys  # no times: go-to-time is not offered
        await r.press("t")
        assert not isinstance(r.app.screen, PromptScreen)
        assert "This source has no times." in r.said


async def test_t_is_offered_for_a_timed_source(vault: Path) -> None:
    async with open_reader(vault, (120, 36)) as r:
        await r.open("tides")
        footer_keys = {key for key, b in r.screen.active_bindings.items() if b.binding.show}
        assert "t" in footer_keys


@pytest.mark.parametrize("size", SIZES)
async def test_find_counts_says_when_it_wraps_and_remembers(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("silt")
        await r.press("slash", *"silt", "enter")
        count = r.transcript.find_position
        assert count is not None and count[2] >= 3
        total = count[2]
        assert f"“silt” 1/{total}" in r.header
        await r.press("n")
        assert f"“silt” 2/{total}" in r.header
        await r.press(*["n"] * (total - 1))
        assert f"“silt” 1/{total}" in r.header
        assert "Passed the last match: back to the first." in r.said
        await r.press("N")
        assert f"“silt” {total}/{total}" in r.header
        assert "Passed the first match: on to the last." in r.said
        await r.press("slash")
        assert r.app.screen.query_one(Input).value == "silt"
        await r.press("escape", "q")
    async with open_reader(vault, size) as r:
        await r.until(lambda: r.transcript.source is not None)
        await r.press("slash")
        assert r.app.screen.query_one(Input).value == "silt"


async def test_the_measure_and_alignment_come_from_the_config(
    vault: Path, own_user_folders: Path
) -> None:
    config = own_user_folders / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[reader]\nmeasure = 60\nalign = "left"\n', encoding="utf-8")
    async with open_reader(vault, (200, 50)) as r:
        await r.open("silt")
        lines = [line for line in r.text_lines() if line.strip()]
        assert 50 <= text_width(lines) <= 60
        # Set to the left: every line starts a small margin in, not in the middle of the pane.
        assert min(len(line) - len(line.lstrip()) for line in lines) <= 4
    config.write_text("[reader]\nmeasure = 'wide'\n", encoding="utf-8")
    async with open_reader(vault, (200, 50)) as r:
        await r.open("silt")
        assert any("reader.measure" in said for said in r.said)
        assert text_width(r.text_lines()) <= 90  # the default holds meanwhile
