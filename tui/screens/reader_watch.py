"""What the reader last saw of the open source's file and of its annotation folder, so a poll
notices what other programs changed (and not what the reader itself wrote)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readmark.annotations.store import FileVersion, Loaded
from readmark.annotations.workspace import Workspace

NotesStamp = dict[str, tuple[int, int]]
"""(size, mtime_ns) of each file in the open source's annotation folder, by name, as last seen
or written by this reader: the poll compares the folder with it file by file."""


@dataclass(frozen=True, slots=True)
class OpenFile:
    """The open source's file as it was read."""

    source_id: str
    mtime_ns: int
    size: int


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class DiskWatch:
    """The stamps a poll compares with the disk. `notes` is replaced, never changed in place:
    a poll that began before the reader wrote tells by identity that its look is stale."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.opened: OpenFile | None = None
        self.notes: NotesStamp = {}

    def source_stamp(self, source_id: str) -> OpenFile | None:
        """The source's file as it is now; None when it is gone."""
        try:
            info = self.workspace.vault.path_of(source_id).stat()
        except (OSError, Exception):  # noqa: BLE001
            return None
        return OpenFile(source_id, info.st_mtime_ns, info.st_size)

    def folder_stamp(self, source_id: str) -> NotesStamp:
        """The source's annotation folder as it is now (one listing: cheap)."""
        stamp = self.workspace.store.folder_stamp(source_id)
        return {name: (size, mtime_ns) for name, size, mtime_ns in stamp}

    def seen(self, source_id: str, before: NotesStamp, loaded: Loaded) -> NotesStamp:
        """The folder as listed before loading, with each loaded file as it was read or
        re-anchored: a file another program wrote after that still differs at the next look."""
        folder = self.workspace.store.folder_for(source_id)
        seen = dict(before)
        for version in loaded.versions.values():
            if version.path.parent == folder:
                seen[version.path.name] = (version.size, version.mtime_ns)
        return seen

    def wrote(
        self,
        source_id: str | None,
        version: FileVersion,
        copies: list[tuple[Path, tuple[int, int] | None]],
    ) -> None:
        """Take this reader's own write into the stamp, file by file, so the next look still
        notices what another program wrote to the other files meanwhile."""
        folder = self.workspace.store.folder_for(source_id) if source_id else None
        stamp = dict(self.notes)
        if version.path.parent == folder:
            stamp[version.path.name] = (version.size, version.mtime_ns)
        for path, seen in copies:
            if path.parent == folder and seen is not None:
                stamp[path.name] = seen
        self.notes = stamp

    def removed(self, path: Path | None) -> None:
        """This reader moved a file out of the folder (to the trash)."""
        if path is not None:
            stamp = dict(self.notes)
            stamp.pop(path.name, None)
            self.notes = stamp
