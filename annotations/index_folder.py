"""The search index's folder: whether to trust it, which files in it are readmark's, and repairs
that remove those files only.

Whoosh unpickles its table of contents and segment files, so reading an index is running what
it holds: the folder must be the user's own, private, and outside any vault. A repair deletes
only names Whoosh or readmark write (`_readmark<N>_<gen>.toc`, `readmark<N>_<segment>.seg`, the
write lock, the state and its journal, a writer's `readmark<N>.tmp` folder), never follows a
link, and leaves everything else where it is, reporting it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from readmark.annotations.index_catch_up import LOCK_FILES
from readmark.annotations.index_state import LEGACY_STATE_NAME, SAVES_DIR, STATE_FILES
from readmark.library.durable import TEMP_PREFIX
from readmark.library.layout import cache_root, inside, unsafe_folder

_LEGACY = re.escape(LEGACY_STATE_NAME)
_OWN_FILE = re.compile(
    r"_readmark\d+_.+"  # tables of contents, and their temporary copies while written
    r"|readmark\d+_[0-9a-z]+\.[A-Za-z0-9_.]+"  # segment files
    r"|readmark\d+_WRITELOCK"
    + "".join(f"|{re.escape(name)}" for name in (*STATE_FILES, *LOCK_FILES))
    + rf"|{_LEGACY}|{re.escape(TEMP_PREFIX)}[0-9a-f]+-{_LEGACY}"  # an older readmark's state
)
_OWN_FOLDER = re.compile(rf"readmark\d+\.tmp|{SAVES_DIR}")
"""A writer's temporary storage (Whoosh names it after the index), and readmark's notes of
annotations indexed outside a reconcile."""
_VERSIONED = re.compile(r"_?readmark(\d+)[_.]")

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_DIRECTORY", 0)
_BY_HANDLE = os.unlink in os.supports_dir_fd and os.scandir in os.supports_fd
"""Work through a handle on the folder itself where the system allows (not on Windows)."""


def is_own(name: str, *, folder: bool = False) -> bool:
    """True for a name readmark's index writes (a file, or a temporary folder)."""
    return bool((_OWN_FOLDER if folder else _OWN_FILE).fullmatch(name))


def schema_version_of(name: str) -> int | None:
    match = _VERSIONED.match(name)
    return int(match.group(1)) if match else None


def trust_problem(folder: Path, vault: Path) -> str | None:
    """Why the index in `folder` must not be opened, or None when it is safe to read."""
    if inside(folder, vault):
        return (
            f"{folder} is inside the vault, and readmark never reads an index from a vault "
            "(set READMARK_CACHE_DIR to a folder outside it)"
        )
    unsafe = unsafe_folder(folder, cache_root())
    if unsafe:
        return f"{unsafe}, so its index could hold anyone's code"
    links = [name for name in _links(folder) if is_own(name) or is_own(name, folder=True)]
    if links:
        return f"{folder / links[0]} is a link, and readmark reads its index files only as they are"
    return None


def foreign_files(folder: Path) -> list[str]:
    """Names in the index folder that readmark did not make, sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if not _is_own_entry(e))
    except OSError:
        return []


@dataclass(slots=True)
class Repair:
    done: bool
    """True when every file of the damaged index is gone and a new one can be made."""
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    """Names readmark did not make: not touched."""
    problem: str | None = None
    """Why the repair was refused or failed."""


def repair(folder: Path, lock_name: str) -> Repair:
    """Delete a damaged index's own files while holding its write lock; leave the rest.

    Refused when the folder, or anything in it, is a link: a repair never deletes through one.
    """
    if _is_link(folder):
        return Repair(False, left=foreign_files(folder), problem=_refused(f"{folder} is a link"))
    links = _links(folder)
    if links:
        why = _refused(f"{folder / links[0]} is a link")
        return Repair(False, left=foreign_files(folder), problem=why)
    from whoosh.filedb.filestore import FileStorage

    lock = FileStorage(str(folder)).lock(lock_name)
    try:
        if not lock.acquire(blocking=False):
            why = "another readmark holds the index (and may be rebuilding it)"
            return Repair(False, problem=why)
    except OSError as error:
        return Repair(False, problem=f"its write lock cannot be taken ({error.strerror or error})")
    try:
        return _remove_own(folder, keep=lock_name)
    finally:
        lock.release()


def remove_other_versions(folder: Path, version: int) -> None:
    """Delete the files of an index of another schema version: the new one replaces it."""
    try:
        with _Folder(folder) as handle:
            for entry in handle.entries():
                found = schema_version_of(entry.name)
                if (
                    found is not None
                    and found != version
                    and not entry.name.endswith("_WRITELOCK")  # an older readmark may hold it
                    and entry.is_file(follow_symlinks=False)
                    and is_own(entry.name)
                ):
                    handle.unlink(entry.name)
    except OSError:
        pass  # only disk space is lost; the old files are never read


def _remove_own(folder: Path, keep: str) -> Repair:
    """Delete readmark's files in `folder` (not `keep`), never following a link."""
    result = Repair(True)
    try:
        with _Folder(folder) as handle:
            for entry in sorted(handle.entries(), key=lambda e: e.name):
                if entry.name == keep:
                    continue  # deleting a held lock's file would let a second writer in
                if entry.is_symlink():
                    result.left.append(entry.name)
                    result.done = False
                    result.problem = _refused(f"{folder / entry.name} is a link")
                elif entry.is_dir(follow_symlinks=False) and is_own(entry.name, folder=True):
                    handle.remove_tree(entry.name)
                    result.removed.append(entry.name)
                elif entry.is_file(follow_symlinks=False) and is_own(entry.name):
                    handle.unlink(entry.name)
                    result.removed.append(entry.name)
                else:
                    result.left.append(entry.name)
    except OSError as error:
        result.done = False
        result.problem = f"{folder} could not be cleared ({error.strerror or error})"
    return result


class _Folder:
    """A folder worked on by name, through a handle on the folder itself where the system
    allows: a link swapped in for it meanwhile is then never followed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> _Folder:
        if _BY_HANDLE:
            self.fd = os.open(self.path, os.O_RDONLY | _NO_FOLLOW)
        elif _is_link(self.path):
            raise OSError(f"{self.path} is a link")
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd is not None:
            os.close(self.fd)

    def entries(self) -> list[os.DirEntry[str]]:
        target: int | Path = self.fd if self.fd is not None else self.path
        with os.scandir(target) as found:
            return list(found)

    def unlink(self, name: str) -> None:
        if self.fd is not None:
            os.unlink(name, dir_fd=self.fd)
        else:
            os.unlink(self.path / name)

    def remove_tree(self, name: str) -> None:
        # rmtree never follows a link inside the tree, and refuses one at its top.
        if self.fd is not None:
            shutil.rmtree(name, dir_fd=self.fd)
        else:
            shutil.rmtree(self.path / name)


def _is_own_entry(entry: os.DirEntry[str]) -> bool:
    if entry.is_symlink():
        return False
    if entry.is_dir(follow_symlinks=False):
        return is_own(entry.name, folder=True)
    return is_own(entry.name)


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _links(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.is_symlink())
    except OSError:
        return []


def _refused(why: str) -> str:
    return f"{why}; readmark never deletes through a link, so it leaves the damaged index as it is"
