"""The reader as a user drives it: three panes in step, one-key annotations, cited copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.running_reader import RunningReader, open_reader
from helpers.small_vaults import FERRY
from helpers.vaults import MakeVault
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore
from readmark.tui import clipboard
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.screens.search_screen import SearchScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript

INTERVIEW = """---
title: Tides and towns
channel: Harbour Talks
url: https://www.youtube.com/watch?v=abcdefghijk
upload_date: 20260213
duration: 300
chapters:
  - {start_time: 0, title: Opening}
  - {start_time: 120, title: The moon}
---

**Ada Quill** [00:00:00]

Welcome to the show about tides. We start at the harbour wall.

**Ben Rowe** [00:00:40]

Thanks. Tides are slower than people think. Sea walls are always the answer.

**Ada Quill** [00:02:00]

Then tell me about [laughs] the moon and its [bold]pull[/bold].

**Ben Rowe** [00:04:04]

The moon pulls the water twice a day, and towns plan around it.
"""

ESSAY = "An essay about \x1b]0;retitled\x07 shade.\n\nIt has [bold]two[/bold] parts.\n"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(
        {"talk.md": INTERVIEW, "essay.txt": ESSAY, "picture.png": b"\x89PNG\r\n\x1a\n\0\0\0"}
    )


async def open_talk(r: RunningReader) -> Transcript:
    await r.press("slash", *"tides", "enter")
    transcript = r.screen.query_one(Transcript)
    assert transcript.source is not None and transcript.source.title == "Tides and towns"
    return transcript


async def test_starts_in_the_sources_panel_and_opens_with_enter(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.press()
        sources = r.screen.query_one(SourceList)
        assert sources.has_focus_within
        assert sources.shown_ids == ["essay.txt", "talk.md"]  # the picture is no source
        await r.press("down", "enter")
        transcript = r.screen.query_one(Transcript)
        assert transcript.has_focus
        assert "Tides and towns" in r.header and "0:00 / 5:00" in r.header


async def test_moving_the_cursor_keeps_header_outline_and_sidebar_in_step(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await open_talk(r)
        outline = r.screen.query_one(OutlineView)
        assert outline.marked == 0
        await r.press("J", "J")
        assert "2:00 / 5:00" in r.header
        assert "The moon" in r.header and "Ada Quill" in r.header
        assert outline.marked == 1
        await r.press("h")
        sidebar = r.screen.query_one(AnnotationSidebar)
        assert len(sidebar.annotations) == 1
        await r.press("g")
        assert "0:00 / 5:00" in r.header and outline.marked == 0
        await r.press("G")
        assert sidebar.marked_id == sidebar.annotations[0].id
        assert transcript.current_seconds == 244


async def test_choosing_an_outline_entry_or_annotation_moves_the_cursor(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await open_talk(r)
        await r.press("t", *"4:04", "enter", "h", "g")
        assert transcript.current_seconds == 0
        sidebar = r.screen.query_one(AnnotationSidebar)
        sidebar.focus()
        await r.press("enter")
        assert transcript.current_seconds == 244
        outline = r.screen.query_one(OutlineView)
        outline.focus()
        await r.press("enter")  # the entry the reader is in: The moon
        assert transcript.current_seconds == 120


async def test_h_a_d_write_annotation_files(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("t", *"0:40", "enter", "h")
        saved = store.load_all().annotations
        assert [(a.kind, a.quote, a.speaker, a.start) for a in saved] == [
            (Kind.HIGHLIGHT, "Thanks.", "Ben Rowe", 40.0)
        ]
        await r.press("j", "a")
        assert isinstance(r.app.screen, NoteEditor)
        await r.press(*"slow is relative", "ctrl+s")
        await r.press("j", "d")
        await r.press(*"Walls move the problem along the coast.", "ctrl+s")
        kinds = {a.kind: a for a in store.load_all().annotations}
        assert kinds[Kind.NOTE].note == "slow is relative"
        assert kinds[Kind.DISSENT].quote == "Sea walls are always the answer."
        assert kinds[Kind.DISSENT].note == "Walls move the problem along the coast."
        assert kinds[Kind.DISSENT].confidence is not None
        assert len(r.screen.query_one(AnnotationSidebar).annotations) == 3


async def test_escape_in_the_editor_keeps_the_draft(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("d", *"half a thought", "escape")
        assert store.load_all().annotations == []
        await r.press("d")
        assert isinstance(r.app.screen, NoteEditor)
        await r.press(*" finished", "ctrl+s")
        assert [a.note for a in store.load_all().annotations] == ["half a thought finished"]


async def test_y_copies_the_cited_quote(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(vault) as r:
            await open_talk(r)
            await r.press("t", *"4:04", "enter", "y")
    finally:
        clipboard.set_system_copy(previous)
    assert copied == [
        '> "The moon pulls the water twice a day, and towns plan around it." — Ben Rowe, '
        "*Tides and towns* (Harbour Talks, 2026-02-13), "
        "[4:04](https://www.youtube.com/watch?v=abcdefghijk&t=244s)"
    ]


async def test_x_deletes_to_the_trash_and_u_brings_it_back(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("h")
        assert len(store.load_all().annotations) == 1
        await r.press("x")
        assert store.load_all().annotations == []
        assert list((vault / ".readmark" / "trash").glob("*.md"))
        await r.press("u")
        assert len(store.load_all().annotations) == 1


async def test_search_opens_the_source_at_the_hit(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.press("s")
        assert isinstance(r.app.screen, SearchScreen)
        await r.press(*"towns plan", "enter")
        await r.press("enter")  # the entry the reader is in: The moon
        transcript = r.screen.query_one(Transcript)
        assert transcript.source is not None and transcript.source.id == "talk.md"
        assert transcript.current_seconds == 244


async def test_remembers_the_source_and_cursor_between_runs(vault: Path) -> None:
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("t", *"2:00", "enter")
        await r.press("q")
    async with open_reader(vault) as r:
        await r.press()
        transcript = r.screen.query_one(Transcript)
        assert transcript.source is not None and transcript.source.id == "talk.md"
        assert transcript.current_seconds == 120


async def test_on_restart_the_sources_list_sits_on_the_reopened_source(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        (folder / f"note{n:02}.txt").write_text(f"Note number {n}. It is short.\n")
    async with open_reader(folder, size=(80, 24)) as run:
        await run.press("end", "up", "up", "enter")
        await run.until(lambda: run.transcript.source is not None)
        await run.press("q")
    async with open_reader(folder, size=(80, 24)) as run:
        await run.until(lambda: run.transcript.source is not None)
        await run.press("ctrl+b")  # at 80 columns the list shows over the text when asked
        sources = run.screen.query_one(SourceList)
        assert sources.highlighted_id == "note27.txt"
        listing = sources.query_one("_Options")
        assert listing.scroll_offset.y > 0
        shown = [listing.render_line(y).text for y in range(listing.size.height)]
        assert any("27" in line for line in shown)  # scrolled into view


async def test_a_source_changed_on_disk_is_reloaded(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await open_talk(r)
        await r.press("t", *"4:04", "enter", "h")
        path = vault / "talk.md"
        path.write_text(INTERVIEW.replace("Welcome to the show", "Hello and welcome to the show"))
        await r.poll()
        await r.until(
            lambda: transcript.source is not None and "Hello and welcome" in transcript.source.text
        )
        assert transcript.source is not None
        annotation = r.screen.annotations[0]
        start, end = annotation.anchor.position.start, annotation.anchor.position.end
        assert transcript.source.text[start:end] == annotation.quote


async def test_text_inserted_above_does_not_move_the_cursor_off_its_sentence(
    ferry_vault: Path,
) -> None:
    async with open_reader(ferry_vault) as run:
        await run.open("ferry")
        await run.press("t", *"1:40", "enter", "j")
        assert run.cursor_text() == "Tickets are sold on board."
        await run.press("v")
        assert run.transcript.selecting
        grown = FERRY.replace(
            "Boats drift by slowly.", "Boats drift by slowly. A gull cries twice over the water."
        )
        (ferry_vault / "ferry.md").write_text(grown, encoding="utf-8")
        await run.poll()
        await run.until(
            lambda: run.transcript.source is not None and "gull" in run.transcript.source.text
        )
        await run.press()
        assert run.cursor_text() == "Tickets are sold on board."
        assert not run.transcript.selecting  # a selection in progress is let go


async def test_text_from_files_is_shown_as_text(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.press("enter")
        transcript = r.screen.query_one(Transcript)
        lines = [transcript.render_line(y).text for y in range(transcript.size.height)]
        shown = "\n".join(lines)
        assert "[bold]two[/bold]" in shown
        assert "\x1b" not in shown and "retitled" not in shown


async def test_help_lists_the_keys_and_q_quits(vault: Path) -> None:
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("question_mark")
        assert type(r.app.screen).__name__ == "HelpScreen"
        await r.press("escape")
        await r.press("ctrl+b")
        assert r.screen.query_one("#sources-pane").has_class("-hidden")
        await r.press("ctrl+e")
        assert r.screen.query_one("#sidebar").has_class("-hidden")
        await r.press("q")
    assert not r.app.is_running


async def test_stays_usable_at_80_by_24(vault: Path) -> None:
    async with open_reader(vault, size=(80, 24)) as r:
        transcript = await open_talk(r)
        assert transcript.size.width >= 30
        await r.press("j")
        assert "/ 5:00" in r.header and "Ada Quill" in r.header


async def test_e_edits_the_note_under_the_cursor(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("a", *"first", "ctrl+s")
        await r.press("e")
        assert isinstance(r.app.screen, NoteEditor)
        await r.press("end", *" and second", "ctrl+s")
        assert [a.note for a in store.load_all().annotations] == ["first and second"]


async def test_capital_y_chooses_the_citation_format(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(vault) as r:
            await open_talk(r)
            await r.press("t", *"4:04", "enter", "Y")
            assert type(r.app.screen).__name__ == "ChoiceScreen"
            await r.press("2")  # plain
    finally:
        clipboard.set_system_copy(previous)
    assert copied == [
        '"The moon pulls the water twice a day, and towns plan around it." — Ben Rowe, '
        "Tides and towns (Harbour Talks, 2026-02-13), 4:04 "
        "https://www.youtube.com/watch?v=abcdefghijk&t=244s"
    ]


async def test_the_format_chosen_with_capital_y_is_used_by_y_afterwards(rivers_vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(rivers_vault) as r:
            await r.open("rivers")
            await r.press("Y", "2")  # plain
            assert "From now on y copies as plain." in r.toasts[-1]
            await r.press("j", "y")
    finally:
        clipboard.set_system_copy(previous)
    assert len(copied) == 2
    assert not any(text.startswith(">") for text in copied)  # markdown quotes start with >
    assert copied[1].startswith('"Floods find them again."')


async def test_o_opens_the_source_url_at_the_cursor_time(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("t", *"2:00", "enter", "o")
    assert opened == ["https://www.youtube.com/watch?v=abcdefghijk&t=120s"]


async def test_keys_can_be_remapped_by_binding_id(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"transcript.highlight" = "H"\n', encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(config))
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("h")
        assert store.load_all().annotations == []
        await r.press("H")
        assert [a.kind for a in store.load_all().annotations] == [Kind.HIGHLIGHT]


async def test_annotations_written_by_another_program_are_picked_up(vault: Path) -> None:
    from readmark.annotations.workspace import Workspace

    async with open_reader(vault) as r:
        await open_talk(r)
        sidebar = r.screen.query_one(AnnotationSidebar)
        assert sidebar.annotations == []
        with Workspace(vault) as other:  # a second readmark, or a sync tool
            made = other.annotate("talk.md", "Tides are slower than people think.")
        await r.poll()
        assert [a.id for a in sidebar.annotations] == [made.id]
        path = AnnotationStore(vault).path_for(made)
        path.unlink()
        await r.poll()
        assert sidebar.annotations == []


async def test_a_source_deleted_while_open_stays_on_screen_with_a_warning(vault: Path) -> None:
    async with open_reader(vault) as r:
        transcript = await open_talk(r)
        (vault / "talk.md").unlink()
        await r.poll()
        assert transcript.source is not None and transcript.source.id == "talk.md"
        assert [s.id for s in r.screen.query_one(SourceList).summaries] == ["essay.txt"]
        await r.press("J")
        assert "Ben Rowe" in r.header  # still readable from memory


async def test_notifications_show_file_names_as_text(vault: Path) -> None:
    hostile = "talk\x1b]0;owned\x07[bold red]x.md"
    (vault / hostile).write_text(INTERVIEW, encoding="utf-8")
    async with open_reader(vault) as r:
        await r.press("slash", *"tides", "enter")
        (vault / hostile).unlink()
        for source in r.screen.summaries:
            if "owned" not in source.id:
                continue
            r.screen.open_by_id(source.id)
            await r.press()
            await r.poll()
        shown = [n.message for n in r.app._notifications]
        assert any("deleted or renamed" in m for m in shown)
        assert all("\x1b" not in m and "\x07" not in m for m in shown)
        assert any("[bold red]x" in m for m in shown)


async def test_a_file_that_cannot_be_read_opens_as_a_message(vault: Path) -> None:
    (vault / "broken.json").write_text('{"segments": [', encoding="utf-8")
    async with open_reader(vault) as r:
        await r.press("slash", *"broken", "enter")
        transcript = r.screen.query_one(Transcript)
        lines = [transcript.render_line(y).text for y in range(transcript.size.height)]
        shown = " ".join(" ".join(lines).split())
        assert "readmark cannot open broken.json" in shown
        assert "not valid JSON" in shown
        await r.press("h")
        assert AnnotationStore(vault).load_all().annotations == []


async def test_the_same_key_twice_on_the_same_words_does_not_duplicate(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("h", "h")
        assert len(store.load_all().annotations) == 1
        await r.press("a", *"one", "ctrl+s")
        await r.press("a")
        assert isinstance(r.app.screen, NoteEditor)  # the existing note, to edit
        await r.press("end", *" more", "ctrl+s")
        notes = [a.note for a in store.load_all().annotations if a.kind is Kind.NOTE]
        assert notes == ["one more"]


async def test_h_inside_a_longer_highlight_says_already_highlighted(rivers_vault: Path) -> None:
    async with open_reader(rivers_vault) as r:
        await r.open("rivers")
        await r.press("v", "j", "h")  # one highlight over the first two sentences
        store = AnnotationStore(rivers_vault)
        assert len(store.load_all().annotations) == 1
        await r.press("k", "h")  # the first sentence alone
        assert [a.kind for a in store.load_all().annotations] == [Kind.HIGHLIGHT]
        assert r.toasts[-1] == "Already highlighted."


async def test_hiding_the_focused_pane_moves_focus_to_the_transcript(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.press("ctrl+b")
        assert r.screen.query_one(Transcript).has_focus


async def test_undo_works_from_any_pane_and_its_old_binding_id_still_remaps_it(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"transcript.undo" = "U"\n', encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(config))
    store = AnnotationStore(vault)
    async with open_reader(vault) as r:
        await open_talk(r)
        await r.press("h", "x")
        assert store.load_all().annotations == []
        r.screen.query_one(AnnotationSidebar).focus()
        await r.press("u")  # remapped away
        assert store.load_all().annotations == []
        await r.press("U")
        assert [a.kind for a in store.load_all().annotations] == [Kind.HIGHLIGHT]
        assert r.screen.query_one(AnnotationSidebar).has_focus
