""" "Check every quotation": each quotation of the open source with its verdict, one line each;
enter on one shows its check (`QuoteCheckScreen`)."""

from __future__ import annotations

from readmark.annotations.quote_check import QuoteCheck
from readmark.annotations.quote_check.wording import HEADLINES
from readmark.annotations.verifying import Verification
from readmark.library.safe_text import printable, shorten
from readmark.library.timecode import format_timecode
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


def check_label(check: QuoteCheck) -> Text:
    mark, style = ("✓", "green") if check.verdict.faithful else ("✗", "bold red")
    label = Text(f"{mark} ", style=style)
    label.append(f"\u201c{printable(shorten(check.quotation.text, 90))}\u201d")
    where = [HEADLINES[check.verdict]]
    if check.start is not None:
        where.append(format_timecode(check.start))
    if check.speaker:
        where.append(check.speaker)
    if check.flags:
        where.append(f"{len(check.flags)} flag{'' if len(check.flags) == 1 else 's'}")
    label.append("\n  " + printable(" · ".join(where)), style="dim")
    return label


class QuoteListScreen(Screen[QuoteCheck | None]):
    """Dismissed with the check chosen (enter), or None (escape, q)."""

    DEFAULT_CSS = """
    QuoteListScreen #quotes-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    QuoteListScreen #quotes-notes {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    QuoteListScreen OptionList {
        height: 1fr;
        border: none;
    }
    """

    BINDINGS = [Binding("escape,q", "close", "Back", id="quote_list.close")]

    AUTO_FOCUS = "OptionList"

    def __init__(self, verification: Verification) -> None:
        super().__init__()
        self.verification = verification

    def compose(self) -> ComposeResult:
        report = self.verification.report
        checks = report.checks
        faithful = sum(1 for check in checks if check.verdict.faithful)
        title = (
            f"Quotations in {self.verification.source.title}: {len(checks)}, "
            f"{faithful} as said, {len(checks) - faithful} to look at"
        )
        yield Static(Text(printable(title)), id="quotes-title")
        notes = [f"Note: {note}" for note in self.verification.notes]
        if not checks:
            notes.insert(0, "No quotations here (words in quote marks, 4 or more).")
        yield Static(Text(printable("\n".join(notes))), id="quotes-notes")
        options = [Option(check_label(check), id=str(n)) for n, check in enumerate(checks)]
        yield OptionList(*options)
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.verification.report.checks[int(event.option.id)])

    def action_close(self) -> None:
        self.dismiss(None)
