"""Notes being written: what the editor opens with, and the text kept when it is not saved.

A draft is keyed by the words it is on and its kind (a new note), or by the annotation whose
note it edits, so the same key on the same words brings it back. Drafts are kept on disk, one
file per draft in the user's state folder for the vault (`VaultLayout.drafts`), written
atomically as the note is typed and when the editor closes unsaved: quitting, a crash or a
killed terminal never loses what was typed. A draft is removed when its note is saved, or when
the user discards it.

Writes come from worker threads in any order; each carries a ticket taken when the user acted
(`Drafts.ticket`), and a write older than the last one done for its draft is skipped, so a late
autosave can neither bring back a draft just saved nor replace newer text with older.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from readmark.annotations.model import Annotation, Confidence, Kind
from readmark.annotations.store import FileVersion
from readmark.library import durable
from readmark.library.layout import ensure_private_dir
from readmark.library.model import Source
from readmark.library.safe_text import shorten
from readmark.library.timecode import format_timecode

FORMAT_VERSION = 1


class DraftNotKeptError(Exception):
    """A draft could not be written to disk; it is kept in memory for this session only."""


@dataclass(frozen=True, slots=True)
class DraftKey:
    """Where a draft belongs: a kind of note on a source's words, or an annotation's note."""

    source: str
    start: int
    end: int
    kind: Kind
    annotation_id: str | None = None

    @property
    def file_name(self) -> str:
        raw = json.dumps([self.source, self.start, self.end, str(self.kind), self.annotation_id])
        digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=10)
        return f"{digest.hexdigest()}.json"


@dataclass(frozen=True, slots=True)
class NoteDraft:
    """A note being written: the quote and byline the editor shows, the text so far, and what
    saving it does (a new annotation on `span` of `source`, or an edit of `annotation`)."""

    kind: Kind
    quote: str
    note: str = ""
    confidence: Confidence | None = None
    tags: tuple[str, ...] = ()
    speaker: str | None = None
    seconds: float | None = None
    created: str = ""
    """When an edited annotation was first written (empty for a new one)."""
    source: Source | None = None
    """The text a new note is on, as it was when the note was begun (None once read back from
    disk: the note on the same words of the source open now takes its text)."""
    source_id: str = ""
    span: tuple[int, int] = (0, 0)
    annotation: Annotation | None = None
    """The annotation whose note this is; None for a new note."""
    annotation_id: str | None = None
    base: FileVersion | None = None
    """The file version an edit began on: it saves over that one, so another program's change
    made meanwhile is kept beside it rather than lost."""

    @property
    def key(self) -> DraftKey:
        if self.annotation is not None:
            return DraftKey(self.annotation.source, 0, 0, self.kind, self.annotation.id)
        if self.annotation_id is not None:
            return DraftKey(self.source_id, 0, 0, self.kind, self.annotation_id)
        source_id = self.source.id if self.source is not None else self.source_id
        return DraftKey(source_id, self.span[0], self.span[1], self.kind)

    @property
    def is_new(self) -> bool:
        return self.annotation is None and self.annotation_id is None

    @property
    def has_text(self) -> bool:
        return bool(self.note.strip() or self.tags)


class Drafts:
    """The drafts of one vault: in memory, and on disk in `folder` (None: in memory only)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._kept: dict[DraftKey, NoteDraft] | None = None
        self._done: dict[DraftKey, int] = {}
        """The ticket of the last write or removal done for each draft."""
        self._tickets = 0
        self._lock = threading.Lock()

    def ticket(self) -> int:
        """A number ordering a write after every one asked for before it."""
        with self._lock:
            self._tickets += 1
            return self._tickets

    def get(self, key: DraftKey) -> NoteDraft | None:
        with self._lock:
            return self._all().get(key)

    def all(self) -> list[NoteDraft]:
        """Every draft of the vault, the oldest source first, then by place."""
        with self._lock:
            kept = list(self._all().values())
        return sorted(kept, key=lambda d: (d.key.source, d.span, d.key.annotation_id or ""))

    def of_source(self, source_id: str) -> list[NoteDraft]:
        return [d for d in self.all() if d.key.source == source_id]

    def keep(self, draft: NoteDraft, ticket: int | None = None) -> None:
        """Keep `draft` (its text so far) in memory and on disk; blocks on the disk.
        `DraftNotKeptError` when the disk refuses: it stays in memory."""
        key = draft.key
        with self._lock:
            ticket = self._next(ticket)
            if ticket < self._done.get(key, 0):
                return  # a newer write or a save came first
            self._done[key] = ticket
            self._all()[key] = draft
            if self.folder is None:
                return
            data = json.dumps(_to_json(draft), indent=1, ensure_ascii=True).encode("ascii")
            try:
                ensure_private_dir(self.folder)
                durable.write_atomic(self.folder / key.file_name, data)
            except OSError as error:
                reason, advice = durable.describe_os_error(error)
                raise DraftNotKeptError(
                    f"The draft could not be written to {self.folder}: {reason}. It is kept "
                    f"until readmark quits. {advice}"
                ) from error

    def drop(self, key: DraftKey, ticket: int | None = None) -> None:
        """Forget the draft (its note was saved, or the user discarded it); blocks."""
        with self._lock:
            ticket = self._next(ticket)
            if ticket < self._done.get(key, 0):
                return
            self._done[key] = ticket
            self._all().pop(key, None)
            if self.folder is not None:
                try:
                    durable.remove_durably(self.folder / key.file_name)
                except FileNotFoundError:
                    pass
                except OSError:
                    pass  # a stale draft offers old text again; nothing is lost

    def _next(self, ticket: int | None) -> int:
        if ticket is None:
            self._tickets += 1
            return self._tickets
        return ticket

    def _all(self) -> dict[DraftKey, NoteDraft]:
        """The drafts, read from disk the first time (under the lock)."""
        if self._kept is None:
            self._kept = {}
            for draft in _read_folder(self.folder):
                self._kept[draft.key] = draft
        return self._kept


