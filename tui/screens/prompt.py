"""A one-line question: a label, an Input; enter answers, escape cancels.

With a `check`, an answer it rejects keeps the prompt open with the reason under the input, so
the user can fix what they typed instead of typing it again.
"""

from __future__ import annotations

from collections.abc import Callable

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
    PromptScreen #prompt-problem { color: $text-error; }
    PromptScreen #prompt-problem.-hidden { display: none; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", priority=True)]

    def __init__(
        self,
        label: str,
        *,
        placeholder: str = "",
        value: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.label = label
        """What is asked (shown as text, never as markup)."""
        self.placeholder = placeholder
        self.value = value
        self.check = check
        """Says what is wrong with an answer (None: it is fine)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.label))
            yield Input(value=self.value, placeholder=self.placeholder)
            yield Label("", id="prompt-problem", classes="-hidden")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value) if self.check is not None else None
        if problem is None:
            self.dismiss(event.value)
            return
        label = self.query_one("#prompt-problem", Label)
        label.update(Text(problem))
        label.remove_class("-hidden")

    @property
    def problem(self) -> str:
        """What is wrong with the last answer given ("" when nothing is)."""
        label = self.query_one("#prompt-problem", Label)
        return "" if label.has_class("-hidden") else str(label.render())

    def action_cancel(self) -> None:
        self.dismiss(None)
