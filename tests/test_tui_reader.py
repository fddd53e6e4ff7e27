"""The reader screen as a user drives it with keys (Textual's Pilot)."""

from pathlib import Path

from tui.app import ReadmarkApp
from tui.widgets.source_list import SourceList
from tui.widgets.transcript import Transcript

INTERVIEW = """---
title: Tides and towns
channel: Harbour Talks
url: https://www.youtube.com/watch?v=abcdefghijk
duration: 120
---

**Ada Quill** [00:00:00]

Welcome to the show about tides.

**Ben Rowe** [00:00:40]

Thanks. Tides are slower than people think.

**Ada Quill** [00:01:20]

Then tell me about [laughs] the moon.
"""


def _vault(tmp_path: Path) -> Path:
    (tmp_path / "talk.md").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "essay.txt").write_text(
        "An essay about \x1b]0;retitled\x07 shade.\n\nIt has [bold]two[/bold] parts.\n",
        encoding="utf-8",
    )
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    return tmp_path


async def test_lists_sources_and_opens_one_with_enter(tmp_path: Path) -> None:
    app = ReadmarkApp(_vault(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        source_list = app.screen.query_one(SourceList)
        assert source_list.has_focus
        assert source_list.option_count == 2  # the picture is not a source
        ids = [source_list.get_option_at_index(i).id for i in range(2)]
        await pilot.press(*(["down"] * ids.index("talk.md")), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        assert transcript.has_focus
        assert transcript.source is not None and transcript.source.title == "Tides and towns"
        header = str(app.screen.query_one("#transcript-header").render())
        assert "Tides and towns" in header and "0:00 / 2:00" in header
        await pilot.press("j")
        header = str(app.screen.query_one("#transcript-header").render())
        assert "0:40 / 2:00" in header and "Ben Rowe" in header
        await pilot.press("G")
        assert transcript.cursor == len(transcript.source.segments) - 1
        await pilot.press("q")
    assert not app.is_running


async def test_text_from_files_is_shown_as_text(tmp_path: Path) -> None:
    app = ReadmarkApp(_vault(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        source_list = app.screen.query_one(SourceList)
        ids = [source_list.get_option_at_index(i).id for i in range(2)]
        await pilot.press(*(["down"] * ids.index("essay.txt")), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        lines = [transcript.render_line(y).text for y in range(transcript.size.height)]
        screen_text = "\n".join(lines)
        assert "[bold]two[/bold]" in screen_text
        assert "\x1b" not in screen_text and "retitled" not in screen_text
