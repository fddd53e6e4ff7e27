"""The sources panel: every readable file of the vault, one line each."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from library.safe_text import printable
from library.summary import SourceSummary
from library.timecode import format_timecode

_FORMAT_MARKS = {"srt": "▶", "vtt": "▶", "whisper-json": "▶", "markdown": "¶", "text": "¶"}


def _label(summary: SourceSummary) -> Text:
    mark = "▶" if summary.timed_segments else _FORMAT_MARKS.get(summary.format, "¶")
    label = Text(f"{mark} ", style="bold")
    # Text(...) never parses markup, so a title like "[bold]" shows as written.
    label.append(printable(summary.title))
    details = []
    if summary.duration:
        details.append(format_timecode(summary.duration))
    if summary.date:
        details.append(summary.date)
    if summary.error:
        details.append("cannot open")
    if details:
        label.append("\n  " + " · ".join(details), style="dim")
    return label


class SourceList(OptionList):
    """Lists source summaries; choosing one posts `SourceList.SourceSelected`."""

    class SourceSelected(Message):
        def __init__(self, source_list: SourceList, source_id: str) -> None:
            super().__init__()
            self.source_list = source_list
            self.source_id = source_id

        @property
        def control(self) -> SourceList:
            return self.source_list

    def show_sources(self, summaries: list[SourceSummary]) -> None:
        self.clear_options()
        self.add_options([Option(_label(s), id=s.id) for s in summaries])
        if summaries:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.SourceSelected(self, event.option.id))
