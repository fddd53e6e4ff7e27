"""The annotation marked in the sidebar, in full: quote, note, tags, confidence, time, speaker.

The list shows one line of each; this pane, below it, shows the marked one whole, wrapped to
the sidebar's width, so a note can be read without opening the editor.
"""

from __future__ import annotations

from readmark.annotations.model import Annotation, Kind
from readmark.library.safe_text import printable
from readmark.library.timecode import format_timecode
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

_KIND_NAMES = {Kind.HIGHLIGHT: "Highlight", Kind.NOTE: "Note", Kind.DISSENT: "Dissent"}


def detail_text(annotation: Annotation) -> Text:
    """The annotation as the detail pane shows it (text, never markup)."""
    text = Text()
    kind = _KIND_NAMES[annotation.kind]
    if annotation.kind is Kind.DISSENT and annotation.confidence is not None:
        kind += f" · {annotation.confidence} confidence"
    text.append(kind, style="bold")
    byline = [printable(annotation.speaker or "")]
    if annotation.start is not None:
        byline.append(format_timecode(annotation.start))
    if annotation.created:
        byline.append(annotation.created[:10])
    shown = " · ".join(part for part in byline if part)
    if shown:
        text.append(f"\n{shown}", style="dim")
    text.append("\n\n“" + " ".join(printable(annotation.quote).split()) + "”", style="italic")
    if annotation.candidate is not None:
        found = " ".join(printable(annotation.candidate.text).split())
        text.append(f"\n\nNow reads: “{found}” (A takes it, O keeps the quote)", style="bold")
    elif annotation.orphaned:
        text.append("\n\nThe quote is no longer found in the source.", style="bold")
    note = printable(annotation.note.strip())
    if note:
        text.append("\n\n" + note)
    if annotation.tags:
        text.append("\n\n" + " ".join(f"#{printable(t)}" for t in annotation.tags), style="dim")
    return text


class AnnotationDetail(VerticalScroll, can_focus=False):
    """Shows one annotation whole; hidden (class `-empty`) when none is marked."""

    DEFAULT_CSS = """
    AnnotationDetail {
        height: auto;
        max-height: 55%;
        border: tall $border-blurred;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        &.-empty {
            display: none;
        }
        & > Static {
            width: 1fr;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes="-empty")
        self.annotation: Annotation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="annotation-detail-text")

    def on_mount(self) -> None:
        self.show(self.annotation)

    def show(self, annotation: Annotation | None) -> None:
        self.annotation = annotation
        self.set_class(annotation is None, "-empty")
        if annotation is not None and self.is_mounted:
            self.query_one(Static).update(detail_text(annotation))
            self.scroll_home(animate=False)
