"""Notes being written: what the editor opens with, and the text kept when it closes unsaved.

A draft is kept in memory for the rest of the session, keyed by the words it is on (a new note)
or by the annotation it edits, so escape in the editor, or a save that fails, never loses what
was typed: the same key on the same words brings it back.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from readmark.annotations.model import Annotation, Confidence, Kind
from readmark.annotations.store import FileVersion
from readmark.library.model import Source


@dataclass(frozen=True, slots=True)
class DraftKey:
    """Where a draft belongs: a kind of note on a source's words, or an annotation's note."""

    source: str
    start: int
    end: int
    kind: Kind
    annotation_id: str | None = None


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """A note being written: the quote and byline the editor shows, the text so far, and what
    saving it does (a new annotation on `span` of `source`, or an edit of `annotation`)."""

    kind: Kind
    quote: str
    note: str = ""
    confidence: Confidence | None = None
    speaker: str | None = None
    seconds: float | None = None
    created: str = ""
    """When an edited annotation was first written (empty for a new one)."""
    source: Source | None = None
    """The text a new note is on, as it was when the note was begun."""
    span: tuple[int, int] = (0, 0)
    annotation: Annotation | None = None
    """The annotation whose note this is; None for a new note."""
    base: FileVersion | None = None
    """The file version an edit began on: it saves over that one, so another program's change
    made meanwhile is kept beside it rather than lost."""

    @property
    def key(self) -> DraftKey:
        if self.annotation is not None:
            return DraftKey(self.annotation.source, 0, 0, self.kind, self.annotation.id)
        source_id = self.source.id if self.source is not None else ""
        return DraftKey(source_id, self.span[0], self.span[1], self.kind)

    @property
    def is_new(self) -> bool:
        return self.annotation is None


class Drafts:
    """The drafts kept this session (saves run in workers: the dictionary is guarded)."""

    def __init__(self) -> None:
        self._kept: dict[DraftKey, NoteDraft] = {}
        self._lock = threading.Lock()

    def get(self, key: DraftKey) -> NoteDraft | None:
        with self._lock:
            return self._kept.get(key)

    def keep(self, draft: NoteDraft) -> None:
        with self._lock:
            self._kept[draft.key] = draft

    def drop(self, key: DraftKey) -> None:
        with self._lock:
            self._kept.pop(key, None)
