"""The line above the transcript: where the reader is (time, or the share read), what `/`
found, chapter, speaker and source title, fitted to its width."""

from __future__ import annotations

from dataclasses import astuple, dataclass

from readmark.library.ordering import fold
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
    """`4:40 / 1:02:57` for a timed source, `42%` (of the text) for one without times."""
    chapter: str = ""
    speaker: str = ""
    title: str = ""
    find: str = ""
    """`“heat” 3/14` while `/` marks matches."""
    status: str = ""
    """What the reader is waiting for (`reading 50 MB… 3 s`), kept whole like the time."""


def repeats(title: str, chapter: str) -> bool:
    """Whether the title says what the chapter says (an article's first heading is often its
    title, or the start of it): the header then shows it once."""
    a, b = " ".join(fold(title).split()), " ".join(fold(chapter).split())
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def fit_header(parts: HeaderParts, width: int) -> Text:
    """The header in `width` cells: where the reader is, the find and the speaker are kept;
    the source's title gives way first (the list shows which source is open), then the
    chapter, each shortened with `…`. A title the chapter repeats is left out."""
    time = f"{parts.time}  " if parts.time else ""
    find = f"{parts.find}  " if parts.find else ""
    speaker = f"{parts.speaker}  " if parts.speaker else ""
    status = f"{parts.status}  " if parts.status else ""
    room = width - cell_len(time) - cell_len(find) - cell_len(speaker) - cell_len(status)
    chapter_cells = cell_len(parts.chapter) + 4 if parts.chapter else 0  # "§ " and "  "
    wanted = "" if repeats(parts.title, parts.chapter) else parts.title
    before = bool(time or find or status or speaker or parts.chapter)
    lead = 2 if before else 0  # "— " between the title and what stands before it, if anything
    title = _fitted(wanted, room - chapter_cells - lead)
    title_piece = ("— " if before else "") + title if title else ""
    chapter = _fitted(parts.chapter, room - cell_len(title_piece) - 4)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(time, style="bold")
    text.append(find, style="reverse")
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
