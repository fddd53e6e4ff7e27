"""The Textual application: sets up paths, theme and keymap, then hands over to the reader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from readmark.tui.keymap import load_keymap
from readmark.tui.screens.reader import ReaderScreen
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen


def _styles_dir() -> Path:
    # `styles/` stands beside `tui/`: at the top of a checkout, inside `readmark/` when installed.
    return Path(__file__).resolve().parent.parent / "styles"


class ReadmarkApp(App[None]):
    """readmark's TUI over one vault folder."""

    TITLE = "readmark"
    CSS_PATH = [_styles_dir() / "app.tcss"]
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, vault_path: Path) -> None:
        super().__init__()
        self.vault_path = vault_path

    def on_mount(self) -> None:
        keymap, problem = load_keymap()
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, severity="warning", markup=False)
        self.push_screen(ReaderScreen(self.vault_path))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return
        yield SystemCommand("Search the vault", "Annotations and passages", screen.action_search)
        yield SystemCommand(
            "Export this source's annotations",
            "Markdown into the vault's .readmark/exports/ folder",
            screen.action_export,
        )
        yield SystemCommand("Reindex", "Rebuild the search index", screen.action_reindex)
        yield from screen.across_commands()
        yield SystemCommand(
            "Toggle sources panel", "ctrl+b", lambda: screen.action_toggle_pane("sources-pane")
        )
        yield SystemCommand(
            "Toggle annotation sidebar", "ctrl+e", lambda: screen.action_toggle_pane("sidebar")
        )
        for summary in screen.summaries:
            yield SystemCommand(
                f"Open: {summary.title}",
                summary.id,
                lambda source_id=summary.id: screen.open_by_id(source_id),
            )


def run_app(vault_path: Path) -> None:
    ReadmarkApp(vault_path).run()
