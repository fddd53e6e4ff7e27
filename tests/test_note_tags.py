"""Tags while reading: the note editor's tags field (comma or space separated, completing the
vault's tags), and `#tag` words in a note, become the annotation's tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.annotating import Annotator
from readmark.annotations.model import Kind, note_tags
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.widgets.tag_input import TagInput, complete_tag

TALK = "talks/tides-and-towns.md"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


def test_hash_words_are_tags_but_headings_numbers_and_links_are_not() -> None:
    note = (
        "# My view\nSee #coast and #sea-walls, also (#erosion).\n"
        "Not #1, not a#b, not https://example.org/#part, not &#39;. #coast again"
    )
    assert note_tags(note) == ("coast", "sea-walls", "erosion")


def test_completion_finishes_the_tag_being_typed_with_a_known_one() -> None:
    known = ["coast", "Coastal defence", "tides", "harbours"]
    assert complete_tag("ha", known) == "harbours"
    assert complete_tag("tides, co", known) == "tides, coast"
    assert complete_tag("coast co", known) == "coast Coastal defence"  # not one already there
    assert complete_tag("tides ", known) is None  # nothing begun
    assert complete_tag("#ti", known) == "#tides"


def test_the_command_line_takes_hash_tags_from_the_note_too(vault: Path) -> None:
    with Workspace(vault) as workspace:
        annotator = Annotator(workspace)
        written = annotator.annotate_quote(
            TALK, "Sea walls are always the answer.", Kind.NOTE, note="So says #engineering"
        )
    assert written.annotation.tags == ("engineering",)


@pytest.mark.parametrize("size", SIZES)
async def test_tags_typed_in_the_editor_and_in_the_note_are_saved(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("a", *"Walls only move it. #erosion")
        editor = r.app.screen
        assert isinstance(editor, NoteEditor)
        tags = editor.query_one(TagInput)
        tags.focus()
        await r.press(*"coastal, ti")
        assert tags._suggestion == "coastal, tides"  # the source's own tag, completed
        await r.press("right", "ctrl+s")
    [saved] = AnnotationStore(vault).load_all().annotations
    assert saved.tags == ("coastal", "tides", "erosion")
    async with open_reader(vault, size) as r:
        await r.until(lambda: r.transcript.source is not None)
        await r.press("e")
        editor = r.app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TagInput).value == "coastal, tides, erosion"
