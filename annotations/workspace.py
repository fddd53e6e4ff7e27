"""One vault's annotations as a whole: the sources, the store and the search index together.

The store (Markdown files) is the truth; the index is derived and best effort. A save never
fails because the index is locked or broken: the file is written, and the index catches up on
the next `sync_index`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from readmark.annotations.model import (
    Annotation,
    Confidence,
    Kind,
    LoadProblem,
    fingerprint,
    utc_now,
)
from readmark.annotations.store import (
    ENCODING,
    ENCODING_ERRORS,
    REMEMBERED,
    SUFFIX,
    AnnotationNotFoundError,
    AnnotationStore,
    ChangedOnDiskError,
    Expected,
    FileVersion,
    Loaded,
    Saved,
    StoreError,
    WrittenNotSyncedError,
    conflict_copy_reason,
)
from readmark.library.errors import SourceError
from readmark.library.layout import ensure_private_dir
from readmark.library.model import Source
from readmark.library.safe_text import shorten
from readmark.library.vault import Vault

if TYPE_CHECKING:
    import subprocess

    # Anchoring and review (fuzzy matching) load when a command anchors or re-anchors a quote:
    # a search never does.
    from readmark.annotations.anchoring import ReanchorStatus

    # Whoosh is imported on first use of the index: it is a large share of start-up time.
    from readmark.annotations.index import ReconcileReport, SearchHit, SearchIndex
    from readmark.annotations.index_plan import AnnotationFolders
    from readmark.annotations.notebook import Listing, NotebookFilter
    from readmark.annotations.review import Decision

REINDEX_LOCK_WAIT = 2.0
"""Seconds `reindex` waits for another readmark's write to finish before calling it busy."""
TEMP_FILE_AGE = 60.0
"""Seconds after which a temporary file is taken as left by a crash, not by a running save."""

REANCHOR_ATTEMPTS = 3
"""Times a re-anchor is tried again on a file another program keeps changing meanwhile."""

QUOTE_CHARS = 60
"""How much of a quote a message shows."""

Progress = Callable[[int], None]


class WorkspaceError(Exception):
    """Something asked of the workspace cannot be done; the message says what to do."""


class QuoteNotFoundError(WorkspaceError):
    """The quote to annotate does not stand in the source."""


@dataclass(slots=True)
class Orphan:
    """An annotation whose quote cannot be found in its source any more."""

    annotation: Annotation
    reason: str
    """Why: the quote is gone from the edited source, or the source file is missing."""


@dataclass(slots=True)
class CheckReport:
    """What `Workspace.check` repaired by itself, and what the user must look at."""

    annotations: int = 0
    """Annotation files read."""
    reanchored: list[Annotation] = field(default_factory=list)
    """Annotations moved onto the same words in the edited text of their source (and saved)."""
    needs_review: list[Annotation] = field(default_factory=list)
    """Annotations whose source changed and for which only a candidate was found: the user
    accepts it or gives up (orphans the annotation)."""
    orphans: list[Orphan] = field(default_factory=list)
    changed_meanwhile: list[str] = field(default_factory=list)
    """Annotations whose file another program kept changing while check ran: not re-anchored,
    left as that program wrote them for the next check."""
    unreadable: list[LoadProblem] = field(default_factory=list)
    """Annotation files that cannot be read: the user must fix or remove them."""
    conflicts: list[LoadProblem] = field(default_factory=list)
    """Second copies of annotations made by a sync tool (`conflict_of` says of which)."""
    source_problems: list[str] = field(default_factory=list)
    """Sources that cannot be read; their annotations are left as they are."""
    temp_files_removed: list[Path] = field(default_factory=list)
    index: ReconcileReport | None = None
    index_rebuilt: bool = False
    """True when the index could not be opened and was rebuilt from the files."""
    index_problem: str | None = None
    """Why the index could not be brought up to date, if it could not."""
    index_notes: list[str] = field(default_factory=list)
    """What the user should know about the index: kept in memory and why, files a repair
    left in its folder, an old index inside the vault that is ignored."""

    @property
    def needs_attention(self) -> bool:
        """True when something is left that only the user can fix."""
        return bool(self.needs_review or self.orphans or self.unreadable or self.conflicts)

    @property
    def repaired(self) -> list[str]:
        """What check fixed by itself, one sentence each."""
        done = [
            f"Removed {path}, a temporary file left by a crash" for path in self.temp_files_removed
        ]
        if self.index_rebuilt:
            done.append("Rebuilt the search index (it could not be read)")
        elif self.index is not None and self.index.changed and not self.index.deferred:
            index = self.index
            removed = index.annotation_files_removed + index.sources_removed
            files = _count(index.annotation_files_indexed, "annotation file")
            sources = _count(index.sources_indexed, "source")
            done.append(
                f"Updated the search index: {files} and {sources} re-read, {removed} removed"
            )
        return done


