"""`readmark FILE`: the file's folder is the vault, and the file opens, ready to read."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.tui import cli
from readmark.tui.app import ReadmarkApp
from readmark.tui.cli import entry
from readmark.tui.widgets.transcript import Transcript


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


def test_a_file_opens_in_its_folder(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[Path, str | None]] = []
    monkeypatch.setattr(
        "readmark.tui.app.run_app", lambda path, source=None: started.append((path, source))
    )
    assert cli.main([str(vault / "essays" / "why-harbours-silt-up.md")]) == 0
    assert started == [((vault / "essays").absolute(), "why-harbours-silt-up.md")]


def test_neither_folder_nor_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "talk.md"
    assert entry.main([str(missing)]) == 2
    err = capsys.readouterr().err
    assert "is neither a folder nor a file" in err and "Traceback" not in err


async def test_the_reader_opens_the_file_with_the_keys_in_its_text(vault: Path) -> None:
    app = ReadmarkApp(vault / "talks", open_source="tides-and-towns.md")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            transcript = app.screen.query_one(Transcript)
            if transcript.source is not None:
                break
        assert transcript.source is not None and transcript.source.id == "tides-and-towns.md"
        assert isinstance(app.focused, Transcript)


async def test_a_file_that_is_no_source_says_why(vault: Path) -> None:
    (vault / "talks" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    app = ReadmarkApp(vault / "talks", open_source="picture.png")
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(100):
            await app.workers.wait_for_complete()
            await pilot.pause()
            said = [str(n.message) for n in app._notifications]
            if any("Cannot open picture.png" in m for m in said):
                break
        assert any(m.startswith("Cannot open picture.png: ") for m in said)
