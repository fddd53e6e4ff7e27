"""Full-text search over what the reader wrote and what the sources say (Whoosh, on disk).

The index is derived data, kept per machine in the user's cache folder (never in the vault:
Whoosh unpickles its files, see `index_folder`): deleting it and reconciling again gives the same
results. Writes never wait on another process holding the index: they try the lock briefly, keep
the work pending when it is busy, and catch up on the next call. When the index cannot be
written (busy, or a full or read-only disk), searches still answer: from the index as it is,
less what the files say is gone or changed, plus those changes held in memory.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readmark.annotations.index_folder import remove_other_versions, repair, trust_problem
from readmark.annotations.index_plan import AnnotationFolders, Plan, make_plan
from readmark.annotations.index_schema import (
    ANNOTATION,
    ANNOTATION_TEXT_FIELDS,
    FIELD_ALIASES,
    NAME_ERRORS,
    NAMES,
    PASSAGE,
    SCHEMA_VERSION,
    STEMMING,
    DateQueryError,
    IndexCodec,
    annotation_document,
    build_parser,
    build_schema,
    date_query,
    passage_documents,
    segment_index_of,
    source_words,
)
from readmark.annotations.index_state import (
    UNREAD_STAMP,
    FileStamp,
    IndexState,
    StrPath,
    clear_saves,
    describe_state_error,
    note_save,
    read_saves,
    same_stat,
)
from readmark.annotations.model import Annotation
from readmark.library.collector import collector_paused
from readmark.library.durable import describe_os_error
from readmark.library.errors import SourceError
from readmark.library.layout import VaultLayout, ensure_private_dir
from readmark.library.model import Source
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import FileIndex, LockError
from whoosh.qparser.common import QueryParserError
from whoosh.query import And, Or, Phrase, Query, Term
from whoosh.query.qcore import QueryError
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

if TYPE_CHECKING:
    # Loaded when first used: a search that finds nothing to write needs neither a writer nor
    # the notebook's listings.
    from readmark.annotations.notebook import Listing, ListingCache, NotebookFilter
    from whoosh.reading import IndexReader
    from whoosh.writing import IndexWriter, SegmentWriter

INDEX_NAME = f"readmark{SCHEMA_VERSION}"
LOCK_TIMEOUT = 0.05
"""Seconds a write waits for another process's lock before it leaves the work pending."""
OPEN_ATTEMPTS = 3
"""Tries at opening the index (or searching it) before taking a failure as real damage."""
RETRY_DELAY = 0.05
BULK_THRESHOLD = 20_000
"""Documents above which a write uses the parallel bulk writer."""
BULK_LIMIT_MB = 256
SNIPPET_CHARS = 160
SMALL_SEGMENT_SHARE = 8
"""A segment holding less than 1/8 of the index's documents is small: `tidy` merges the small
ones into one."""
BUSY = "The search index is busy: another readmark is writing to it. Try again in a moment."
HELD_BACK_LIMIT = 2_000
"""Changed files (a source counts as 30) whose new text a search that cannot write holds in
memory; past it, search leaves out what changed and only hides what is gone."""
# Whoosh averages a field's length over every document, and most (the passages) have no quote
# or note: normalising those two by length would sink every annotation below the passages.
WEIGHTING = BM25F(quote_B=0.0, note_B=0.0)

Op = Callable[["IndexWriter"], object]
Progress = Callable[[int], None]
AnnotationLoader = Callable[[Path, bytes], Iterable[Annotation]]
"""Reads the annotations in one file, given its path and its bytes (`ValueError` when it
cannot)."""


class SearchError(Exception):
    """A query readmark cannot run; the message says what to change."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    type: str
    """`annotation` or `passage`."""
    id: str
    """The annotation id, or `<source>#<segment index>` for a passage."""
    source: str
    """The source id."""
    kind: str | None
    """`highlight`, `note` or `dissent`; None for a passage."""
    text: str
    """The annotation's quote, or the passage's text."""
    note: str
    start: float | None
    score: float
    snippet: str
    """A short plain-text excerpt around the matches."""
    marks: tuple[tuple[int, int], ...]
    """(start, end) character spans of the matched words in `snippet`."""
    segment_index: int | None
    """The passage's segment; None for an annotation."""
    tags: tuple[str, ...] = ()
    """The annotation's tags, or the tags of a passage's source."""
    speaker: str | None = None
    confidence: str | None = None
    """A dissent note's confidence (`low`, `medium`, `high`)."""

    def marked(self, before: str = "**", after: str = "**") -> str:
        """The snippet with each match wrapped, e.g. `the **scaling** laws`."""
        out: list[str] = []
        last = 0
        for start, end in self.marks:
            out += [self.snippet[last:start], before, self.snippet[start:end], after]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)


@dataclass(slots=True)
class ReconcileReport:
    """What a reconcile changed, counted in files."""

    annotation_files_indexed: int = 0
    annotation_files_removed: int = 0
    sources_indexed: int = 0
    sources_removed: int = 0
    problems: list[str] = field(default_factory=list)
    """Files that could not be read; they are left out of the index until they change."""
    deferred: bool = False
    """True when another process held the index: nothing changed, the next call catches up."""
    unwritten: str | None = None
    """Why the changes could not be written (e.g. `the disk is full`): nothing changed on disk,
    searches answer around the changes, and the next call catches up."""

    @property
    def changed(self) -> bool:
        return bool(
            self.annotation_files_indexed
            or self.annotation_files_removed
            or self.sources_indexed
            or self.sources_removed
        )


