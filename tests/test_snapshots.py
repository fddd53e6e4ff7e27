"""Pictures of the main screens at three terminal sizes (pytest-textual-snapshot)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from readmark.annotations import anchoring
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.workspace import Workspace
from readmark.tui.app import ReadmarkApp
from textual.pilot import Pilot
from textual.widgets import TextArea

DATA = Path(__file__).parent / "data" / "reader_vault"
SIZES = [(120, 36), (80, 24), (200, 50)]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReadmarkApp:
    vault = tmp_path / "vault"
    shutil.copytree(DATA, vault)
    # The detail pane shows when an annotation was made: the same day in every picture.
    monkeypatch.setattr(anchoring, "utc_now", lambda: "2026-02-16T09:30:00Z")
    with Workspace(vault) as workspace:
        workspace.annotate("tides-and-towns.md", "Tides are slower than people think.")
        workspace.annotate(
            "tides-and-towns.md",
            "Sea walls are always the answer.",
            Kind.DISSENT,
            note="Walls move the erosion along the coast to the next town.",
            confidence=Confidence.HIGH,
        )
    return ReadmarkApp(vault)


async def _open_talk(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("slash", *"tides", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.press("t", *"0:40", "enter", "j")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, app: ReadmarkApp, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app, terminal_size=size, run_before=_open_talk)


@pytest.mark.parametrize("size", SIZES)
def test_note_editor(snap_compare, app: ReadmarkApp, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_talk(pilot)
        await pilot.press("g", "d", *"The moon is not the only pull")
        # A blink of the text cursor on a busy machine is not a difference to report.
        pilot.app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(snap_compare, app: ReadmarkApp, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("s", *"walls OR silt", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, app: ReadmarkApp, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await _open_talk(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_annotation_needing_review(snap_compare, app: ReadmarkApp) -> None:  # type: ignore[no-untyped-def]
    # The talk loses a word of the dissent's quote: the candidate is underlined, marked ? in
    # the sidebar, and A and O show in the footer on it.
    talk = app.vault_path / "tides-and-towns.md"
    talk.write_text(
        talk.read_text(encoding="utf-8").replace("are always the answer", "are the answer"),
        encoding="utf-8",
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await _open_talk(pilot)
        await pilot.press("j")  # onto the candidate
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[0], run_before=run_before)


def test_notebook(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "vault"
    shutil.copytree(DATA, vault)
    made = [
        ("Tides are slower than people think.", Kind.HIGHLIGHT, "", (), None),
        (
            "Sea walls are always the answer.",
            Kind.DISSENT,
            "Walls move the erosion.",
            ("coast",),
            Confidence.HIGH,
        ),
        ("The moon pulls the water twice a day", Kind.NOTE, "Check the almanac.", ("moon",), None),
    ]
    with Workspace(vault) as workspace:
        source = workspace.source("tides-and-towns.md")
        for day, (quote, kind, note, tags, confidence) in enumerate(made, start=1):
            start = source.text.index(quote)
            annotation = new_annotation(
                source,
                start,
                start + len(quote),
                kind,
                note=note,
                tags=tags,
                confidence=confidence,
            )
            # Fixed days and ids: the picture must not change with the day it is taken.
            stamp = f"2026-04-0{day}T10:00:00Z"
            annotation = replace(
                annotation, id=f"01notebook{day:08d}", created=stamp, updated=stamp
            )
            workspace.store.write(annotation, None)
        workspace.sync_index()

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(ReadmarkApp(vault), terminal_size=(120, 36), run_before=run_before)
