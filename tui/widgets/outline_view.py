"""The outline of the open source: chapters, key points or headings with their times."""

from __future__ import annotations

import bisect
from typing import ClassVar

from readmark.library.model import OutlineEntry, Source
from readmark.library.safe_text import printable
from readmark.library.timecode import format_timecode
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def entry_start(source: Source, entry: OutlineEntry) -> float | None:
    """The entry's own time, else the time of the segment it begins at."""
    if entry.start is not None:
        return entry.start
    if 0 <= entry.segment_index < len(source.segments):
        return source.segments[entry.segment_index].start
    return None


def entry_label(title: str, start: float | None, time_width: int, hours: bool = False) -> Content:
    """The time right-aligned to `time_width`, then the title on one line."""
    time = format_timecode(start, hours=hours) if start is not None else ""
    gap = " " if time_width else ""
    return Content.assemble(
        (time.rjust(time_width), "dim"), gap, " ".join(printable(title).split())
    )


class OutlineView(OptionList):
    """Lists outline entries; `enter` posts `OutlineView.EntryChosen`."""

    DEFAULT_CSS = """
    OutlineView {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Same keys as the transcript's; they merge with OptionList's arrows in the help.
        Binding("enter", "select", "Go to it in the text", id="outline.go"),
        Binding("j,down", "cursor_down", "Down", show=False, id="outline.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="outline.up"),
    ]

    class EntryChosen(Message):
        """The user chose an entry: the screen moves the transcript to its segment."""

        def __init__(self, outline: OutlineView, segment_index: int, start: float | None) -> None:
            super().__init__()
            self.outline = outline
            self.segment_index = segment_index
            self.start = start
            """Seconds, when the entry or its segment has a time."""

        @property
        def control(self) -> OutlineView:
            return self.outline

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for a widget id
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source: Source | None = None
        self.entries: list[tuple[OutlineEntry, float | None]] = []
        """Entries in segment order, with the time each one starts at."""
        self._segment_indexes: list[int] = []

    def on_mount(self) -> None:
        if self.source is None:
            self._set_empty("No source open.")
            self.border_title = Content("Outline")

    @property
    def marked(self) -> int | None:
        """Position in `entries` of the entry the reader is in."""
        return self.highlighted

    def show(self, source: Source) -> None:
        """List the outline of `source`, nothing marked until `mark` is called."""
        self.source = source
        ordered = sorted(source.outline, key=lambda e: e.segment_index)
        self.entries = [(e, entry_start(source, e)) for e in ordered]
        self._segment_indexes = [e.segment_index for e in ordered]
        starts = [s for _, s in self.entries if s is not None]
        hours = any(s >= 3600 for s in starts)
        width = max((len(format_timecode(s, hours=hours)) for s in starts), default=0)
        options = [
            Option(entry_label(e.title, s, width, hours), id=str(i))
            for i, (e, s) in enumerate(self.entries)
        ]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = None
        if not options:
            self._set_empty("No chapters or headings.")
        self.border_title = Content(f"Outline ({len(options)})" if options else "Outline")

    def mark(self, segment_index: int) -> None:
        """Mark the entry the reader is in: the last one beginning at or before its segment (a
        chapter starting inside a paragraph splits it, so this agrees with the header)."""
        i = bisect.bisect_right(self._segment_indexes, segment_index) - 1
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = i if i >= 0 else None

    def _set_empty(self, text: str) -> None:
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options([Option(Content.styled(text, "dim italic"), disabled=True)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        entry, start = self.entries[int(event.option.id)]
        self.post_message(self.EntryChosen(self, entry.segment_index, start))
