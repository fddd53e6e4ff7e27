"""The reader beside other programs editing the same vault (a synced folder, Obsidian): a note
written in the editor never overwrites another program's version, the watch sees every other
program's file, odd files are told about once, and odd file names work."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from helpers.running_reader import open_reader
from helpers.vaults import MakeVault
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace
from readmark.library import durable
from readmark.tui.screens.note_editor import NoteEditor
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript

TALK = """**Ada Quill** [00:00:00]

Welcome to the show about tides. We start at the harbour wall.

**Ben Rowe** [00:00:40]

Thanks. Tides are slower than people think. Sea walls are always the answer.
"""

LATIN_NAME = b"mar\xe9es.md"
"""A Latin-1 file name (`marées.md`) on a UTF-8 disk: not valid UTF-8."""


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"talk.md": TALK})


def edit_note(path: Path, old: str, new: str) -> None:
    """Another program's edit, saved with a rename as editors and sync tools do."""
    temp = path.with_name(".elsewhere.tmp")
    temp.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.replace(temp, path)


async def test_a_note_edited_elsewhere_while_the_editor_is_open_is_kept_beside_mine(
    vault: Path,
) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as run:
        await run.open("talk")
        await run.press("a", *"my first thought", "ctrl+s")
        await run.until(lambda: len(store.load_all().annotations) == 1)
        [annotation] = store.load_all().annotations
        path = store.path_for(annotation)

        await run.press("e")
        assert isinstance(run.app.screen, NoteEditor)
        edit_note(path, "my first thought", "the other device's words")
        await run.poll()  # "changed on disk: reloaded" while the editor stays open
        assert any("changed on disk: reloaded" in toast for toast in run.toasts)
        assert isinstance(run.app.screen, NoteEditor)
        await run.press("end", *", then more", "ctrl+s")

        await run.until(lambda: store.get(annotation.id).note == "my first thought, then more")
        copies = [p for p in path.parent.iterdir() if p.name != path.name]
        assert [c.name.startswith(f"{annotation.id} (conflicted copy ") for c in copies] == [True]
        assert "the other device's words" in copies[0].read_text(encoding="utf-8")
        assert any(copies[0].name in toast and "changed this note" in toast for toast in run.toasts)
        # The copy was announced with the save; it is not announced again as a stray file.
        await run.press("slash", *"talk", "enter")
        await run.settle()
        assert sum(copies[0].name in toast for toast in run.toasts) == 1


async def test_a_draft_kept_with_escape_saves_over_the_version_it_was_begun_on(
    vault: Path,
) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as run:
        await run.open("talk")
        await run.press("a", *"first", "ctrl+s")
        await run.until(lambda: len(store.load_all().annotations) == 1)
        [annotation] = store.load_all().annotations
        path = store.path_for(annotation)
        await run.press("e", "end", *" and a draft", "escape")
        edit_note(path, "first", "their rewrite")
        await run.poll()
        assert [a.note for a in run.sidebar.annotations] == ["their rewrite"]
        await run.press("e")
        await run.press("ctrl+s")
        await run.until(lambda: store.get(annotation.id).note == "first and a draft")
        [copy] = [p for p in path.parent.iterdir() if p != path]
        assert "their rewrite" in copy.read_text(encoding="utf-8")


async def test_the_watch_sees_another_programs_note_saved_just_before_mine(vault: Path) -> None:
    async with open_reader(vault) as run:
        await run.open("talk")
        await run.poll()
        with Workspace(vault) as other:  # a synced note lands...
            theirs = other.annotate("talk.md", "Sea walls are always the answer.", Kind.DISSENT)
        await run.press("h")  # ...and the reader saves its own before the next look
        # (the 2-second poll may look first on a busy machine: wait for the reader's own only)
        await run.until(lambda: any(a.kind is Kind.HIGHLIGHT for a in run.sidebar.annotations))
        await run.poll()
        ids = {a.id for a in run.sidebar.annotations}
        assert theirs.id in ids and len(ids) == 2


async def test_delete_refuses_a_note_changed_elsewhere_since_it_was_shown(vault: Path) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as run:
        await run.open("talk")
        await run.press("a", *"keep this", "ctrl+s")
        await run.until(lambda: len(store.load_all().annotations) == 1)
        [annotation] = store.load_all().annotations
        edit_note(store.path_for(annotation), "keep this", "keep this, says the other device")
        await run.press("x")
        shown = ["keep this, says the other device"]
        await run.until(lambda: [a.note for a in run.sidebar.annotations] == shown)
        assert store.get(annotation.id).note == "keep this, says the other device"
        assert any("Not deleted" in toast for toast in run.toasts)
        await run.press("x")  # now seen: the user's choice stands
        await run.until(lambda: store.load_all().annotations == [])


