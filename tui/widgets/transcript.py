"""The open source, drawn line by line through Textual's Line API."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.segment import Segment as RichSegment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from library.model import Role, Source
from library.safe_text import printable
from library.timecode import format_timecode

GUTTER = 9
_ROLE_PREFIX = {Role.LIST_ITEM: "• ", Role.QUOTE: "│ "}


@dataclass(frozen=True, slots=True)
class _Line:
    """One wrapped line of the transcript and the segment it belongs to."""

    segment_index: int
    gutter: str
    text: str
    kind: str
    """`text`, `speaker`, `heading` or `blank`: picks the component class that styles it."""


class Transcript(ScrollView, can_focus=True):
    """A scrollable transcript with a time gutter and speaker names at each change of turn."""

    COMPONENT_CLASSES = {
        "transcript--gutter",
        "transcript--speaker",
        "transcript--heading",
        "transcript--cursor",
    }

    DEFAULT_CSS = """
    Transcript { background: $surface; }
    Transcript > .transcript--gutter { color: $text-muted; }
    Transcript > .transcript--speaker { color: $accent; text-style: bold; }
    Transcript > .transcript--heading { color: $primary; text-style: bold; }
    Transcript > .transcript--cursor { background: $boost; }
    """

    BINDINGS = [
        ("j,down", "move(1)", "Next"),
        ("k,up", "move(-1)", "Previous"),
        ("g,home", "first", "Top"),
        ("G,end", "last", "Bottom"),
    ]

    cursor: reactive[int] = reactive(0)
    """Index of the segment under the reading cursor."""

    class PositionChanged(Message):
        """The reading cursor moved to another segment."""

        def __init__(self, transcript: Transcript, segment_index: int) -> None:
            super().__init__()
            self.transcript = transcript
            self.segment_index = segment_index

        @property
        def control(self) -> Transcript:
            return self.transcript

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._source: Source | None = None
        self._lines: list[_Line] = []
        self._first_line_of: list[int] = []
        self._wrapped_width = 0

    @property
    def source(self) -> Source | None:
        return self._source

    def show(self, source: Source) -> None:
        self._source = source
        self.cursor = 0
        self._wrapped_width = 0
        self._rewrap()
        self.scroll_home(animate=False)

    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = max(self.scrollable_content_region.width - GUTTER - 1, 20)
        if self._source is None or width == self._wrapped_width:
            return
        self._wrapped_width = width
        lines: list[_Line] = []
        first_line_of: list[int] = []
        previous_speaker: str | None = None
        for segment in self._source.segments:
            first_line_of.append(len(lines))
            if segment.speaker and segment.speaker != previous_speaker:
                lines.append(_Line(segment.index, "", printable(segment.speaker), "speaker"))
            previous_speaker = segment.speaker or previous_speaker
            kind = "heading" if segment.role is Role.HEADING else "text"
            gutter = format_timecode(segment.start) if segment.start is not None else ""
            prefix = _ROLE_PREFIX.get(segment.role, "")
            wrapped = textwrap.wrap(prefix + printable(segment.text), width) or [""]
            for n, text in enumerate(wrapped):
                lines.append(_Line(segment.index, gutter if n == 0 else "", text, kind))
            lines.append(_Line(segment.index, "", "", "blank"))
        self._lines = lines
        self._first_line_of = first_line_of
        self.virtual_size = Size(width + GUTTER + 1, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        line = self._lines[index]
        base = self.rich_style
        if line.segment_index == self.cursor and line.kind != "blank":
            base = base + self.get_component_rich_style("transcript--cursor")
        gutter_style = base + self.get_component_rich_style("transcript--gutter")
        text_style: Style = base
        if line.kind == "speaker":
            text_style = base + self.get_component_rich_style("transcript--speaker")
        elif line.kind == "heading":
            text_style = base + self.get_component_rich_style("transcript--heading")
        strip = Strip(
            [
                RichSegment(line.gutter.rjust(GUTTER - 1) + " ", gutter_style),
                RichSegment(" ", base),
                RichSegment(line.text, text_style),
            ]
        )
        return strip.crop(scroll_x, scroll_x + width).extend_cell_length(width, base)

    def watch_cursor(self, old: int, new: int) -> None:
        if self._source is None or not self._first_line_of:
            return
        line = self._first_line_of[new]
        self.scroll_to_region_line(line)
        self.refresh()
        self.post_message(self.PositionChanged(self, new))

    def scroll_to_region_line(self, line: int) -> None:
        top = self.scroll_offset.y
        height = self.size.height
        if line < top or line >= top + height - 2:
            self.scroll_to(y=max(line - height // 3, 0), animate=False)

    def validate_cursor(self, value: int) -> int:
        if self._source is None or not self._source.segments:
            return 0
        return max(0, min(value, len(self._source.segments) - 1))

    def action_move(self, steps: int) -> None:
        self.cursor += steps

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        if self._source is not None:
            self.cursor = len(self._source.segments) - 1
