"""`c`: what checking one quotation found, worded as what the text shows (the quote check's own
wording, `readmark.annotations.quote_check.wording`), with the keys to act on it."""

from __future__ import annotations

from enum import StrEnum

from readmark.annotations.quote_check import QuoteCheck, Verdict
from readmark.annotations.quote_check.wording import HEADLINES, differences_text
from readmark.annotations.verifying import Verification
from readmark.library.safe_text import printable
from readmark.library.timecode import format_timecode
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class CheckChoice(StrEnum):
    """What the user asked of a check."""

    OPEN = "open"
    """Open the transcript where the words are said."""
    COPY = "copy"
    """Copy the transcript's citation of the words."""
    DISSENT = "dissent"
    """Write a dissent note on the quotation, the differences filled in."""


def check_text(check: QuoteCheck, verification: Verification) -> Text:
    """The verdict, where in which transcript, the differences and the flags, as lines."""
    text = Text()
    text.append(f"\u201c{printable(check.quotation.text)}\u201d\n\n", style="italic")
    style = "bold" if check.verdict.faithful else "bold red"
    text.append(HEADLINES[check.verdict], style=style)
    text.append("\n")
    primary = verification.primary_of(check)
    if primary is not None:
        parts = [primary.title or primary.id]
        if check.start is not None:
            parts.append(format_timecode(check.start))
        if check.speaker:
            parts.append(check.speaker)
        text.append(printable(" · ".join(parts)) + "\n", style="dim")
    if check.verdict is not Verdict.CLEAN:
        for line in differences_text(check):
            text.append(f"  - {printable(line)}\n")
    for flag in check.flags:
        text.append(f"  ! {printable(flag.message)}\n", style="yellow")
    if check.said and check.verdict is not Verdict.VERBATIM:
        text.append("\nThe transcript: ", style="dim")
        text.append(f"\u201c{printable(check.said)}\u201d\n")
    for note in verification.notes:
        text.append(f"\nNote: {printable(note)}\n", style="dim")
    return text


class QuoteCheckScreen(ModalScreen[CheckChoice | None]):
    """One check; enter, y, d dismiss with what to do, escape or q with None."""

    DEFAULT_CSS = """
    QuoteCheckScreen {
        align: center middle;
    }
    QuoteCheckScreen > #check-box {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="quote_check.close"),
        Binding("enter", "choose('open')", "Open the transcript there", id="quote_check.open"),
        Binding("y", "choose('copy')", "Copy what was said", id="quote_check.copy"),
        Binding("d", "choose('dissent')", "Dissent on the quote", id="quote_check.dissent"),
    ]

    AUTO_FOCUS = "#check-box"

    def __init__(self, check: QuoteCheck, verification: Verification) -> None:
        super().__init__()
        self.check = check
        self.verification = verification

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="check-box") as box:
            box.border_title = "Quote check"
            box.can_focus = True
            yield Static(check_text(self.check, self.verification), id="check-text")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] in ("open", "copy"):
            # Only where the words were found.
            return self.check.primary is not None
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(CheckChoice(choice))

    def action_close(self) -> None:
        self.dismiss(None)
