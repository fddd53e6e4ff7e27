"""Annotating: what may be made, edited, deleted and brought back, the same for every front end.

The reader's keys (`h`, `a`, `d`, `e`, `x`, `u`, `A`, `O`) and the commands (`readmark annotate`,
`readmark delete`) all go through `Annotator`, so they follow one set of rules:

- One highlight per passage: a highlight is not made where a highlight already holds the words
  (the same words, or a longer passage around them); `AlreadyHighlightedError` names it.
- One note per passage and kind: a note (or dissent note) is not made on the very words another
  note of its kind is on: that one is edited instead (`draft_on` opens it;
  `AlreadyAnnotatedError` refuses a second one).
- An edit saves over the version of the file it began on: another program's change made
  meanwhile is kept beside it as a conflict copy, never overwritten (`Workspace.save_note`).
- A write the disk did not confirm counts as done (the file is there and is read back): it is
  reported (`Written.unsynced`), never repeated, so no second annotation is made.
- A delete moves the file to the trash only while it is still the version read; `undo_delete`
  brings back the last one deleted here.
- What is typed in the editor is never lost: while it is typed, when the editor closes unsaved,
  or when a save fails, the text is kept as a draft on disk (`drafts`) that the same key on the
  same words brings back, after a restart too; saving the note (or discarding the draft)
  removes it.
- `#tag` words in a note become tags of the annotation, with the tags given.

Writes block on the disk: a terminal app calls them from a worker thread. The annotations of the
open source are replaced, never changed in place, under a lock, so the thread drawing them
always sees a whole list.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from readmark.annotations.anchoring import new_annotation, span_metadata
from readmark.annotations.drafts import DraftKey, Drafts, NoteDraft, with_text
from readmark.annotations.model import (
    Annotation,
    Confidence,
    Kind,
    normalise_tags,
    note_tags,
    utc_now,
)
from readmark.annotations.review import Decision
from readmark.annotations.store import FileVersion, Loaded, StoreError, WrittenNotSyncedError
from readmark.annotations.workspace import Workspace, WorkspaceError
from readmark.library.model import Source

KIND_WORDS = {Kind.HIGHLIGHT: "highlight", Kind.NOTE: "note", Kind.DISSENT: "dissent note"}


class AlreadyAnnotatedError(WorkspaceError):
    """A new annotation would repeat one already on the words; `existing` is that one."""

    def __init__(self, message: str, existing: Annotation) -> None:
        super().__init__(message)
        self.existing = existing


class AlreadyHighlightedError(AlreadyAnnotatedError):
    """A highlight already holds the words: nothing new was asked for, so nothing is made."""


class NotAnnotatableError(WorkspaceError):
    """The source could not be read (or has no text), so nothing can be anchored on it."""


class RestoredButUnreadableError(StoreError):
    """An undone delete put the file back, but it cannot be read back (changed again at once)."""


@dataclass(frozen=True, slots=True)
class Written:
    """An annotation as saved, with its file's version now."""

    annotation: Annotation
    version: FileVersion
    conflict_copies: tuple[Path, ...] = ()
    """Another program's versions of the file, kept beside it on the way (see `save_note`)."""
    unsynced: str = ""
    """Why the disk may not keep the write through a power cut, when it did not confirm it.
    The file is there all the same and counts as saved."""


@dataclass(frozen=True, slots=True)
class Deleted:
    """An annotation moved to the trash."""

    annotation_id: str
    trashed: Path
    """Where its file is now."""
    file: Path | None
    """Where its file was, when this annotator had read it."""


def covering_highlight(
    annotations: Iterable[Annotation], start: int, end: int
) -> Annotation | None:
    """A highlight holding all of `start:end`: another one inside it would only repeat it.
    One that is orphaned or waits for review holds no words yet."""
    for annotation in annotations:
        position = annotation.anchor.position
        if annotation.kind is Kind.HIGHLIGHT and not (
            annotation.orphaned or annotation.needs_review
        ):
            if position.start <= start and end <= position.end:
                return annotation
    return None


def all_tags(tags: Iterable[str], note: str) -> tuple[str, ...]:
    """The tags an annotation gets: those given, then the `#tag` words of its note."""
    return normalise_tags([*normalise_tags(tags), *note_tags(note)])