@dataclass(frozen=True, slots=True)
class ReindexReport:
    annotation_files: int
    sources: int
    documents: int
    """Documents in the index afterwards (annotations plus source passages)."""
    problems: list[str]
    """Files left out of the index because they cannot be read."""
    notes: list[str] = field(default_factory=list)
    """What the user should know about the index (see `Workspace.index_notes`)."""


class Workspace:
    """Sources, annotations and search of one vault folder, for the CLI and the reader."""

    def __init__(self, root: Path) -> None:
        self.vault = Vault(root)
        self.store = AnnotationStore(self.vault.root)
        self._index: SearchIndex | None = None

    @property
    def root(self) -> Path:
        return self.vault.root

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use (it may raise if the index is broken)."""
        if self._index is None:
            from readmark.annotations.index import SearchIndex

            self._index = SearchIndex(self.vault.root)
        return self._index

    def close(self) -> None:
        """Write what the index still has pending (if it is free soon) and let go of it."""
        if self._index is not None:
            try:
                self._index.close()
            except Exception:
                pass  # the files are saved; the next sync catches the index up
            self._index = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- sources ---------------------------------------------------------------------------

    def source(self, source_id: str) -> Source:
        """The parsed source; `SourceError` when it is unknown or cannot be read."""
        source = self.vault.load(source_id)
        if source.error:
            raise SourceError(f"{source_id}: {source.error}")
        return source

    def source_or_none(self, source_id: str) -> Source | None:
        """The parsed source, or None when it is missing or cannot be read."""
        try:
            return self.source(source_id)
        except SourceError:
            return None

    # -- annotations -----------------------------------------------------------------------

    def annotate(
        self,
        source_id: str,
        quote: str,
        kind: Kind = Kind.HIGHLIGHT,
        note: str = "",
        tags: Iterable[str] = (),
        confidence: Confidence | None = None,
    ) -> Annotation:
        """Find `quote` in the source, save a new annotation on it, and index it (best effort).

        Raises `QuoteNotFoundError` when the quote is not in the source (spacing, quote marks
        and case are forgiven), `SourceError` when the source is unknown or unreadable.
        """
        from readmark.annotations.anchoring import new_annotation

        source, start, end = self.find_quote(source_id, quote)
        annotation = new_annotation(
            source, start, end, kind, note=note, tags=tags, confidence=confidence
        )
        try:
            self.store.write(annotation, None)
        except WrittenNotSyncedError:
            # The file is there: it is found like any other.
            self._index_annotation(annotation, source.title)
            raise
        self._index_annotation(annotation, source.title)
        return annotation

    def find_quote(self, source_id: str, quote: str) -> tuple[Source, int, int]:
        """The source and the span of `quote` in its text (spacing, quote marks around it and
        case are forgiven); `QuoteNotFoundError` when it is not there, `SourceError` when the
        source is unknown or unreadable."""
        from readmark.annotations.anchoring import find_quote

        if not quote.strip():
            raise QuoteNotFoundError("the quote is empty: give the words to annotate")
        source = self.source(source_id)
        span = find_quote(source, quote, _unwrapped(quote))
        if span is None:
            shown = shorten(quote, QUOTE_CHARS, at_word=False)
            raise QuoteNotFoundError(
                f"{source_id}: the quote {shown!r} is not in this source "
                "(spacing, quote marks and case do not matter; check the wording)"
            )
        return source, span[0], span[1]

    def save(
        self,
        annotation: Annotation,
        source_title: str | None = None,
        expected: Expected = REMEMBERED,
    ) -> Path:
        """Write the annotation durably over the version read (`expected`, see
        `AnnotationStore.write`), then index it (best effort); `StoreError` on failure."""
        path = self.store.save(annotation, expected)
        self._index_annotation(annotation, source_title)
        return path

    def save_note(
        self, annotation: Annotation, expected: FileVersion | None, source_title: str | None = None
    ) -> Saved:
        """Save what a person wrote: over `expected`, the version they started from (None for a
        new annotation). When another program changed the file meanwhile, its version is kept
        beside it as a conflict copy (see `Saved.conflict_copies`); when readmark itself did
        (a re-anchor), the new note and confidence go onto that version."""

        def rebase(current: Annotation) -> Annotation:
            return replace(
                current,
                note=annotation.note,
                confidence=annotation.confidence,
                updated=annotation.updated,
            )

        try:
            saved = self.store.save_keeping_both(annotation, expected, rebase)
        except WrittenNotSyncedError:
            self._index_annotation(annotation, source_title)  # the file is there all the same
            raise
        self._index_annotation(saved.annotation, source_title)
        return saved

    def get(self, annotation_id: str) -> Annotation:
        """The stored annotation; `AnnotationNotFoundError` (a `StoreError`) when unknown."""
        return self.store.get(annotation_id)

    def annotations_for(self, source_id: str) -> list[Annotation]:
        """A source's annotations in document order, re-anchored if the source changed.

        Re-anchored annotations are saved. When the source cannot be read they come back as
        stored.
        """
        return self.open_annotations(source_id).annotations

    def open_annotations(self, source_id: str, source: Source | None = None) -> Loaded:
        """`annotations_for`, with the version of each file as it is now (to save over) and
        the files of the source's folder that cannot be loaded. `source`: the source, when it
        was just read (else it is read here)."""
        loaded = self.store.load_source(source_id)
        if source is None or source.id != source_id:
            source = self.source_or_none(source_id)
        if source is None:
            return loaded
        placed: list[Annotation] = []
        for annotation in loaded.annotations:
            done = self._reanchored(annotation, source, loaded.versions.get(annotation.id))
            if done.annotation is None:
                loaded.versions.pop(annotation.id, None)  # deleted or broken meanwhile
                continue
            placed.append(done.annotation)
            if done.version is not None:
                loaded.versions[annotation.id] = done.version
        loaded.annotations = sorted(
            placed, key=lambda a: (a.anchor.position.start, a.anchor.position.end, a.id)
        )
        return loaded

    def settle(self, annotation_id: str, decision: Decision) -> Annotation:
        """Accept the candidate of an annotation that needs review, or give up on it (mark it
        orphaned); save and return it.

        The annotation is first re-anchored on its source as it is now. When that finds other
        words than the candidate the user saw, nothing is decided: `ReviewError` says what the
        candidate is now, so a decision never applies to words the user did not see.
        """
        from readmark.annotations.review import ReviewError, settle

        stored, version = self.store.read(annotation_id)
        source = self.source_or_none(stored.source)
        current = stored
        if source is not None:
            done = self._reanchored(stored, source, version)
            if done.annotation is None:
                raise AnnotationNotFoundError(
                    f"annotation {annotation_id} was deleted or made unreadable meanwhile"
                )
            current, version = done.annotation, done.version or version
        seen, now = stored.candidate, current.candidate
        if (seen is None) != (now is None) or (seen and now and seen.text != now.text):
            raise ReviewError(
                f"{stored.source} changed since {stored.id} was last checked: "
                f"{_review_state(current)}. Nothing was decided; look again "
                "(`readmark check`) and repeat the decision if it still stands."
            )
        settled = settle(current, source, decision)
        self.save(settled, source.title if source is not None else None, version)
        return settled

    def all_annotations(self) -> tuple[list[Annotation], list[LoadProblem]]:
        """Every stored annotation (as stored) and the files that cannot be read."""
        result = self.store.load_all()
        return result.annotations, result.problems

    def delete(self, annotation_id: str, expected: Expected = REMEMBERED) -> Path:
        """Move the annotation to the trash (if its file is still `expected`, see
        `AnnotationStore.delete`); return where it now is."""
        annotation_id = annotation_id.strip().lower()
        target = self.store.delete(annotation_id, expected)
        self._index_quietly(lambda index: index.remove_annotation(annotation_id))
        return target

    def restore(self, annotation_id: str) -> Annotation:
        """Bring an annotation back from the trash."""
        annotation = self.store.restore(annotation_id)
        self._index_annotation(annotation)
        return annotation

    # -- search ----------------------------------------------------------------------------

    def search(
        self, query: str, limit: int = 20, *, check_every_file: bool = True
    ) -> list[SearchHit]:
        """Bring the index up to date, then search; `SearchError` on a bad query.

        `check_every_file`: every annotation file is stat'ed first, so a file another program
        rewrote in place is seen. Without it the answer comes at once: only the folders whose
        stamp moved are listed (a file added, removed, renamed or saved by rename moves its
        folder's), and the files behind the hits are checked before they are returned, so no
        hit is stale; a file rewritten in place that newly matches is found once
        `sync_index` has run (`background_catch_up` starts one).
        """
        self.sync_index(thorough=check_every_file)
        hits = self._search(query, limit)
        if check_every_file:
            return hits
        shown = [hit.id for hit in hits if hit.type == "annotation"]
        changed = self.index.files_changed(shown, self.annotation_folders()) if shown else []
        if changed:
            self.sync_index(thorough=False, suspects=changed)
            hits = self._search(query, limit)
        return hits

    def _search(self, query: str, limit: int) -> list[SearchHit]:
        from readmark.annotations.index import SearchError

        try:
            return self.index.search(query, limit=limit)
        except SearchError:
            raise
        except Exception as error:
            raise WorkspaceError(_broken_index(self.vault.layout.index, error)) from error

    def list_annotations(self, wanted: NotebookFilter) -> Listing:
        """The notebook's rows, from the index as it is (`sync_index` catches it up first);
        `SearchError` on typed words that are no query."""
        from readmark.annotations.index import SearchError

        try:
            return self.index.list_annotations(wanted)
        except SearchError:
            raise
        except Exception as error:
            raise WorkspaceError(_broken_index(self.vault.layout.index, error)) from error

    def tags(self) -> list[str]:
        """Every tag the index holds (lowercased, as `tag:` matches them)."""
        return self.index.listing_cache().values("tag")

    def warm_notebook(self) -> None:
        """Work out the notebook's orders for the index as it is now, when it is open (they
        are worked out once per change of the index; opening the notebook then finds them)."""
        if self._index is not None:
            self._index.listing_cache()

    def background_catch_up(self) -> Callable[[], subprocess.Popen[bytes] | None] | None:
        """After a quick search: what starts a low-priority process that stats every annotation
        file and indexes those rewritten in place, so the next search sees them (call it once
        the answer is out; it returns None when one is already waiting to run). None when such
        a process could do nothing: an index kept in memory, or one that cannot be written
        now."""
        index = self._index
        if index is None or index.in_memory or index.behind is not None:
            return None
        from readmark.annotations import index_catch_up

        root, folder = self.vault.root, index.folder
        return lambda: index_catch_up.start(root, folder)

    def known_tags(self) -> list[str]:
        """The tags used in the vault, by annotations and sources, as the index knows them;
        none when the index cannot be read (completion is a convenience)."""
        try:
            return self.index.tag_names()
        except Exception:  # noqa: BLE001
            return []

    def search_behind(self) -> str | None:
        """A word for the user when the last search answered from an index that lags the
        files (it could not be written), or None when the index is current."""
        index = self._index
        reason = index.behind if index is not None else None
        if index is None or reason is None:
            return None
        unread = index.unread
        if unread:
            files = "1 changed file is" if unread == 1 else f"{unread} changed files are"
            what = f"deleted annotations are left out, but {files} not searched yet"
        else:
            what = "the results take in the changes it lacks"
        return (
            f"The search index is behind ({reason}: {index.folder}); {what}. "
            "It catches up once it can be written."
        )

    def sync_index(
        self,
        progress: Progress | None = None,
        *,
        thorough: bool = True,
        suspects: Iterable[str] = (),
        lock_timeout: float | None = None,
    ) -> ReconcileReport:
        """Re-read the annotation files and sources that changed since the index saw them.

        `thorough`: stat every annotation file (else only the folders whose stamp moved are
        listed, and the `suspects` files, by key, checked; see `annotations/index_plan.py`)."""
        try:
            index = self.index
        except Exception as error:
            raise WorkspaceError(_broken_index(self.vault.layout.index, error)) from error
        return index.reconcile(
            self.annotation_folders(),
            _load_annotation_file,
            self.source_files(),
            self.source_or_none,
            progress,
            thorough=thorough,
            suspects=suspects,
            lock_timeout=lock_timeout,
        )

    def reindex(self, progress: Progress | None = None) -> ReindexReport:
        """Rebuild the index from the annotation files and the sources, in one commit.

        An index that cannot be opened was repaired when it was opened (its own files removed,
        nothing else). A rebuild that fails half-way (a full disk) leaves the old index marked
        as unknown, so the next search rewrites it rather than trusting it.
        """
        try:
            index = self.index
        except Exception as error:
            raise WorkspaceError(_broken_index(self.vault.layout.index, error)) from error
        index.forget()
        report = self.sync_index(progress, lock_timeout=REINDEX_LOCK_WAIT)
        if report.deferred:
            raise WorkspaceError(
                "The search index is busy: another readmark is writing to it. "
                "Try `readmark reindex` again in a moment."
            )
        if report.unwritten:
            raise WorkspaceError(
                f"The search index in {index.folder} could not be rebuilt: {report.unwritten}. "
                "Nothing is lost (the annotation files hold everything) and searches still "
                "answer; fix that and run `readmark reindex` again."
            )
        return ReindexReport(
            annotation_files=report.annotation_files_indexed,
            sources=report.sources_indexed,
            documents=index.doc_count(),
            problems=list(report.problems),
            notes=self.index_notes(with_foreign_files=True),
        )

    def index_notes(self, *, with_foreign_files: bool = False) -> list[str]:
        """What the user should know about the index, once it is open: that it is kept in memory
        (and why), and the files in its folder readmark did not make (left by a repair, or all of
        them with `with_foreign_files`)."""
        from readmark.annotations.index_folder import foreign_files

        index = self._index
        if index is None:
            return []
        notes = []
        if index.problem:
            notes.append(f"The search index is kept in memory for now: {index.problem}.")
        left = foreign_files(index.folder) if with_foreign_files else index.left
        if left and (with_foreign_files or index.repaired):
            names = ", ".join(left)
            notes.append(f"Left in {index.folder} (not readmark's files, so not touched): {names}")
        return notes

    def legacy_index_notice(self, *, always: bool = False) -> str | None:
        """A word about a search index found inside the vault (from an older readmark or another
        machine): never opened, safe to delete. Said once per vault on this machine, or every
        time with `always` (for `check`)."""
        layout = self.vault.layout
        if not layout.legacy_index.is_dir():
            return None
        if not always:
            if os.path.lexists(layout.legacy_index_noted):
                return None
            try:
                ensure_private_dir(layout.machine)
                layout.legacy_index_noted.touch()
            except OSError:
                pass  # said again next time: better than never
        return (
            f"{layout.legacy_index} is ignored: readmark keeps its search index on each machine "
            "now and never opens one found in a vault. You can delete that folder."
        )

    def index_size_hint(self) -> int:
        """About how many documents a full reindex writes: segments of sources plus annotations."""
        segments = sum(s.segments for s in self.vault.scan().sources)
        return segments + len(self.annotation_folders().keys())

    # -- repair ----------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Repair what can be repaired without the user, and list what cannot.

        Removes temporary files left by a crash, re-anchors annotations whose source changed
        (saving them), flags orphans, and brings the index up to date (rebuilding it when it
        cannot be opened).
        """
        report = CheckReport()
        report.temp_files_removed = self.store.cleanup_temp_files(older_than=TEMP_FILE_AGE)
        loaded = self.store.load_all()
        report.unreadable = [p for p in loaded.problems if p.conflict_of is None]
        report.conflicts = [p for p in loaded.problems if p.conflict_of is not None]
        report.annotations = len(loaded.annotations) + len(loaded.problems)
        by_source: dict[str, list[Annotation]] = {}
        for annotation in loaded.annotations:
            by_source.setdefault(annotation.source, []).append(annotation)
        for source_id, members in sorted(by_source.items()):
            self._check_source(source_id, members, report, loaded.versions)
        self._check_index(report)
        return report

    def _check_source(
        self,
        source_id: str,
        members: list[Annotation],
        report: CheckReport,
        versions: dict[str, FileVersion],
    ) -> None:
        from readmark.annotations.anchoring import ReanchorStatus

        try:
            self.vault.path_of(source_id)
        except SourceError:
            for annotation in members:
                reason = f"the source file {source_id} is missing from the vault"
                report.orphans.append(Orphan(annotation, reason))
            return
        source = self.source_or_none(source_id)
        if source is None:
            report.source_problems.append(_source_problem(self, source_id))
            return
        for annotation in members:
            # The index catches up with every saved file at once at the end of the check.
            done = self._reanchored(annotation, source, versions.get(annotation.id), index=False)
            placed, status = done.annotation, done.status
            if placed is None:
                continue  # deleted or made unreadable meanwhile: the next check sees it
            if done.busy:
                report.changed_meanwhile.append(annotation.id)
                continue
            if status == ReanchorStatus.ORPHANED:
                reason = f"the quote is no longer in {source_id}"
                report.orphans.append(Orphan(placed, reason))
            elif status == ReanchorStatus.NEEDS_REVIEW:
                report.needs_review.append(placed)
            elif status == ReanchorStatus.MOVED:
                report.reanchored.append(placed)

    def _check_index(self, report: CheckReport) -> None:
        try:
            report.index = self.sync_index()
        except Exception:
            try:
                self.reindex()
                report.index_rebuilt = True
            except Exception as error:
                report.index_problem = str(error)
        report.index_notes = self.index_notes(with_foreign_files=True)
        legacy = self.legacy_index_notice(always=True)
        if legacy:
            report.index_notes.append(legacy)

    # -- files -----------------------------------------------------------------------------

    def annotation_folders(self) -> AnnotationFolders:
        """Where the annotation files are, as the index lists them."""
        from readmark.annotations.index_plan import AnnotationFolders

        prefix = self.store.root.relative_to(self.vault.root).as_posix()
        return AnnotationFolders(str(self.store.root), SUFFIX, prefix)

    def source_files(self) -> dict[str, str]:
        """Every listed source's file, by source id (paths as text: a search makes a
        thousand of them, and `Path` objects cost ten times as much)."""
        root = str(self.vault.root)
        return {sid: os.path.join(root, *sid.split("/")) for sid in self.vault.source_ids()}

    # -- internals -------------------------------------------------------------------------

    def _reanchored(
        self,
        annotation: Annotation,
        source: Source,
        version: FileVersion | None,
        *,
        index: bool = True,
    ) -> _Placed:
        """The annotation on the source's current text, saved over `version` (the file as
        read) when it changed, and indexed unless `index` is False.

        When another program changed the file since it was read, nothing is written over it:
        its new version is read and re-anchored instead.
        """
        from readmark.annotations.anchoring import reanchor

        for _ in range(REANCHOR_ATTEMPTS):
            if _in_place(annotation, source):
                return _Placed(annotation, None, version)
            result = reanchor(annotation, source)
            placed = result.annotation
            if placed == annotation:
                return _Placed(placed, result.status, version)
            placed = replace(placed, updated=utc_now())
            try:
                version = self.store.write(placed, version, recreate=False)
            except ChangedOnDiskError:
                try:
                    fresh, version = self.store.read(annotation.id)
                except StoreError:
                    return _Placed(None, None, None)
                if fresh.source != source.id:
                    return _Placed(fresh, None, version)  # moved to another source by hand
                annotation = fresh
                continue
            break
        else:
            return _Placed(annotation, None, version, busy=True)
        if index:
            self._index_annotation(placed, source.title)
        return _Placed(placed, result.status, version)

    def _index_annotation(self, annotation: Annotation, source_title: str | None = None) -> None:
        """Index a saved annotation, telling the index which file holds it (best effort)."""
        key = self.store.path_for(annotation).relative_to(self.vault.root).as_posix()
        self._index_quietly(
            lambda index: index.add_or_update_annotation(annotation, source_title, file_key=key)
        )

    def _index_quietly(self, change: Callable[[SearchIndex], object]) -> None:
        """Apply a change to the index if it can be done now; the next sync catches up if not."""
        try:
            change(self.index)
        except Exception:
            # A locked or broken index must never fail a save that already happened.
            pass


