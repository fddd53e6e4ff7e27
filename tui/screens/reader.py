"""The reading screen: composes the panes, routes their messages and runs the workers.

It holds no rule: what an annotation key may do is the annotator's
(`readmark.annotations.annotating`, shown by `reader_annotations`), what `y` copies is the citing
service's, an export is `readmark.annotations.exporting`'s, where the reader was is
`readmark.annotations.reading`'s. The screen keeps the panes in step and watches the disk
(`reader_watch`) for what other programs change.
"""

from __future__ import annotations

import gc
import importlib
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readmark.annotations.config import ConfigError, ReaderConfig, load_reader_config
from readmark.annotations.model import Annotation, LoadProblem
from readmark.annotations.reading import (
    ReadingState,
    follow_span,
    load_reading_state,
    save_reading_state,
)
from readmark.annotations.settings import SOURCE_ORDERS, UserSettings
from readmark.annotations.store import Loaded
from readmark.annotations.workspace import Workspace
from readmark.library.collector import start_done
from readmark.library.layout import VaultLayout
from readmark.library.memory import give_back_free_memory
from readmark.library.model import Source
from readmark.library.safe_text import printable, shorten
from readmark.library.summary import SourceSummary
from readmark.library.timecode import format_timecode, url_at_time
from readmark.library.vault import ScanProgress
from readmark.tui.key_hold import nothing_opens
from readmark.tui.keymap import load_keymap
from readmark.tui.problem_notices import ProblemNotices
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.screens.reader_across import AcrossSources
from readmark.tui.screens.reader_layout import Panes
from readmark.tui.screens.reader_listening import ListenAlong
from readmark.tui.screens.reader_text import chapter_at, explanation
from readmark.tui.screens.reader_watch import DiskWatch, NotesStamp, OpenFile
from readmark.tui.widgets.annotation_detail import AnnotationDetail
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.key_footer import KeyFooter
from readmark.tui.widgets.listen_keys import PlayerRequest
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.player_bar import PlayerBar
from readmark.tui.widgets.source_list import SourceList
from readmark.tui.widgets.transcript import Transcript
from readmark.tui.widgets.transcript_header import HeaderParts, TranscriptHeader
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from readmark.annotations.annotating import Annotator, Deleted, Written
    from readmark.annotations.citing import Citing
    from readmark.annotations.index import SearchHit
    from readmark.library.sentences import SentenceIndex
    from readmark.tui.player_service import PlayerService
    from readmark.tui.screens.reader_annotations import AnnotationActions
    from readmark.tui.screens.reader_opening import FirstPage, Reading

RELOAD_CHECK_SECONDS = 2.0
SMALL_LISTING_BYTES = 64 * 1024
"""A vault whose listing cache is no bigger is listed before the first frame, when none of its
files changed since: a few hundred sources, checked in milliseconds. A bigger one, or one with
a file to parse, is listed by a worker, with progress."""
RELIST_SECONDS = 30.0
SAVE_PLACE_SECONDS = 20.0
"""How often the place and how far each source was read are saved while reading."""
WARM_AFTER_SECONDS = 2.0
LOADED_LATER = (
    "readmark.tui.screens.reader_annotations",
    "readmark.tui.screens.reader_opening",
    "readmark.tui.screens.search_screen",
    "readmark.tui.screens.help_screen",
    "readmark.tui.screens.note_editor",
    "readmark.tui.player_service",
    "readmark.annotations.exporting",
    "rapidfuzz.fuzz",
    "rapidfuzz.process",
    "pyperclip",
)
"""Modules the reader does not need to start: loaded once it has, so the first note, player,
export or copy does not wait for them."""

ORDER_NAMES = {
    "title": "Title, in folders",
    "date": "Date, newest first",
    "recent": "Recently read",
    "annotated": "Most annotated",
}
FROZEN_SEGMENTS = 20_000
"""A source of this many segments is left out of the cyclic collector's passes once shown."""


@dataclass(frozen=True)
class VaultListing:
    """What the source list shows: the sources, their annotation counts, the files that are
    not sources and why, and the copies a sync tool left beside annotation files."""

    sources: list[SourceSummary]
    counts: dict[str, int]
    skipped: dict[str, str]
    copies: list[LoadProblem]


