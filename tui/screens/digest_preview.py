"""A digest draft in preview: its Markdown as text, `y` copies it, `w` writes it as `.md` and
`.html` into the reader's export folder (`readmark.annotations.drafting`)."""

from __future__ import annotations

from pathlib import Path

from readmark.annotations.digest import DigestView
from readmark.annotations.drafting import Draft, file_name, write_draft
from readmark.annotations.gitignore import ensure_gitignore
from readmark.library.safe_text import printable
from readmark.tui.clipboard import NOWHERE, copy_text
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static


class DigestPreview(Screen[None]):
    """The draft's Markdown; escape or q goes back."""

    DEFAULT_CSS = """
    DigestPreview #digest-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    DigestPreview #digest-box {
        height: 1fr;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="digest.close"),
        Binding("y", "copy", "Copy Markdown", id="digest.copy"),
        Binding("w", "write", "Write .md and .html", id="digest.write"),
    ]

    AUTO_FOCUS = "#digest-box"

    def __init__(self, draft: Draft, view: DigestView, root: Path, exports: Path) -> None:
        super().__init__()
        self.draft = draft
        self.view = view
        self.root = root
        self.exports = exports
        self.markdown = draft.render("markdown")

    def compose(self) -> ComposeResult:
        yield Static(Text(printable(self.draft.digest.title)), id="digest-title")
        with VerticalScroll(id="digest-box"):
            yield Static(Text(printable(self.markdown)), id="digest-text")
        yield Footer()

    def action_copy(self) -> None:
        how = copy_text(self.app, self.markdown)
        if how == NOWHERE:
            self.notify("Not copied: no clipboard and the terminal refused.", severity="warning")
            return
        self.notify(f"Copied the draft ({len(self.markdown):,} characters) to the {how}.")

    def action_write(self) -> None:
        self._write()

    @work(thread=True, group="save")
    def _write(self) -> None:
        try:
            ensure_gitignore(self.root)
            written = [
                write_draft(self.markdown, self.exports / file_name(self.view, "markdown")),
                write_draft(self.draft.render("html"), self.exports / file_name(self.view, "html")),
            ]
        except Exception as error:  # noqa: BLE001 - shown, never raised
            self.app.call_from_thread(self.notify, f"Not written: {error}", severity="error")
            return
        where = " and ".join(str(path) for path in written)
        self.app.call_from_thread(self.notify, printable(f"Wrote {where}"), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
