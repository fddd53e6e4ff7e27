"""A small modal to choose one of a few labelled options (e.g. the citation format for `Y`)."""

from __future__ import annotations

from collections.abc import Sequence

from readmark.library.safe_text import printable
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


class ChoiceScreen(ModalScreen[str | None]):
    """Dismisses with the chosen option's value, or None on escape.

    `options` are (value, label) pairs; digits 1-9 choose directly.
    """

    DEFAULT_CSS = """
    ChoiceScreen {
        align: center middle;
    }
    ChoiceScreen > #choice-box {
        width: 60;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        border-title-color: $text;
        background: $surface;
        padding: 0 1;
    }
    ChoiceScreen #choice-prompt {
        color: $text-muted;
        margin-bottom: 1;
    }
    ChoiceScreen OptionList {
        height: auto;
        max-height: 20;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        *[
            Binding(str(n), f"choose_number({n})", f"Option {n}", show=False, id=f"choice.{n}")
            for n in range(1, 10)
        ],
    ]

    AUTO_FOCUS = "OptionList"

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        *,
        prompt: str = "",
        selected: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.prompt = prompt
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box") as box:
            box.border_title = self.title_text
            if self.prompt:
                yield Static(Text(self.prompt), id="choice-prompt")
            yield OptionList(
                *[self._option(n, v, label) for n, (v, label) in enumerate(self.options)]
            )
        yield Footer()

    def on_mount(self) -> None:
        values = [value for value, _ in self.options]
        if self.selected in values:
            self.query_one(OptionList).highlighted = values.index(self.selected)

    @staticmethod
    def _option(number: int, value: str, label: str) -> Option:
        prompt = Text(f"{number + 1} " if number < 9 else "  ", style="dim")
        prompt.append(printable(label))
        return Option(prompt, id=value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose_number(self, number: int) -> None:
        if 1 <= number <= len(self.options):
            self.dismiss(self.options[number - 1][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