def _review_state(annotation: Annotation) -> str:
    """What re-anchoring made of an annotation, in words, for a refused decision."""
    if annotation.candidate is not None:
        shown = shorten(annotation.candidate.text, QUOTE_CHARS, at_word=False)
        return f"the candidate is now \u201c{shown}\u201d"
    if annotation.orphaned:
        return "no candidate is left, the annotation is orphaned"
    return "its quote stands in the source as it is"


@dataclass(frozen=True, slots=True)
class _Placed:
    """An annotation after re-anchoring, and its file's version now."""

    annotation: Annotation | None
    """None when the file was deleted or made unreadable by another program meanwhile."""
    status: ReanchorStatus | None
    """None when the source did not change since the annotation was anchored."""
    version: FileVersion | None
    busy: bool = False
    """True when another program kept changing the file: it was left as that program wrote it."""


def _in_place(annotation: Annotation, source: Source) -> bool:
    """True when the annotation still stands where it was anchored on an unchanged source."""
    anchor = annotation.anchor
    at_position = source.text[anchor.position.start : anchor.position.end]
    # A hand-edited quote on an unchanged source must be looked for again too.
    return (
        anchor.fingerprint == fingerprint(source.text)
        and at_position == anchor.quote.exact
        and not annotation.orphaned
        and annotation.candidate is None
    )