class SearchIndex:
    """The vault's search index: annotations and source passages, searchable together."""

    merge_on_save = True
    """Let single saves merge small segments (Whoosh's MERGE_SMALL), so they never pile up."""

    def __init__(
        self, vault: Path, *, folder: Path | None = None, lock_timeout: float = LOCK_TIMEOUT
    ) -> None:
        self.folder = folder if folder is not None else VaultLayout(vault).index
        """Where the index lives: this machine's cache folder for the vault, never the vault."""
        self._lock_timeout = lock_timeout
        self._mutex = threading.RLock()
        self._pending: dict[str, Op] = {}
        self._pending_problem: str | None = None
        """Why the pending changes could not be written at the last try."""
        self._held: _HeldBack | None = None
        """Changes a reconcile found but could not write: searches answer around them."""
        self._overlay: tuple[tuple[int, ...], FileIndex] | None = None
        self._searcher: Searcher | None = None
        opened = _open_or_create(self.folder, vault)
        self._ix = opened.index
        self.in_memory = opened.in_memory
        """True when the folder cannot hold the index (it cannot be made or trusted, or a broken
        index there cannot be repaired): it is built in memory for this run and never saved."""
        self.problem = opened.problem
        """Why the index is in memory, in words for the user; None when it is on disk."""
        self.repaired = opened.repaired
        """True when the index on disk was half-written or damaged and was started afresh."""
        self.left = opened.left
        """Files in the index folder that a repair left because readmark did not make them."""
        self._opened_reader = opened.reader
        self._parser = build_parser(self._ix.schema)
        self._notes_parser = build_parser(self._ix.schema, ANNOTATION_TEXT_FIELDS)
        # A fresh index has seen nothing, whatever a leftover state file says.
        self._state = IndexState(
            None if self.in_memory else self.folder, SCHEMA_VERSION, fresh=opened.fresh
        )
        self._forgotten = self._state.generation > self._ix.latest_generation()
        """True when what the index holds is not to be trusted: the next reconcile rewrites it.
        An index older than the state (restored from a backup, or a commit lost in a power cut)
        is such a one."""
        self._titles: dict[str, str] | None = None
        """Source id -> title, for `source:` words; read from the state on first use."""
        self._new_titles: dict[str, str] = {}
        """Titles learnt outside a reconcile, saved with the next write or on closing."""
        self._titles_version = 0
        """Bumped whenever a title is learnt, so the `source:` words are made again."""
        self._source_words_cache: tuple[tuple[int, int], dict[str, frozenset[str]]] | None = None
        self._listing: ListingCache | None = None

    # -- single changes (a save in the reader) --------------------------------------------

    def add_or_update_annotation(
        self,
        annotation: Annotation,
        source_title: str | None = None,
        *,
        file_key: str | None = None,
    ) -> bool:
        """Index one annotation; False when the index is busy and the change is kept pending.

        `source_title`, when given, is remembered for `source:` queries on words of the title.
        `file_key`, the key `reconcile` knows its file by, lets the next reconcile take the
        annotation out again if that file is deleted meanwhile.
        """
        if source_title and annotation.source not in self._known_titles():
            with self._mutex:
                self._learn_title(annotation.source, source_title)
        if file_key is not None:
            self._note_save(file_key, annotation.id)
        doc = annotation_document(annotation)
        return self._submit(f"a:{annotation.id}", lambda w: w.update_document(**doc))

    def remove_annotation(self, annotation_id: str) -> bool:
        return self._submit(f"a:{annotation_id}", lambda w: w.delete_by_term("id", annotation_id))

    def index_source(self, source: Source) -> bool:
        """(Re-)index a source's passages; False when the work is kept pending."""

        def op(writer: IndexWriter) -> None:
            _delete_passages(writer, source.id)
            for doc in passage_documents(source):
                writer.add_document(**doc)

        with self._mutex:
            self._learn_title(source.id, source.title)
            return self._submit(f"s:{source.id}", op)

    def remove_source(self, source_id: str) -> bool:
        """Drop a source's passages (its annotations stay, as orphans do)."""
        return self._submit(f"s:{source_id}", lambda w: _delete_passages(w, source_id))

    def flush(self, timeout: float | None = None) -> bool:
        """Write pending changes; True when nothing is left pending."""
        with self._mutex:
            if not self._pending:
                return True
            try:
                writer = self._writer(bulk=False, timeout=timeout)
            except LockError:
                self._pending_problem = _BUSY_REASON
                return False
            except OSError as error:
                # A read-only or full disk: the work stays pending for the next call.
                self._pending_problem = describe_os_error(error)[0]
                return False
            pending, self._pending = self._pending, {}
            try:
                with _committing(writer, merge=self.merge_on_save):
                    for op in pending.values():
                        op(writer)
            except OSError as error:
                # A full disk mid-commit: keep the changes (newer ones submitted since win).
                self._pending = {**pending, **self._pending}
                self._pending_problem = describe_os_error(error)[0]
                return False
            self._pending_problem = None
            return True

    @property
    def pending(self) -> int:
        """Changes waiting for the index to be free."""
        return len(self._pending)

    @property
    def behind(self) -> str | None:
        """Why the index lags the files (`the disk is full`, another readmark writing), or None.

        Searches answer all the same: from the index as it is, less what is known to be gone or
        changed, plus the changes held in memory (see `HELD_BACK_LIMIT`).
        """
        with self._mutex:
            if self._held is not None:
                return self._held.reason
            return self._pending_problem if self._pending else None

    @property
    def unread(self) -> int:
        """Changed files a search that lags cannot take into account (too many to read)."""
        with self._mutex:
            return self._held.unread if self._held is not None else 0

    def forget(self) -> None:
        """Forget what the index has seen: the next reconcile rewrites it whole, in one commit.

        The state is marked unknown once that reconcile holds the write lock, before it
        writes: a failure before the commit lands (a full disk, a kill) leaves the old index
        with a state that says so, which the reconcile after rewrites too, so no annotation
        deleted meanwhile can stay findable. Until then (another readmark writing, say) the
        state on disk stands.
        """
        with self._mutex:
            self._forgotten = True
            self._titles_version += 1

    # -- the vault as a whole ---------------------------------------------------------------

    def reconcile(
        self,
        folders: AnnotationFolders,
        load_annotations: AnnotationLoader,
        source_files: Mapping[str, StrPath],
        load_source: Callable[[str], Source | None],
        progress: Progress | None = None,
        *,
        lock_timeout: float | None = None,
        thorough: bool = True,
        suspects: Iterable[str] = (),
    ) -> ReconcileReport:
        """Bring the index in line with the vault's files, re-reading only those that changed.

        `folders` says where the annotation files are; `source_files` maps a source id to its
        file. Loaders are called for changed files only (`load_annotations` gets a file's path
        and bytes). `thorough`: every annotation file is stat'ed; otherwise only the folders
        whose stamp moved are listed, and the `suspects` files (keys) checked (see
        `index_plan`). When the index cannot be written, nothing is raised: the report says
        why, and searches answer around the changes until a later call writes them.
        """
        with self._mutex, self._state.session():
            report = ReconcileReport()
            flushed = self.flush(timeout=lock_timeout)
            saves = {} if self.in_memory else read_saves(self.folder)
            unknown = self._forgotten or not self._state.complete
            plan = make_plan(
                self._state,
                folders,
                source_files,
                thorough=thorough,
                rewrite=unknown,
                saves=saves,
                suspects=suspects,
            )
            # Without a state, what the index holds is unknown: rewrite it whole.
            clear = unknown and self._ix.doc_count_all() > 0
            if flushed and plan.empty and not clear:
                # Nothing to write: no commit, so searchers stay current and the index untouched.
                if plan.records or unknown or self._new_titles:
                    self._record_quietly(plan, unknown)
                clear_saves(self.folder, saves)  # merging them changed nothing: all known
                self._held = None
                return report
            reason = self._pending_problem if not flushed else None
            if flushed:
                reason = self._write_plan(
                    plan, clear, unknown, load_annotations, load_source, report, progress,
                    lock_timeout,
                )  # fmt: skip
                if reason is None:
                    if not self.in_memory:
                        clear_saves(self.folder, saves)
                    self._held = None
                    return report
            reason = reason or _BUSY_REASON
            self._hold_back(plan, reason, unknown, load_annotations, load_source)
            if reason == _BUSY_REASON:
                report.deferred = True
            else:
                report.unwritten = reason
            return report

    def tidy(self, timeout: float | None = None) -> bool:
        """Merge the index's small segments into one when there are two or more; True when it
        did. Every search opens each segment and looks each word up in each, and the catch-ups'
        commits leave a segment each that Whoosh's own policy merges only once many pile up
        (a fresh search over nine segments took a twentieth longer than over three). The
        catch-up runs this, in the background; a busy index is left as it is."""
        with self._mutex:
            if self.in_memory or len(_small_segments(self._ix._segments())) < 2:
                return False
            try:
                writer = self._writer(bulk=False, timeout=timeout)
            except (LockError, OSError):
                return False
            try:
                with _committing(writer, mergetype=_merge_small_segments):
                    pass
            except OSError:
                return False  # a full disk: the segments stand as they were
            return True

    def files_changed(self, annotation_ids: Iterable[str], folders: AnnotationFolders) -> list[str]:
        """The keys of the files holding these annotations that changed (or went) since they
        were indexed: a stat each, for the few hits a search shows."""
        with self._mutex, self._state.session():
            keys = self._state.keys_holding(annotation_ids)
            stamps = self._state.file_stamps(keys)
        changed = []
        for key in keys:
            stamp = stamps.get(key)
            try:
                info = os.stat(folders.path_of(key))
            except OSError:
                changed.append(key)
                continue
            if stamp is None or not same_stat(stamp, info.st_size, info.st_mtime_ns):
                changed.append(key)
        return changed

    def _write_plan(
        self,
        plan: Plan,
        clear: bool,
        unknown: bool,
        load_annotations: AnnotationLoader,
        load_source: Callable[[str], Source | None],
        report: ReconcileReport,
        progress: Progress | None,
        lock_timeout: float | None,
    ) -> str | None:
        """Write the plan in one commit; None when done, else why it could not be written."""
        try:
            writer = self._writer(bulk=plan.size > BULK_THRESHOLD, timeout=lock_timeout)
        except LockError:
            return _BUSY_REASON
        except OSError as error:
            return describe_os_error(error)[0]
        try:
            if unknown:
                # Rewriting: what the index holds is unknown until the rewrite is done.
                with self._state.writing():
                    self._state.set_complete(False)
            # Reading 100,000 files makes millions of short-lived objects and each pass of the
            # collector walks all the write holds (the plan, the records so far).
            with collector_paused(plan.size > BULK_THRESHOLD):
                self._apply(
                    plan, writer, load_annotations, load_source, report, progress, clear, unknown
                )
        except OSError as error:
            # A full disk mid-commit: the old index stands, and so does the state saved with it.
            _abandon(writer)  # its lock too, if the failure came before the commit began
            self._discard_report(report)
            return describe_os_error(error)[0]
        except sqlite3.Error as error:
            _abandon(writer)
            self._discard_report(report)
            return describe_state_error(error)
        except BaseException:
            # Keep what is on disk; free the lock now, not when the writer is collected (a
            # traceback kept by the caller would keep it alive).
            _abandon(writer)
            raise
        self._forgotten = False
        return None

    @staticmethod
    def _discard_report(report: ReconcileReport) -> None:
        report.annotation_files_indexed = report.annotation_files_removed = 0
        report.sources_indexed = report.sources_removed = 0

    def _apply(
        self,
        plan: Plan,
        writer: IndexWriter,
        load_annotations: AnnotationLoader,
        load_source: Callable[[str], Source | None],
        report: ReconcileReport,
        progress: Progress | None,
        clear: bool = False,
        rewrite: bool = False,
    ) -> None:
        """Write the planned changes through `writer` and record them in the state; with
        `clear`, the commit drops everything the index held before; with `rewrite`, the state's
        records are replaced, not consulted.

        The state learns the ids about to be indexed before the commit, and the stamps that
        say a file needs no second read only after it: a stop in between costs a re-read,
        never an annotation left in the index that no record names."""
        state = self._state
        empty = clear or self._ix.doc_count_all() == 0
        titles: dict[str, str] = {}
        done = 0
        for sid in plan.removed_sources:
            _delete_passages(writer, sid)
            report.sources_removed += 1
        for sid, _ in plan.changed_sources:
            source = _load_source(load_source, sid, report)
            if not empty:
                _delete_passages(writer, sid)
            titles[sid] = source.title if source else ""
            if source is not None:
                for doc in passage_documents(source):
                    writer.add_document(**doc)
                done += len(source.segments)
            report.sources_indexed += 1
            _tick(progress, done)
        for key in plan.removed_files:
            gone = self._indexed_ids(key, plan, rewrite)
            for annotation_id in gone:
                writer.delete_by_term("id", annotation_id)
            # Another file with one of these ids (a copy in another folder) is indexed again.
            plan.read_again(k for k in state.keys_holding(gone) if k != key)
            report.annotation_files_removed += bool(gone)
        add = writer.add_document if empty else writer.update_document
        written: set[str] = set()
        indexed: list[tuple[str, FileStamp, list[str]]] = []
        position = 0
        while position < len(plan.changed_files):  # `read_again` may add to it meanwhile
            key = plan.changed_files[position]
            position += 1
            problems = len(report.problems)
            annotations, stamp = self._read_file(plan, key, load_annotations, report)
            readable = len(report.problems) == problems
            kept = {a.id for a in annotations}
            stale = self._indexed_ids(key, plan, rewrite) - kept
            for annotation_id in stale:
                writer.delete_by_term("id", annotation_id)
            if stale:
                plan.read_again(k for k in state.keys_holding(stale) if k != key)
            for annotation in annotations:
                if annotation.id in written:
                    continue  # a copy in a second file: a writer cannot update its own add
                written.add(annotation.id)
                add(**annotation_document(annotation))
            indexed.append((key, stamp, sorted(kept)))
            report.annotation_files_indexed += readable  # a file left out is not counted
            done += len(annotations)
            _tick(progress, done)
        if not rewrite:
            with state.writing():  # before the commit: what the index is about to hold
                for sid, _ in plan.changed_sources:
                    state.put_source(sid, UNREAD_STAMP, titles[sid])
                for key, _, ids in indexed:
                    state.add_ids(key, ids)
        from whoosh.writing import CLEAR

        with _committing(writer, **({"mergetype": CLEAR} if clear else {"merge": True})):
            pass
        self._record(plan, titles, indexed, rewrite)

    def _indexed_ids(self, key: str, plan: Plan, rewrite: bool) -> set[str]:
        """The annotation ids the index may hold from a file: as recorded, and as saved
        outside a reconcile (a rewrite starts from nothing)."""
        saved = plan.saved_ids.get(key, set())
        return set(saved) if rewrite else {*self._state.ids_of(key), *saved}

    @staticmethod
    def _read_file(
        plan: Plan, key: str, load: AnnotationLoader, report: ReconcileReport
    ) -> tuple[list[Annotation], FileStamp]:
        path = Path(plan.path_of(key))
        try:
            data, digest = plan.take_content(key)
        except OSError as error:
            report.problems.append(f"{path.name}: {describe_os_error(error)[0]}")
            return [], UNREAD_STAMP
        return _load_annotations(load, path, data, report), plan.stamp_of(key, digest)

    def _record(
        self,
        plan: Plan,
        titles: dict[str, str],
        indexed: list[tuple[str, FileStamp, list[str]]],
        rewrite: bool,
    ) -> None:
        """Record what the commit wrote. Best effort: a state left behind only costs re-reads
        (what is about to be indexed was recorded before the commit)."""
        state = self._state
        for sid in plan.removed_sources:
            self._drop_title(sid)
        for sid, title in titles.items():
            self._set_title(sid, title)
        try:
            with state.writing():
                if rewrite:
                    state.clear()
                for sid in plan.removed_sources:
                    state.drop_source(sid)
                    state.drop_title(sid)
                for sid, stamp in plan.changed_sources:
                    state.put_source(sid, stamp, titles[sid])
                for key in plan.removed_files:
                    state.drop_file(key)
                if rewrite:
                    state.put_new_files(indexed)
                else:
                    for key, stamp, ids in indexed:
                        state.put_file(key, stamp, ids)
                self._record_stamps(plan)
                state.put_titles({**self._new_titles, **titles})
                state.set_generation(self._ix.latest_generation())
                state.set_complete(True)
        except sqlite3.Error:
            return
        self._new_titles.clear()

    def _record_stamps(self, plan: Plan) -> None:
        state = self._state
        for sid, stamp in plan.touched_sources:
            state.touch_source(sid, stamp)
        for key, stamp in plan.touched_files:
            state.touch_file(key, stamp)
        for folder, folder_stamp in plan.folder_stamps.items():
            state.put_folder(folder, folder_stamp)
        for folder in plan.gone_folders:
            state.drop_folder(folder)

    def _record_quietly(self, plan: Plan, unknown: bool) -> None:
        """Record stamps found unchanged in content (and, for an empty vault and index, that
        the index is known again); skipped when the state is busy or cannot be written."""
        try:
            with self._state.writing():
                if unknown:
                    self._state.clear()
                    self._state.set_complete(True)
                self._record_stamps(plan)
                self._state.put_titles(self._new_titles)
        except sqlite3.Error:
            return
        self._new_titles.clear()
        if unknown:
            self._forgotten = False

    def rebuild(
        self,
        annotations: Iterable[Annotation],
        sources: Iterable[Source],
        progress: Progress | None = None,
    ) -> int:
        """Replace the whole index with these annotations and sources; returns documents written.

        Reads its inputs lazily, so memory stays bounded. File stamps are forgotten: the next
        `reconcile` re-reads every file once.
        """
        from whoosh.writing import CLEAR

        titles: dict[str, str] = {}

        def documents() -> Iterator[dict[str, Any]]:
            for source in sources:
                titles[source.id] = source.title
                yield from passage_documents(source)
            for annotation in annotations:
                yield annotation_document(annotation)

        docs = documents()
        # Look ahead far enough to tell whether worker processes would pay for their start-up.
        head = list(islice(docs, BULK_THRESHOLD))
        with self._mutex:
            self._pending.clear()
            try:
                writer = self._writer(
                    bulk=len(head) == BULK_THRESHOLD, timeout=max(self._lock_timeout, 2.0)
                )
            except LockError as error:
                raise SearchError(BUSY) from error
            try:
                with self._state.writing():
                    self._state.set_complete(False)
            except sqlite3.Error as error:
                _abandon(writer)
                raise SearchError(f"The search index's state cannot be written: {error}") from error
            count = 0
            with _committing(writer, mergetype=CLEAR):
                for doc in chain(head, docs):
                    writer.add_document(**doc)
                    count += 1
                    if count % 1000 == 0:
                        _tick(progress, count)
                _tick(progress, count)
            with contextlib.suppress(sqlite3.Error), self._state.writing():
                self._state.clear()
                self._state.put_titles(titles)
                self._state.set_generation(self._ix.latest_generation())
                self._state.set_complete(True)
            self._titles = dict(titles)
            self._new_titles.clear()
            self._forgotten = False
            self._titles_changed()
            return count

    def optimize(self) -> None:
        """Merge the index into one segment: slower to write once, faster to search after."""
        with self._mutex:
            try:
                writer = self._writer(bulk=False, timeout=max(self._lock_timeout, 2.0))
            except LockError as error:
                raise SearchError(BUSY) from error
            writer.commit(optimize=True)

    # -- search ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Best matches first (BM25F), each with a snippet; raises `SearchError` on a bad query."""
        parsed = self.parse(query)
        with self._mutex:
            self.flush(timeout=0)
            view = self._held_view()
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    searcher = self._current_searcher()
                    if view is not None:
                        return self._search_around(parsed, searcher, limit, view)
                    results = searcher.search(parsed, limit=limit)
                    terms = _matched_terms(parsed, searcher)
                    return [_hit(hit.fields(), hit.score or 0.0, terms) for hit in results]
                except QueryError as error:
                    # The query, not the index, is at fault: say so, and leave the index alone.
                    raise SearchError(f"Cannot read the query {query!r}: {error}.") from error
                except OSError:
                    # Another process's commit removed the segment files we were about to read.
                    self._drop_searcher()
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise
                    time.sleep(RETRY_DELAY)
            raise AssertionError("unreachable")

    def list_annotations(self, wanted: NotebookFilter) -> Listing:
        """Every annotation `wanted` asks for, in its order, each row read when shown (see
        `annotations.notebook`); `SearchError` on typed words that are no query."""
        from readmark.annotations.notebook import as_you_type

        text = as_you_type(wanted.text)
        parsed = self.parse(text, notes_only=True) if text else None
        cache = self.listing_cache()
        try:
            return cache.listing(parsed, wanted)
        except QueryError as error:
            raise SearchError(f"Cannot read the query {wanted.text!r}: {error}.") from error

    def listing_cache(self) -> ListingCache:
        """The notebook's orders for the index as it is now (worked out on the first call
        after a change; a reader warms it ahead)."""
        from readmark.annotations.notebook import ListingCache, NotebookSort

        with self._mutex:
            self.flush(timeout=0)
            generation = self._ix.latest_generation()
            cache = self._listing
            if cache is None or cache.generation != generation:
                # Its own searcher: listings keep reading it after the next commit.
                cache = self._listing = ListingCache(self._ix.searcher(), generation)
                cache.order(NotebookSort.DATE)
            return cache

    def _search_around(
        self, parsed: Query, searcher: Searcher, limit: int, view: _HeldBack
    ) -> list[SearchHit]:
        """Search an index that lags the files: its hits less those known to be gone or out of
        date, merged by score with the held-back changes (searched in memory)."""
        want = limit + len(view.masked)
        while True:
            results = searcher.search(parsed, limit=want)
            kept = [hit for hit in results if view.keeps(hit.fields())]
            if len(kept) >= limit or results.scored_length() < want:
                break
            want *= 2  # ghosts crowded the page out: look further down
        terms = _matched_terms(parsed, searcher)
        hits = [_hit(hit.fields(), hit.score or 0.0, terms) for hit in kept[:limit]]
        if view.ops:
            with self._overlay_index(view.ops).searcher(weighting=WEIGHTING) as held:
                terms = _matched_terms(parsed, held)
                found = held.search(parsed, limit=limit)
                hits += [_hit(hit.fields(), hit.score or 0.0, terms) for hit in found]
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]

    def _held_view(self) -> _HeldBack | None:
        """What a search must correct for: changes not written yet (pending, or held back)."""
        if self._held is None and not self._pending:
            return None
        held = self._held or _HeldBack(self._pending_problem or _BUSY_REASON)
        if not self._pending:
            return held
        return _HeldBack(
            held.reason,
            masked=held.masked | self._pending.keys(),
            ops={**held.ops, **self._pending},
            live=held.live,
            unread=held.unread,
        )

    def _overlay_index(self, ops: Mapping[str, Op]) -> FileIndex:
        """The held-back changes as a small in-memory index, made again only when they change."""
        key = tuple(id(op) for op in ops.values())
        if self._overlay is None or self._overlay[0] != key:
            index = _in_memory_index()
            writer = index.writer(codec=IndexCodec())
            for op in ops.values():
                op(writer)
            writer.commit()
            self._overlay = (key, index)
        return self._overlay[1]

    def _hold_back(
        self,
        plan: Plan,
        reason: str,
        unknown: bool,
        load_annotations: AnnotationLoader,
        load_source: Callable[[str], Source | None],
    ) -> None:
        """Remember what the files say that the index does not, for searches until it is written.

        What is gone is always hidden. What changed is read into memory while it is small; past
        that, searches show the older version until the index can be written.
        """
        held = _HeldBack(reason)
        for key in plan.removed_files:
            held.masked.update(f"a:{aid}" for aid in self._indexed_ids(key, plan, False))
        held.masked.update(f"s:{sid}" for sid in plan.removed_sources)
        ignored = ReconcileReport()
        if plan.size > HELD_BACK_LIMIT:
            held.unread = len(plan.changed_files) + len(plan.changed_sources)
        else:
            for key in plan.changed_files:
                held.masked.update(f"a:{aid}" for aid in self._indexed_ids(key, plan, False))
                annotations, _ = self._read_file(plan, key, load_annotations, ignored)
                for annotation in annotations:
                    held.masked.add(f"a:{annotation.id}")
                    held.ops[f"a:{annotation.id}"] = _adding([annotation_document(annotation)])
            for sid, _ in plan.changed_sources:
                held.masked.add(f"s:{sid}")
                source = _load_source(load_source, sid, ignored)
                if source is not None:
                    held.ops[f"s:{sid}"] = _adding(list(passage_documents(source)))
        if unknown:
            # What the index holds is unknown: only what the files still name may be shown.
            names = (key.rpartition("/")[2] for key in plan.listed)
            held.live = (
                frozenset(name.removesuffix(plan.folders.suffix) for name in names),
                frozenset(plan.sources),
            )
        self._held = held

    def parse(self, query: str, *, notes_only: bool = False) -> Query:
        """The Whoosh query for `query`; a `SearchError` says what is wrong with a bad one.
        With `notes_only`, plain words are looked for in quotes and notes, not passages."""
        text = _rename_aliases(query.strip())
        _check_fields(text, (name for name, field in self._ix.schema.items() if field.indexed))
        problem = _syntax_problem(text)
        if problem:
            raise SearchError(f"Cannot read the query {query!r}: {problem}.")
        text, sources = _take_sources(text)
        try:
            parser = self._notes_parser if notes_only else self._parser
            parsed: Query = parser.parse(text)
        except (ValueError, ArithmeticError, QueryParserError) as error:
            raise SearchError(f"Cannot read the query {query!r}: {error}.") from error
        problem = _first_error(parsed)
        if problem:
            raise SearchError(f"Cannot read the query {query!r}: {problem}.")
        try:
            if "source:" in text:
                with self._mutex:
                    known = self._current_searcher().reader()
                    words = self._source_words(known)
                    parsed = parsed.accept(lambda node: _source_query(node, sources, known, words))
            return parsed.accept(date_query)
        except (DateQueryError, _EmptySource) as error:
            raise SearchError(f"Cannot read the query {query!r}: {error}.") from error

    def _source_words(self, reader: Any) -> dict[str, frozenset[str]]:
        """Every indexed source id, with the words of its path and title (`source:WORD`).

        Annotations do not carry their source's title (it was a fifth of a reindex): a
        `source:` query finds them through these ids instead.
        """
        key = (reader.generation(), self._titles_version)
        if self._source_words_cache is not None and self._source_words_cache[0] == key:
            return self._source_words_cache[1]
        ids = {raw.decode("utf-8", NAME_ERRORS) for raw in reader.lexicon("source_id")}
        titles = self._known_titles()
        found = {
            sid: frozenset(token.text for token in NAMES(source_words(sid, titles.get(sid, ""))))
            for sid in ids
        }
        self._source_words_cache = (key, found)
        return found

    def tag_names(self) -> list[str]:
        """Every tag in the index (as compared: lowercase, without accents)."""
        with self._mutex:
            reader = self._current_searcher().reader()
            return [
                term.decode("utf-8", "replace") if isinstance(term, bytes) else str(term)
                for term in reader.lexicon("tag")
            ]

    def doc_count(self) -> int:
        with self._mutex:
            return int(self._current_searcher().doc_count())

    def close(self) -> None:
        """Write what is pending if the index is free within a second, and let go of files."""
        with self._mutex:
            self.flush(timeout=1.0)
            self._drop_searcher()
            self._let_go_of_opened_reader()
            if self._listing is not None:
                self._listing.searcher.close()
                self._listing = None
            if self._new_titles:
                with contextlib.suppress(sqlite3.Error), self._state.writing():
                    self._state.put_titles(self._new_titles)
                self._new_titles.clear()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------------

    def _submit(self, key: str, op: Op) -> bool:
        with self._mutex:
            # The latest change to a document wins; a writer cannot update what it added itself.
            self._pending.pop(key, None)
            self._pending[key] = op
            return self.flush()

    def _note_save(self, key: str, annotation_id: str) -> None:
        """Tell the next reconcile which file holds an annotation indexed outside it."""
        if not self.in_memory:
            note_save(self.folder, key, annotation_id)
            return
        with self._mutex, contextlib.suppress(sqlite3.Error), self._state.writing():
            self._state.add_ids(key, [annotation_id])

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            except OSError:
                pass  # its files are gone already; nothing is left to release
            self._searcher = None

    def _writer(self, *, bulk: bool, timeout: float | None = None) -> IndexWriter:
        from readmark.annotations.index_writer import IndexSegmentWriter

        self._let_go_of_opened_reader()
        wait = self._lock_timeout if timeout is None else timeout
        # Every writer, merges included, writes postings the same way, so segments never mix
        # two kinds; only a worker process leaves stored fields plain (see `IndexCodec`).
        if bulk and not self.in_memory and (os.cpu_count() or 1) > 1:
            from readmark.annotations.index_parallel import IndexMpWriter

            bulk_writer: IndexWriter = IndexMpWriter(
                self._ix, procs=bulk_workers(), multisegment=True, timeout=wait,
                limitmb=BULK_LIMIT_MB, codec=IndexCodec(plain_stored=True),
            )  # fmt: skip
            return bulk_writer
        writer: IndexWriter = IndexSegmentWriter(
            self._ix, timeout=wait, limitmb=BULK_LIMIT_MB, codec=IndexCodec()
        )
        return writer

    def _current_searcher(self) -> Searcher:
        # Not `Searcher.refresh()`: in whoosh-reloaded 2.7.5 it keeps merged-away segments (every
        # document found twice) and stale deletions; reopening after a commit costs a few ms.
        current = self._searcher
        latest = self._ix.latest_generation()
        if current is not None and current.reader().generation() == latest:
            return current
        if current is not None:
            current.close()
        opened, self._opened_reader = self._opened_reader, None
        if opened is not None and opened.generation() == latest:
            self._searcher = Searcher(opened, fromindex=self._ix, weighting=WEIGHTING)
            return self._searcher
        if opened is not None:
            opened.close()
        self._searcher = self._ix.searcher(weighting=WEIGHTING)
        return self._searcher

    def _let_go_of_opened_reader(self) -> None:
        """Close the reader kept from opening the index, if no search took it: a commit may
        remove the segment files it holds open."""
        opened, self._opened_reader = self._opened_reader, None
        if opened is not None:
            with contextlib.suppress(OSError):
                opened.close()

    def _known_titles(self) -> dict[str, str]:
        if self._titles is None:
            self._titles = self._state.titles()
        return self._titles

    def _learn_title(self, source_id: str, title: str) -> None:
        """Remember a title learnt outside a reconcile (a save, one source indexed): it is
        recorded with the next write to the state."""
        if self._known_titles().get(source_id) != title:
            self._new_titles[source_id] = title
            self._set_title(source_id, title)

    def _set_title(self, source_id: str, title: str) -> None:
        """Remember a source's title, for `source:` words (annotations do not carry it)."""
        titles = self._known_titles()
        if titles.get(source_id) != title:
            titles[source_id] = title
            self._titles_changed()

    def _drop_title(self, source_id: str) -> None:
        if self._known_titles().pop(source_id, None) is not None:
            self._titles_changed()

    def _titles_changed(self) -> None:
        self._titles_version += 1


