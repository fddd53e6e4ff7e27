"""How the reader's panes share the terminal's width.

Below `NARROW_BELOW` columns the side panes leave the row: the transcript takes the whole
width, and `ctrl+b` / `ctrl+e` show a side pane over it, for a moment. Above it, the sources
pane keeps its width, the transcript takes what its text needs at the readable measure (and no
more), and what is left goes to the annotation sidebar, which at wide sizes has room to show the
marked annotation in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

NARROW_BELOW = 110
"""Columns below which the side panes collapse."""
SIDE_SHARE = 0.22
"""Of the terminal's width, what each side pane takes (the sidebar: at least)..."""
SIDE_LEAST, SIDE_MOST = 24, 32
"""...but never fewer or more columns than these."""
SOURCES_OVER = 40
SIDEBAR_OVER = 46
"""Widths of the side panes shown over the transcript in a narrow terminal."""
OVER_SPARE = 12
"""Columns of the transcript an overlay leaves visible."""


@dataclass(frozen=True, slots=True)
class Arrangement:
    """Widths of the panes in the row (0: not in it)."""

    narrow: bool
    sources: int
    reading: int
    sidebar: int


def arrange_panes(
    width: int, *, text_needs: int, sources: bool = True, sidebar: bool = True
) -> Arrangement:
    """The panes' widths in a terminal `width` columns wide: `text_needs` is the transcript's
    width at the readable measure; `sources` and `sidebar` say whether the user shows them."""
    if width < NARROW_BELOW:
        return Arrangement(True, 0, width, 0)
    side = max(SIDE_LEAST, min(SIDE_MOST, round(width * SIDE_SHARE)))
    left = side if sources else 0
    rest = width - left
    if not sidebar:
        return Arrangement(False, left, rest, 0)
    reading = max(min(rest - side, text_needs), 0)
    return Arrangement(False, left, reading, rest - reading)


def overlay_width(pane: str, width: int) -> int:
    """The width of side pane `pane` shown over the transcript of a `width`-column terminal."""
    wanted = SOURCES_OVER if pane == "sources-pane" else SIDEBAR_OVER
    return max(min(wanted, width - OVER_SPARE), min(width, 20))


SIDE_PANES = ("sources-pane", "sidebar")


class Panes:
    """Shows, hides and sizes the side panes of a reader screen as the width asks: `hidden`
    are the panes the user hid (at wide sizes), `overlay` the one shown over the transcript
    in a narrow terminal."""

    def __init__(self, screen: Screen[Any], hidden: Iterable[str] = ()) -> None:
        self.screen = screen
        self.hidden: set[str] = {pane for pane in hidden if pane in SIDE_PANES}
        self.overlay: str | None = None
        self.narrow = False
        self.text_needs = 0
        """The transcript's width at the readable measure (set by the screen)."""

    def shown(self, pane_id: str) -> bool:
        """Whether the pane is on screen now (in the row, or over the transcript)."""
        if self.narrow:
            return self.overlay == pane_id
        return pane_id not in self.hidden

    def toggle(self, pane_id: str) -> bool:
        """Show or hide a side pane; True when it is shown now."""
        if self.narrow:
            self.overlay = None if self.overlay == pane_id else pane_id
        elif pane_id in self.hidden:
            self.hidden.discard(pane_id)
        else:
            self.hidden.add(pane_id)
        self.apply()
        return self.shown(pane_id)

    def close_overlay(self) -> bool:
        """Hide the pane shown over the transcript; False when none was."""
        if self.overlay is None:
            return False
        self.overlay = None
        self.apply()
        return True

    def start(self, width: int, *, overlay: str | None) -> None:
        """Before the panes mount: how wide the terminal is and which pane, in a narrow one, is
        shown over the transcript. Their classes are then right when they are first styled."""
        self.narrow = width < NARROW_BELOW
        self.overlay = overlay if self.narrow else None

    def classes(self, pane_id: str) -> dict[str, bool]:
        """The layout classes of side pane `pane_id` as things stand."""
        over = self.overlay == pane_id
        return {
            "-overlay": over,
            "-hidden": pane_id in self.hidden and not self.narrow,
            "-collapsed": self.narrow and not over,
        }

    def class_names(self, pane_id: str) -> str:
        return " ".join(name for name, on in self.classes(pane_id).items() if on)

    def apply(self) -> None:
        width = self.screen.size.width
        if not width:
            return
        arrangement = arrange_panes(
            width,
            text_needs=self.text_needs,
            sources="sources-pane" not in self.hidden,
            sidebar="sidebar" not in self.hidden,
        )
        self.narrow = arrangement.narrow
        if not self.narrow:
            self.overlay = None
        self.screen.set_class(self.narrow, "-narrow")
        widths = {"sources-pane": arrangement.sources, "sidebar": arrangement.sidebar}
        for pane_id in SIDE_PANES:
            pane = self.screen.query_one(f"#{pane_id}", Widget)
            over = self.overlay == pane_id
            # One restyle per pane that changes, not one per class.
            pane.update_classes(self.classes(pane_id))
            if over:
                pane_width = overlay_width(pane_id, width)
                pane.styles.width = pane_width
                x = 0 if pane_id == "sources-pane" else width - pane_width
                pane.styles.offset = (x, 0)
            else:
                pane.styles.offset = (0, 0)
                if widths[pane_id]:
                    pane.styles.width = widths[pane_id]
        reading = self.screen.query_one("#reading-pane", Widget)
        reading.styles.width = arrangement.reading if not self.narrow else "1fr"
