"""The Textual application: sets up paths, theme and keymap, then hands over to the reader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from readmark.annotations.settings import SOURCE_ORDERS, UserSettings
from readmark.tui.key_hold import KeyHold
from readmark.tui.keymap import load_keymap
from readmark.tui.screens.reader import ReaderScreen
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

SORT_NAMES = {
    "title": "title (folders, natural order)",
    "date": "date (newest first)",
    "recent": "recently read",
    "annotated": "most annotated",
}


def _styles_dir() -> Path:
    # `styles/` stands beside `tui/`: at the top of a checkout, inside `readmark/` when installed.
    return Path(__file__).resolve().parent.parent / "styles"


class ReadmarkApp(App[None]):
    """readmark's TUI over one vault folder."""

    TITLE = "readmark"
    CSS_PATH = [_styles_dir() / "app.tcss"]
    BINDINGS = [
        # From any screen, the editor too: its text is kept as a draft first.
        Binding("ctrl+q", "quit", "Quit from anywhere", id="app.quit_anywhere", priority=True),
    ]

    def __init__(
        self,
        vault_path: Path,
        *,
        open_source: str | None = None,
        settings: UserSettings | None = None,
    ) -> None:
        super().__init__()
        self.vault_path = vault_path
        self.open_source = open_source
        """A source to open at start (`readmark FILE`), instead of the one last read."""
        self.settings = settings if settings is not None else UserSettings()
        self.key_hold = KeyHold(self)

    def on_mount(self) -> None:
        keymap, problem = load_keymap()
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, severity="warning", markup=False)
        theme = self.settings.current.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        # At once, not queued: keys already on their way must wait for the new screen.
        self.screen_change_signal.subscribe(self, self.key_hold.screen_changed, immediate=True)

    def get_default_screen(self) -> Screen[Any]:
        # The reader is the first screen, not pushed over an empty one: one screen fewer to
        # compose, style and resume at start-up.
        return ReaderScreen(self.vault_path, self.settings, open_source=self.open_source)

    async def on_event(self, event: events.Event) -> None:
        if event.is_forwarded:
            await super().on_event(event)
            return
        if self.key_hold.take(event):
            return
        opening = self.key_hold.passing_on(event)
        await super().on_event(event)
        if opening and isinstance(event, events.Key):
            # Runs once the pane has handled the key (its queue keeps the order).
            target = self.focused or self.screen
            target.call_later(self.key_hold.key_handled, event, target)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.current.theme:
            self.settings.change(theme=theme.name)
            self.run_worker(self.settings.save, thread=True, group="settings")

    async def action_quit(self) -> None:
        """Quit from anywhere (ctrl+q, or q in the reader): an open editor's text is kept as a
        draft first, and the drafts kept are named once the terminal is back."""
        reader = self.reader
        if reader is None:
            self.exit()
            return
        self.exit(message=reader.closing_words())

    @property
    def reader(self) -> ReaderScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                return screen
        return None

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return
        yield SystemCommand("Search the vault", "Annotations and passages", screen.action_search)
        yield SystemCommand(
            "Export this source's annotations",
            "Markdown, into a folder you choose (it is remembered)",
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
        for order in SOURCE_ORDERS:
            yield SystemCommand(
                f"Sort sources by {SORT_NAMES[order]}",
                "S in the sources list",
                lambda order=order: screen.sort_sources(order),
            )
        for summary in screen.summaries:
            yield SystemCommand(
                f"Open: {summary.title}",
                summary.id,
                lambda source_id=summary.id: screen.open_by_id(source_id),
            )


def run_app(vault_path: Path, open_source: str | None = None) -> None:
    app = ReadmarkApp(vault_path, open_source=open_source)
    app.run()