_BUSY_REASON = "another readmark is writing to it"


@dataclass(slots=True)
class _HeldBack:
    """Changes the index on disk does not have yet, and how a search corrects for them."""

    reason: str
    """Why they are not written: `the disk is full`, another readmark writing, ..."""
    masked: set[str] = field(default_factory=set)
    """Documents on disk that are out of date: `a:<annotation id>`, `s:<source id>` (passages)."""
    ops: dict[str, Op] = field(default_factory=dict)
    """Writes that make the new documents, applied to an in-memory index for searches."""
    live: tuple[frozenset[str], frozenset[str]] | None = None
    """Annotation ids and source ids the files hold now, when what the index holds is unknown."""
    unread: int = 0
    """Changed files too many to hold in memory: searches miss their changes until written."""

    def keeps(self, stored: Mapping[str, Any]) -> bool:
        """Whether a document found on disk may be shown."""
        if stored.get("type", ANNOTATION) == PASSAGE:
            source_id = stored.get("source_id", "")
            return f"s:{source_id}" not in self.masked and (
                self.live is None or source_id in self.live[1]
            )
        doc_id = stored["id"]
        return f"a:{doc_id}" not in self.masked and (self.live is None or doc_id in self.live[0])


def _adding(docs: list[dict[str, Any]]) -> Op:
    def add(writer: IndexWriter) -> None:
        for doc in docs:
            writer.add_document(**doc)

    return add


