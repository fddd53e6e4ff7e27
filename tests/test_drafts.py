"""Drafts: what is typed in the note editor is kept on disk until it is saved or discarded,
through a quit, a restart, or the app being killed."""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.annotating import Annotator
from readmark.annotations.drafts import DraftKey, Drafts, NoteDraft
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace
from readmark.library.layout import VaultLayout
from readmark.tui.screens.note_editor import NoteEditor
from rich.text import Text
from textual.widgets import TextArea

TALK = "talks/tides-and-towns.md"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


def drafts_on_disk(vault: Path) -> list[NoteDraft]:
    """The drafts as a new process would find them."""
    return Drafts(VaultLayout(vault).drafts).all()


# -- the store --------------------------------------------------------------------------------


def test_a_draft_is_on_disk_for_the_next_process_and_gone_once_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    draft = NoteDraft(Kind.DISSENT, "Sea walls", note="they move it", source_id=TALK, span=(5, 14))
    Drafts(folder).keep(draft)
    again = Drafts(folder).get(draft.key)
    assert again is not None and again.note == "they move it" and again.kind is Kind.DISSENT
    Drafts(folder).drop(draft.key)
    assert Drafts(folder).all() == []
    assert list(folder.iterdir()) == []


def test_a_late_write_never_brings_back_a_saved_draft_nor_older_text(tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "drafts")
    draft = NoteDraft(Kind.NOTE, "words", source_id=TALK, span=(0, 5))
    older, newer, saved = drafts.ticket(), drafts.ticket(), drafts.ticket()
    drafts.keep(NoteDraft(Kind.NOTE, "words", note="newer", source_id=TALK, span=(0, 5)), newer)
    drafts.keep(NoteDraft(Kind.NOTE, "words", note="old", source_id=TALK, span=(0, 5)), older)
    assert Drafts(drafts.folder).get(draft.key).note == "newer"  # type: ignore[union-attr]
    drafts.drop(draft.key, saved)
    drafts.keep(NoteDraft(Kind.NOTE, "words", note="newer", source_id=TALK, span=(0, 5)), newer)
    assert Drafts(drafts.folder).all() == []


