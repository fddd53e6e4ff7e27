"""The line above the transcript: time, chapter, speaker and source title, fitted to its width."""

from __future__ import annotations

from dataclasses import astuple, dataclass

from readmark.library.safe_text import printable, shorten
from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual.widgets import Static

SHORTEST = 6
"""Cells below which a shortened chapter or title says too little to keep."""


def _fitted(text: str, cells: int) -> str:
    """`text` shortened to `cells`; "" when less than `SHORTEST` cells of it would show."""
    if cells < SHORTEST and cell_len(text) > cells:
        return ""
    return shorten(text, cells, at_word=False, width=cell_len)


@dataclass(frozen=True, slots=True)
class HeaderParts:
    time: str = ""
    """`4:40 / 1:02:57`, or "" for a source without times."""
    chapter: str = ""
    speaker: str = ""
    title: str = ""
    status: str = ""
    """What the reader is waiting for (`reading 50 MB… 3 s`), kept whole like the time."""


def fit_header(parts: HeaderParts, width: int) -> Text:
    """The header in `width` cells: the time and speaker are kept; the source's title gives way
    first (the list shows which source is open), then the chapter, each shortened with `…`."""
    time = f"{parts.time}  " if parts.time else ""
    speaker = f"{parts.speaker}  " if parts.speaker else ""
    status = f"{parts.status}  " if parts.status else ""
    room = width - cell_len(time) - cell_len(speaker) - cell_len(status)
    chapter_cells = cell_len(parts.chapter) + 4 if parts.chapter else 0  # "§ " and "  "
    title = _fitted(parts.title, room - chapter_cells - 2)  # "— "
    title_piece = f"— {title}" if title else ""
    chapter = _fitted(parts.chapter, room - cell_len(title_piece) - 4)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(time, style="bold")
    text.append(status, style="reverse")
    if chapter:
        text.append(f"§ {chapter}  ", style="italic")
    text.append(speaker, style="bold italic")
    text.append(title_piece, style="dim")
    return text


class TranscriptHeader(Static):
    """Shows `HeaderParts` fitted to its width again whenever the pane is resized."""

    def __init__(self, content: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(content, id=id)
        self.parts: HeaderParts | None = None

    def show(self, parts: HeaderParts) -> None:
        clean = HeaderParts(*(" ".join(printable(p).split()) for p in astuple(parts)))
        if clean != self.parts:
            self.parts = clean
            self.refresh()

    def render(self) -> RenderResult:
        if self.parts is None:
            return super().render()
        return fit_header(self.parts, self.content_size.width)
