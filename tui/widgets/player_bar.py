"""The player's line in the header: `▶ 1:02 / 5:48 · following`, or `⏸ detached (f)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readmark.library.timecode import format_timecode
from textual.widgets import Static

if TYPE_CHECKING:
    from readmark.media.player import PlayerState

PLAYING = "▶"
PAUSED = "⏸"


def bar_text(state: PlayerState | None, following: bool) -> str:
    """What the bar says; "" (the bar hidden) when no player runs."""
    if state is None or state.closed:
        return ""
    mark = PAUSED if state.paused else PLAYING
    if not following:
        return f"{mark} detached (f)"
    if state.position is None:
        return f"{mark} loading · following"
    total = f" / {format_timecode(state.duration)}" if state.duration else ""
    return f"{mark} {format_timecode(max(state.position, 0.0))}{total} · following"


class PlayerBar(Static):
    """Shown under the transcript's header while a player runs."""

    DEFAULT_CSS = """
    PlayerBar {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-accent;
        text-style: bold;
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(markup=False, id=id)
        self.text = ""
        """What the bar says now ("" while hidden)."""

    def show(self, state: PlayerState | None, following: bool) -> None:
        # Positions arrive many times a second; the words change about once.
        text = bar_text(state, following)
        if text != self.text:
            self.text = text
            self.display = bool(text)
            self.update(text)
