"""The notebook: every annotation of the vault in one list from the index, filtered by kind,
words, tag and review state, sorted, opened at an annotation, and acted on with the
transcript's keys."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from helpers.across_vault import GAZETTE, INTERVIEW, NOTES, across_vault
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.annotations.citing import Citing
from readmark.annotations.exporting import default_export_folder
from readmark.annotations.model import Kind
from readmark.annotations.notebook import NotebookFilter, NotebookSort, Status, as_you_type
from readmark.annotations.workspace import Workspace
from readmark.library.layout import VaultLayout
from readmark.tui import clipboard
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.help_screen import help_rows
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.notebook_screen import NotebookScreen
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.notebook_list import NotebookList
from textual.widgets import Input, OptionList


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return across_vault(make_vault)


def quotes(workspace: Workspace, wanted: NotebookFilter) -> list[str]:
    listing = workspace.list_annotations(wanted)
    return [row.quote for row in listing.rows(0, len(listing))]


def test_the_list_comes_from_the_index_filtered_and_sorted(vault: Path) -> None:
    with Workspace(vault) as workspace:
        everything = quotes(workspace, NotebookFilter())
        assert sorted(everything) == sorted(quote for _, quote, *_ in NOTES)
        # Made one after the other: newest first is the reverse of the order made.
        assert everything == [quote for _, quote, *_ in reversed(NOTES)]
        dissent = quotes(workspace, NotebookFilter(kind=Kind.DISSENT))
        assert dissent == [NOTES[3][1], NOTES[1][1]]
        assert quotes(workspace, NotebookFilter("tag:demand")) == [NOTES[2][1]]
        assert quotes(workspace, NotebookFilter("cleani")) == [NOTES[3][1]]  # as typed
        assert quotes(workspace, NotebookFilter(sort=NotebookSort.CONFIDENCE))[:2] == [
            NOTES[1][1],  # high
            NOTES[3][1],  # low
        ]
        by_source = quotes(workspace, NotebookFilter(sort=NotebookSort.SOURCE))
        assert by_source == [NOTES[3][1], NOTES[0][1], NOTES[1][1], NOTES[2][1], NOTES[4][1]]


def test_the_word_being_typed_is_a_prefix_but_not_a_field_or_a_short_stub() -> None:
    assert as_you_type("night tra") == "night (tra*)"
    assert as_you_type("cleani") == "(cleani* OR clea OR clean)"
    assert as_you_type("of a") == "of a"
    assert as_you_type("night ") == "night"
    assert as_you_type("tag:sub") == "tag:sub"
    assert as_you_type('"a night') == '"a night'


async def open_notebook(r: RunningReader) -> NotebookScreen:
    await r.press("r")
    screen = r.app.screen
    assert isinstance(screen, NotebookScreen)
    await r.until(lambda: len(screen.listing) > 0)
    return screen


def shown(screen: NotebookScreen) -> list[str]:
    listing = screen.listing
    return [row.quote for row in listing.rows(0, len(listing))]


async def go_to(r: RunningReader, screen: NotebookScreen, quote: str) -> None:
    notebook_list = screen.query_one(NotebookList)
    notebook_list.cursor = shown(screen).index(quote)
    await r.settle()


async def test_r_opens_it_1_2_3_0_filter_by_kind_typing_filters_and_q_returns(
    vault: Path,
) -> None:
    async with open_reader(vault) as r:
        screen = await open_notebook(r)
        assert len(shown(screen)) == len(NOTES)
        assert "5 annotations" in str(screen.query_one("#notebook-title").render())
        await r.press("3")
        assert shown(screen) == [NOTES[3][1], NOTES[1][1]]
        await r.press("2")
        assert sorted(shown(screen)) == sorted([NOTES[2][1], NOTES[4][1]])
        await r.press("0")
        assert len(shown(screen)) == len(NOTES)
        await r.press("slash", *"hotel")
        assert shown(screen) == [NOTES[0][1]]
        await r.press("escape")  # from the filter, back to the list
        assert r.app.screen is screen
        assert isinstance(screen.focused, NotebookList)
        await r.press("q")
        assert isinstance(r.app.screen, ReaderScreen)
        assert r.app.is_running


async def test_enter_opens_the_source_at_the_annotation(vault: Path) -> None:
    async with open_reader(vault) as r:
        screen = await open_notebook(r)
        await go_to(r, screen, NOTES[2][1])
        await r.press("enter")
        assert isinstance(r.app.screen, ReaderScreen)
        await r.until(lambda: r.transcript.source is not None)
        assert r.transcript.source is not None and r.transcript.source.id == INTERVIEW
        assert r.cursor_text().startswith("Demand has doubled")


async def test_e_edits_the_note_x_deletes_u_brings_it_back(vault: Path) -> None:
    async with open_reader(vault) as r:
        screen = await open_notebook(r)
        await go_to(r, screen, NOTES[3][1])
        await r.press("e")
        assert isinstance(r.app.screen, NoteEditor)
        await r.press("end", *" Or the drivers.", "ctrl+s")
        assert r.app.screen is screen
        with Workspace(vault) as workspace:
            notes = {a.quote: a.note for a in workspace.annotations_for(GAZETTE)}
        assert notes[NOTES[3][1]] == "She blamed the cleaning, not the staff. Or the drivers."
        await go_to(r, screen, NOTES[0][1])
        await r.press("x")
        assert NOTES[0][1] not in shown(screen)
        assert any("Moved to the trash" in toast for toast in r.toasts)
        await r.press("u")
        assert NOTES[0][1] in shown(screen)


async def test_y_copies_the_citation_the_transcript_would(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(vault) as r:
            screen = await open_notebook(r)
            await go_to(r, screen, NOTES[1][1])
            await r.press("y")
    finally:
        clipboard.set_system_copy(previous)
    with Workspace(vault) as workspace:
        annotation = next(a for a in workspace.annotations_for(INTERVIEW) if a.quote == NOTES[1][1])
        expected = Citing().cite(annotation, workspace.source(INTERVIEW))
    assert copied == [expected]
    assert "Orla Venn" in expected and "1:" in expected


async def test_E_exports_what_is_shown(vault: Path) -> None:
    async with open_reader(vault) as r:
        await open_notebook(r)
        await r.press("3", "E")
    # Into the reader's export folder, beside the vault where the user sees it.
    exported = list(default_export_folder(vault).glob("notebook-*/*.md"))
    assert not VaultLayout(vault).exports.exists()
    text = "\n".join(path.read_text(encoding="utf-8") for path in exported)
    assert NOTES[1][1] in text and NOTES[3][1] in text
    assert NOTES[0][1] not in text and NOTES[4][1] not in text


def test_source_speaker_and_review_state_narrow_the_list(vault: Path) -> None:
    with Workspace(vault) as workspace:
        assert quotes(workspace, NotebookFilter("source:gazette")) == [NOTES[3][1]]
        by_orla = quotes(workspace, NotebookFilter('speaker:"Orla Venn"'))
        assert sorted(by_orla) == sorted(quote for s, quote, *_ in NOTES if s == INTERVIEW)
        assert quotes(workspace, NotebookFilter(status=Status.ORPHANED)) == []
        lost = next(a for a in workspace.annotations_for(GAZETTE))
        workspace.store.write(replace(lost, orphaned=True))
        workspace.sync_index()
        assert quotes(workspace, NotebookFilter(status=Status.ORPHANED)) == [lost.quote]
        assert quotes(workspace, NotebookFilter("status:orphaned")) == [lost.quote]
        assert quotes(workspace, NotebookFilter(status=Status.NEEDS_REVIEW)) == []


def test_the_help_lists_the_new_keys_by_id_and_as_remapped() -> None:
    rows = {row.description: row.keys for row in help_rows(ReaderScreen)}
    assert rows["Notebook (every annotation)"] == ("r",)
    assert rows["Check the quotation here"] == ("c",)
    remapped = {
        row.description: row.keys for row in help_rows(ReaderScreen, {"screen.notebook": "N"})
    }
    assert remapped["Notebook (every annotation)"] == ("N",)
    notebook = {row.description: row.keys for row in help_rows(NotebookScreen)}
    assert notebook["Export shown"] == ("E",) and notebook["Back"] == ("escape", "q")


async def test_t_and_S_choose_a_tag_and_a_source_from_lists(vault: Path) -> None:
    async with open_reader(vault) as r:
        screen = await open_notebook(r)
        await r.press("t")
        choice = r.app.screen
        assert isinstance(choice, ChoiceScreen)
        tags = choice.query_one(OptionList)
        labels = [str(tags.get_option_at_index(n).prompt) for n in range(tags.option_count)]
        assert labels == ["1 #demand", "2 #rail", "3 #subsidy"]
        await r.press("3")
        assert r.app.screen is screen
        assert sorted(shown(screen)) == sorted([NOTES[1][1], NOTES[3][1]])
        await r.press("S")
        await r.press("1")  # the first source listed: the gazette
        assert shown(screen) == [NOTES[3][1]]
        assert screen.query_one(Input).value == 'tag:subsidy source:"gazette.md" '
