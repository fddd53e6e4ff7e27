"""What the search index has seen of the vault: a stamp per file, kept in a small JSON file."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from readmark.library import durable

STATE_NAME = "state.json"
SAVES_DIR = "saves"
"""One small file per annotation indexed outside a reconcile (a save in the reader, `readmark
annotate`), naming its file: the next reconcile learns of it, so that if the file is deleted
by another program before then, the annotation is taken out of the index too."""


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Enough about a file to tell, cheaply, whether it changed since it was indexed."""

    size: int
    mtime_ns: int
    digest: str
    """Content hash, compared only when size or mtime moved (a touched file is no change)."""

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


@dataclass(slots=True)
class AnnotationFileState:
    stamp: FileStamp
    ids: list[str]
    """Annotations the file held when indexed, so they can be removed with it."""


@dataclass(slots=True)
class SourceFileState:
    stamp: FileStamp
    title: str


@dataclass(slots=True)
class IndexState:
    version: int
    annotation_files: dict[str, AnnotationFileState] = field(default_factory=dict)
    source_files: dict[str, SourceFileState] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    """Source id -> title, as last indexed, to label the annotations of that source."""
    complete: bool = True
    """False when the saved state was missing or unreadable: what the index holds is unknown (a
    rebuild that failed half-way, say), so the next reconcile rewrites it whole."""


StrPath = str | os.PathLike[str]
"""A file's path, as text or a Path (plain text is cheaper by the hundred thousand)."""


def file_digest(path: StrPath) -> str:
    with open(path, "rb") as file:
        return hashlib.blake2b(file.read(), digest_size=16).hexdigest()


def stamp_of(path: StrPath, size: int, mtime_ns: int) -> FileStamp:
    return FileStamp(size=size, mtime_ns=mtime_ns, digest=file_digest(path))


def load_state(folder: Path, version: int) -> IndexState:
    """The saved state, or an empty, incomplete one when it is missing, unreadable or of another
    version."""
    try:
        raw = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
        if raw.get("version") != version:
            return IndexState(version=version, complete=False)
        return IndexState(
            version=version,
            annotation_files={
                key: AnnotationFileState(FileStamp(**v["stamp"]), v["ids"])
                for key, v in raw["annotation_files"].items()
            },
            source_files={
                key: SourceFileState(FileStamp(**v["stamp"]), v["title"])
                for key, v in raw["source_files"].items()
            },
            titles=dict(raw["titles"]),
            complete=raw.get("complete", True) is True,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # A damaged state only costs a rewrite of the index on the next reconcile.
        return IndexState(version=version, complete=False)


def save_state(folder: Path, state: IndexState) -> bool:
    """Write the state atomically (a crash leaves the old state or the new one); False when the
    folder is not writable, which only costs a re-read of every file on the next reconcile."""
    data = json.dumps(_plain(state), separators=(",", ":")).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # A unique temporary name: two readmark processes may save at the same moment.
        durable.write_atomic(folder / STATE_NAME, data)
    except OSError:
        return False
    return True


def _plain(state: IndexState) -> dict[str, object]:
    # By hand, not `dataclasses.asdict`: that deep-copies every list, a second per 20,000 files.
    def stamp(s: FileStamp) -> dict[str, object]:
        return {"size": s.size, "mtime_ns": s.mtime_ns, "digest": s.digest}

    return {
        "version": state.version,
        "annotation_files": {
            key: {"stamp": stamp(v.stamp), "ids": v.ids}
            for key, v in state.annotation_files.items()
        },
        "source_files": {
            key: {"stamp": stamp(v.stamp), "title": v.title}
            for key, v in state.source_files.items()
        },
        "titles": state.titles,
        "complete": state.complete,
    }


UNREAD_STAMP = FileStamp(size=-1, mtime_ns=-1, digest="")
"""The stamp of a file indexed outside a reconcile: it matches no file, so it is read again."""


def note_save(folder: Path, key: str, annotation_id: str) -> None:
    """Remember that `annotation_id`, from the file `key`, is being indexed outside a reconcile.

    Best effort: a folder that cannot be written cannot take the index change either.
    """
    try:
        saves = folder / SAVES_DIR
        if not saves.is_dir():
            saves.mkdir(mode=0o700)
        (saves / annotation_id).write_text(key, encoding="utf-8")
    except OSError:
        pass


def read_saves(folder: Path) -> dict[str, str]:
    """Annotation id -> file key of every annotation indexed outside a reconcile so far."""
    found: dict[str, str] = {}
    try:
        with os.scandir(folder / SAVES_DIR) as entries:
            for entry in entries:
                try:
                    with open(entry.path, encoding="utf-8") as file:
                        key = file.read()
                except (OSError, ValueError):
                    continue
                if key:  # empty while another process writes it: the next reconcile reads it
                    found[entry.name] = key
    except OSError:
        pass
    return found


def merge_saves(state: IndexState, saves: dict[str, str]) -> None:
    """Put annotations indexed outside a reconcile into the state, their files to be read again
    (or, when gone, their annotations removed)."""
    for annotation_id, key in saves.items():
        entry = state.annotation_files.get(key)
        if entry is None:
            state.annotation_files[key] = AnnotationFileState(UNREAD_STAMP, [annotation_id])
        elif annotation_id not in entry.ids:
            entry.ids.append(annotation_id)
            entry.stamp = UNREAD_STAMP


def clear_saves(folder: Path, saves: dict[str, str]) -> None:
    """Forget the notes the state now holds (once it is saved)."""
    for annotation_id in saves:
        try:
            (folder / SAVES_DIR / annotation_id).unlink()
        except OSError:
            pass


def discard_state(folder: Path) -> None:
    """Forget every stamp before the index is rewritten, so a crash or a full disk in between
    cannot leave a state that claims to know what the index holds."""
    try:
        (folder / STATE_NAME).unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable folder: the clear that follows fails too
