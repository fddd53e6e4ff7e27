"""The notebook's list: one line per annotation of the vault, drawn only for the rows on screen
(a listing of 100,000 reads the few dozen shown), with a cursor row."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from readmark.annotations.notebook import Listing, NotebookRow
from readmark.library.safe_text import printable
from readmark.library.timecode import format_timecode
from readmark.tui.widgets.annotation_sidebar import KIND_MARKS
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

TitleOf = Callable[[str], str]

MARKS = {kind: mark for kind, (mark, _) in KIND_MARKS.items()}
"""The sidebar's marks; the colours are this list's component classes (the same theme ones)."""
CONFIDENCE_WORDS = {"low": "low", "medium": "med", "high": "high"}
FIXED = (("", 1), ("source", 18), ("speaker", 14), ("time", 7))
TAIL = (("tags", 14), ("conf", 4), ("date", 10))
"""Columns of a set width; the quote and the note share what is left."""


def columns(width: int) -> list[tuple[str, int]]:
    """The columns and their widths for a list `width` cells wide (one space between)."""
    fixed = sum(w for _, w in FIXED + TAIL) + len(FIXED + TAIL) + 1
    rest = max(width - fixed, 20)
    quote = rest * 3 // 5
    return [*FIXED, ("quote", quote), ("note", rest - quote), *TAIL]


def cell(text: str, width: int) -> str:
    """`text` on one line, cut to `width` cells with an ellipsis, padded."""
    flat = " ".join(printable(text).split())
    if len(flat) > width:
        flat = flat[: max(width - 1, 0)] + "…"
    return flat.ljust(width)


def row_cells(row: NotebookRow, title: str) -> dict[str, str]:
    return {
        "source": title,
        "speaker": row.speaker,
        "time": format_timecode(row.start) if row.start is not None else "",
        "quote": row.quote,
        "note": row.note,
        "tags": " ".join(f"#{tag}" for tag in row.tags),
        "conf": CONFIDENCE_WORDS.get(str(row.confidence), "") if row.confidence else "",
        "date": row.created[:10],
    }


class NotebookList(ScrollView, can_focus=True):
    """Rows of a `Listing`; `enter` posts `Chosen`, j/k and pages move the cursor."""

    DEFAULT_CSS = """
    NotebookList {
        height: 1fr;
    }
    NotebookList > .notebook-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    NotebookList > .notebook-list--header {
        text-style: bold;
        color: $text-muted;
    }
    NotebookList > .notebook-list--meta {
        color: $text-muted;
    }
    NotebookList > .notebook-list--highlight {
        color: $text-warning;
    }
    NotebookList > .notebook-list--note {
        color: $text-accent;
    }
    NotebookList > .notebook-list--dissent {
        color: $text-error;
        text-style: bold;
    }
    NotebookList > .notebook-list--review {
        color: $text-warning;
        text-style: bold reverse;
    }
    NotebookList > .notebook-list--orphaned {
        color: $text-warning;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "notebook-list--cursor",
        "notebook-list--header",
        "notebook-list--meta",
        "notebook-list--highlight",
        "notebook-list--note",
        "notebook-list--dissent",
        "notebook-list--review",
        "notebook-list--orphaned",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Down", show=False, id="notebook_list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="notebook_list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="notebook_list.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="notebook_list.page_up"),
        Binding("g,home", "first", "Top", show=False, id="notebook_list.top"),
        Binding("G,end", "last", "Bottom", show=False, id="notebook_list.bottom"),
        Binding("enter", "choose", "Open at it", id="notebook_list.open"),
    ]

    class Chosen(Message):
        """The user chose the row under the cursor (enter)."""

        def __init__(self, notebook_list: NotebookList, row: NotebookRow) -> None:
            super().__init__()
            self.notebook_list = notebook_list
            self.row = row

        @property
        def control(self) -> NotebookList:
            return self.notebook_list

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(
        self,
        title_of: TitleOf,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for a widget id
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.title_of = title_of
        self.listing = Listing.empty()

    # -- what is listed ------------------------------------------------------------------------

    def show(self, listing: Listing, keep: str | None = None) -> None:
        """List `listing`; the cursor goes to the row of `keep` when it is near the top, else
        to the first row."""
        old = self.listing
        self.listing = listing
        self.virtual_size = Size(self.size.width, len(listing) + 1)
        found = listing.position_of(keep, near=min(self.cursor, len(listing))) if keep else None
        self.cursor = found if found is not None else 0
        self.scroll_to(y=max(0, self.cursor - self._page() // 2), animate=False)
        self.refresh()
        if old is not listing:
            old.close()

    @property
    def current(self) -> NotebookRow | None:
        return self.listing.row(self.cursor)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.listing) - 1))

    def watch_cursor(self) -> None:
        top = self.scroll_offset.y
        page = self._page()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False)
        self.refresh()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    # -- keys ----------------------------------------------------------------------------------

    def action_move(self, steps: int) -> None:
        self.cursor += steps

    def action_page(self, pages: int) -> None:
        self.cursor += pages * self._page()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.listing) - 1

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:  # the first line is the header
            self.cursor = self.scroll_offset.y + event.y - 1
        self.focus()

    # -- drawing -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.listing) + 1)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width)
        position = self.scroll_offset.y + y - 1
        row = self.listing.row(position)
        if row is None:
            return Strip.blank(width, base)
        cursor = position == self.cursor
        style = base + self.get_component_rich_style("notebook-list--cursor") if cursor else base
        meta = style if cursor else base + self.get_component_rich_style("notebook-list--meta")
        mark, mark_class = self._mark(row)
        mark_style = style + self.get_component_rich_style(mark_class)
        pieces = [Segment(mark, mark_style), Segment(" ", style)]
        cells = row_cells(row, self.title_of(row.source))
        for name, size in columns(width)[1:]:
            text_style = style if name in ("quote", "note", "source") else meta
            pieces += [Segment(cell(cells[name], size), text_style), Segment(" ", style)]
        return Strip(pieces).extend_cell_length(width, style).crop(0, width)

    def _header(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("notebook-list--header")
        names = [cell(name, size) for name, size in columns(width)]
        return Strip([Segment(" ".join(names), style)]).extend_cell_length(width).crop(0, width)

    @staticmethod
    def _mark(row: NotebookRow) -> tuple[str, str]:
        """The row's mark and the component class that colours it."""
        if row.orphaned:
            return "∅", "notebook-list--orphaned"
        if row.needs_review:
            return "?", "notebook-list--review"
        return MARKS[row.kind], f"notebook-list--{row.kind}"