def _load_source(
    load_source: Callable[[str], Source | None], source_id: str, report: ReconcileReport
) -> Source | None:
    try:
        source = load_source(source_id)
    except (SourceError, OSError) as error:
        report.problems.append(f"{source_id}: {error}")
        return None
    if source is not None and source.error:
        report.problems.append(f"{source_id}: {source.error}")
        return None
    return source


def _load_annotations(
    load: AnnotationLoader, path: Path, data: bytes, report: ReconcileReport
) -> list[Annotation]:
    try:
        return list(load(path, data))
    except (OSError, ValueError) as error:
        report.problems.append(f"{path.name}: {error}")
        return []


# -- writing --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Opened:
    index: FileIndex
    fresh: bool
    """Created just now: it holds nothing, whatever the state file says."""
    in_memory: bool = False
    repaired: bool = False
    problem: str | None = None
    """Why the index is in memory, for the user."""
    left: list[str] = field(default_factory=list)
    reader: IndexReader | None = None
    """The reader that opened every segment to check them: the first search reads through it
    (opening them is a good part of a fresh search)."""


def _open_or_create(folder: Path, vault: Path) -> _Opened:
    """The index in `folder`; a half-written or damaged one is started afresh.

    The folder is made private to the user, and refused (the index is then built in memory)
    when another user could have written to it or it lies inside the vault: opening an index
    unpickles its files. A writer killed mid-commit leaves at worst segment files no table of
    contents names (Whoosh writes the table last, by rename) and its lock file. The lock is an
    `flock`, which the kernel releases when the process dies, so a lock file on disk never
    blocks anyone: there is no stale lock to break, and breaking a live one would let two
    writers in. What can go wrong is a table naming files that are gone (a sync tool, a disk
    error), or a damaged table: opening every segment here finds both.
    """
    try:
        ensure_private_dir(folder)
    except OSError as error:
        problem = f"{folder} cannot be made ({describe_os_error(error)[0]})"
        return _Opened(_in_memory_index(), fresh=True, in_memory=True, problem=problem)
    distrust = trust_problem(folder, vault)
    if distrust is not None:
        return _Opened(_in_memory_index(), fresh=True, in_memory=True, problem=distrust)
    damaged = False
    for attempt in range(OPEN_ATTEMPTS):
        try:
            if not _storage(folder).index_exists(INDEX_NAME):
                break
            ix = _storage(folder).open_index(INDEX_NAME)
            reader = ix.reader()  # opens every segment file
            return _Opened(ix, fresh=False, reader=reader)
        except Exception:
            # Another process's commit may have replaced the files between two reads: retry.
            damaged = True
            if attempt < OPEN_ATTEMPTS - 1:
                time.sleep(RETRY_DELAY)
    left: list[str] = []
    if damaged:
        fixed = repair(folder, f"{INDEX_NAME}_WRITELOCK")
        left = fixed.left
        if not fixed.done:
            # Another process holds the lock (and is likely rebuilding), or a link is in the way.
            problem = f"the search index in {folder} is damaged and not repaired: {fixed.problem}"
            return _Opened(
                _in_memory_index(), True, in_memory=True, repaired=True, problem=problem, left=left
            )
    try:
        ix = _storage(folder).create_index(build_schema(), indexname=INDEX_NAME)
    except OSError as error:
        problem = f"{folder} cannot be written ({describe_os_error(error)[0]})"
        return _Opened(
            _in_memory_index(), True, in_memory=True, repaired=damaged, problem=problem, left=left
        )
    remove_other_versions(folder, SCHEMA_VERSION)
    return _Opened(ix, fresh=True, repaired=damaged, left=left)


