"""The notebook: every annotation of the vault in one list, filtered as you type, sorted by date,
source order or confidence, read from the search index (`readmark.annotations.notebook`).

The keys on a row are the transcript's, through the same services: `e` `x` `u` `y` go to
`AnnotationActions` over an annotator of this screen's own (it opens the row's source), `E`
exports what is listed (`readmark.annotations.exporting`). `enter` dismisses with the row: the
reader opens its source at it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from readmark.annotations.annotating import Annotator, Deleted, Written
from readmark.annotations.citing import Citing
from readmark.annotations.exporting import export_listed
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.notebook import (
    SORT_WORDS,
    Listing,
    NotebookFilter,
    NotebookRow,
    NotebookSort,
    Status,
)
from readmark.annotations.workspace import Workspace
from readmark.library.model import Source
from readmark.library.safe_text import printable
from readmark.tui.keymap import load_keymap
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.help_screen import HelpScreen, HelpSource
from readmark.tui.screens.plain_notices import PlainNoticeScreen
from readmark.tui.screens.reader_annotations import AnnotationActions
from readmark.tui.widgets.notebook_list import NotebookList, TitleOf
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

PLACEHOLDER = 'words, tag:NAME (t), source:WORD (S), speaker:"Name" (w), status:needs-review'
PREFETCH = 60
"""Rows read in the worker with the query, so the first screen draws without reading."""
_KIND_WORDS = {Kind.HIGHLIGHT: "highlights", Kind.NOTE: "notes", Kind.DISSENT: "dissent"}
_STATUS_WORDS = {Status.NEEDS_REVIEW: "needing review", Status.ORPHANED: "orphaned"}
_SORTS = list(NotebookSort)
_STATUSES: list[Status | None] = [None, Status.NEEDS_REVIEW, Status.ORPHANED]


class NotebookScreen(PlainNoticeScreen[NotebookRow | None]):
    """Dismissed with the row to open (enter), or None (q, escape)."""

    DEFAULT_CSS = """
    NotebookScreen #notebook-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    NotebookScreen #notebook-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    NotebookScreen #notebook-status.-error {
        color: $text-error;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="notebook.close"),
        Binding("slash", "focus_filter", "Filter", id="notebook.filter"),
        Binding("1", "kind('highlight')", "Highlights", id="notebook.highlights"),
        Binding("2", "kind('note')", "Notes", id="notebook.notes"),
        Binding("3", "kind('dissent')", "Dissent", id="notebook.dissent"),
        Binding("0", "kind('')", "All", id="notebook.all"),
        Binding("R", "status", "Review/orphaned", id="notebook.status"),
        Binding("t", "narrow('tag')", "Tag…", id="notebook.tag", show=False),
        Binding("S", "narrow('source')", "Source…", id="notebook.source", show=False),
        Binding("w", "narrow('speaker')", "Speaker…", id="notebook.speaker", show=False),
        Binding("o", "sort", "Sort", id="notebook.sort"),
        Binding("e", "edit", "Edit note", id="notebook.edit"),
        Binding("x", "delete", "Delete", id="notebook.delete"),
        Binding("u", "undo", "Undo delete", id="notebook.undo", show=False),
        Binding("y", "copy", "Copy quote", id="notebook.copy"),
        Binding("E", "export", "Export shown", id="notebook.export"),
        Binding("question_mark", "help", "Keys", id="notebook.help"),
    ]

    AUTO_FOCUS = "#notebook-list"

    def __init__(
        self,
        workspace: Workspace,
        citing: Citing,
        title_of: TitleOf,
        exports: Path,
        sources: Sequence[tuple[str, str]] = (),
        speakers: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.title_of = title_of
        self.exports = exports
        """The reader's export folder: `E` writes a folder of its own inside it."""
        self.sources = list(sources)
        """(id, title) of every source, to choose one from (`S`)."""
        self.speakers = list(speakers)
        self.annotator = Annotator(workspace)
        """Its own: opening a row's source here leaves the reader's open source alone."""
        self.annotating = AnnotationActions(self, self.annotator, citing)
        self.wanted = NotebookFilter()
        self.changed = False
        """Something was saved or deleted here: the reader reads its annotations again."""
        self.last_query_ms: float | None = None
        """How long the last query and its first rows took, in milliseconds."""
        self._synced = False

    def compose(self) -> ComposeResult:
        yield Static("Notebook", id="notebook-title")
        yield Input(placeholder=PLACEHOLDER, id="notebook-filter")
        yield NotebookList(self.title_of, id="notebook-list")
        yield Static("Reading the index…", id="notebook-status")
        yield Footer()

    def on_mount(self) -> None:
        self.run_query(self.wanted)

    @property
    def listing(self) -> Listing:
        return self.query_one(NotebookList).listing

    @property
    def source(self) -> Source | None:
        """The source of the row acted on, as the annotator opened it."""
        return self.annotator.source

    # -- the query -----------------------------------------------------------------------------

    def refilter(self, wanted: NotebookFilter, keep: str | None = None) -> None:
        self.wanted = wanted
        self.run_query(wanted, keep)

    @work(thread=True, exclusive=True, group="notebook")
    def run_query(self, wanted: NotebookFilter, keep: str | None = None) -> None:
        worker = get_current_worker()
        began = time.perf_counter()
        try:
            listing = self.workspace.list_annotations(wanted)
        except Exception as error:  # noqa: BLE001 - a bad query is shown, never raised
            if not worker.is_cancelled:
                message = str(error) or type(error).__name__
                self.app.call_from_thread(self._show_error, wanted, message)
            return
        listing.rows(0, PREFETCH)
        elapsed = (time.perf_counter() - began) * 1000
        if worker.is_cancelled:
            listing.close()
            return
        self.app.call_from_thread(self._show, wanted, listing, keep, elapsed)

    def _show(
        self, wanted: NotebookFilter, listing: Listing, keep: str | None, elapsed: float
    ) -> None:
        if not self.is_attached or wanted != self.wanted:
            listing.close()  # typed over meanwhile
            return
        self.last_query_ms = elapsed
        self.query_one(NotebookList).show(listing, keep)
        self._update_title()
        behind = self.workspace.search_behind()
        status = self.query_one("#notebook-status", Static)
        status.set_class(False, "-error")
        if behind:
            status.update(Text(behind))
        elif not self._synced:
            status.update(Text("Looking for annotations the index has not seen yet…"))
        else:
            status.update(Text(self._hint(len(listing))))
        if not self._synced:
            self._synced = True
            self.catch_up()

    def _show_error(self, wanted: NotebookFilter, message: str) -> None:
        if self.is_attached and wanted == self.wanted:
            status = self.query_one("#notebook-status", Static)
            status.update(Text(printable(message)))
            status.set_class(True, "-error")

    def _hint(self, count: int) -> str:
        if not count:
            return "Nothing matches. 0 shows every kind; clear the filter with / and ctrl+u."
        return "enter opens · e edit · x delete · y copy · E export · o sort · R review"

    @work(thread=True, exclusive=True, group="notebook-sync")
    def catch_up(self) -> None:
        """Take in annotation files changed since the index last saw them, then list again."""
        try:
            report = self.workspace.sync_index()
        except Exception as error:  # noqa: BLE001 - the list as the index has it still stands
            message = f"The index could not be brought up to date ({error})."
            self.app.call_from_thread(self.notify, message, severity="warning")
            return
        self.app.call_from_thread(self._caught_up, report.changed)

    def _caught_up(self, changed: bool) -> None:
        if not self.is_attached:
            return
        if changed:
            row = self.query_one(NotebookList).current
            self.run_query(self.wanted, row.id if row else None)
        else:
            status = self.query_one("#notebook-status", Static)
            status.update(Text(self._hint(len(self.listing))))

    def _update_title(self) -> None:
        wanted = self.wanted
        count = len(self.listing)
        parts = [f"Notebook · {count:,} annotation{'' if count == 1 else 's'}"]
        if wanted.kind is not None:
            parts.append(_KIND_WORDS[wanted.kind])
        if wanted.status is not None:
            parts.append(_STATUS_WORDS[wanted.status])
        if wanted.text.strip():
            parts.append(f"matching {wanted.text.strip()}")
        parts.append(SORT_WORDS[wanted.sort])
        self.query_one("#notebook-title", Static).update(Text(printable(" · ".join(parts))))

    # -- filtering and sorting ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.wanted.text:
            self.refilter(replace(self.wanted, text=event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(NotebookList).focus()

    def on_key(self, event: events.Key) -> None:
        # Down or escape in the filter goes back to the list (escape then closes from there).
        if event.key in ("down", "escape") and isinstance(self.focused, Input):
            self.query_one(NotebookList).focus()
            event.stop()

    def action_help(self) -> None:
        panes: list[tuple[str, HelpSource]] = [("Notebook", NotebookScreen), ("List", NotebookList)]
        self.app.push_screen(HelpScreen(panes, keymap=load_keymap()[0]))

    def action_narrow(self, field: str) -> None:
        """Choose a tag, source or speaker from a list: it joins the typed filter."""
        options: list[tuple[str, str]]
        if field == "tag":
            try:
                options = [(f"tag:{tag}", f"#{tag}") for tag in self.workspace.tags()]
            except Exception as error:  # noqa: BLE001 - the typed filter still works
                self.notify(f"The tags cannot be read: {error}", severity="warning")
                return
        elif field == "source":
            options = [(f'source:"{sid}"', title) for sid, title in self.sources]
        else:
            options = [(f'speaker:"{name}"', name) for name in self.speakers]
        if not options:
            self.notify(f"No {field} to choose from.", severity="warning")
            return

        def chosen(part: str | None) -> None:
            if part:
                box = self.query_one(Input)
                box.value = f"{box.value.strip()} {part} ".lstrip()
                self.query_one(NotebookList).focus()

        self.app.push_screen(ChoiceScreen(f"Only this {field}", options), chosen)

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_kind(self, kind: str) -> None:
        self.refilter(replace(self.wanted, kind=Kind(kind) if kind else None))

    def action_status(self) -> None:
        following = _STATUSES[(_STATUSES.index(self.wanted.status) + 1) % len(_STATUSES)]
        self.refilter(replace(self.wanted, status=following))

    def action_sort(self) -> None:
        following = _SORTS[(_SORTS.index(self.wanted.sort) + 1) % len(_SORTS)]
        row = self.query_one(NotebookList).current
        self.refilter(replace(self.wanted, sort=following), row.id if row else None)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_notebook_list_chosen(self, message: NotebookList.Chosen) -> None:
        self.dismiss(message.row)

    # -- acting on a row -------------------------------------------------------------------------

    def _on_row(self, then: Callable[[Annotation], None]) -> None:
        """Open the row's source in this screen's annotator (in a worker), then act on it."""
        row = self.query_one(NotebookList).current
        if row is None:
            self.notify("No annotation here.", severity="warning")
            return

        def work() -> None:
            try:
                source = self.annotator.source
                if source is None or source.id != row.source or not self.annotator.get(row.id):
                    self.annotator.open(row.source)
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                message = f"Cannot open {row.source}: {error}"
                self.app.call_from_thread(self.notify, message, severity="error")
                return
            annotation = self.annotator.get(row.id)
            if annotation is None:
                message = "That annotation is gone from its file: listing again."
                self.app.call_from_thread(self.notify, message, severity="warning")
                self.app.call_from_thread(self.reload_annotations)
                return
            self.app.call_from_thread(then, annotation)

        self.run_worker(work, thread=True, group="open")

    def action_edit(self) -> None:
        self._on_row(lambda annotation: self.annotating.edit(annotation.id))

    def action_delete(self) -> None:
        self._on_row(lambda annotation: self.annotating.delete(annotation.id))

    def action_undo(self) -> None:
        self.annotating.undo_delete()

    def action_copy(self) -> None:
        self._on_row(lambda annotation: self.annotating.copy_annotation(self.source, annotation))

    # what the actions report back (see `AnnotationHost`)

    def wrote(self, written: Written, copies: list[tuple[Path, tuple[int, int] | None]]) -> None:
        self.changed = True
        self.run_query(self.wanted, written.annotation.id)

    def deleted(self, deleted: Deleted) -> None:
        self.changed = True
        self.notify("Moved to the trash: u brings it back.")
        self.reload_annotations()

    def known_tags(self) -> list[str]:
        """Every tag of the vault the index knows, for the note editor to complete."""
        return self.workspace.known_tags()

    def reload_annotations(self) -> None:
        row = self.query_one(NotebookList).current
        self.run_query(self.wanted, row.id if row else None)

    # -- exporting -------------------------------------------------------------------------------

    def action_export(self) -> None:
        listing = self.listing
        if not len(listing):
            self.notify("Nothing listed to export.", severity="warning")
            return
        ids = [row.id for row in listing.rows(0, len(listing))]
        self.notify(f"Exporting {len(ids):,} annotations…")
        self._export(ids)

    @work(thread=True, group="save")
    def _export(self, ids: list[str]) -> None:
        try:
            written = export_listed(self.workspace, ids, self.exports)
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self.notify, f"Export failed: {error}", severity="error")
            return
        where = str(written.folder) if written.files else "nothing to export"
        said = f"Exported {written.count:,} annotations to {where}"
        if written.missing:
            said += f" ({written.missing} no longer on disk were left out)"
        self.app.call_from_thread(self.notify, said)
