"""The reading screen: owns the workspace and routes messages between the panes."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from readmark.annotations.anchoring import ReanchorStatus, new_annotation, reanchor
from readmark.annotations.citation import CitationError, cite
from readmark.annotations.config import load_citation_config
from readmark.annotations.export_markdown import export_markdown_files
from readmark.annotations.gitignore import ensure_gitignore
from readmark.annotations.model import Annotation, Confidence, Kind, LoadProblem, utc_now
from readmark.annotations.review import Decision
from readmark.annotations.store import (
    ChangedOnDiskError,
    FileVersion,
    Loaded,
    Saved,
    WrittenNotSyncedError,
)
from readmark.annotations.workspace import Workspace
from readmark.library.builder import SourceBuilder
from readmark.library.durable import ensure_dir, write_atomic
from readmark.library.model import Role, Source
from readmark.library.safe_text import printable, shorten
from readmark.library.summary import SourceSummary
from readmark.library.timecode import format_timecode, url_at_time
from readmark.tui.clipboard import NOWHERE, copied_message, copy_text
from readmark.tui.keymap import load_keymap
from readmark.tui.problem_notices import ProblemNotices
from readmark.tui.reading_state import ReadingState, load_reading_state, save_reading_state
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.help_screen import HelpScreen
from readmark.tui.screens.note_editor import NoteEditor, NoteResult
from readmark.tui.screens.search_screen import RESULT_LIMIT, SearchScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.key_footer import KeyFooter
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from readmark.tui.widgets.transcript_header import HeaderParts, TranscriptHeader
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

if TYPE_CHECKING:
    from readmark.annotations.index import SearchHit

RELOAD_CHECK_SECONDS = 2.0
LARGE_FILE_BYTES = 8_000_000
RELIST_SECONDS = 30.0
"""Opening a file larger than this says so, since parsing it takes a moment."""


@dataclass(frozen=True, slots=True)
class _DraftKey:
    """Where an unsaved note belongs, so escape in the editor never loses what was typed."""

    source: str
    start: int
    end: int
    kind: Kind
    annotation_id: str | None = None


@dataclass(frozen=True, slots=True)
class _OpenFile:
    source_id: str
    mtime_ns: int
    size: int


_NotesStamp = dict[str, tuple[int, int]]
"""(size, mtime_ns) of each file in the open source's annotation folder, by name, as last seen
or written by this reader: the poll compares the folder with it file by file."""


class ReaderScreen(Screen[None]):
    """Sources and outline on the left, the open source in the centre, annotations on the right."""

    BINDINGS = [
        Binding(
            "ctrl+b",
            "toggle_pane('sources-pane')",
            "Sources panel",
            id="screen.toggle_sources",
            show=False,
        ),
        Binding(
            "ctrl+e",
            "toggle_pane('sidebar')",
            "Annotation sidebar",
            id="screen.toggle_sidebar",
            show=False,
        ),
        Binding("s", "search", "Search", id="screen.search"),
        Binding("question_mark", "help", "Keys", id="screen.help"),
    ]

    def __init__(self, vault_path: Path) -> None:
        super().__init__()
        self.workspace = Workspace(vault_path)
        self.source: Source | None = None
        self.annotations: list[Annotation] = []
        self._summaries: list[SourceSummary] = []
        self._state = ReadingState()
        self._drafts: dict[_DraftKey, NoteResult] = {}
        self._draft_bases: dict[_DraftKey, FileVersion | None] = {}
        """The file version a kept draft of an existing note was begun on: it saves over that."""
        self._deleted: list[str] = []
        self._open_file: _OpenFile | None = None
        self._cursor_offset = 0
        self._counts: dict[str, int] = {}
        self._notes_stamp: _NotesStamp = {}
        self._versions: dict[str, FileVersion] = {}
        """The file version each annotation on screen was read or saved as: edits save over it."""
        self._problems = ProblemNotices(self.workspace.root)
        self._citation_format = "markdown"
        self._said_behind: str | None = None
        """The last word given on a search index that lags the files."""
        """What `y` copies as: `Y` changes it for the rest of the session."""

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="sources-pane"):
                yield SourceList(id="sources")
                yield OutlineView(id="outline")
            with Vertical(id="reading-pane"):
                yield TranscriptHeader("Choose a source and press enter.", id="transcript-header")
                yield Transcript(id="transcript")
            yield AnnotationSidebar(id="sidebar")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(SourceList).focus()
        self._state = load_reading_state(self.workspace.root)
        self.list_sources()
        self.set_interval(RELOAD_CHECK_SECONDS, self._check_source_changed)
        # Files added, removed or renamed in the vault by other programs show up on their own.
        self.set_interval(RELIST_SECONDS, self.list_sources)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every message here may quote a file name or an error about one: show it as text."""
        super().notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "-narrow")

    def on_unmount(self) -> None:
        self._remember_position()
        self.workspace.close()

    # -- listing -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="vault")
    def list_sources(self) -> None:
        source_list = self.query_one(SourceList)

        def progress(done: int, total: int) -> None:
            # Only worth showing for big vaults: a small one lists before anyone could read it.
            if total >= 2_000:
                note = "" if done >= total else f"reading {done:,}/{total:,}"
                self.app.call_from_thread(setattr, source_list, "border_subtitle", note)

        try:
            listing = self.workspace.vault.scan(progress=progress)
            # One folder listing per source: cheap even with 100,000 annotation files.
            store = self.workspace.store
            counts = {s.id: len(store.folder_stamp(s.id)) for s in listing.sources}
            copies = store.conflict_copies()
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Cannot list {self.workspace.root}: {error}"
            self.app.call_from_thread(self.notify, message, severity="error", timeout=10)
            return
        self.app.call_from_thread(self._show_sources, listing.sources, counts)
        self.app.call_from_thread(self._tell_problems, copies)

    def _show_sources(self, summaries: list[SourceSummary], counts: dict[str, int]) -> None:
        first_listing = not self._summaries
        self._summaries = summaries
        self._counts = counts
        self.query_one(SourceList).show_sources(summaries, counts)
        if first_listing:
            # Catch the index up only once the list is on screen: it competes for the CPU.
            self.sync_index()
        if not summaries:
            self.notify(f"No readable sources in {self.workspace.root}.", severity="warning")
        last = self._state.open_source
        if self.source is None and last and any(s.id == last for s in summaries):
            self.open_source(last, self._state.offset_of(last), focus=False)

    @work(thread=True, exclusive=True, group="index")
    def sync_index(self) -> None:
        # Derived data: failures only mean search is behind, never that a note is lost.
        legacy = self.workspace.legacy_index_notice()
        if legacy:
            self.app.call_from_thread(self.notify, legacy, timeout=15)
        try:
            self.workspace.sync_index()
        except Exception as error:  # noqa: BLE001
            message = f"The search index could not be updated ({error}); run `readmark reindex`."
            self.app.call_from_thread(self.notify, message, severity="warning", markup=False)
        for note in self.workspace.index_notes():
            self.app.call_from_thread(self.notify, note, severity="warning", timeout=15)

    # -- opening -----------------------------------------------------------------------------

    def on_source_list_source_selected(self, message: SourceList.SourceSelected) -> None:
        self._remember_position()
        self.open_source(message.source_id, self._state.offset_of(message.source_id))

    @work(thread=True, exclusive=True, group="open")
    def open_source(self, source_id: str, offset: int = 0, focus: bool = True) -> None:
        self._load_and_show(source_id, lambda _source, _annotations: offset, focus)

    def _load_and_show(
        self,
        source_id: str,
        offset_of: Callable[[Source, list[Annotation]], int],
        focus: bool = True,
    ) -> None:
        """Parse the source and its annotations (in a worker), then show them."""
        stamp = self._stamp(source_id)
        if stamp is not None and stamp.size > LARGE_FILE_BYTES:
            megabytes = stamp.size / 1_000_000
            message = f"Opening {printable(source_id)} ({megabytes:.0f} MB)…"
            self.app.call_from_thread(self.notify, message, markup=False)
        try:
            before = self._annotation_files_stamp(source_id)
            source = self.workspace.vault.load(source_id)
            loaded = Loaded() if source.error else self.workspace.open_annotations(source_id)
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Cannot open {source_id}: {error}"
            self.app.call_from_thread(self.notify, message, severity="error", timeout=10)
            self.app.call_from_thread(self.list_sources)
            return
        notes = self._seen_stamp(source_id, before, loaded)
        offset = offset_of(source, loaded.annotations)
        self.app.call_from_thread(self._show_source, source, loaded, offset, focus, stamp, notes)

    def _stamp(self, source_id: str) -> _OpenFile | None:
        try:
            info = self.workspace.vault.path_of(source_id).stat()
        except (OSError, Exception):  # noqa: BLE001
            return None
        return _OpenFile(source_id, info.st_mtime_ns, info.st_size)

    def _show_source(
        self,
        source: Source,
        loaded: Loaded,
        offset: int,
        focus: bool,
        stamp: _OpenFile | None,
        notes: _NotesStamp,
    ) -> None:
        annotations = loaded.annotations
        self._notes_stamp = notes
        self._versions = dict(loaded.versions)
        self._tell_problems(loaded.problems)
        if source.error:
            self.notify(f"{source.id}: {source.error}", severity="error")
        elif source.warnings:
            shown = "; ".join(source.warnings[:2])
            more = f" (+{len(source.warnings) - 2} more)" if len(source.warnings) > 2 else ""
            self.notify(f"{source.id}: {shown}{more}", severity="warning")
        self.source = source
        self.annotations = annotations
        self._open_file = stamp
        self._state.open_source = source.id
        transcript = self.query_one(Transcript)
        on_screen = source if source.segments else _explanation(source)
        transcript.show(on_screen, annotations if on_screen is source else (), offset)
        self._cursor_offset = transcript.cursor_offset
        self.query_one(OutlineView).show(source)
        self.query_one(AnnotationSidebar).show(annotations)
        self.query_one(SourceList).highlight(source.id)
        if focus:
            transcript.focus()
        self._update_header()
        self._tell_of_reviews(annotations)

    def _tell_of_reviews(self, annotations: list[Annotation]) -> None:
        waiting = sum(a.needs_review for a in annotations)
        if waiting:
            which = "1 annotation needs" if waiting == 1 else f"{waiting} annotations need"
            self.notify(
                f"{which} review: the source changed and other words stand where its quote was "
                "(marked ? in the sidebar, underlined in the text). On one, A takes the new "
                "words, O keeps the quote and marks it orphaned.",
                severity="warning",
                timeout=10,
            )

    def _check_source_changed(self) -> None:
        if self._open_file is not None and self.source is not None:
            self._check_disk(self._open_file, self._notes_stamp)

    @work(thread=True, exclusive=True, group="watch")
    def _check_disk(self, opened: _OpenFile, notes: _NotesStamp) -> None:
        """Compare the open source and its annotation folder with what is on screen."""
        source_now = self._stamp(opened.source_id)
        notes_now = self._annotation_files_stamp(opened.source_id)
        self.app.call_from_thread(self._disk_checked, opened, source_now, notes, notes_now)

    def _disk_checked(
        self,
        opened: _OpenFile,
        source_now: _OpenFile | None,
        notes: _NotesStamp,
        notes_now: _NotesStamp,
    ) -> None:
        if self._open_file != opened or self.source is None:
            return  # another source was opened meanwhile
        if notes is not self._notes_stamp:
            notes_now = notes  # this reader wrote meanwhile: the next look compares afresh
        name = printable(opened.source_id)
        offset = self._cursor_offset
        if source_now is None:
            self._open_file = None
            self.notify(
                f"{name} was deleted or renamed on disk. The text stays on screen; its "
                "annotations are kept (readmark check lists them).",
                severity="warning",
                markup=False,
                timeout=10,
            )
            self.list_sources()
        elif source_now != opened:
            self._open_file = source_now
            self.notify(f"{name} changed on disk: reloaded.", markup=False)
            transcript = self.query_one(Transcript)
            if transcript.source is self.source:
                start, end = transcript.cursor_span
                self._reload_source(self.source, start, end)
            else:
                self.open_source(opened.source_id, offset, focus=False)
        elif notes_now != notes:
            self._notes_stamp = notes_now
            self.notify(f"Annotations of {name} changed on disk: reloaded.", markup=False)
            self._reload_annotations(opened.source_id, notes_now)

    @work(thread=True, exclusive=True, group="open")
    def _reload_source(self, old: Source, start: int, end: int) -> None:
        """Load `old` again, the cursor on the sentence it was on wherever that moved to."""
        self._load_and_show(
            old.id, lambda new, _annotations: follow_span(old, start, end, new), focus=False
        )

    def _annotation_files_stamp(self, source_id: str) -> _NotesStamp:
        stamp = self.workspace.store.folder_stamp(source_id)
        return {name: (size, mtime_ns) for name, size, mtime_ns in stamp}

    def _seen_stamp(self, source_id: str, before: _NotesStamp, loaded: Loaded) -> _NotesStamp:
        """The folder as listed before loading, with each loaded file as it was read or
        re-anchored: a file another program wrote after that still differs at the next look."""
        folder = self.workspace.store.folder_for(source_id)
        seen = dict(before)
        for version in loaded.versions.values():
            if version.path.parent == folder:
                seen[version.path.name] = (version.size, version.mtime_ns)
        return seen

    @work(thread=True, exclusive=True, group="open")
    def _reload_annotations(self, source_id: str, before: _NotesStamp) -> None:
        try:
            loaded = self.workspace.open_annotations(source_id)
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Cannot reload the annotations of {source_id}: {error}"
            self.app.call_from_thread(self.notify, message, severity="warning")
            return
        notes = self._seen_stamp(source_id, before, loaded)
        self.app.call_from_thread(self._annotations_reloaded, source_id, loaded, notes)

    def _annotations_reloaded(self, source_id: str, loaded: Loaded, notes: _NotesStamp) -> None:
        if self.source is None or self.source.id != source_id:
            return
        self.annotations = loaded.annotations
        self._versions = dict(loaded.versions)
        self._notes_stamp = notes
        self._tell_problems(loaded.problems)
        self._refresh_annotations()

    def _tell_problems(self, problems: list[LoadProblem]) -> None:
        for message in self._problems.messages(problems):
            self.notify(message, severity="warning", markup=False, timeout=15)

    def _remember_position(self) -> None:
        if self.source is None:
            return
        # Kept from the last PositionChanged: on unmount the panes are already gone.
        self._state.remember(self.source.id, self._cursor_offset)
        save_reading_state(self.workspace.root, self._state)

    # -- keeping panes in step -----------------------------------------------------------------

    def on_transcript_position_changed(self, message: Transcript.PositionChanged) -> None:
        self._cursor_offset = message.offset
        self.query_one(OutlineView).mark(message.segment_index, message.seconds)
        self.query_one(AnnotationSidebar).mark_nearest(message.offset)
        self._update_header()

    def on_outline_view_entry_chosen(self, message: OutlineView.EntryChosen) -> None:
        self.query_one(Transcript).go_to_segment(message.segment_index)

    def on_annotation_sidebar_annotation_chosen(
        self, message: AnnotationSidebar.AnnotationChosen
    ) -> None:
        for annotation in self.annotations:
            if annotation.id == message.annotation_id and not annotation.orphaned:
                self.query_one(Transcript).go_to_offset(annotation.span[0])

    def on_annotation_sidebar_review_decided(
        self, message: AnnotationSidebar.ReviewDecided
    ) -> None:
        self._settle(message.annotation_id, message.decision)

    def _update_header(self) -> None:
        source = self.source
        if source is None:
            return
        transcript = self.query_one(Transcript)
        time = chapter = speaker = ""
        seconds = transcript.current_seconds
        if seconds is not None:
            total = f" / {format_timecode(source.duration)}" if source.duration else ""
            time = f"{format_timecode(seconds)}{total}"
        segment = source.segment_at_offset(transcript.cursor_offset)
        if segment is not None:
            chapter = _chapter_at(source, segment.index, seconds) or ""
            speaker = segment.speaker or ""
        parts = HeaderParts(time, chapter, speaker, source.title)
        self.query_one(TranscriptHeader).show(parts)

    # -- actions on the text -------------------------------------------------------------------

    def on_transcript_span_action(self, message: Transcript.SpanAction) -> None:
        source = self.source
        if source is None or not source.segments:
            return
        action, start, end = message.action, message.start, message.end
        if source.error:
            self.notify(
                "This file could not be read, so it cannot be annotated.", severity="warning"
            )
            return
        if action == "highlight":
            if self._covering_highlight(start, end) is not None:
                self.notify("Already highlighted.")
                return
            self._save(new_annotation(source, start, end, Kind.HIGHLIGHT), "Highlighted", None)
        elif action in ("annotate", "dissent"):
            kind = Kind.DISSENT if action == "dissent" else Kind.NOTE
            existing = self._same_span(start, end, kind)
            if existing is not None:
                self._edit_existing(existing.id)  # one note per passage and kind: edit it
            else:
                self._edit_new(source, start, end, kind)
        elif action == "copy":
            annotation = new_annotation(source, start, end, Kind.HIGHLIGHT)
            self._copy_citation(annotation, self._citation_format)
        elif action == "copy_format":
            self._choose_citation_format(new_annotation(source, start, end, Kind.HIGHLIGHT))
        elif action == "edit":
            self._edit_existing(message.annotation_id)
        elif action == "delete":
            self._delete(message.annotation_id)
        elif action == "undo":
            self._undo_delete()
        elif action == "open":
            self._open_in_browser()
        elif action in ("accept", "orphan") and message.annotation_id is not None:
            self._settle(message.annotation_id, Decision(action))

    def _edit_new(self, source: Source, start: int, end: int, kind: Kind) -> None:
        key = _DraftKey(source.id, start, end, kind)
        draft = self._drafts.get(key)
        segment = source.segment_at_offset(start)
        editor = NoteEditor(
            kind,
            source.text[start:end],
            note=draft.note if draft else "",
            confidence=draft.confidence if draft else None,
            source_title=source.title,
            speaker=segment.speaker if segment else None,
            seconds=segment.start if segment else None,
        )

        def done(result: NoteResult | None) -> None:
            if result is None:
                return
            if not result.saved:
                self._drafts[key] = result
                if result.note.strip():
                    self.notify("Draft kept: press the same key on this text to go on.")
                return
            annotation = new_annotation(
                source,
                start,
                end,
                kind,
                note=result.note,
                confidence=result.confidence if kind is Kind.DISSENT else None,
            )
            done = "Dissent saved" if kind is Kind.DISSENT else "Note saved"
            self._save(annotation, done, None, key)

        self.app.push_screen(editor, done)

    def _edit_existing(self, annotation_id: str | None) -> None:
        annotation = self._annotation(annotation_id)
        if annotation is None:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        key = _DraftKey(annotation.source, 0, 0, annotation.kind, annotation.id)
        draft = self._drafts.get(key)
        title = self.source.title if self.source else ""
        # Saved over the version the note was begun on, whatever is reloaded meanwhile.
        opened_on = self._versions.get(annotation.id)
        if draft is not None and key in self._draft_bases:
            opened_on = self._draft_bases[key]
        editor = NoteEditor.for_annotation(annotation, source_title=title)
        if draft is not None:
            editor = NoteEditor(
                annotation.kind,
                annotation.quote,
                note=draft.note,
                confidence=draft.confidence,
                source_title=title,
                speaker=annotation.speaker,
                seconds=annotation.start,
                created=annotation.created,
            )

        def done(result: NoteResult | None) -> None:
            if result is None:
                return
            if not result.saved:
                self._drafts[key] = result
                self._draft_bases[key] = opened_on
                return
            confidence: Confidence | None = result.confidence
            if annotation.kind is not Kind.DISSENT:
                confidence = None
            changed = replace(
                annotation, note=result.note, confidence=confidence, updated=utc_now()
            )
            self._save(changed, "Note updated", opened_on, key)

        self.app.push_screen(editor, done)

    def _same_span(self, start: int, end: int, kind: Kind) -> Annotation | None:
        for annotation in self.annotations:
            position = annotation.anchor.position
            if annotation.kind is kind and (position.start, position.end) == (start, end):
                return annotation
        return None

    def _covering_highlight(self, start: int, end: int) -> Annotation | None:
        """A highlight holding all of `start:end`: another one inside it would only duplicate."""
        for annotation in self.annotations:
            position = annotation.anchor.position
            if annotation.kind is Kind.HIGHLIGHT and not (
                annotation.orphaned or annotation.needs_review
            ):
                if position.start <= start and end <= position.end:
                    return annotation
        return None

    def _annotation(self, annotation_id: str | None) -> Annotation | None:
        return next((a for a in self.annotations if a.id == annotation_id), None)

    @work(thread=True, group="save")
    def _save(
        self,
        annotation: Annotation,
        done: str,
        expected: FileVersion | None,
        draft: _DraftKey | None = None,
    ) -> None:
        """Save over `expected`, the file as it was when the user began (None: a new one)."""
        title = self.source.title if self.source else None
        warning = ""
        try:
            saved = self.workspace.save_note(annotation, expected, title)
        except WrittenNotSyncedError as unsynced:
            # Written, and kept on screen: a retry edits this one, never makes a second.
            saved, warning = Saved(annotation, unsynced.version), str(unsynced)
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self._save_failed, annotation, str(error), draft, expected)
            return
        copies = [(path, _file_stamp(path)) for path in saved.conflict_copies]
        self.app.call_from_thread(self._saved, saved, done, draft, copies, warning)

    def _saved(
        self,
        saved: Saved,
        done: str,
        draft: _DraftKey | None,
        copies: list[tuple[Path, tuple[int, int] | None]],
        warning: str = "",
    ) -> None:
        annotation = saved.annotation
        if draft is not None:
            self._drafts.pop(draft, None)
            self._draft_bases.pop(draft, None)
        self._own_write(saved.version, copies)
        self._versions[annotation.id] = saved.version
        others = [a for a in self.annotations if a.id != annotation.id]
        self.annotations = sorted([*others, annotation], key=lambda a: (a.span[0], a.id))
        self._refresh_annotations()
        when = f" at {format_timecode(annotation.start)}" if annotation.start is not None else ""
        if warning:
            self.notify(f"{done}{when}, but: {warning}", severity="warning", timeout=15)
        elif copies:
            names = ", ".join(path.name for path, _ in copies)
            self.notify(
                f"{done}{when}. Another program changed this note meanwhile: its version is "
                f"kept beside it as {names}.",
                severity="warning",
                timeout=15,
            )
        else:
            self.notify(f"{done}{when}.")

    @work(thread=True, group="save")
    def _settle(self, annotation_id: str, decision: Decision) -> None:
        """Accept the candidate of an annotation that needs review, or give up on it."""
        try:
            settled = self.workspace.settle(annotation_id, decision)
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Not decided: {error}"
            self.app.call_from_thread(self.notify, message, severity="error", timeout=12)
            return
        if decision is Decision.ACCEPT:
            done = f"Accepted the new words: \u201c{shorten(settled.quote, 60)}\u201d"
        else:
            done = f"Marked orphaned, quote kept: \u201c{shorten(settled.quote, 60)}\u201d"
        version = self.workspace.store.version(settled.id)
        if version is None:
            self.app.call_from_thread(self._reload_annotations, settled.source)
            return
        self.app.call_from_thread(self._saved, Saved(settled, version), done, None, [])

    def _own_write(
        self,
        version: FileVersion,
        copies: list[tuple[Path, tuple[int, int] | None]],
    ) -> None:
        """Take this reader's own writes into the poll's stamp, file by file, so the next look
        still notices what another program wrote to the other files meanwhile."""
        folder = self.workspace.store.folder_for(self.source.id) if self.source else None
        stamp = dict(self._notes_stamp)
        if version.path.parent == folder:
            stamp[version.path.name] = (version.size, version.mtime_ns)
        for path, seen in copies:
            self._problems.mark_told([path])  # the save's message names it
            if path.parent == folder and seen is not None:
                stamp[path.name] = seen
        self._notes_stamp = stamp

    def _save_failed(
        self,
        annotation: Annotation,
        reason: str,
        draft: _DraftKey | None,
        expected: FileVersion | None,
    ) -> None:
        if draft is not None:
            self._drafts[draft] = NoteResult(False, annotation.note, annotation.confidence)
            self._draft_bases[draft] = expected
        self.notify(
            f"Not saved: {reason} Your text is kept; press the key again to retry.",
            severity="error",
            markup=False,
            timeout=12,
        )

    def _refresh_annotations(self) -> None:
        if self.source is not None:
            self._counts[self.source.id] = len(self.annotations)
            self.query_one(SourceList).set_counts(self._counts)
        self.query_one(Transcript).set_annotations(self.annotations)
        self.query_one(AnnotationSidebar).show(self.annotations)
        self.query_one(AnnotationSidebar).mark_nearest(self.query_one(Transcript).cursor_offset)

    def _delete(self, annotation_id: str | None) -> None:
        if annotation_id is None:
            self.notify("No annotation under the cursor.", severity="warning")
            return
        self._delete_file(annotation_id, self._versions.get(annotation_id))

    @work(thread=True, group="save")
    def _delete_file(self, annotation_id: str, expected: FileVersion | None) -> None:
        """Move to the trash if the file is still `expected` (the version on screen)."""
        try:
            self.workspace.delete(annotation_id, expected)
        except ChangedOnDiskError as changed:
            message = f"Not deleted: {changed} It is reloaded now."
            self.app.call_from_thread(self.notify, message, severity="warning", markup=False)
            if self.source is not None:
                before = self._annotation_files_stamp(self.source.id)
                self.app.call_from_thread(self._reload_annotations, self.source.id, before)
            return
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(
                self.notify, f"Not deleted: {error}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._deleted_one, annotation_id)

    def _deleted_one(self, annotation_id: str) -> None:
        version = self._versions.pop(annotation_id, None)
        if version is not None:
            stamp = dict(self._notes_stamp)
            stamp.pop(version.path.name, None)
            self._notes_stamp = stamp
        self._deleted.append(annotation_id)
        self.annotations = [a for a in self.annotations if a.id != annotation_id]
        self._refresh_annotations()
        self.notify("Moved to the trash: u brings it back.")

    @work(thread=True, group="save")
    def _undo_delete(self) -> None:
        if not self._deleted:
            self.app.call_from_thread(self.notify, "Nothing to undo.", severity="warning")
            return
        annotation_id = self._deleted.pop()
        warning = ""
        try:
            self.workspace.restore(annotation_id)
        except WrittenNotSyncedError as unsynced:
            warning = str(unsynced)  # restored all the same
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(
                self.notify, f"Not restored: {error}", severity="error", markup=False
            )
            return
        try:
            restored, version = self.workspace.store.read(annotation_id)
        except Exception as error:  # noqa: BLE001 - changed again at once by another program
            self.app.call_from_thread(self.notify, f"Restored, but: {error}", markup=False)
            return
        saved = Saved(restored, version)
        self.app.call_from_thread(self._saved, saved, "Restored", None, [], warning)

    def _copy_citation(self, annotation: Annotation, template: str, then: str = "") -> bool:
        """Copy the citation of `annotation`; False when `template` cannot make one."""
        try:
            citation = cite(annotation, self.source, template)
        except CitationError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        how = copy_text(self.app, citation)
        title = self.source.title if self.source else annotation.source
        when = annotation.start
        target = f"{title}, {format_timecode(when)}" if when is not None else title
        message = copied_message(how, printable(annotation.quote), printable(target))
        message = f"{message} {then}" if then else message
        self.notify(message, severity="warning" if how == NOWHERE else "information")
        return True

    def _choose_citation_format(self, annotation: Annotation) -> None:
        try:
            names = ["markdown", "plain", *load_citation_config().templates]
        except Exception as error:  # noqa: BLE001
            self.notify(f"{error}", severity="error", markup=False)
            names = ["markdown", "plain"]
        options = [(name, name) for name in dict.fromkeys(names)]

        def chosen(name: str | None) -> None:
            if not name:
                return
            then = f"From now on y copies as {name}."
            if self._copy_citation(annotation, name, then if name != self._citation_format else ""):
                self._citation_format = name

        self.app.push_screen(ChoiceScreen("Copy the citation as", options), chosen)

    def _open_in_browser(self) -> None:
        source = self.source
        if source is None or not source.url:
            self.notify("This source has no URL to open.", severity="warning")
            return
        seconds = self.query_one(Transcript).current_seconds
        url = url_at_time(source.url, seconds) if seconds is not None else source.url
        self._launch_browser(url)

    @work(thread=True, group="browser")
    def _launch_browser(self, url: str) -> None:
        opened = False
        try:
            opened = webbrowser.open(url)
        except Exception:  # noqa: BLE001
            opened = False
        message = f"Opened {url}" if opened else f"No browser here; the link is {url}"
        self.app.call_from_thread(self.notify, message, markup=False)

    # -- commands ------------------------------------------------------------------------------

    @property
    def summaries(self) -> list[SourceSummary]:
        return self._summaries

    def open_by_id(self, source_id: str) -> None:
        self._remember_position()
        self.open_source(source_id, self._state.offset_of(source_id))

    def action_export(self) -> None:
        if self.source is None:
            self.notify("Open a source first.", severity="warning")
            return
        self._export(self.source, list(self.annotations))

    @work(thread=True, group="save")
    def _export(self, source: Source, annotations: list[Annotation]) -> None:
        folder = self.workspace.vault.layout.exports
        try:
            files = export_markdown_files(annotations, {source.id: source})
            written = []
            ensure_gitignore(self.workspace.root)  # exports are copies: git leaves them out
            for name, text in files.items():
                target = folder / name
                ensure_dir(target.parent)  # names keep the source's folders
                write_atomic(target, text.encode("utf-8"))
                written.append(folder / name)
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(
                self.notify, f"Export failed: {error}", severity="error", markup=False
            )
            return
        where = ", ".join(str(p) for p in written) or "nothing to export"
        self.app.call_from_thread(self.notify, f"Exported to {where}", markup=False)

    def action_reindex(self) -> None:
        self.notify("Rebuilding the search index…")
        self._reindex()

    @work(thread=True, exclusive=True, group="index")
    def _reindex(self) -> None:
        try:
            report = self.workspace.reindex()
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(
                self.notify, f"Reindex failed: {error}", severity="error", markup=False
            )
            return
        summary = f"Index rebuilt: {report.documents} documents from {report.sources} sources"
        self.app.call_from_thread(self.notify, summary, markup=False)
        for note in report.notes:
            self.app.call_from_thread(self.notify, note, severity="warning", timeout=15)

    # -- screens -------------------------------------------------------------------------------

    def action_search(self) -> None:
        def chosen(hit: SearchHit | None) -> None:
            if hit is not None:
                self._open_hit(hit)

        def search(query: str) -> list[SearchHit]:
            hits = self.workspace.search(query, limit=RESULT_LIMIT)
            behind = self.workspace.search_behind()
            if behind and behind != self._said_behind:  # once, not on every query
                self.app.call_from_thread(self.notify, behind, severity="warning")
            self._said_behind = behind
            return hits

        screen = SearchScreen(search, title_of=self._title_of, limit=RESULT_LIMIT)
        self.app.push_screen(screen, chosen)

    def _title_of(self, source_id: str) -> str:
        for summary in self._summaries:
            if summary.id == source_id:
                return summary.title
        return source_id

    def _open_hit(self, hit: SearchHit) -> None:
        self._remember_position()
        if hit.type == "annotation":
            self._open_at_annotation(hit.source, hit.id)
        else:
            needle = hit.snippet[hit.marks[0][0] : hit.marks[0][1]] if hit.marks else ""
            self._open_at_segment(hit.source, hit.segment_index or 0, needle)

    @work(thread=True, exclusive=True, group="open")
    def _open_at_annotation(self, source_id: str, annotation_id: str) -> None:
        def offset_of(_source: Source, annotations: list[Annotation]) -> int:
            return next((a.span[0] for a in annotations if a.id == annotation_id), 0)

        self._load_and_show(source_id, offset_of)

    @work(thread=True, exclusive=True, group="open")
    def _open_at_segment(self, source_id: str, segment_index: int, needle: str = "") -> None:
        def offset_of(source: Source, _annotations: list[Annotation]) -> int:
            segments = source.segments
            if not 0 <= segment_index < len(segments):
                return 0
            segment = segments[segment_index]
            # Land on the sentence holding the first matched word, not the passage's start.
            found = segment.text.lower().find(needle.lower()) if needle else -1
            return segment.char_start + max(found, 0)

        self._load_and_show(source_id, offset_of)

    def action_help(self) -> None:
        panes: list[tuple[str, type[DOMNode]]] = [
            ("Transcript", Transcript),
            ("Sources", SourceList),
            ("Outline", OutlineView),
            ("Annotations", AnnotationSidebar),
            ("Everywhere", ReaderScreen),
            ("App", type(self.app)),
        ]
        self.app.push_screen(HelpScreen(panes, keymap=load_keymap()[0]))

    def action_toggle_pane(self, pane_id: str) -> None:
        pane = self.query_one(f"#{pane_id}")
        hiding = not pane.has_class("-hidden")
        pane.set_class(hiding, "-hidden")
        if hiding and pane.has_focus_within:
            self.query_one(Transcript).focus()


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _chapter_at(source: Source, segment_index: int, seconds: float | None) -> str | None:
    """The outline entry the reader is in: by time when every entry has one (a chapter may
    begin inside a long segment), else by segment."""
    entries = source.outline
    if seconds is not None and entries and all(e.start is not None for e in entries):
        passed = [e for e in entries if (e.start or 0.0) <= seconds + 0.5]
        return passed[-1].title if passed else None
    title = None
    for entry in entries:
        if entry.segment_index <= segment_index:
            title = entry.title
        else:
            break
    return title


def follow_span(old: Source, start: int, end: int, new: Source) -> int:
    """Where `old.text[start:end]` stands in `new.text`, found by its words and context as an
    annotation is; else the same offset, kept inside the new text."""
    if 0 <= start < end <= len(old.text) and new.text:
        try:
            found = reanchor(new_annotation(old, start, end, Kind.HIGHLIGHT), new)
        except Exception:  # noqa: BLE001 - a lost cursor is not worth an error
            found = None
        if found is not None and found.status is not ReanchorStatus.ORPHANED:
            return found.annotation.span[0]
    return max(0, min(start, len(new.text) - 1))


def _explanation(source: Source) -> Source:
    """What the transcript pane shows for a file with nothing to read: why, in its own words."""
    builder = SourceBuilder(id=source.id, title=source.title, format=source.format)
    if source.error:
        builder.add_segment(f"readmark cannot open {source.id}", role=Role.HEADING)
        builder.add_segment(source.error)
    else:
        builder.add_segment(f"{source.id} has no text to read", role=Role.HEADING)
    for warning in source.warnings:
        builder.add_segment(warning, role=Role.LIST_ITEM)
    builder.add_segment(
        "Fix the file in an editor and it reloads here by itself; the other sources work as usual."
    )
    return builder.build()
