"""The command line and the reader follow the same rules: each test works one vault through
`readmark ...` and through the keys of a running reader, and both come out the same."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore
from readmark.tui import clipboard
from readmark.tui.cli import main
from readmark.tui.screens.note_editor import NoteEditor

FERRY = """---
title: The night ferry
channel: Harbour Talks
url: https://www.youtube.com/watch?v=ferry000001
upload_date: 20260301
---

**Ines Faro** [00:00:10]

The ferry leaves at nine. Tickets are sold on board. Bring coins for the machine.

**Tomas Berg** [00:01:30]

Nobody checks the tickets anyway. The crossing takes forty minutes.
"""

FIRST_TWO = "The ferry leaves at nine. Tickets are sold on board."
FIRST = "The ferry leaves at nine."
LATER = "Nobody checks the tickets anyway."


@pytest.fixture
def vault(make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "config.toml"))  # a test writes it
    return make_vault({"ferry.md": FERRY})


def cli(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


async def go_to(reader: RunningReader, words: str) -> None:
    """Put the cursor on the sentence that begins with `words`."""
    transcript = reader.transcript
    source = transcript.source
    assert source is not None
    transcript.go_to_offset(source.text.index(words))
    await reader.press()
    start, end = transcript.cursor_span
    assert source.text[start:end].startswith(words)


@asynccontextmanager
async def reading(vault: Path) -> AsyncIterator[RunningReader]:
    async with open_reader(vault) as reader:
        await reader.press("slash", *"ferry", "enter")
        assert reader.transcript.source is not None
        yield reader


def stored(vault: Path) -> list[tuple[Kind, str, str]]:
    return sorted((a.kind, a.quote, a.note) for a in AnnotationStore(vault).load_all().annotations)


async def test_neither_highlights_words_a_highlight_already_holds(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(vault, capsys, "annotate", "ferry.md", "--quote", FIRST_TWO, "--json")
    assert status == 0
    made = json.loads(out)["id"]
    async with reading(vault) as reader:
        await go_to(reader, FIRST)
        await reader.press("h")  # inside the highlight the command made
        assert reader.toasts[-1] == "Already highlighted."
        await go_to(reader, LATER)
        await reader.press("h")
    assert stored(vault) == [(Kind.HIGHLIGHT, LATER, ""), (Kind.HIGHLIGHT, FIRST_TWO, "")]
    # ...and the command refuses what the reader made, and what lies inside the first one.
    for quote, holder in ((LATER, None), (FIRST, made), (FIRST_TWO, made)):
        status, out, err = cli(vault, capsys, "annotate", "ferry.md", "--quote", quote, "--json")
        assert status == 0
        shown = json.loads(out)["id"]
        assert holder is None or shown == holder
        assert err == f"readmark: already highlighted: {shown}\n"
    assert len(stored(vault)) == 2


async def test_one_note_per_passage_and_kind_in_both(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with reading(vault) as reader:
        await go_to(reader, FIRST)
        await reader.press("a", *"from the reader", "ctrl+s")
    [(_, _, note)] = stored(vault)
    assert note == "from the reader"
    [annotation] = AnnotationStore(vault).load_all().annotations
    status, out, err = cli(
        vault, capsys, "annotate", "ferry.md", "--quote", FIRST, "--kind", "note", "--note", "x"
    )
    assert (status, out) == (2, "")
    assert f"already has a note on these words: {annotation.id}" in err
    assert "edit that one" in err and f"readmark delete {annotation.id}" in err
    # A dissent note from the command: `d` on those words in the reader edits it.
    status, _, _ = cli(
        vault, capsys, "annotate", "ferry.md", "--quote", LATER, "--kind", "dissent",
        "--note", "from the command",
    )  # fmt: skip
    assert status == 0
    async with reading(vault) as reader:
        await go_to(reader, LATER)
        await reader.press("d")
        assert isinstance(reader.app.screen, NoteEditor)
        await reader.press("end", *", then the reader", "ctrl+s")
    assert stored(vault) == [
        (Kind.DISSENT, LATER, "from the command, then the reader"),
        (Kind.NOTE, FIRST, "from the reader"),
    ]


async def test_y_and_cite_use_the_configured_default_format(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text(
        '[citation]\ndefault = "short"\n\n[citation.templates]\n'
        'short = "{who} said \\"{quote}\\" at {timestamp}"\n',
        encoding="utf-8",
    )
    status, out, _ = cli(vault, capsys, "annotate", "ferry.md", "--quote", LATER, "--json")
    assert status == 0
    status, cited, _ = cli(vault, capsys, "cite", json.loads(out)["id"])
    assert (status, cited) == (0, 'Tomas Berg said "Nobody checks the tickets anyway." at 1:30\n')
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with reading(vault) as reader:
            await go_to(reader, LATER)
            await reader.press("y")
    finally:
        clipboard.set_system_copy(previous)
    assert copied == [cited.rstrip("\n")]


async def test_the_readers_export_writes_what_the_command_writes(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    async with reading(vault) as reader:
        await go_to(reader, FIRST)
        await reader.press("h")
        await go_to(reader, LATER)
        await reader.press("d", *"They do on Sundays.", "ctrl+s")
        reader.screen.action_export()
        await reader.press("enter")  # the folder offered: beside the vault
        assert any("Exported 2 annotations to" in toast for toast in reader.toasts)
    exports = vault.parent / f"{vault.name}-exports"
    from_reader = {p.name: p.read_bytes() for p in exports.iterdir()}
    out = tmp_path / "out"
    status, _, _ = cli(
        vault, capsys, "export", "--format", "markdown", "--source", "ferry.md", "--out", str(out)
    )
    assert status == 0
    from_command = {p.name: p.read_bytes() for p in out.iterdir()}
    assert from_reader == from_command
    assert list(from_reader) == ["ferry.notes.md"]
    text = from_reader["ferry.notes.md"].decode("utf-8")
    assert "They do on Sundays." in text and FIRST in text
