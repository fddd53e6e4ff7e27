"""Which files a reconcile must read again: annotation folders by their stamps, files by theirs.

A folder's times move whenever a file is added to it, removed from it or renamed in it. readmark's
own saves, most editors and every sync tool write a new file and rename it over the old one, so
a folder whose stamp did not move still holds the files it held, as they were: the quick plan
lists only the folders whose stamp moved (a few thousand stats for a vault of 100,000 notes,
where listing every file takes a stat each). A file rewritten in place (truncated and written
again, as some editors save) moves no folder's stamp: the thorough plan stats every file, and a
quick one is checked by the files it is asked about (`suspects`: the files behind the hits a
search shows).

Sources are few and large: each is stat'ed every time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from readmark.annotations.index_state import (
    FileStamp,
    FolderStamp,
    IndexState,
    StampRow,
    StrPath,
    content_digest,
    folder_stamp,
    same_stat,
    stamp_of,
)
from readmark.library.collector import collector_paused

CONTENT_LIMIT = 64 << 20
"""Bytes of changed files a plan keeps after hashing them, so they are read once; past it they
are read again when indexed."""


@dataclass(frozen=True, slots=True)
class AnnotationFolders:
    """Where annotation files live: `root/<folder>/<name><suffix>`, one folder per source.

    A file is known by its key, `<prefix>/<folder>/<name><suffix>` (its path in the vault), and
    a folder by `<prefix>/<folder>`."""

    root: str
    suffix: str
    prefix: str

    def folder_id(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def path_of(self, key: str) -> str:
        return os.path.join(self.root, *key[len(self.prefix) + 1 :].split("/"))

    def folders(self) -> list[tuple[str, str]]:
        """(folder id, path) of every annotation folder, in name order; none when the root
        cannot be read (`all_annotations` and `check` report that)."""
        try:
            with os.scandir(self.root) as entries:
                found = [
                    (entry.name, entry.path)
                    for entry in entries
                    if not entry.name.startswith(".") and _is_dir(entry)
                ]
        except OSError:
            return []
        return [(self.folder_id(name), path) for name, path in sorted(found)]

    def files(self, folder: str, path: str) -> dict[str, Listed]:
        """Every annotation file of one folder, by key, in name order."""
        suffix = self.suffix
        found: list[tuple[str, Listed]] = []
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    name = entry.name
                    if not name.endswith(suffix) or name.startswith("."):
                        continue
                    try:
                        if not entry.is_file():
                            continue
                        info = entry.stat()
                    except OSError:
                        continue  # gone meanwhile
                    found.append((name, Listed(entry.path, info.st_size, info.st_mtime_ns)))
        except OSError:
            return {}  # unreadable: its files are left as the index has them
        found.sort(key=lambda item: item[0])
        return {f"{folder}/{name}": listed for name, listed in found}

    def keys(self) -> list[str]:
        """The key of every annotation file (for a count, or a full listing)."""
        return [key for folder, path in self.folders() for key in self.files(folder, path)]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


class Listed(NamedTuple):
    """A file as listed: where it is, its size and modification time (a tuple: a thorough
    plan makes one per annotation file)."""

    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class Plan:
    """What a reconcile changes in the index, and what it records once that is written."""

    folders: AnnotationFolders
    started_ns: int
    """When the listing began: stamps newer than about this are recorded as unsure."""
    sources: frozenset[str] = frozenset()
    """Every source id of the vault."""
    changed_sources: list[tuple[str, FileStamp]] = field(default_factory=list)
    removed_sources: list[str] = field(default_factory=list)
    touched_sources: list[tuple[str, FileStamp]] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    touched_files: list[tuple[str, FileStamp]] = field(default_factory=list)
    listed: dict[str, Listed] = field(default_factory=dict)
    """Every annotation file listed (all of them in a thorough plan), by key."""
    digests: dict[str, bytes] = field(default_factory=dict)
    """Content hashes of changed files read while planning."""
    contents: dict[str, bytes] = field(default_factory=dict)
    """Their bytes, while under `CONTENT_LIMIT`."""
    saved_ids: dict[str, set[str]] = field(default_factory=dict)
    """Annotation ids indexed outside a reconcile, by the key of their file."""
    folder_stamps: dict[str, FolderStamp] = field(default_factory=dict)
    """Stamps to record for the folders listed, once their changes are written."""
    gone_folders: list[str] = field(default_factory=list)
    every_file: bool = False
    """True when every folder was listed (`listed` names every annotation file)."""
    _kept_bytes: int = 0
    _queued: set[str] | None = None
    """The keys in `changed_files`, made on the first `read_again` that needs them."""

    @property
    def empty(self) -> bool:
        """Nothing to write to the index (stamps may still need recording)."""
        return not (
            self.changed_sources or self.removed_sources or self.changed_files or self.removed_files
        )

    @property
    def records(self) -> bool:
        """Something to record in the state even when nothing changes in the index."""
        return bool(
            self.touched_files or self.touched_sources or self.folder_stamps or self.gone_folders
        )

    @property
    def size(self) -> int:
        return len(self.changed_sources) * 30 + len(self.changed_files)

    def take_content(self, key: str) -> tuple[bytes, bytes]:
        """The bytes of a changed file and their hash: as read while planning, or read now."""
        data = self.contents.pop(key, None)
        if data is None:
            with open(self.path_of(key), "rb") as file:  # a Path costs more than the read
                data = file.read()
            return data, content_digest(data)
        return data, self.digests[key]

    def path_of(self, key: str) -> str:
        listed = self.listed.get(key)
        return listed.path if listed is not None else self.folders.path_of(key)

    def stamp_of(self, key: str, digest: bytes) -> FileStamp:
        """The stamp to record for a changed file once indexed (see `stamp_to_keep`)."""
        listed = self.listed.get(key)
        if listed is None:
            return FileStamp(-1, -1, digest)
        mtime_ns = listed.mtime_ns if self.started_ns - listed.mtime_ns >= _RACY else -1
        return FileStamp(listed.size, mtime_ns, digest)

    def read_again(self, keys: Iterable[str]) -> None:
        """Also re-read these annotation files (another copy of their annotations went away)."""
        keys = list(keys)
        if not keys:
            return  # the common case, once per file: it must not cost a pass over the plan
        if self._queued is None:
            self._queued = set(self.changed_files)
        queued = self._queued
        for key in keys:
            if key in queued:
                continue
            path = self.folders.path_of(key)
            try:
                info = os.stat(path)
            except OSError:
                continue
            self.listed[key] = Listed(path, info.st_size, info.st_mtime_ns)
            self.changed_files.append(key)
            queued.add(key)

    def keep(self, key: str, data: bytes, digest: bytes) -> None:
        self.digests[key] = digest
        if self._kept_bytes + len(data) <= CONTENT_LIMIT:
            self.contents[key] = data
            self._kept_bytes += len(data)


_RACY = 2_000_000_000


# A thorough plan makes a few objects per annotation file, and no cycles.
@collector_paused()
def make_plan(
    state: IndexState,
    folders: AnnotationFolders,
    source_files: Mapping[str, StrPath],
    *,
    thorough: bool,
    rewrite: bool,
    saves: Mapping[str, str],
    suspects: Iterable[str] = (),
) -> Plan:
    """What changed since the state was recorded.

    Quick: only folders whose stamp moved are listed, and the `suspects` files stat'ed.
    `thorough`: every folder is listed. `rewrite`: every file is to be read (the index is being
    written whole), and the state is not consulted.
    """
    plan = Plan(folders, time.time_ns(), every_file=thorough or rewrite)
    _plan_sources(plan, state, source_files, rewrite)
    known = {} if rewrite else state.folder_stamps()
    on_disk = folders.folders()
    listing: list[str] = []
    for folder, path in on_disk:
        try:
            info = os.stat(path)
        except OSError:
            continue
        recorded = known.get(folder)
        # A `FolderStamp` as a plain tuple: the same comparison without making one per folder.
        seen = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        if plan.every_file or recorded is None or recorded != seen:
            stamp = folder_stamp(info, plan.started_ns)
            if stamp != recorded:
                plan.folder_stamps[folder] = stamp
            plan.listed.update(folders.files(folder, path))
            listing.append(folder)
    present = {folder for folder, _ in on_disk}
    plan.gone_folders = sorted(known.keys() - present)
    if rewrite:
        plan.changed_files = list(plan.listed)
        return plan
    rows = state.files_in(None if plan.every_file else [*listing, *plan.gone_folders])
    for key, listed in plan.listed.items():
        _compare(plan, key, listed, rows.get(key))
    plan.removed_files = [key for key in rows if key not in plan.listed]
    _plan_saves_and_suspects(plan, state, saves, suspects)
    return plan


def _plan_sources(
    plan: Plan, state: IndexState, source_files: Mapping[str, StrPath], rewrite: bool
) -> None:
    rows = {} if rewrite else state.source_stamps()
    plan.sources = frozenset(source_files)
    for sid, path in source_files.items():
        row = rows.get(sid)
        try:
            info = os.stat(path)
        except OSError:
            continue
        if row is not None and same_stat(row, info.st_size, info.st_mtime_ns):
            continue
        try:
            stamp = stamp_of(path, info.st_size, _kept_time(plan, info.st_mtime_ns))
        except OSError:
            continue
        if row is not None and stamp.digest == row[2]:
            if stamp != FileStamp(*row):
                plan.touched_sources.append((sid, stamp))
        else:
            plan.changed_sources.append((sid, stamp))
    plan.removed_sources = [sid for sid in rows if sid not in source_files]


def _kept_time(plan: Plan, mtime_ns: int) -> int:
    return mtime_ns if plan.started_ns - mtime_ns >= _RACY else -1


def _compare(plan: Plan, key: str, listed: Listed, row: StampRow | None) -> None:
    """`row`: the file's `FileStamp` as recorded, or its fields."""
    if row is not None and same_stat(row, listed.size, listed.mtime_ns):
        return
    try:
        data = Path(listed.path).read_bytes()
    except OSError:
        if row is None:
            return  # gone or unreadable before it was ever indexed
        data = b""  # unreadable now: read again, so the loader says why
    digest = content_digest(data) if data else b""
    if row is not None and data and digest == row[2]:
        stamp = FileStamp(listed.size, _kept_time(plan, listed.mtime_ns), row[2])
        if stamp != row:
            plan.touched_files.append((key, stamp))
        return
    plan.changed_files.append(key)
    if data:
        plan.keep(key, data, digest)


def _plan_saves_and_suspects(
    plan: Plan, state: IndexState, saves: Mapping[str, str], suspects: Iterable[str]
) -> None:
    """Files indexed outside a reconcile are read again (or their annotations removed, when
    gone); suspects are stat'ed like any listed file."""
    for annotation_id, key in saves.items():
        plan.saved_ids.setdefault(key, set()).add(annotation_id)
    changed = set(plan.changed_files)
    forced = [key for key in plan.saved_ids if key not in changed]
    checked = [key for key in suspects if key not in plan.listed]
    if not forced and not checked:
        return
    rows = state.file_stamps([*forced, *checked])
    removed = set(plan.removed_files)
    for key in [*forced, *checked]:
        if key in changed or key in removed:
            continue
        path = plan.folders.path_of(key)
        try:
            info = os.stat(path)
        except OSError:
            removed.add(key)
            plan.removed_files.append(key)
            continue
        listed = Listed(path, info.st_size, info.st_mtime_ns)
        plan.listed[key] = listed
        if key in plan.saved_ids:
            plan.changed_files.append(key)  # its content in the index is not known
        else:
            _compare(plan, key, listed, rows.get(key))
        changed.add(key)