def _storage(folder: Path) -> FileStorage:
    """The index folder, read through plain file reads. Not mapped: whoosh-reloaded copies
    each mapped segment file whole into memory when it opens it (40 ms per search for a
    vault of 100,000 notes), where a search reads only a few of its blocks."""
    return FileStorage(str(folder), supports_mmap=False)


def _in_memory_index() -> FileIndex:
    index: FileIndex = RamStorage().create_index(build_schema(), indexname=INDEX_NAME)
    return index


class _committing:
    """Commit the writer on success, cancel it on any error (releasing the lock either way)."""

    def __init__(self, writer: IndexWriter, **commit_args: Any) -> None:
        self.writer = writer
        self.commit_args = commit_args

    def __enter__(self) -> IndexWriter:
        return self.writer

    def __exit__(self, error_type: object, *_: object) -> None:
        if error_type is not None:
            _abandon(self.writer)
            return
        try:
            self.writer.commit(**self.commit_args)
        except BaseException:
            # Whoosh's commit keeps the lock when it fails (a full disk): free it, or every
            # later save in this process waits for the garbage collector.
            _abandon(self.writer)
            raise


def _small_segments(segments: list[Any]) -> list[Any]:
    """The segments holding less than 1/`SMALL_SEGMENT_SHARE` of all documents."""
    total = sum(segment.doc_count_all() for segment in segments)
    return [s for s in segments if s.doc_count_all() * SMALL_SEGMENT_SHARE < total]


