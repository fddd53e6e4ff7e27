"""A one-line question: a label, an Input; enter answers, escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None on escape."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical {
        width: 64;
        max-width: 90%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    PromptScreen Label { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", priority=True)]

    def __init__(self, label: str, *, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.label = label
        """What is asked (shown as text, never as markup)."""
        self.placeholder = placeholder
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.label))
            yield Input(value=self.value, placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