def _nothing_typed(draft: NoteDraft) -> bool:
    """A new note with no text nor tags, or an edit that changes nothing: no draft to keep."""
    annotation = draft.annotation
    if annotation is None:
        return draft.is_new and not draft.has_text
    unchanged = (annotation.note, annotation.tags, annotation.confidence)
    return (draft.note, draft.tags, draft.confidence) == unchanged


def same_span(
    annotations: Iterable[Annotation], start: int, end: int, kind: Kind
) -> Annotation | None:
    """The annotation of `kind` on exactly `start:end`: a note there is edited, not repeated."""
    for annotation in annotations:
        position = annotation.anchor.position
        if annotation.kind is kind and (position.start, position.end) == (start, end):
            return annotation
    return None


class Annotator:
    """The annotations of the open source, and the one way to change them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.source: Source | None = None
        """The source open here (its annotations are `annotations`)."""
        self.annotations: list[Annotation] = []
        """The open source's annotations in document order; replaced on each change."""
        self.drafts = Drafts(workspace.vault.layout.drafts)
        self._versions: dict[str, FileVersion] = {}
        """The file version each annotation was read or saved as: edits and deletes go over it."""
        self._deleted: list[str] = []
        """Ids deleted here, the last one last: what undo brings back."""
        self._changes = 0
        """How many changes were made here: a read begun before the last one misses it."""
        self._lock = threading.RLock()

    # -- what is there -------------------------------------------------------------------------

    def load(self, source_id: str, source: Source | None = None) -> Loaded:
        """A source's annotations and their versions as they are now (re-anchored); blocks."""
        return self.workspace.open_annotations(source_id, source)

    def show(self, source: Source, loaded: Loaded) -> None:
        """Take `source` as the open one, with its annotations as `load` read them."""
        with self._lock:
            self.source = source
            self.annotations = list(loaded.annotations)
            self._versions = dict(loaded.versions)

    @property
    def changes(self) -> int:
        """A count of the changes made here; give it to `reloaded` as the read begins."""
        return self._changes

    def reloaded(self, source_id: str, loaded: Loaded, since: int) -> bool:
        """Take annotations read again; False (nothing taken) when another source is open now,
        or when a change was made here after the read began (`since`, the `changes` then): that
        read may miss it, so taking it would drop a note just saved. Read again then."""
        with self._lock:
            if self.source is None or self.source.id != source_id or self._changes != since:
                return False
            self.annotations = list(loaded.annotations)
            self._versions = dict(loaded.versions)
            return True

    def open(self, source_id: str) -> Source:
        """Read a source and its annotations and take them as the open ones; blocks."""
        source = self.workspace.source(source_id)
        self.show(source, self.load(source_id, source))
        return source

    def get(self, annotation_id: str | None) -> Annotation | None:
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def version(self, annotation_id: str) -> FileVersion | None:
        """The version of the annotation's file as read or saved here, if any."""
        return self._versions.get(annotation_id)

    # -- the rules -----------------------------------------------------------------------------

    def existing(self, start: int, end: int, kind: Kind) -> Annotation | None:
        """The annotation a new one of `kind` on `start:end` would repeat, if any: a highlight
        holding the words (for a highlight), the note of the same kind on them (for a note)."""
        if kind is Kind.HIGHLIGHT:
            return covering_highlight(self.annotations, start, end)
        return same_span(self.annotations, start, end, kind)

    # -- making --------------------------------------------------------------------------------

    def create(
        self,
        start: int,
        end: int,
        kind: Kind,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        confidence: Confidence | None = None,
    ) -> Written:
        """Save a new annotation on `start:end` of the open source; blocks.

        `AlreadyHighlightedError` when a highlight (with nothing else asked) would repeat one
        already on the words, `AlreadyAnnotatedError` when a note would, or when a highlight
        with a note or tags would land inside one (the note would be lost in it).
        """
        source = self._annotatable()
        annotation = new_annotation(
            source,
            start,
            end,
            kind,
            note=note,
            tags=all_tags(tags, note),
            confidence=confidence if kind is Kind.DISSENT else None,
        )
        return self._create(annotation)

    def annotate_quote(
        self,
        source_id: str,
        quote: str,
        kind: Kind,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        confidence: Confidence | None = None,
    ) -> Written:
        """Find `quote` in the source and `create` an annotation on it; blocks.

        The rules are checked against the source's annotations as they are on disk now.
        """
        source, start, end = self.workspace.find_quote(source_id, quote)
        self.show(source, self.load(source_id, source))
        return self.create(start, end, kind, note=note, tags=tags, confidence=confidence)

    def _create(self, annotation: Annotation) -> Written:
        start, end = annotation.span
        with self._lock:  # one check and write at a time: two quick keys make one annotation
            existing = self.existing(start, end, annotation.kind)
            if existing is not None:
                raise self._refusal(annotation, existing)
            return self._save(annotation, None)

    def _refusal(self, wanted: Annotation, existing: Annotation) -> AlreadyAnnotatedError:
        path = self.workspace.store.path_for(existing)
        if wanted.kind is Kind.HIGHLIGHT:
            if not wanted.note.strip() and not wanted.tags:
                return AlreadyHighlightedError(f"already highlighted: {existing.id}", existing)
            return AlreadyAnnotatedError(
                f"{wanted.source}: these words are already highlighted ({existing.id}, {path}); "
                "a highlight inside it would only repeat it: save your note as a note "
                "(--kind note) instead",
                existing,
            )
        kind = KIND_WORDS[wanted.kind]
        return AlreadyAnnotatedError(
            f"{wanted.source} already has a {kind} on these words: {existing.id} ({path}). "
            f"There is one {kind} per passage: edit that one (its file, or `e` on it in the "
            f"reader), or delete it first (`readmark delete {existing.id}`)",
            existing,
        )

    # -- notes ---------------------------------------------------------------------------------

    def draft_on(self, start: int, end: int, kind: Kind) -> NoteDraft:
        """The note of `kind` to write on `start:end`: the one already there (one note per
        passage and kind), else a new one, with what was typed and kept before."""
        existing = same_span(self.annotations, start, end, kind)
        if existing is not None:
            return self._draft_of(existing)
        source = self._annotatable()
        # The time and speaker the note will be saved with: times the file gives.
        seconds, _, speaker = span_metadata(source, start, end)
        draft = NoteDraft(
            kind,
            source.text[start:end],
            speaker=speaker,
            seconds=seconds,
            source=source,
            span=(start, end),
        )
        kept = self.drafts.get(draft.key)
        if kept is not None:
            draft = with_text(draft, kept.note, kept.confidence, kept.tags)
        return draft

    def draft_of(self, annotation_id: str | None) -> NoteDraft | None:
        """The note of an annotation of the open source, to edit; None when there is none."""
        annotation = self.get(annotation_id)
        return None if annotation is None else self._draft_of(annotation)

    def _draft_of(self, annotation: Annotation) -> NoteDraft:
        draft = NoteDraft(
            annotation.kind,
            annotation.quote,
            note=annotation.note,
            confidence=annotation.confidence,
            tags=annotation.tags,
            speaker=annotation.speaker,
            seconds=annotation.start,
            created=annotation.created,
            source_id=annotation.source,
            span=annotation.span,
            annotation=annotation,
            base=self._versions.get(annotation.id),
        )
        kept = self.drafts.get(draft.key)
        if kept is not None:
            # Saved over the version the note was begun on, whatever was reloaded meanwhile.
            draft = replace(
                with_text(draft, kept.note, kept.confidence, kept.tags),
                base=kept.base or draft.base,
            )
        return draft

    def keep_draft(
        self,
        draft: NoteDraft,
        note: str,
        confidence: Confidence | None,
        tags: Iterable[str] = (),
        *,
        ticket: int | None = None,
    ) -> None:
        """Keep what was typed for the next time, on disk; blocks. A draft with nothing typed
        in it is no draft: it is removed. `DraftNotKeptError` when the disk refuses."""
        kept = with_text(draft, note, confidence, normalise_tags(tags))
        if _nothing_typed(kept):
            self.drafts.drop(draft.key, ticket)
            return
        self.drafts.keep(kept, ticket)

    def discard_draft(self, draft: NoteDraft, *, ticket: int | None = None) -> None:
        """Forget what was typed in `draft` (the user asked); blocks."""
        self.drafts.drop(draft.key, ticket)

    def save_draft(
        self,
        draft: NoteDraft,
        note: str,
        confidence: Confidence | None,
        tags: Iterable[str] = (),
        *,
        ticket: int | None = None,
    ) -> Written:
        """Save the note: a new annotation, or the edit over the version it began on; blocks.
        Its `#tag` words join `tags`. On failure the text is kept as a draft, and the error is
        raised."""
        confidence = confidence if draft.kind is Kind.DISSENT else None
        given = normalise_tags(tags)
        try:
            if draft.annotation is None:
                assert draft.source is not None, "a new note is on a source"
                start, end = draft.span
                annotation = new_annotation(
                    draft.source,
                    start,
                    end,
                    draft.kind,
                    note=note,
                    tags=all_tags(given, note),
                    confidence=confidence,
                )
                written = self._create(annotation)
            else:
                changed = replace(
                    draft.annotation,
                    note=note,
                    confidence=confidence,
                    tags=all_tags(given, note),
                    updated=utc_now(),
                )
                written = self._save(changed, draft.base)
        except Exception:
            try:
                self.keep_draft(draft, note, confidence, given, ticket=ticket)
            except Exception:  # noqa: BLE001 - the save's own error is the one to tell
                pass
            raise
        self.drafts.drop(draft.key, ticket)
        return written

    # -- deleting and bringing back --------------------------------------------------------------

    def delete(self, annotation_id: str) -> Deleted:
        """Move the annotation to the trash if its file is still the version read here (any
        version, when none was read); blocks. `ChangedOnDiskError` when another program changed
        it since: nothing is deleted."""
        annotation_id = annotation_id.strip().lower()
        with self._lock:
            version = self._versions.get(annotation_id)
            trashed = self.workspace.delete(annotation_id, version)
            self._versions.pop(annotation_id, None)
            self.annotations = [a for a in self.annotations if a.id != annotation_id]
            self._deleted.append(annotation_id)
            self._changes += 1
        return Deleted(annotation_id, trashed, version.path if version else None)

    def undo_delete(self) -> Written | None:
        """Bring back the last annotation deleted here, read back from its file; None when there
        is nothing to undo. `RestoredButUnreadableError` when it is back but cannot be read."""
        with self._lock:
            if not self._deleted:
                return None
            annotation_id = self._deleted.pop()
            unsynced = ""
            try:
                self.workspace.restore(annotation_id)
            except WrittenNotSyncedError as error:
                unsynced = str(error)  # restored all the same
            try:
                restored, version = self.workspace.store.read(annotation_id)
            except StoreError as error:
                raise RestoredButUnreadableError(str(error)) from error
            written = Written(restored, version, unsynced=unsynced)
            self._adopt(written)
            return written

    # -- review --------------------------------------------------------------------------------

    def settle(self, annotation_id: str, decision: Decision) -> Written | None:
        """Accept the candidate of an annotation that needs review, or give up on it; blocks.
        None when it was saved but its version is not known here (read the source's annotations
        again)."""
        with self._lock:
            settled = self.workspace.settle(annotation_id, decision)
            version = self.workspace.store.version(settled.id)
            if version is None:
                return None
            written = Written(settled, version)
            self._adopt(written)
            return written

    # -- internals -----------------------------------------------------------------------------

    def _annotatable(self) -> Source:
        source = self.source
        if source is None or source.error or not source.segments:
            raise NotAnnotatableError(
                "This file could not be read, so it cannot be annotated."
                if source is not None and source.error
                else "There is no text to annotate here."
            )
        return source

    def _save(self, annotation: Annotation, expected: FileVersion | None) -> Written:
        """Save over `expected` (None: a new file), keeping another program's version beside."""
        source = self.source
        title = source.title if source is not None and source.id == annotation.source else None
        with self._lock:
            try:
                saved = self.workspace.save_note(annotation, expected, title)
                written = Written(saved.annotation, saved.version, saved.conflict_copies)
            except WrittenNotSyncedError as unsynced:
                # Written, and kept: a retry edits this one, never makes a second.
                written = Written(annotation, unsynced.version, unsynced=str(unsynced))
            self._adopt(written)
            return written

    def _adopt(self, written: Written) -> None:
        """Put a saved annotation in the open source's list, if it belongs to it."""
        annotation = written.annotation
        if self.source is None or annotation.source != self.source.id:
            return
        self._versions[annotation.id] = written.version
        others = [a for a in self.annotations if a.id != annotation.id]
        self.annotations = sorted([*others, annotation], key=lambda a: (a.span[0], a.id))
        self._changes += 1


__all__ = [
    "AlreadyAnnotatedError",
    "AlreadyHighlightedError",
    "Annotator",
    "Deleted",
    "DraftKey",
    "NoteDraft",
    "NotAnnotatableError",
    "RestoredButUnreadableError",
    "Written",
    "all_tags",
    "covering_highlight",
    "same_span",
]