async def test_files_that_need_the_user_are_told_once_each(vault: Path) -> None:
    with Workspace(vault) as workspace:
        kept = workspace.annotate("talk.md", "Welcome to the show", Kind.NOTE, note="fine")
        merged = workspace.annotate("talk.md", "harbour wall", Kind.NOTE, note="ours")
        broken = workspace.annotate("talk.md", "Tides are slower", Kind.NOTE, note="x")
        store = workspace.store
    path = store.path_for(kept)
    copy = path.with_name(f"{kept.id} (Ben's conflicted copy 2026-11-23).md")
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    markers = store.path_for(merged)
    text = markers.read_text(encoding="utf-8")
    markers.write_text(
        text.replace("ours", "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> other"),
        encoding="utf-8",
    )
    store.path_for(broken).write_bytes(b"---\nid: [unclosed\n---\n")

    async with open_reader(vault) as run:
        await run.settle()
        told = [t for t in run.toasts if t.startswith("Annotation file")]
        assert len(told) == 1 and copy.name in told[0] and "sync tool" in told[0]
        await run.open("talk")
        told = [t for t in run.toasts if t.startswith("Annotation file")]
        assert len(told) == 3
        assert any(markers.name in t and "conflict markers" in t for t in told)
        assert any(store.path_for(broken).name in t for t in told)
        assert [a.id for a in run.sidebar.annotations] == [kept.id]

        run.screen.list_sources()  # the listing comes round again, the source is reopened
        await run.settle()
        await run.open("talk")
        assert len([t for t in run.toasts if t.startswith("Annotation file")]) == 3


async def test_a_file_name_that_is_not_utf8_lists_opens_and_annotates(vault: Path) -> None:
    with open(os.path.join(os.fsencode(vault), LATIN_NAME), "wb") as file:  # a bytes path
        file.write(TALK.encode("utf-8"))
    source_id = os.fsdecode(LATIN_NAME)
    store = AnnotationStore(vault)
    async with open_reader(vault) as run:
        listed = run.screen.query_one(SourceList)
        assert listed.shown_ids == [source_id, "talk.md"]  # one odd name breaks nothing
        await run.open("mar")
        transcript = run.screen.query_one(Transcript)
        assert transcript.source is not None and transcript.source.id == source_id
        await run.press("h")
        [made] = store.load_all().annotations
        assert made.source == source_id
        assert "marées" not in store.path_for(made).read_text(encoding="utf-8")
        assert "mar\ufffdes.md" in store.path_for(made).read_text(encoding="utf-8")
        assert [a.id for a in run.sidebar.annotations] == [made.id]
        shown = "\n".join(
            widget.render_line(y).text
            for widget in listed.query("*")
            for y in range(widget.size.height)
        )
        assert "Mar\ufffdes" in shown  # its title, from the name, odd byte shown as such

        run.screen.action_export()
        await run.settle()
        await run.press("enter")  # the folder offered: beside the vault
        exports = os.fsencode(vault.parent / f"{vault.name}-exports")
        assert os.listdir(exports) == [b"mar\xe9es.notes.md"]
        assert any("Exported 1 annotation to" in toast for toast in run.toasts)


async def test_a_save_the_disk_did_not_confirm_stays_one_annotation(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(vault)
    async with open_reader(vault) as run:
        await run.open("talk")
        await run.press("h")
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            real_fsync(fd)

        monkeypatch.setattr(durable.os, "fsync", fsync)
        await run.press("j", "a", *"a thought", "ctrl+s")
        await run.until(lambda: len(run.sidebar.annotations) == 2)
        assert any("may not survive a power cut" in toast for toast in run.toasts)
        await run.press("a")  # the key again, as a user retries: it edits the one written
        assert isinstance(run.app.screen, NoteEditor)
        await run.press("end", *", kept", "ctrl+s")
        await run.until(lambda: any(a.note == "a thought, kept" for a in run.sidebar.annotations))
        notes = sorted(a.note for a in store.load_all().annotations)
        assert notes == ["", "a thought, kept"]