def _load_annotation_file(path: Path, data: bytes) -> list[Annotation]:
    """The annotation in one file (its bytes, read by the index); `ValueError` (which the index
    reports) when it does not parse.

    A file whose name is not its id (a sync tool's conflicted copy) is refused like the store
    refuses it, so the index never holds an annotation the store does not load.
    """
    from readmark.annotations.markdown_format import parse

    text = data.decode(ENCODING, ENCODING_ERRORS)
    annotation = parse(text)
    if f"{annotation.id}{SUFFIX}" != path.name:
        if path.name.startswith(annotation.id):
            raise ValueError(conflict_copy_reason(annotation.id))
        raise ValueError(f"the file name does not match `id: {annotation.id}`")
    return [annotation]


def _source_problem(workspace: Workspace, source_id: str) -> str:
    try:
        source = workspace.vault.load(source_id)
    except SourceError as error:
        return str(error)
    return f"{source_id}: {source.error}"


QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def _unwrapped(quote: str) -> str:
    """The quote without the quote marks a user may put around it when pasting."""
    return quote.strip().strip(QUOTE_MARKS).strip()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _broken_index(folder: Path, error: Exception) -> str:
    return (
        f"The search index in {folder} cannot be read "
        f"({type(error).__name__}: {error}); run `readmark reindex` to rebuild it."
    )
