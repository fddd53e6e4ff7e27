"""The Textual application: sets up paths and theme, then hands over to the reader screen."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from tui.screens.reader import ReaderScreen


def _styles_dir() -> Path:
    # Installed wheels carry the styles inside the package; a source checkout keeps them at the top.
    here = Path(__file__).resolve().parent
    packaged = here / "styles"
    return packaged if packaged.is_dir() else here.parent / "styles"


class ReadmarkApp(App[None]):
    """readmark's TUI over one vault folder."""

    TITLE = "readmark"
    CSS_PATH = [_styles_dir() / "app.tcss"]
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, vault_path: Path) -> None:
        super().__init__()
        self.vault_path = vault_path

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.vault_path))


def run_app(vault_path: Path) -> None:
    ReadmarkApp(vault_path).run()
