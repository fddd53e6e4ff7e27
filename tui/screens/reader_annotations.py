"""What the reader's annotation keys do on screen: the annotator and the citing service decide
and write (`readmark.annotations.annotating`, `.citing`); this runs their writes in workers,
opens the note editor and the format choice, and says what happened.

To change what `h` (or any annotation key) may do, change the annotator: the command line
follows the same rules. Change this module for what the reader shows and says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from readmark.annotations.annotating import (
    AlreadyHighlightedError,
    Annotator,
    Deleted,
    RestoredButUnreadableError,
    Written,
)
from readmark.annotations.citation import CitationError
from readmark.annotations.citing import Citing
from readmark.annotations.config import ConfigError
from readmark.annotations.drafts import DraftNotKeptError, NoteDraft
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.review import Decision
from readmark.annotations.store import ChangedOnDiskError
from readmark.library.model import Source
from readmark.library.safe_text import printable, shorten
from readmark.library.timecode import format_timecode
from readmark.tui.clipboard import NOWHERE, copied_message, copy_text
from readmark.tui.key_hold import nothing_opens
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.reader_watch import file_stamp
from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker

if TYPE_CHECKING:
    from readmark.tui.screens.note_editor import NoteEditor, NoteResult

_Copies = list[tuple[Path, tuple[int, int] | None]]
"""Conflict copies kept by a save, each with its stamp right after (for the folder watch)."""


class AnnotationHost(Protocol):
    """The screen the keys act on (the reader, the notebook): what it shows and is told."""

    @property
    def app(self) -> App[Any]: ...

    @property
    def source(self) -> Source | None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None: ...

    def run_worker(self, work: Callable[[], None], *, thread: bool, group: str) -> Worker[None]: ...

    def wrote(self, written: Written, copies: _Copies) -> None:
        """Show what the annotator saved."""

    def deleted(self, deleted: Deleted) -> None:
        """Show that an annotation went to the trash."""

    def reload_annotations(self) -> None:
        """Read the annotations again: another program changed them."""

    def known_tags(self) -> list[str]:
        """The tags the note editor offers to complete."""


class AnnotationActions:
    """The reader's `h` `a` `d` `e` `x` `u` `A` `O` `y` `Y`, on the open source."""

    def __init__(self, screen: AnnotationHost, annotator: Annotator, citing: Citing) -> None:
        self.screen = screen
        self.annotator = annotator
        self.citing = citing
        self.editing: tuple[NoteDraft, NoteEditor] | None = None
        """The note editor open now, with the draft it edits."""
        self._said_not_kept = False

    # -- making --------------------------------------------------------------------------------

    def highlight(self, start: int, end: int) -> None:
        if self.annotator.existing(start, end, Kind.HIGHLIGHT) is not None:
            self.screen.notify("Already highlighted.")
            return
        self._in_worker(lambda: self.annotator.create(start, end, Kind.HIGHLIGHT), "Highlighted")

    def note(self, start: int, end: int, kind: Kind, suggested: str = "") -> None:
        """A note of `kind` on the words: the one there already (edited), else a new one,
        begun with `suggested` when nothing was typed for it before."""
        draft = self.annotator.draft_on(start, end, kind)
        if suggested and not draft.note.strip():
            draft = replace(draft, note=suggested)
        self._edit(draft)

    def edit(self, annotation_id: str | None) -> None:
        draft = self.annotator.draft_of(annotation_id)
        if draft is None:
            nothing_opens(self.screen.app)
            self.screen.notify("No annotation under the cursor.", severity="warning")
            return
        self._edit(draft)

    def _edit(self, draft: NoteDraft) -> None:
        source = self.screen.source
        drafts = self.annotator.drafts

        # The editor's widgets load with the first note written, not at start-up.
        from readmark.tui.screens.note_editor import NoteEditor

        def typed(result: NoteResult) -> None:
            ticket = drafts.ticket()
            self._keep_in_worker(
                lambda: self.annotator.keep_draft(
                    draft, result.note, result.confidence, result.tags, ticket=ticket
                )
            )

        editor = NoteEditor.for_draft(
            draft,
            source_title=source.title if source else "",
            known_tags=self.screen.known_tags(),
            on_change=typed,
        )
        self.editing = (draft, editor)

        def done(result: NoteResult | None) -> None:
            self.editing = None
            if result is None:
                return
            ticket = drafts.ticket()
            if result.discarded:
                self._keep_in_worker(
                    lambda: self.annotator.discard_draft(draft, ticket=ticket), "Draft discarded."
                )
                return
            if not result.saved:
                said = ""
                if result.note.strip() or result.tags:
                    said = "Draft kept: press the same key on this text to go on."
                self._keep_in_worker(
                    lambda: self.annotator.keep_draft(
                        draft, result.note, result.confidence, result.tags, ticket=ticket
                    ),
                    said,
                )
                return
            if not draft.is_new:
                said = "Note updated"
            else:
                said = "Dissent saved" if draft.kind is Kind.DISSENT else "Note saved"
            self._in_worker(
                lambda: self.annotator.save_draft(
                    draft, result.note, result.confidence, result.tags, ticket=ticket
                ),
                said,
            )

        self.screen.app.push_screen(editor, done)

    def keep_open_editor(self) -> None:
        """Keep what the open editor holds as a draft, now (the app is quitting); blocks."""
        if self.editing is None:
            return
        draft, editor = self.editing
        if not editor.is_mounted:
            return
        result = editor.result(saved=False)
        try:
            self.annotator.keep_draft(draft, result.note, result.confidence, result.tags)
        except DraftNotKeptError:
            pass  # quitting: the exit message lists the drafts that are on disk

    def _keep_in_worker(self, keep: Callable[[], None], said: str = "") -> None:
        """Run a draft write off the screen's thread; say `said` when done, or why not."""
        app = self.screen.app

        def work() -> None:
            try:
                keep()
            except DraftNotKeptError as error:
                if not self._said_not_kept:  # once, not on every pause in typing
                    self._said_not_kept = True
                    app.call_from_thread(self.screen.notify, str(error), severity="warning")
                return
            if said:
                app.call_from_thread(self.screen.notify, said)

        self.screen.run_worker(work, thread=True, group="drafts")

    def _in_worker(self, write: Callable[[], Written], said: str) -> None:
        """Run `write` off the screen's thread, then tell how it went."""
        app = self.screen.app

        def work() -> None:
            try:
                written = write()
            except AlreadyHighlightedError:
                app.call_from_thread(self.screen.notify, "Already highlighted.")
                return
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                app.call_from_thread(self._not_saved, str(error))
                return
            copies = [(path, file_stamp(path)) for path in written.conflict_copies]
            app.call_from_thread(self._written, written, said, copies)

        self.screen.run_worker(work, thread=True, group="save")

    def _written(self, written: Written, said: str, copies: _Copies) -> None:
        self.screen.wrote(written, copies)
        annotation = written.annotation
        when = f" at {format_timecode(annotation.start)}" if annotation.start is not None else ""
        if written.unsynced:
            self.screen.notify(
                f"{said}{when}, but: {written.unsynced}", severity="warning", timeout=15
            )
        elif copies:
            names = ", ".join(path.name for path, _ in copies)
            self.screen.notify(
                f"{said}{when}. Another program changed this note meanwhile: its version is "
                f"kept beside it as {names}.",
                severity="warning",
                timeout=15,
            )
        else:
            self.screen.notify(f"{said}{when}.")

    def _not_saved(self, reason: str) -> None:
        self.screen.notify(
            f"Not saved: {reason} Your text is kept; press the key again to retry.",
            severity="error",
            timeout=12,
        )

    # -- deleting and bringing back --------------------------------------------------------------

    def delete(self, annotation_id: str | None) -> None:
        if annotation_id is None:
            self.screen.notify("No annotation under the cursor.", severity="warning")
            return
        app = self.screen.app

        def work() -> None:
            try:
                deleted = self.annotator.delete(annotation_id)
            except ChangedOnDiskError as changed:
                message = f"Not deleted: {changed} It is reloaded now."
                app.call_from_thread(self.screen.notify, message, severity="warning")
                app.call_from_thread(self.screen.reload_annotations)
                return
            except Exception as error:  # noqa: BLE001
                app.call_from_thread(self.screen.notify, f"Not deleted: {error}", severity="error")
                return
            app.call_from_thread(self.screen.deleted, deleted)

        self.screen.run_worker(work, thread=True, group="save")

    def undo_delete(self) -> None:
        app = self.screen.app

        def work() -> None:
            try:
                written = self.annotator.undo_delete()
            except RestoredButUnreadableError as error:  # changed again at once by another program
                app.call_from_thread(self.screen.notify, f"Restored, but: {error}")
                return
            except Exception as error:  # noqa: BLE001
                message = f"Not restored: {error}"
                app.call_from_thread(self.screen.notify, message, severity="error")
                return
            if written is None:
                app.call_from_thread(self.screen.notify, "Nothing to undo.", severity="warning")
                return
            app.call_from_thread(self._written, written, "Restored", [])

        self.screen.run_worker(work, thread=True, group="save")

    # -- review --------------------------------------------------------------------------------

    def settle(self, annotation_id: str, decision: Decision) -> None:
        """Accept the candidate of an annotation that needs review, or give up on it."""
        app = self.screen.app

        def work() -> None:
            try:
                written = self.annotator.settle(annotation_id, decision)
            except Exception as error:  # noqa: BLE001 - a worker must never take the app down
                message = f"Not decided: {error}"
                app.call_from_thread(self.screen.notify, message, severity="error", timeout=12)
                return
            if written is None:
                app.call_from_thread(self.screen.reload_annotations)
                return
            quote = shorten(written.annotation.quote, 60)
            if decision is Decision.ACCEPT:
                said = f"Accepted the new words: \u201c{quote}\u201d"
            else:
                said = f"Marked orphaned, quote kept: \u201c{quote}\u201d"
            app.call_from_thread(self._written, written, said, [])

        self.screen.run_worker(work, thread=True, group="save")

    # -- citing --------------------------------------------------------------------------------

    def copy(self, source: Source, start: int, end: int) -> None:
        """`y`: the words as a citation, in the format in force."""
        self._copy(source, Citing.quoted(source, start, end), None)

    def copy_selected(self, source: Source, annotation_id: str | None) -> None:
        """`y` on an annotation in the sidebar: its quote, time and speaker as saved."""
        annotation = self.annotator.get(annotation_id)
        if annotation is None:
            self.screen.notify("No annotation is selected.", severity="warning")
            return
        self.copy_annotation(source, annotation)

    def copy_annotation(self, source: Source | None, annotation: Annotation) -> None:
        """`y` on a saved annotation: its citation, in the format in force."""
        self._copy(source, annotation, None)

    def choose_citation(self, source: Source, start: int, end: int) -> None:
        """`Y`: choose a format, copy the words in it, and keep it for `y`."""
        quoted = Citing.quoted(source, start, end)
        try:
            names = self.citing.formats()
            current: str | None = self.citing.format()
        except ConfigError as error:
            self.screen.notify(f"{error}", severity="error")
            names, current = ["markdown", "plain"], self.citing.chosen or "markdown"
        options = [(name, name) for name in names]

        def chosen(name: str | None) -> None:
            if not name:
                return
            then = f"From now on y copies as {name}." if name != current else ""
            if self._copy(source, quoted, name, then):
                self.citing.choose(name, save=False)
                self.screen.run_worker(lambda: self._remember(name), thread=True, group="settings")

        self.screen.app.push_screen(ChoiceScreen("Copy the citation as", options), chosen)

    def _remember(self, name: str) -> None:
        if not self.citing.save():
            message = f"{name} is used until readmark quits: the choice could not be saved."
            self.screen.app.call_from_thread(self.screen.notify, message, severity="warning")

    def _copy(
        self, source: Source | None, annotation: Annotation, name: str | None, then: str = ""
    ) -> bool:
        """Copy the citation of `annotation`; False when it cannot be made."""
        try:
            citation = self.citing.cite(annotation, source, name)
        except (CitationError, ConfigError) as error:
            self.screen.notify(str(error), severity="error")
            return False
        how = copy_text(self.screen.app, citation)
        when = annotation.start
        title = source.title if source is not None else annotation.source
        target = f"{title}, {format_timecode(when)}" if when is not None else title
        message = copied_message(how, printable(annotation.quote), printable(target))
        message = f"{message} {then}" if then else message
        self.screen.notify(message, severity="warning" if how == NOWHERE else "information")
        return True