class ReaderScreen(AcrossSources):
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
        # Not about the words under the cursor: they work from any pane.
        Binding("u", "undo_delete", "Undo delete", id="screen.undo", show=False),
        Binding("o", "open_url", "Open URL", id="screen.open_url", show=False),
        Binding("escape", "close_overlay", "Close pane", id="screen.close_pane", show=False),
        Binding("tab", "app.focus_next", "Next pane", id="screen.next_pane", show=False),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", id="screen.prev_pane", show=False
        ),
        Binding("q", "app.quit", "Quit", id="screen.quit"),
    ]

    annotations: reactive[list[Annotation]] = reactive(
        list, always_update=True, init=False, repaint=False
    )
    """The open source's annotations, as the annotator holds them (the sidebar is bound)."""
    cursor_offset: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Where the transcript's cursor is (char offset), kept for the sidebar and for the
    reading state (on unmount the panes are already gone)."""

    def __init__(
        self,
        vault_path: Path,
        settings: UserSettings | None = None,
        *,
        open_source: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings if settings is not None else UserSettings()
        self.workspace = Workspace(vault_path)
        # Made on first use, with the modules behind them: the first frame does not wait.
        self._annotator: Annotator | None = None
        self._citing: Citing | None = None
        self._annotating: AnnotationActions | None = None
        self._making = threading.Lock()  # a worker may be the first to ask
        self.disk = DiskWatch(self.workspace)
        self.listening = ListenAlong(self)
        self.source: Source | None = None
        self._summaries: list[SourceSummary] = []
        self._state = ReadingState()
        self._counts: dict[str, int] = {}
        self._problems = ProblemNotices(self.workspace.root)
        self._said_behind: str | None = None
        """The last word given on a search index that lags the files."""
        self._open_first = open_source
        """The source to open at start (`readmark FILE`), instead of the one last read."""
        self._warned: set[str] = set()
        """Sources whose reading warnings were told this session (once each)."""
        self._known_tags: list[str] = []
        self.panes = Panes(self, self.settings.current.hidden_panes)
        self._reading: Reading | None = None
        """A large file being read, said in the header until it is shown whole."""
        self._resumed = False

    @property
    def annotator(self) -> Annotator:
        """The open source's annotations and the rules for changing them."""
        with self._making:
            if self._annotator is None:
                from readmark.annotations.annotating import Annotator

                self._annotator = Annotator(self.workspace)
            return self._annotator

    @property
    def citing(self) -> Citing:
        """How quotes are cited and copied."""
        with self._making:
            if self._citing is None:
                from readmark.annotations.citing import Citing

                self._citing = Citing(settings=self.settings)
            return self._citing

    @property
    def annotating(self) -> AnnotationActions:
        """What the annotation keys do, shown in this screen."""
        annotator, citing = self.annotator, self.citing
        with self._making:
            if self._annotating is None:
                from readmark.tui.screens.reader_annotations import AnnotationActions

                self._annotating = AnnotationActions(self, annotator, citing)
            return self._annotating

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Classes are set before the panes mount: set after, they restyle every pane at start-up.
        self._state = load_reading_state(self.workspace.root)
        # Nothing to reopen: in a narrow terminal the list is shown over the text at once.
        reopening = self._open_first or self._state.open_source
        self.panes.start(self.app.size.width, overlay=None if reopening else "sources-pane")
        self.set_class(self.panes.narrow, "-narrow")
        with Horizontal(id="panes"):
            with Vertical(id="sources-pane", classes=self.panes.class_names("sources-pane")):
                yield SourceList(id="sources")
                yield OutlineView(id="outline")
            with Vertical(id="reading-pane"):
                yield TranscriptHeader("Choose a source and press enter.", id="transcript-header")
                yield PlayerBar(id="player-bar")
                yield Transcript(id="transcript")
            with Vertical(id="sidebar", classes=self.panes.class_names("sidebar")):
                yield AnnotationSidebar(id="annotations").data_bind(
                    ReaderScreen.annotations, ReaderScreen.cursor_offset
                )
                yield AnnotationDetail(id="annotation-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(SourceList).focus()
        # The header follows the cursor as it moves, not a message later: one frame shows both.
        self.watch(self.query_one(Transcript), "cursor", self._update_header, init=False)
        transcript = self.query_one(Transcript)
        transcript.last_query = self.settings.current.last_find
        reading = self._reader_config()
        transcript.set_measure(reading.measure, reading.align)
        self.panes.text_needs = transcript.width_at_measure()
        self.panes.apply()
        # A small vault whose files are as last listed lists in a few milliseconds: in the
        # first frame, not the second. Anything to parse is a worker's.
        listing = self._read_listing(cached_only=True) if self._listing_is_small() else None
        if listing is None:
            self.list_sources()
        else:
            self._show_listing(listing)
        self.call_after_refresh(start_done)
        self.set_interval(RELOAD_CHECK_SECONDS, self._check_source_changed)
        # Files added, removed or renamed in the vault by other programs show up on their own.
        self.set_interval(RELIST_SECONDS, self.list_sources)
        self.set_interval(SAVE_PLACE_SECONDS, self._save_place)

    def _reader_config(self) -> ReaderConfig:
        try:
            return load_reader_config()
        except ConfigError as error:
            self.notify(str(error), severity="warning", timeout=10)
            return ReaderConfig()

    def on_resize(self) -> None:
        self.panes.apply()

    async def on_unmount(self) -> None:
        self._remember_position()
        self.workspace.close()
        await self.listening.close()  # no mpv of readmark's outlives it

    def on_screen_suspend(self, _event: events.ScreenSuspend) -> None:
        self.listening.screen_suspended()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            # The first resume follows the mount, where every widget was styled: restyling
            # them all again was a twentieth of the start. (Runs before Screen's own handler.)
            self._resumed = True
            event.refresh_styles = False
        self.listening.screen_resumed()

    def closing_words(self) -> Text | None:
        """Keep what an open editor holds and where the reader is; say which drafts are kept
        (None when none is): the app prints it once the terminal is back."""
        from readmark.annotations.drafts import kept_words

        self.annotating.keep_open_editor()
        self._remember_position()
        words = kept_words(self.annotator.drafts.all(), self._title_of)
        return Text(f"readmark: {printable(words)}") if words else None

    # -- listing -----------------------------------------------------------------------------

    def _listing_is_small(self) -> bool:
        """Whether the last listing of this vault was small enough to list again at once."""
        try:
            return self.workspace.vault.cache_path.stat().st_size <= SMALL_LISTING_BYTES
        except OSError:
            return False

    @work(thread=True, exclusive=True, group="vault")
    def list_sources(self) -> None:
        source_list = self.query_one(SourceList)

        def progress(done: int, total: int) -> None:
            # Only worth showing for big vaults: a small one lists before anyone could read it.
            if total >= 2_000:
                note = "" if done >= total else f"reading {done:,}/{total:,}"
                self.app.call_from_thread(setattr, source_list, "border_subtitle", note)

        listing = self._read_listing(progress)
        if listing is not None:
            self.app.call_from_thread(self._show_listing, listing)

    def _read_listing(
        self, progress: ScanProgress | None = None, *, cached_only: bool = False
    ) -> VaultListing | str | None:
        """The vault's sources with their annotation counts, or why they cannot be listed;
        with `cached_only`, None when a file would have to be parsed first."""
        try:
            vault = self.workspace.vault
            listing = vault.cached_scan() if cached_only else vault.scan(progress=progress)
            if listing is None:
                return None
            # One folder listing per source: cheap even with 100,000 annotation files.
            store = self.workspace.store
            counts = {s.id: len(store.folder_stamp(s.id)) for s in listing.sources}
            copies = store.conflict_copies()
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            return f"Cannot list {self.workspace.root}: {error}"
        skipped = {entry.path: entry.reason for entry in listing.skipped}
        return VaultListing(listing.sources, counts, skipped, copies)

    def _show_listing(self, listing: VaultListing | str) -> None:
        if isinstance(listing, str):
            self.notify(listing, severity="error", timeout=10)
            return
        self._show_sources(listing.sources, listing.counts, listing.skipped)
        self._tell_problems(listing.copies)

    def _show_sources(
        self,
        summaries: list[SourceSummary],
        counts: dict[str, int],
        skipped: dict[str, str] | None = None,
    ) -> None:
        first_listing = not self._summaries
        self._summaries = summaries
        self._counts = counts
        source_list = self.query_one(SourceList)
        source_list.show_sources(
            summaries,
            counts,
            order=self.settings.current.source_order,
            recent=self._state.recent(),
            progress=self._state.progress,
        )
        if first_listing:
            # Catch the index up only once the list is painted: it competes for the CPU.
            self.call_after_refresh(self.sync_index)
            self.set_timer(WARM_AFTER_SECONDS, self._load_the_rest)
        if not summaries:
            self.notify(f"No readable sources in {self.workspace.root}.", severity="warning")
        if self.source is not None or not first_listing:
            return
        wanted = self._open_first or self._state.open_source
        if self._open_first and not any(s.id == self._open_first for s in summaries):
            reason = (skipped or {}).get(self._open_first, "it is not in the list of sources")
            name = printable(self._open_first)
            self.notify(f"Cannot open {name}: {reason}.", severity="warning", timeout=10)
            wanted = self._state.open_source
        if wanted and any(s.id == wanted for s in summaries):
            # Back where the reader was, ready to read: focus in the text, on the sentence,
            # unless the list is being used meanwhile.
            busy = bool(source_list.filter_text) or source_list.has_class("-filtering")
            self.open_source(wanted, self._state.offset_of(wanted), focus=not busy)
        elif self.panes.narrow:
            if self.panes.overlay != "sources-pane":
                self.panes.toggle("sources-pane")  # nothing open: the list is where to start
            source_list.focus()

    @work(thread=True, group="warm")
    def _load_the_rest(self) -> None:
        for name in LOADED_LATER:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - loaded again, and reported, where it is used
                continue

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
            self.app.call_from_thread(self.notify, message, severity="warning")
        for note in self.workspace.index_notes():
            self.app.call_from_thread(self.notify, note, severity="warning", timeout=15)
        tags = self.workspace.known_tags()
        self.app.call_from_thread(setattr, self, "_known_tags", tags)

    def known_tags(self) -> list[str]:
        """Tags the note editor completes: the open source's and its annotations', then every
        tag of the vault the index knows."""
        own: list[str] = list(self.source.tags) if self.source else []
        for annotation in self.annotations:
            own.extend(annotation.tags)
        for summary in self._summaries:
            own.extend(summary.tags)
        return list(dict.fromkeys([*own, *self._known_tags]))

    # -- opening -----------------------------------------------------------------------------

    def on_source_list_source_selected(self, message: SourceList.SourceSelected) -> None:
        self._remember_position()
        self.panes.close_overlay()
        self.open_source(message.source_id, self._state.offset_of(message.source_id))

    def on_source_list_sort_requested(self, _message: SourceList.SortRequested) -> None:
        options = [(order, ORDER_NAMES[order]) for order in SOURCE_ORDERS]
        current = self.settings.current.source_order

        def chosen(order: str | None) -> None:
            if order:
                self.sort_sources(order)

        self.app.push_screen(ChoiceScreen("Sort the sources by", options, selected=current), chosen)

    def sort_sources(self, order: str) -> None:
        """Sort the source list by `order` (see `readmark.library.ordering`), remembered."""
        self.query_one(SourceList).set_order(order, self._state.recent())
        self.settings.change(source_order=order)
        self.run_worker(self.settings.save, thread=True, group="settings")

    @work(thread=True, exclusive=True, group="open")
    def open_source(self, source_id: str, offset: int = 0, focus: bool = True) -> None:
        self._load_and_show(source_id, lambda _source, _annotations: offset, focus, offset)

    def _load_and_show(
        self,
        source_id: str,
        offset_of: Callable[[Source, list[Annotation]], int],
        focus: bool = True,
        early: int | None = None,
    ) -> None:
        """Parse the source and its annotations (in a worker), then show them. For a large
        file opened at a known place (`early`), its head is shown first when it holds it."""
        # Loaded here, by the first open, not by the start (see `LOADED_LATER`).
        from readmark.library.loading import FIRST_PAGE_BYTES
        from readmark.library.sentences import index_sentences
        from readmark.tui.screens.reader_opening import Reading, first_page

        worker = get_current_worker()
        stamp = self.disk.source_stamp(source_id)
        if stamp is not None and stamp.size >= FIRST_PAGE_BYTES:
            reading = Reading(source_id, stamp.size, time.monotonic())
            head = first_page(self.workspace.vault, source_id, early) if early is not None else None
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_first_page, reading, head, focus)
        try:
            before = self.disk.folder_stamp(source_id)
            source = self.workspace.vault.load(source_id)
            loaded = Loaded() if source.error else self.annotator.load(source_id, source)
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Cannot open {source_id}: {error}"
            self.app.call_from_thread(self._end_reading, source_id)
            self.app.call_from_thread(self.notify, message, severity="error", timeout=10)
            self.app.call_from_thread(self.list_sources)
            return
        notes = self.disk.seen(source_id, before, loaded)
        offset = offset_of(source, loaded.annotations)
        # Found here, not on the UI thread: for millions of words it takes seconds.
        sentences = index_sentences(source if source.segments else explanation(source))
        if worker.is_cancelled:
            return  # another source was asked for meanwhile
        self.app.call_from_thread(
            self._show_source, source, loaded, offset, focus, stamp, notes, sentences
        )

    def _show_first_page(self, reading: Reading, head: FirstPage | None, focus: bool) -> None:
        """Say a large file is being read, and show its head meanwhile when there is one."""
        self._reading = reading
        self.set_timer(0.5, self._tick_reading)
        if head is None:
            self.notify(f"Opening {printable(reading.source_id)} ({reading.status()})…")
        else:
            self.source = None  # nothing is annotated or remembered until the whole is shown
            self.annotations = []
            transcript = self.query_one(Transcript)
            transcript.show(head.source, (), head.offset, sentences=head.sentences, reading=True)
            self.query_one(SourceList).highlight(head.source.id)
            if focus:
                transcript.focus()
        self._update_header()

    def _tick_reading(self) -> None:
        if self._reading is not None:
            self._update_header()
            self.set_timer(0.5, self._tick_reading)

    def _end_reading(self, source_id: str) -> None:
        if self._reading is not None and self._reading.source_id == source_id:
            self._reading = None
            self._update_header()

    def _show_source(
        self,
        source: Source,
        loaded: Loaded,
        offset: int,
        focus: bool,
        stamp: OpenFile | None,
        notes: NotesStamp,
        sentences: SentenceIndex | None = None,
    ) -> None:
        self._reading = None  # the open worker is exclusive: any read still said is superseded
        transcript = self.query_one(Transcript)
        head = transcript.source
        if transcript.reading and head is not None and head.id == source.id and source.segments:
            from readmark.tui.screens.reader_opening import place_in_whole

            start, end = transcript.cursor_span  # where the reader went in the head
            offset = place_in_whole(head, start, end, source)
        self.disk.notes = notes
        self.disk.opened = stamp
        self.annotator.show(source, loaded)
        self._tell_problems(loaded.problems)
        if source.error:
            self.notify(f"{source.id}: {source.error}", severity="error")
        elif source.warnings and source.id not in self._warned:
            self._warned.add(source.id)  # once a session: the file says the same each time
            shown = "; ".join(source.warnings[:2])
            more = f" (+{len(source.warnings) - 2} more)" if len(source.warnings) > 2 else ""
            self.notify(f"{source.id}: {shown}{more}", severity="warning")
        self.source = source
        self._state.open_source = source.id
        on_screen = source if source.segments else explanation(source)
        annotations = self.annotator.annotations
        marked = annotations if on_screen is source else ()
        transcript.show(on_screen, marked, offset, sentences=sentences)
        if len(source.segments) >= FROZEN_SEGMENTS:
            # Its millions of objects live as long as it is open and hold no cycles: kept out
            # of the collector's full passes, which otherwise stall a key now and then.
            gc.freeze()
            # The parse's dropped objects leave the heap at its peak: hand that back.
            self.run_worker(give_back_free_memory, thread=True, group="memory")
        self.cursor_offset = transcript.cursor_offset
        self.query_one(OutlineView).show(source)
        self.annotations = annotations
        source_list = self.query_one(SourceList)
        if not source_list.highlight(source.id) and source_list.filter_text:
            # The filter hides the source opened (from a search hit, the palette): show all.
            source_list.show_all()
            source_list.highlight(source.id)
        self.panes.text_needs = transcript.width_at_measure()
        self.panes.apply()
        if focus:
            self.panes.close_overlay()
            transcript.focus()
        self._update_header()
        self.listening.source_shown()
        self._tell_of_reviews(annotations)
        self._tell_of_drafts(source)
        self._save_place()  # a session that ends hard still reopens here

    def _tell_of_drafts(self, source: Source) -> None:
        waiting = self.annotator.drafts.of_source(source.id)
        if not waiting:
            return
        first = waiting[0]
        quote = shorten(" ".join(first.quote.split()), 40)
        which = "A note not saved waits" if len(waiting) == 1 else f"{len(waiting)} notes wait"
        key = "e" if not first.is_new else ("d" if first.kind.value == "dissent" else "a")
        self.notify(f"{which} here as drafts: {key} on “{quote}” brings it back.", timeout=8)

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

    # -- watching the disk ---------------------------------------------------------------------

    def _check_source_changed(self) -> None:
        if self.disk.opened is not None and self.source is not None:
            self._check_disk(self.disk.opened, self.disk.notes)

    @work(thread=True, exclusive=True, group="watch")
    def _check_disk(self, opened: OpenFile, notes: NotesStamp) -> None:
        """Compare the open source and its annotation folder with what is on screen."""
        source_now = self.disk.source_stamp(opened.source_id)
        notes_now = self.disk.folder_stamp(opened.source_id)
        self.app.call_from_thread(self._disk_checked, opened, source_now, notes, notes_now)

    def _disk_checked(
        self,
        opened: OpenFile,
        source_now: OpenFile | None,
        notes: NotesStamp,
        notes_now: NotesStamp,
    ) -> None:
        if self.disk.opened != opened or self.source is None:
            return  # another source was opened meanwhile
        if notes is not self.disk.notes:
            notes_now = notes  # this reader wrote meanwhile: the next look compares afresh
        name = printable(opened.source_id)
        offset = self.cursor_offset
        if source_now is None:
            self.disk.opened = None
            self.notify(
                f"{name} was deleted or renamed on disk. The text stays on screen; its "
                "annotations are kept (readmark check lists them).",
                severity="warning",
                timeout=10,
            )
            self.list_sources()
        elif source_now != opened:
            self.disk.opened = source_now
            self.notify(f"{name} changed on disk: reloaded.")
            transcript = self.query_one(Transcript)
            if transcript.source is self.source:
                start, end = transcript.cursor_span
                self._reload_source(self.source, start, end)
            else:
                self.open_source(opened.source_id, offset, focus=False)
        elif notes_now != notes:
            self.disk.notes = notes_now
            self.notify(f"Annotations of {name} changed on disk: reloaded.")
            self._reload_annotations(opened.source_id, notes_now)

    @work(thread=True, exclusive=True, group="open")
    def _reload_source(self, old: Source, start: int, end: int) -> None:
        """Load `old` again, the cursor on the sentence it was on wherever that moved to."""
        self._load_and_show(
            old.id, lambda new, _annotations: follow_span(old, start, end, new), focus=False
        )

    def reload_annotations(self) -> None:
        """Read the open source's annotations again (another program changed them)."""
        if self.source is not None:
            source_id = self.source.id
            self._reload_annotations(source_id, self.disk.folder_stamp(source_id))

    @work(thread=True, exclusive=True, group="open")
    def _reload_annotations(self, source_id: str, before: NotesStamp) -> None:
        since = self.annotator.changes
        try:
            loaded = self.annotator.load(source_id)
        except Exception as error:  # noqa: BLE001 - a worker must never take the app down
            message = f"Cannot reload the annotations of {source_id}: {error}"
            self.app.call_from_thread(self.notify, message, severity="warning")
            return
        notes = self.disk.seen(source_id, before, loaded)
        self.app.call_from_thread(self._annotations_reloaded, source_id, loaded, notes, since)

    def _annotations_reloaded(
        self, source_id: str, loaded: Loaded, notes: NotesStamp, since: int
    ) -> None:
        if not self.annotator.reloaded(source_id, loaded, since):
            if self.source is not None and self.source.id == source_id:
                self.reload_annotations()  # a save here overtook that read: read again
            return
        self.disk.notes = notes
        self._tell_problems(loaded.problems)
        self._refresh_annotations()

    def _tell_problems(self, problems: list[LoadProblem]) -> None:
        for message in self._problems.messages(problems):
            self.notify(message, severity="warning", timeout=15)

    def _remember_position(self) -> None:
        if self.source is None:
            return
        self._state.remember(self.source.id, self.cursor_offset)
        save_reading_state(self.workspace.root, self._state)

    def _save_place(self) -> None:
        """Keep the place and the progress now and then, in case the session ends hard."""
        if self.source is None:
            return
        self._state.remember(self.source.id, self.cursor_offset)
        state = self._state
        self.run_worker(
            lambda: save_reading_state(self.workspace.root, state), thread=True, group="place"
        )

    # -- keeping panes in step -----------------------------------------------------------------

    def on_transcript_position_changed(self, message: Transcript.PositionChanged) -> None:
        if message.by_reader:
            self.listening.reader_moved()
        self.cursor_offset = message.offset
        self.query_one(OutlineView).mark(message.segment_index)
        source = self.source
        transcript = self.query_one(Transcript)
        if source is not None and source.text and transcript.source is source:
            share = transcript.cursor_span[1] / len(source.text)
            self._state.read_to(source.id, share)
            self.query_one(SourceList).set_progress(source.id, self._state.progress[source.id])

    def on_transcript_found(self, message: Transcript.Found) -> None:
        self._update_header()
        if message.query and message.query != self.settings.current.last_find:
            self.settings.change(last_find=message.query)
            self.run_worker(self.settings.save, thread=True, group="settings")

    @on(PlayerRequest)
    def _player_requested(self, message: PlayerRequest) -> None:
        self.listening.request(message)

    def on_player_service_changed(self, message: PlayerService.Changed) -> None:
        self.listening.changed(message.listening)

    def on_player_service_told(self, message: PlayerService.Told) -> None:
        self.notify(message.text, severity=message.severity, timeout=message.timeout)

    def on_outline_view_entry_chosen(self, message: OutlineView.EntryChosen) -> None:
        self.query_one(Transcript).go_to_segment(message.segment_index)

    def on_annotation_sidebar_annotation_chosen(
        self, message: AnnotationSidebar.AnnotationChosen
    ) -> None:
        for annotation in self.annotations:
            if annotation.id == message.annotation_id and not annotation.orphaned:
                self.query_one(Transcript).go_to_offset(annotation.span[0])
                if self.panes.close_overlay():  # in a narrow terminal: back to the text
                    self.query_one(Transcript).focus()

    def on_annotation_sidebar_marked(self, message: AnnotationSidebar.Marked) -> None:
        self.query_one(AnnotationDetail).show(message.annotation)

    def on_annotation_sidebar_asked(self, message: AnnotationSidebar.Asked) -> None:
        source = self._words_source()
        if source is None:
            nothing_opens(self.app)
            return
        if message.what == "edit":
            self.annotating.edit(message.annotation_id)
        elif message.what == "delete":
            self.annotating.delete(message.annotation_id)
        else:
            self.annotating.copy_selected(source, message.annotation_id)

    def on_annotation_sidebar_review_decided(
        self, message: AnnotationSidebar.ReviewDecided
    ) -> None:
        self.annotating.settle(message.annotation_id, message.decision)

    def _update_header(self) -> None:
        transcript = self.query_one(Transcript)
        source = transcript.source if transcript.reading else self.source
        if source is None:
            return
        time = chapter = speaker = find = ""
        seconds = transcript.current_seconds
        if seconds is not None:
            total = f" / {format_timecode(source.duration)}" if source.duration else ""
            time = f"{format_timecode(seconds)}{total}"
        elif source.segments and source.text and transcript.source is source:
            # No times: how far into the text the reader is.
            time = f"{round(100 * transcript.cursor_span[1] / len(source.text))}%"
        segment = source.segment_at_offset(transcript.cursor_offset)
        if segment is not None:
            chapter = chapter_at(source, segment.index) or ""
            speaker = segment.speaker or ""
        found = transcript.find_position
        if found is not None:
            query, at, count = found
            where = f"{at}/{count}" if at else f"{count} found"
            find = f"“{shorten(query, 20)}” {where}"
        status = self._reading.status() if self._reading is not None else ""
        parts = HeaderParts(time, chapter, speaker, source.title, find, status)
        self.query_one(TranscriptHeader).show(parts)

    def wrote(self, written: Written, copies: list[tuple[Path, tuple[int, int] | None]]) -> None:
        """Show what the annotator saved, and take the reader's own files into the watch."""
        self.disk.wrote(self.source.id if self.source else None, written.version, copies)
        self._problems.mark_told([path for path, _ in copies])  # the save's message names them
        self._refresh_annotations()

    def deleted(self, deleted: Deleted) -> None:
        self.disk.removed(deleted.file)
        self._refresh_annotations()
        self.notify("Moved to the trash: u brings it back.")

    def _refresh_annotations(self) -> None:
        annotations = self.annotator.annotations
        if self.source is not None:
            self._counts[self.source.id] = len(annotations)
            self.query_one(SourceList).set_counts(self._counts)
        self.query_one(Transcript).set_annotations(annotations)
        self.annotations = annotations

    # -- what the transcript asks for ----------------------------------------------------------

    def _words_source(self) -> Source | None:
        """The open source, when its words can be acted on (else None, said when it matters)."""
        source = self.source
        if source is None or not source.segments:
            return None
        if source.error:
            self.notify(
                "This file could not be read, so it cannot be annotated.", severity="warning"
            )
            return None
        return source

    def on_transcript_highlight_requested(self, message: Transcript.HighlightRequested) -> None:
        if self._words_source() is not None:
            self.annotating.highlight(message.start, message.end)

    def on_transcript_note_requested(self, message: Transcript.NoteRequested) -> None:
        if self._words_source() is not None:
            self.annotating.note(message.start, message.end, message.kind)
        else:
            nothing_opens(self.app)

    def on_transcript_copy_requested(self, message: Transcript.CopyRequested) -> None:
        source = self._words_source()
        if source is not None:
            self.annotating.copy(source, message.start, message.end)

    def on_transcript_citation_format_requested(
        self, message: Transcript.CitationFormatRequested
    ) -> None:
        source = self._words_source()
        if source is not None:
            self.annotating.choose_citation(source, message.start, message.end)
        else:
            nothing_opens(self.app)

    def on_transcript_edit_requested(self, message: Transcript.EditRequested) -> None:
        if self._words_source() is not None:
            self.annotating.edit(message.annotation_id)
        else:
            nothing_opens(self.app)

    def on_transcript_delete_requested(self, message: Transcript.DeleteRequested) -> None:
        if self._words_source() is not None:
            self.annotating.delete(message.annotation_id)

    def on_transcript_review_decided(self, message: Transcript.ReviewDecided) -> None:
        if self._words_source() is not None:
            self.annotating.settle(message.annotation_id, message.decision)

    def action_undo_delete(self) -> None:
        self.annotating.undo_delete()

    def action_open_url(self) -> None:
        source = self.source
        if source is None or not source.segments:
            return
        if not source.url:
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
        self.app.call_from_thread(self.notify, message)

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
        source, annotations = self.source, list(self.annotator.annotations)
        if not annotations:
            self.notify("This source has no annotations to export yet.", severity="warning")
            return
        from readmark.annotations.exporting import export_folder_problem

        vault = self.workspace.root
        key = VaultLayout(vault).key
        folder = str(self.export_folder())

        def chosen(answer: str | None) -> None:
            if answer is None or not answer.strip():
                return
            target = Path(answer.strip()).expanduser()
            folders = {**self.settings.current.export_folders, key: str(target)}
            self.settings.change(export_folders=folders)
            self._export(source, annotations, target)

        prompt = PromptScreen(
            "Export this source's annotations as Markdown into the folder",
            value=folder,
            check=lambda text: export_folder_problem(Path(text.strip()).expanduser(), vault),
        )
        self.app.push_screen(prompt, chosen)

    def export_folder(self) -> Path:
        """Where exports of this vault go: the folder chosen last, else beside the vault."""
        # Exporting loads its writers when first used, not at start-up.
        from readmark.annotations.exporting import export_folder

        return export_folder(self.workspace.root, self.settings.current.export_folders)

    @work(thread=True, group="save")
    def _export(self, source: Source, annotations: list[Annotation], folder: Path) -> None:
        from readmark.annotations.exporting import export_source

        self.settings.save()
        try:
            written = export_source(source, annotations, folder)
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self.notify, f"Export failed: {error}", severity="error")
            return
        count = len(annotations)
        what = "1 annotation" if count == 1 else f"{count} annotations"
        where = ", ".join(str(p) for p in written)
        self.app.call_from_thread(self.notify, f"Exported {what} to {where}", timeout=10)

    def action_reindex(self) -> None:
        self.notify("Rebuilding the search index…")
        self._reindex()

    @work(thread=True, exclusive=True, group="index")
    def _reindex(self) -> None:
        try:
            report = self.workspace.reindex()
        except Exception as error:  # noqa: BLE001
            self.app.call_from_thread(self.notify, f"Reindex failed: {error}", severity="error")
            return
        summary = f"Index rebuilt: {report.documents} documents from {report.sources} sources"
        self.app.call_from_thread(self.notify, summary)
        for note in report.notes:
            self.app.call_from_thread(self.notify, note, severity="warning", timeout=15)

    # -- screens -------------------------------------------------------------------------------

    def action_search(self) -> None:
        from readmark.tui.screens.search_screen import RESULT_LIMIT, SearchScreen

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
        from readmark.tui.screens.help_screen import HelpScreen

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
        had_focus = pane.has_focus_within
        shown = self.panes.toggle(pane_id)
        if self.panes.narrow:
            # Over the transcript for a moment: it takes the keys, escape gives them back.
            if shown and pane_id == "sources-pane":
                source_list = self.query_one(SourceList)
                source_list.focus()
                self.call_after_refresh(source_list.scroll_to_cursor)
            elif shown:
                self.query_one(AnnotationSidebar).focus()
            else:
                self.query_one(Transcript).focus()
            return
        if not shown and had_focus:
            self.query_one(Transcript).focus()
        hidden = tuple(sorted(self.panes.hidden))
        if hidden != self.settings.current.hidden_panes:
            self.settings.change(hidden_panes=hidden)
            self.run_worker(self.settings.save, thread=True, group="settings")

    def action_close_overlay(self) -> None:
        if self.panes.close_overlay():
            self.query_one(Transcript).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_overlay":
            return self.panes.overlay is not None
        return True

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Moving on to the text (tab, a click) closes a pane shown over it.
        overlay = self.panes.overlay
        if overlay is not None and not self.query_one(f"#{overlay}").has_focus_within:
            self.panes.close_overlay()
