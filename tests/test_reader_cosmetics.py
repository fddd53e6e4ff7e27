"""The small things a reader notices: a sidebar hint that wraps, a header without a stray dash
or a title said twice, a warning about a file once a session, and a help that lists readmark's
own keys with the ids `[keys]` remaps them by."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.tui.screens.help_screen import HelpScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from rich.console import Console
from textual.widgets import Static

CLIPPED = """# Notes from the quay

<div class="clipper">saved from the web</div>
<span>share this</span>

The quay was rebuilt twice in one century.
"""


def as_text(content: object) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    folder = make_vault(HARBOUR_VAULT)
    (folder / "clipped.md").write_text(CLIPPED, encoding="utf-8")
    return folder


@pytest.mark.parametrize("size", SIZES)
async def test_the_sidebars_hint_wraps_in_its_width(vault: Path, size: tuple[int, int]) -> None:
    async with open_reader(vault, size) as r:
        await r.open("tides")
        if size[0] < 110:
            await r.press("ctrl+e")
        sidebar = r.screen.query_one(AnnotationSidebar)
        lines = [sidebar.render_line(y).text.strip() for y in range(sidebar.size.height)]
        shown = " ".join(line for line in lines if line)
        assert shown == "No annotations yet. In the transcript: h highlight, a note, d dissent."
        assert not any("…" in line for line in lines)


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_says_the_title_once_and_without_a_stray_dash(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("silt")
        header = r.header
        assert header.count("Why harbours silt up") == 1  # the heading is the title
        assert "—" not in header
        await r.open("tides")
        assert r.header.startswith("0:00 / 5:00  § Opening  Ada Quill")
        assert not r.header.startswith("—")


async def test_a_files_warning_is_told_once_a_session(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("quay")
        await r.open("tides")
        await r.open("quay")
        told = [t for t in r.said if "HTML lines" in t]
        assert len(told) == 1 and told[0].startswith("clipped.md: left out 2 HTML lines")


async def test_help_lists_readmarks_keys_with_their_ids(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("question_mark")
        assert isinstance(r.app.screen, HelpScreen)
        shown = "\n".join(as_text(s.content) for s in r.app.screen.query(Static))
        assert "transcript.highlight" in shown and "screen.quit" in shown
        assert "annotation_sidebar.edit" in shown and "source_list.sort" in shown
        assert "[keys]" in shown
        for textual_key in ("Scroll Left", "Scroll Right", "Page Left", "Focus Next"):
            assert textual_key not in shown