def _merge_small_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy: the small segments (see `_small_segments`) are merged into the
    segment being written, the others kept."""
    from whoosh.reading import SegmentReader

    small = _small_segments(segments)
    if len(small) < 2:
        return segments
    for segment in small:
        writer.add_reader(SegmentReader(writer.storage, writer.schema, segment))
    return [segment for segment in segments if segment not in small]


def bulk_workers() -> int:
    """Worker processes for a bulk write: one per core the reading process leaves, at most two.

    This process reads and parses the files while the workers index; on two cores a second
    worker only competes with the first (the same wall time) and each worker repeats the
    other's warm-up and writes its own copy of the vocabulary (a tenth more CPU)."""
    return min(2, max(1, (os.cpu_count() or 1) - 1))


def _abandon(writer: IndexWriter) -> None:
    """Cancel `writer` and release its lock, however far its commit got."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - half-closed after a failed commit
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:  # noqa: BLE001 - already released
                pass


def _delete_passages(writer: IndexWriter, source_id: str) -> None:
    writer.delete_by_query(And([Term("type", PASSAGE), Term("source_id", source_id)]))


def _tick(progress: Progress | None, count: int) -> None:
    if progress is not None:
        progress(count)


# -- reading queries and results ------------------------------------------------------------------

_FIELD_NAME = re.compile(r'"[^"]*"|(?<![\w:/])([A-Za-z_]\w*):')


def _rename_aliases(text: str) -> str:
    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        return (
            f"{FIELD_ALIASES[name.lower()]}:"
            if name and name.lower() in FIELD_ALIASES
            else match.group(0)
        )

    return _FIELD_NAME.sub(rename, text)


def _check_fields(text: str, known: Iterable[str]) -> None:
    names = set(known)
    for match in _FIELD_NAME.finditer(text):
        name = match.group(1)
        if name and name not in names:
            usable = "kind, tag, speaker, source, created, status, quote, note, text, type"
            raise SearchError(f"There is no field {name!r} to search; use one of: {usable}.")


_EMPTY_VALUE = re.compile(r'"[^"]*"|(?<![\w:/])([A-Za-z_]\w*):(?:""|\'\')?(?=[\s)]|$)')
_PHRASE = re.compile(r'("[^"]*")')


def _syntax_problem(text: str) -> str | None:
    """What Whoosh would silently guess around: an unclosed phrase or group, an empty field."""
    if text.count('"') % 2:
        return 'a " opens a phrase that is never closed'
    depth = 0
    for part in _PHRASE.split(text):
        if part.startswith('"'):
            continue  # brackets inside a phrase are words
        for char in part:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return "a ) closes a group that was never opened"
    if depth:
        return "a ( opens a group that is never closed"
    for match in _EMPTY_VALUE.finditer(text):
        name = match.group(1)
        if name:
            return f"{name}: has no value; write {name}:WORD, with no space after the colon"
    return None


_SOURCE_VALUE = re.compile(r'"[^"]*"|(?<![\w:/])source:(?:"([^"]*)"|([^\s()"^]+))')
_SOURCE_MARK = "readmarksource"
"""A placeholder word standing for the n-th `source:` value while Whoosh parses the rest."""


def _take_sources(text: str) -> tuple[str, list[str]]:
    """Take each `source:VALUE` (an id like `dir/my talk.md` when quoted) out of the query.

    Whoosh would split an id into words that never match the indexed ones; a placeholder keeps
    the value whole, in its place among the query's ANDs, ORs and NOTs.
    """
    values: list[str] = []

    def take(match: re.Match[str]) -> str:
        quoted, bare = match.group(1), match.group(2)
        value = quoted if quoted is not None else bare
        if value is None or (bare is not None and (bare[0] in "[{" or "*" in bare or "?" in bare)):
            return match.group(0)  # another field's phrase, or a range or wildcard for Whoosh
        values.append(value.strip())
        return f"source:{_SOURCE_MARK}{len(values) - 1}"

    return _SOURCE_VALUE.sub(take, text), values


class _EmptySource(ValueError):
    """A `source:` value with no words in it."""


def _source_query(
    node: Query, values: list[str], reader: Any, known: Mapping[str, frozenset[str]]
) -> Query:
    """A `source:` placeholder as the exact source id when one is indexed, else as the words of
    the value, all of them in the source's path or title (`source:orchard` still works).

    `known` gives each indexed source id its words: passages carry them in the `source` field,
    annotations are found by the ids of the sources whose words match."""
    if isinstance(node, Phrase) and node.fieldname == "source":
        return And([Term("source", word) for word in node.words])  # `source:` has no positions
    if not (isinstance(node, Term) and node.fieldname == "source"):
        return node
    mark = str(node.text)
    if not mark.startswith(_SOURCE_MARK) or not mark[len(_SOURCE_MARK) :].isdigit():
        return node
    value = values[int(mark[len(_SOURCE_MARK) :])]
    if value and ("source_id", value) in reader:
        return Term("source_id", value, boost=node.boost)
    words = [token.text for token in NAMES(source_words(value, ""))]
    if not words:
        raise _EmptySource("source: has no value; give a source id or words of its title")
    wanted = set(words)
    ids = sorted(sid for sid, have in known.items() if wanted <= have)
    by_words: Term | And = (
        Term("source", words[0]) if len(words) == 1 else And([Term("source", w) for w in words])
    )
    if not ids:
        by_words.boost = node.boost
        return by_words
    return Or([by_words, *(Term("source_id", sid) for sid in ids)], boost=node.boost)


def _first_error(query: Query) -> str | None:
    error = getattr(query, "error", None)
    if error:
        return str(error)
    for child in query.children():
        found = _first_error(child)
        if found:
            return found
    return None


def _matched_terms(query: Query, searcher: Searcher) -> dict[str, set[str]]:
    """The indexed words the query matches, per text field (prefixes and wildcards expanded)."""
    terms: dict[str, set[str]] = {}
    reader = searcher.reader()
    # Leaf by leaf: Whoosh's `existing_terms` drops every field after the first it meets.
    for leaf in query.leaves():
        for fieldname, value in leaf.expanded_terms(reader, phrases=True):
            word = value.decode("utf-8") if isinstance(value, bytes) else str(value)
            terms.setdefault(fieldname, set()).add(word)
    return terms


def _hit(stored: dict[str, Any], score: float, terms: dict[str, set[str]]) -> SearchHit:
    doc_type = stored.get("type", ANNOTATION)
    if doc_type == PASSAGE:
        body = stored.get("text", "")
        snippet, marks = make_snippet(body, terms.get("text", set()))
    else:
        body = stored.get("quote", "")
        snippet, marks = make_snippet(body, terms.get("quote", set()))
        note = stored.get("note", "")
        if not marks and note:
            note_snippet, note_marks = make_snippet(note, terms.get("note", set()))
            if note_marks:
                snippet, marks = note_snippet, note_marks
    doc_id = stored["id"]
    return SearchHit(
        type=doc_type,
        id=doc_id,
        source=stored.get("source_id", ""),
        kind=stored.get("kind"),
        text=body,
        note=stored.get("note", ""),
        start=stored.get("start"),
        score=float(score),
        snippet=snippet,
        marks=marks,
        segment_index=segment_index_of(doc_id) if doc_type == PASSAGE else None,
        tags=tuple(t for t in str(stored.get("tag") or "").split(",") if t),
        speaker=stored.get("speaker") or None,
        confidence=stored.get("confidence") or None,
    )


def make_snippet(
    text: str, terms: set[str], width: int = SNIPPET_CHARS
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About `width` characters of `text` around its densest run of matches, and their spans."""
    spans = list(_match_spans(text, terms)) if terms else []
    if len(text) <= width:
        return text, tuple(spans)
    if not spans:
        return _cut(text, 0, width)
    best = max(range(len(spans)), key=lambda i: _count_within(spans, i, width))
    start = max(0, spans[best][0] - width // 4)
    start = _word_start(text, start)
    snippet, _ = _cut(text, start, start + width)
    shift = start - (1 if start > 0 else 0)
    end_limit = start + width
    marks = tuple((s - shift, e - shift) for s, e in spans if s >= start and e <= end_limit)
    return snippet, marks


def _match_spans(text: str, terms: set[str]) -> Iterator[tuple[int, int]]:
    for token in STEMMING(text, chars=True, mode="query", removestops=False):
        if token.text in terms:
            yield token.startchar, token.endchar


def _count_within(spans: list[tuple[int, int]], i: int, width: int) -> int:
    limit = spans[i][0] + width * 3 // 4
    return sum(1 for s, e in spans[i:] if e <= limit)


def _word_start(text: str, at: int) -> int:
    """Move `at` forward to the start of a word, so a snippet never opens mid-word."""
    if at == 0 or text[at - 1].isspace():
        return at
    space = text.find(" ", at)
    return at if space == -1 else space + 1


def _cut(text: str, start: int, end: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    return f"{head}{text[start:end]}{tail}", ()