def _read_folder(folder: Path | None) -> list[NoteDraft]:
    if folder is None:
        return []
    try:
        paths = sorted(folder.glob("*.json"))
    except OSError:
        return []
    found = []
    for path in paths:
        try:
            draft = _from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a damaged draft is left where it is, for a person to read
        if draft is not None and draft.key.file_name == path.name:
            found.append(draft)
    return found


def _to_json(draft: NoteDraft) -> dict[str, Any]:
    key = draft.key
    base = draft.base
    return {
        "version": FORMAT_VERSION,
        "source": key.source,
        "start": draft.span[0],
        "end": draft.span[1],
        "kind": str(draft.kind),
        "annotation": key.annotation_id,
        "quote": draft.quote,
        "note": draft.note,
        "tags": list(draft.tags),
        "confidence": str(draft.confidence) if draft.confidence else None,
        "speaker": draft.speaker,
        "seconds": draft.seconds,
        "created": draft.created,
        "base": None
        if base is None
        else {
            "path": str(base.path),
            "digest": base.digest.hex(),
            "size": base.size,
            "mtime_ns": base.mtime_ns,
        },
    }


def _from_json(raw: Any) -> NoteDraft | None:
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        return None
    base_raw = raw.get("base")
    base = None
    if isinstance(base_raw, dict):
        base = FileVersion(
            Path(base_raw["path"]),
            bytes.fromhex(base_raw["digest"]),
            int(base_raw["size"]),
            int(base_raw["mtime_ns"]),
        )
    confidence = raw.get("confidence")
    seconds = raw.get("seconds")
    annotation_id = raw.get("annotation")
    return NoteDraft(
        Kind(raw["kind"]),
        str(raw["quote"]),
        note=str(raw["note"]),
        confidence=Confidence(confidence) if confidence else None,
        tags=tuple(str(t) for t in raw.get("tags", [])),
        speaker=raw.get("speaker") if isinstance(raw.get("speaker"), str) else None,
        seconds=float(seconds) if isinstance(seconds, (int, float)) else None,
        created=str(raw.get("created", "")),
        source_id=str(raw["source"]),
        span=(int(raw["start"]), int(raw["end"])),
        annotation_id=annotation_id if isinstance(annotation_id, str) else None,
        base=base,
    )


def with_text(
    draft: NoteDraft, note: str, confidence: Confidence | None, tags: tuple[str, ...]
) -> NoteDraft:
    """`draft` with what was typed in the editor."""
    return replace(draft, note=note, confidence=confidence, tags=tags)


_KIND_WORDS = {Kind.HIGHLIGHT: "highlight note", Kind.NOTE: "note", Kind.DISSENT: "dissent note"}
_KEYS = {Kind.HIGHLIGHT: "e", Kind.NOTE: "a", Kind.DISSENT: "d"}
LISTED = 5
"""Drafts named one by one when quitting; more are counted."""


def kept_words(drafts: list[NoteDraft], title_of: Callable[[str], str]) -> str:
    """What quitting keeps, in words: each draft (its kind, words, source and time) and the
    key that brings it back; "" when there is none."""
    if not drafts:
        return ""
    count = len(drafts)
    head = (
        "1 note not saved is kept as a draft"
        if count == 1
        else f"{count} notes not saved are kept as drafts"
    )
    lines = [f"{head}; the same key on the same words in readmark brings it back:"]
    for draft in drafts[:LISTED]:
        where = title_of(draft.key.source)
        if draft.seconds is not None:
            where += f", {format_timecode(draft.seconds)}"
        key = "e" if not draft.is_new else _KEYS[draft.kind]
        quote = shorten(" ".join(draft.quote.split()), 50)
        lines.append(f"  {key}: {_KIND_WORDS[draft.kind]} on \u201c{quote}\u201d ({where})")
    if count > LISTED:
        lines.append(f"  and {count - LISTED} more")
    return "\n".join(lines)