def test_a_damaged_draft_file_is_left_alone_and_the_others_read(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    Drafts(folder).keep(NoteDraft(Kind.NOTE, "a", note="fine", source_id=TALK, span=(0, 1)))
    (folder / "0123.json").write_text("{not json", encoding="utf-8")
    assert [d.note for d in Drafts(folder).all()] == ["fine"]
    assert (folder / "0123.json").exists()


def test_an_edit_draft_keeps_the_version_it_began_on(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate(TALK, "Tides are slower than people think.", Kind.NOTE)
        annotator = Annotator(workspace)
        annotator.open(TALK)
        draft = annotator.draft_of(made.id)
        assert draft is not None and draft.base is not None
        annotator.keep_draft(draft, "a second thought", None)
    with Workspace(vault) as workspace:
        annotator = Annotator(workspace)
        annotator.open(TALK)
        again = annotator.draft_of(made.id)
        assert again is not None and again.note == "a second thought"
        assert again.base == draft.base  # saved over the file it began on, not a newer one


def test_nothing_typed_is_no_draft_and_a_save_removes_it(vault: Path) -> None:
    with Workspace(vault) as workspace:
        annotator = Annotator(workspace)
        source = annotator.open(TALK)
        start = source.text.index("Thanks.")
        draft = annotator.draft_on(start, start + 7, Kind.DISSENT)
        annotator.keep_draft(draft, "  ", Confidence.MEDIUM)
        assert drafts_on_disk(vault) == []
        annotator.keep_draft(draft, "not quite", Confidence.LOW)
        assert [d.note for d in drafts_on_disk(vault)] == ["not quite"]
        annotator.save_draft(draft, "not quite, really", Confidence.LOW)
        assert drafts_on_disk(vault) == []


# -- in the reader ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_escape_then_q_keeps_the_draft_for_the_next_session(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("t", *"0:40", "enter", "a", *"half a thought", "escape")
        assert "Draft kept: press the same key on this text to go on." in r.said
        await r.press("q")
        words = r.app._exit_renderables
        assert len(words) == 1 and isinstance(words[0], Text)
        said = words[0].plain
        assert said.startswith("readmark: 1 note not saved is kept as a draft")
        assert "a: note on “Thanks.” (Tides and towns, 0:40)" in said
    assert [d.note for d in drafts_on_disk(vault)] == ["half a thought"]
    async with open_reader(vault, size) as r:
        await r.until(lambda: r.transcript.source is not None)
        assert any("A note not saved waits here" in toast for toast in r.said)
        await r.press("a")
        assert isinstance(r.app.screen, NoteEditor)
        assert r.app.screen.query_one(TextArea).text == "half a thought"
        await r.press(*" finished", "ctrl+s")
    assert [a.note for a in AnnotationStore(vault).load_all().annotations] == [
        "half a thought finished"
    ]
    assert drafts_on_disk(vault) == []


async def test_what_is_typed_is_on_disk_before_the_editor_closes(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("d", *"walls move the problem")
        await r.until(lambda: bool(drafts_on_disk(vault)))
        [draft] = drafts_on_disk(vault)
        assert (draft.kind, draft.note) == (Kind.DISSENT, "walls move the problem")
        assert isinstance(r.app.screen, NoteEditor)  # still writing


async def test_ctrl_g_discards_the_draft(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("a", *"never mind", "escape")
        assert drafts_on_disk(vault) != []
        await r.press("a", "ctrl+g")
        assert "Draft discarded." in r.said
        assert drafts_on_disk(vault) == []
        await r.press("a")
        assert r.app.screen.query_one(TextArea).text == ""


async def test_ctrl_q_in_the_editor_keeps_its_text(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("a", *"typed, then quit")
        await r.press("ctrl+q")
        said = r.app._exit_renderables[0].plain
        assert "1 note not saved is kept as a draft" in said
    assert [d.note for d in drafts_on_disk(vault)] == ["typed, then quit"]


async def test_q_without_drafts_says_nothing(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("q")
        assert r.app._exit_renderables == []


# -- a killed app -----------------------------------------------------------------------------


class Terminal:
    """readmark running in a pseudo-terminal of its own, as in a terminal window."""

    def __init__(self, args: list[str], size: tuple[int, int] = (100, 30)) -> None:
        main, side = pty.openpty()
        import fcntl
        import struct
        import termios

        columns, rows = size
        fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns)}
        env["LINES"] = str(rows)
        code = "import sys; from readmark.tui.cli import main; sys.exit(main())"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdin=side,
            stdout=side,
            stderr=side,
            env=env,
            start_new_session=True,
        )
        os.close(side)
        self.main = main
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def type(self, text: str) -> None:
        os.write(self.main, text.encode("utf-8"))

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.main)


def wait_for(done: Callable[[], bool], seconds: float = 40.0) -> None:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if done():
            return
        time.sleep(0.1)
    raise AssertionError("gave up waiting")


@pytest.mark.parametrize("close_editor", [False, True], ids=["typing", "after-escape"])
async def test_a_draft_survives_the_app_being_killed(vault: Path, close_editor: bool) -> None:
    # `readmark FILE`: the file's folder is the vault, and the talk opens, the cursor on it.
    talk = vault / TALK
    vault = talk.parent
    terminal = Terminal([str(talk)])
    try:
        wait_for(lambda: b"Welcome" in terminal.output)
        time.sleep(1.0)  # the first paint is done; the reader waits for keys
        terminal.type("a" + "kept through a kill")  # one write: as a paste comes
        if close_editor:
            time.sleep(0.5)
            terminal.type("\x1b")
        wait_for(lambda: [d.note for d in drafts_on_disk(vault)] == ["kept through a kill"])
    finally:
        terminal.kill()
    assert terminal.process.returncode == -signal.SIGKILL
    [draft] = drafts_on_disk(vault)
    assert draft.kind is Kind.NOTE and draft.quote == "Welcome to the show about tides."
    raw = json.loads(next(VaultLayout(vault).drafts.glob("*.json")).read_text(encoding="utf-8"))
    assert raw["source"] == talk.name
    async with open_reader(vault) as r:
        await r.until(lambda: r.transcript.source is not None)
        await r.press("g", "a")
        assert r.app.screen.query_one(TextArea).text == "kept through a kill"


def test_draft_keys_name_their_place() -> None:
    new = DraftKey(TALK, 3, 9, Kind.NOTE)
    assert new.file_name != DraftKey(TALK, 3, 9, Kind.DISSENT).file_name
    assert new.file_name == DraftKey(TALK, 3, 9, Kind.NOTE).file_name
