"""The reading screen: owns the vault and routes messages between the panes."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from library.model import Source
from library.safe_text import printable
from library.summary import SourceSummary
from library.timecode import format_timecode
from library.vault import Vault
from tui.widgets.source_list import SourceList
from tui.widgets.transcript import Transcript


class ReaderScreen(Screen[None]):
    """Sources on the left, the open source in the centre."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="screen.focus_next"),
        Binding("ctrl+b", "toggle_sources", "Sources", id="screen.toggle_sources"),
    ]

    def __init__(self, vault_path: Path) -> None:
        super().__init__()
        self.vault = Vault(vault_path)

    def compose(self) -> ComposeResult:
        with Vertical(id="sources-pane"):
            yield SourceList(id="sources")
        with Vertical(id="reading-pane"):
            yield Static("Choose a source and press enter.", id="transcript-header")
            yield Transcript(id="transcript")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SourceList).focus()
        self.list_sources()

    @work(thread=True, exclusive=True, group="vault")
    def list_sources(self) -> None:
        listing = self.vault.scan()
        self.app.call_from_thread(self._show_sources, listing.sources)

    def _show_sources(self, summaries: list[SourceSummary]) -> None:
        self.query_one(SourceList).show_sources(summaries)
        if not summaries:
            self.notify(f"No readable sources in {self.vault.root}.", severity="warning")

    def on_source_list_source_selected(self, message: SourceList.SourceSelected) -> None:
        self.open_source(message.source_id)

    @work(thread=True, exclusive=True, group="open")
    def open_source(self, source_id: str) -> None:
        source = self.vault.load(source_id)
        self.app.call_from_thread(self._show_source, source)

    def _show_source(self, source: Source) -> None:
        if source.error:
            self.notify(printable(f"{source.id}: {source.error}"), severity="error", markup=False)
        transcript = self.query_one(Transcript)
        transcript.show(source)
        transcript.focus()
        self._update_header(source, 0)

    def on_transcript_position_changed(self, message: Transcript.PositionChanged) -> None:
        source = message.transcript.source
        if source is not None:
            self._update_header(source, message.segment_index)

    def _update_header(self, source: Source, segment_index: int) -> None:
        header = Text(printable(source.title), style="bold")
        if source.segments:
            segment = source.segments[segment_index]
            if segment.start is not None:
                total = f" / {format_timecode(source.duration)}" if source.duration else ""
                header.append(f"  {format_timecode(segment.start)}{total}")
            if segment.speaker:
                header.append(f"  {printable(segment.speaker)}", style="italic")
        self.query_one("#transcript-header", Static).update(header)

    def action_toggle_sources(self) -> None:
        pane = self.query_one("#sources-pane")
        pane.set_class(not pane.has_class("-hidden"), "-hidden")
