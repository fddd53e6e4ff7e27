"""The reader's keys and commands that reach across sources: `r` the notebook, `c` the quote
check at the cursor, "Check every quotation", and the digest drafts.

The reader screen takes them by inheriting `AcrossSources`; the rules are the services'
(`readmark.annotations.notebook`, `.verifying`, `.drafting`, `.annotating` through
`AnnotationActions`); this module runs them in workers and routes what the screens answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

from readmark.annotations.model import Kind
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.plain_notices import PlainNoticeScreen
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.widgets.transcript import Transcript
from textual.app import SystemCommand
from textual.binding import Binding

# The notebook, the quote check and the drafts load when first used: the reader starts sooner.
if TYPE_CHECKING:
    from readmark.annotations.digest import DigestView
    from readmark.annotations.notebook import NotebookRow
    from readmark.annotations.quote_check import QuoteCheck
    from readmark.annotations.verifying import Verification
    from readmark.tui.screens.quote_check_screen import CheckChoice
    from readmark.tui.screens.reader import ReaderScreen

WARM_SECONDS = 3.0
OTHER_NAME = "\x00other"
"""The choice that asks for a name not in the list."""


class AcrossSources(PlainNoticeScreen[None]):
    """The across-sources half of the reader screen (a base class of `ReaderScreen`)."""

    # Out of the footer, which is full: `?` lists them, and the palette has the notebook.
    BINDINGS = [
        Binding("r", "notebook", "Notebook (every annotation)", id="screen.notebook", show=False),
        Binding(
            "c", "check_quote", "Check the quotation here", id="screen.check_quote", show=False
        ),
    ]

    @property
    def _reader(self) -> ReaderScreen:
        return cast("ReaderScreen", self)

    def on_mount(self) -> None:
        # The notebook's orders follow the index; worked out ahead, opening it is immediate.
        self.set_interval(WARM_SECONDS, self._warm_notebook)

    def _warm_notebook(self) -> None:
        workspace = self._reader.workspace

        def work() -> None:
            try:
                workspace.warm_notebook()
            except Exception:  # noqa: BLE001 - the notebook works them out when it opens
                return

        self.run_worker(work, thread=True, exclusive=True, group="notebook-warm")

    # -- the notebook --------------------------------------------------------------------------

    def action_notebook(self) -> None:
        from readmark.tui.screens.notebook_screen import NotebookScreen

        reader = self._reader
        summaries = reader.summaries
        screen = NotebookScreen(
            reader.workspace,
            reader.citing,
            reader._title_of,
            reader.export_folder(),
            sources=[(s.id, s.title) for s in summaries],
            speakers=sorted({name for s in summaries for name in s.speakers}),
        )

        def closed(row: NotebookRow | None) -> None:
            if screen.changed:
                reader.reload_annotations()
            if row is not None:
                reader._remember_position()
                reader._open_at_annotation(row.source, row.id)

        self.app.push_screen(screen, closed)

    # -- the quote check -----------------------------------------------------------------------

    def action_check_quote(self) -> None:
        reader = self._reader
        source = reader.source
        if source is None or not source.segments:
            self.notify("Open a source first.", severity="warning")
            return
        start, end = reader.query_one(Transcript).cursor_span
        self._check_at(start, end)

    def _check_at(self, start: int, end: int) -> None:
        from readmark.annotations.verifying import quotation_at, verify_quotation

        reader = self._reader
        source = reader.source
        assert source is not None

        def work() -> None:
            quotation = quotation_at(source, start, end)
            if quotation is None:
                message = (
                    "The cursor is not inside a quotation (words in quote marks, 4 or more, "
                    "or a block quote credited to someone)."
                )
                self.app.call_from_thread(self.notify, message, severity="warning")
                return
            try:
                verification = verify_quotation(reader.workspace.vault, source, quotation)
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                self.app.call_from_thread(self.notify, f"Not checked: {error}", severity="error")
                return
            if not verification.report.checks:
                message = "Those words are a quoted title (a chapter or episode), not checked."
                self.app.call_from_thread(self.notify, message)
                return
            self.app.call_from_thread(self.show_check, verification.report.checks[0], verification)

        self.run_worker(work, thread=True, exclusive=True, group="quote-check")

    def show_check(self, check: QuoteCheck, verification: Verification) -> None:
        from readmark.tui.screens.quote_check_screen import QuoteCheckScreen

        def chosen(choice: CheckChoice | None) -> None:
            if choice is not None:
                self._act_on_check(choice, check, verification)

        self.app.push_screen(QuoteCheckScreen(check, verification), chosen)

    def _act_on_check(
        self, choice: CheckChoice, check: QuoteCheck, verification: Verification
    ) -> None:
        from readmark.annotations.quote_check.wording import dissent_note
        from readmark.tui.screens.quote_check_screen import CheckChoice

        reader = self._reader
        primary = verification.primary_of(check)
        if choice is CheckChoice.DISSENT:
            source = reader.source
            if source is None or source.id != verification.source.id:
                self.notify("Open the source the quotation is in first.", severity="warning")
                return
            quotation = check.quotation
            reader.annotating.note(
                quotation.char_start, quotation.char_end, Kind.DISSENT, dissent_note(check)
            )
            return
        if primary is None or not check.places:
            self.notify("The words were not found in a transcript.", severity="warning")
            return
        place = check.places[0]
        if choice is CheckChoice.COPY:
            reader.annotating.copy(primary, place.char_start, place.char_end)
        else:
            reader._remember_position()
            reader.open_source(primary.id, place.char_start)

    def action_check_all(self) -> None:
        from readmark.annotations.verifying import verify_open_source

        reader = self._reader
        source = reader.source
        if source is None or not source.segments:
            self.notify("Open a source first.", severity="warning")
            return
        self.notify(f"Checking the quotations of {source.title}…")

        def work() -> None:
            try:
                verification = verify_open_source(reader.workspace.vault, source)
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                self.app.call_from_thread(self.notify, f"Not checked: {error}", severity="error")
                return
            self.app.call_from_thread(self._show_checks, verification)

        self.run_worker(work, thread=True, exclusive=True, group="quote-check")

    def _show_checks(self, verification: Verification) -> None:
        from readmark.tui.screens.quote_list_screen import QuoteListScreen

        def chosen(check: QuoteCheck | None) -> None:
            if check is not None:
                self.show_check(check, verification)

        self.app.push_screen(QuoteListScreen(verification), chosen)

    # -- digest drafts ---------------------------------------------------------------------------

    def action_draft_dissent(self) -> None:
        from readmark.annotations.digest import DigestView

        names = sorted({name for s in self._reader.summaries for name in s.speakers})
        if not names:
            self._ask_name()
            return
        options = [(name, name) for name in names] + [(OTHER_NAME, "Another name…")]

        def chosen(name: str | None) -> None:
            if name == OTHER_NAME:
                self._ask_name()
            elif name:
                self.draft(DigestView.DISSENT, name)

        self.app.push_screen(ChoiceScreen("Where is who most likely wrong?", options), chosen)

    def _ask_name(self) -> None:
        from readmark.annotations.digest import DigestView

        def entered(name: str | None) -> None:
            if name and name.strip():
                self.draft(DigestView.DISSENT, name.strip())

        prompt = PromptScreen("Where is who most likely wrong? (a surname is enough)")
        self.app.push_screen(prompt, entered)

    def draft(self, view: DigestView, speaker: str | None = None) -> None:
        """Make the draft in a worker, then show it."""
        from readmark.annotations.digest import DigestFilter
        from readmark.annotations.drafting import draft_digest
        from readmark.tui.screens.digest_preview import DigestPreview

        workspace = self._reader.workspace
        exports = self._reader.export_folder()

        def work() -> None:
            try:
                draft = draft_digest(workspace, view, DigestFilter(speaker=speaker))
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                self.app.call_from_thread(self.notify, f"No draft: {error}", severity="error")
                return
            preview = DigestPreview(draft, view, workspace.root, exports)
            self.app.call_from_thread(self.app.push_screen, preview)

        self.run_worker(work, thread=True, exclusive=True, group="draft")

    # -- the command palette ---------------------------------------------------------------------

    def across_commands(self) -> Iterator[SystemCommand]:
        from readmark.annotations.digest import DigestView

        yield SystemCommand("Notebook", "Every annotation of the vault (r)", self.action_notebook)
        yield SystemCommand(
            "Check every quotation",
            "Find the open source's quotations in the transcripts",
            self.action_check_all,
        )
        yield SystemCommand(
            "Draft: where NAME is most likely wrong",
            "Your dissent notes on what one speaker says, by topic",
            self.action_draft_dissent,
        )
        yield SystemCommand(
            "Positions by topic",
            "Per tag, what each source said and what you noted",
            lambda: self.draft(DigestView.POSITIONS),
        )
        yield SystemCommand(
            "Session digest",
            "Everything annotated in the last day, by source",
            lambda: self.draft(DigestView.SESSION),
        )
