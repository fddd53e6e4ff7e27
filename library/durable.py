"""Crash-safe file writes and moves: after a crash a file is either the old one or the new one.

The recipe: write a temporary file in the same folder, flush and fsync it, `os.replace` it over
the target, then fsync the folder so the rename itself survives a power cut.

A write can also compare first (`unchanged`): the file must still be the version the caller
read, else nothing is replaced and `FileChangedError` hands back what is there now. The check
runs under a lock on the folder (so two readmark processes take turns) right before the new
file takes the old one's place. Where the system can swap two names atomically (Linux'
`renameat2(RENAME_EXCHANGE)`), the old file is swapped out rather than unlinked and checked
again after the swap, so even a program that does not take the lock never loses a version it
wrote in between: it is put back. Elsewhere the window is the few microseconds between the
check and the rename.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the checks still run
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".tmp-"
"""Temporary files start with this; folder scans skip them and `remove_temp_files` clears them."""

_ATTEMPTS = 3

_NO_DIR_FSYNC = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR}
"""Errors from filesystems that cannot fsync a folder; there is nothing more to make durable."""

_NO_LINK = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}
"""Errors from filesystems without hard links (FAT, some network and FUSE ones)."""

_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
"""Errors from kernels or filesystems that cannot swap two names."""

Unchanged = Callable[[bytes | None], bool]
"""Says whether the bytes now in a file (None: there is no file) are the version expected."""


class FileChangedError(Exception):
    """The file is not the version the caller read: nothing was replaced.

    `current` is what the file holds now (None when it is gone); `kept` names a copy made of a
    version that arrived in the very instant of the swap, if there was one.
    """

    def __init__(self, path: Path, current: bytes | None, kept: Path | None = None) -> None:
        super().__init__(f"{path} changed on disk")
        self.path = path
        self.current = current
        self.kept = kept


class NotDurableError(OSError):
    """The new file is in place and readable, but fsyncing its folder afterwards failed, so the
    rename may not survive a power cut. Raised only after the write itself succeeded."""


@dataclass(frozen=True, slots=True)
class Written:
    """The file a write left in place: its size and modification time (a folder listing's
    stamp of it, known without a second look)."""

    size: int
    mtime_ns: int


def write_atomic(path: Path, data: bytes, *, unchanged: Unchanged | None = None) -> Written:
    """Replace `path` with `data` durably; raise `OSError` and leave `path` untouched on failure.

    With `unchanged`, the file is replaced only while `unchanged(bytes on disk)` holds, checked
    under the folder's lock right before the rename (a missing file is `None`, and is created
    without ever replacing a file that appears meanwhile); else `FileChangedError`.
    `NotDurableError` means the file was written but the folder fsync after it failed.
    The temporary file is removed when anything fails, so a full disk leaves no litter behind.
    """
    for attempt in range(_ATTEMPTS):
        try:
            return _write_via_temp(path, data, unchanged)
        except FileNotFoundError:
            # A concurrent clean-up may remove our temporary file; a missing folder fails again.
            if attempt == _ATTEMPTS - 1 or not path.parent.is_dir():
                raise
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _write_via_temp(path: Path, data: bytes, unchanged: Unchanged | None) -> Written:
    folder = path.parent
    temp = folder / f"{TEMP_PREFIX}{os.urandom(6).hex()}-{path.name}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            info = os.fstat(fd)
        finally:
            os.close(fd)
        with _folder(folder, lock=unchanged is not None) as handle:
            if unchanged is None:
                os.replace(temp, path)
            else:
                _put_in_place(temp, path, data, unchanged)
            handle.sync(path)
    except BaseException:
        _remove_quietly(temp)
        raise
    return Written(info.st_size, info.st_mtime_ns)


def _put_in_place(temp: Path, path: Path, data: bytes, unchanged: Unchanged) -> None:
    """Move `temp` to `path` if `path` holds what `unchanged` accepts; never lose a version."""
    current = read_or_none(path)
    if not unchanged(current):
        raise FileChangedError(path, current)
    if current is None:
        if not _link_new(temp, path):
            os.replace(temp, path)  # no hard links here: the check above is the guard
        return
    try:
        swapped = _exchange(temp, path)
    except FileNotFoundError:
        if not os.path.lexists(temp):
            raise  # a concurrent clean-up took the temporary file: it is written again
        if not unchanged(None):  # `path` was removed in between
            raise FileChangedError(path, read_or_none(path)) from None
        if not _link_new(temp, path):
            os.replace(temp, path)
        return
    if not swapped:
        os.replace(temp, path)
        return
    displaced = read_or_none(temp)
    if unchanged(displaced):
        _remove_quietly(temp)  # the version we replaced
        return
    # Another program wrote its version in the instant between the check and the swap: it is
    # at `temp` now. Put it back, and keep whatever that swap brings out, unless it is ours.
    _exchange(temp, path)
    back = read_or_none(temp)
    kept = None
    if back is not None and back != data:
        kept = keep_beside(temp, path)
    _remove_quietly(temp)
    raise FileChangedError(path, read_or_none(path), kept)


def _link_new(temp: Path, path: Path) -> bool:
    """Give `temp`'s file the name `path`, never replacing a file; False without hard links."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise FileChangedError(path, read_or_none(path)) from None
    except OSError as error:
        if error.errno in _NO_LINK:
            return False
        raise
    _remove_quietly(temp)
    return True


def read_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no file."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def keep_beside(file: Path, original: Path) -> Path:
    """Move `file` next to `original` under a conflict-copy name (never replacing one)."""
    for name in conflict_copy_names(original):
        target = original.with_name(name)
        try:
            move_durably(file, target, replace=False)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(errno.EEXIST, "no free conflict-copy name", str(original))


def conflict_copy_names(original: Path) -> Iterator[str]:
    """`<stem> (conflicted copy 2026-11-23 101500).md`, then the same with ` 2`, ` 3`, ...: the
    shape sync tools give the second version of a file, starting with the original's stem."""
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    yield f"{original.stem} (conflicted copy {stamp}){original.suffix}"
    for number in range(2, 1000):
        yield f"{original.stem} (conflicted copy {stamp} {number}){original.suffix}"


def take_out(path: Path, aside: Path, unchanged: Unchanged) -> None:
    """Move `path` to `aside` (a free name on the same disk) if it is the expected version.

    The file is moved first and checked after, so a version written in between is never
    removed unseen: when it is not the expected one it goes back (or, if `path` was written
    yet again, stays beside it as a conflict copy) and `FileChangedError` says what is there.
    """
    with _folder(path.parent, lock=True) as handle:
        if not unchanged(read_or_none(path)):
            raise FileChangedError(path, read_or_none(path))
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            raise FileChangedError(path, None) from None
        taken = read_or_none(aside)
        if not unchanged(taken):
            kept = None
            try:
                move_durably(aside, path, replace=False)
            except FileExistsError:
                kept = keep_beside(aside, path)
            raise FileChangedError(path, read_or_none(path), kept)
        handle.sync(path)
    if aside.parent != path.parent:
        fsync_dir(aside.parent)


def move_durably(source: Path, target: Path, *, replace: bool = True) -> None:
    """Move a file, durably; with `replace=False` an existing `target` is never replaced
    (`FileExistsError`)."""
    if not replace:
        _move_new(source, target)
        return
    """Move a file to another folder, replacing `target`, durably."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        # Another filesystem (a symlinked folder): copy durably, then remove the original.
        write_atomic(target, source.read_bytes())
        remove_durably(source)
        return
    fsync_dir(target.parent)
    if source.parent != target.parent:
        fsync_dir(source.parent)


def _move_new(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in _NO_LINK:
            raise
        if error.errno == errno.EXDEV:
            data = source.read_bytes()
            try:
                write_atomic(target, data, unchanged=lambda now: now is None)
            except FileChangedError:
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            remove_durably(source)
            return
        with _folder(target.parent, lock=True):
            if os.path.lexists(target):
                raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
            os.replace(source, target)
    else:
        source.unlink()
    fsync_dir(target.parent)
    if source.parent != target.parent:
        fsync_dir(source.parent)


def remove_durably(path: Path) -> None:
    """Delete a file and make the deletion survive a crash."""
    path.unlink()
    fsync_dir(path.parent)


def ensure_dir(folder: Path) -> None:
    """Create `folder` and any missing parents, fsyncing each parent so the new entries persist."""
    if folder.is_dir():
        return
    ensure_dir(folder.parent)
    try:
        folder.mkdir()
    except FileExistsError:
        # Another process created it first; that is just as good.
        if not folder.is_dir():
            raise
        return
    fsync_dir(folder.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (new, renamed or removed names) to disk."""
    with _folder(folder, lock=False) as handle:
        handle.sync(folder, plain=True)


class _Folder:
    """An open folder: locked for readmark's other processes while a write compares, then
    fsynced so a rename in it survives a power cut."""

    __slots__ = ("fd",)

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def sync(self, path: Path, *, plain: bool = False) -> None:
        """fsync the folder; after a rename that failed, `NotDurableError` (unless `plain`)."""
        if self.fd is None:
            return
        try:
            os.fsync(self.fd)
        except OSError as error:
            if error.errno in _NO_DIR_FSYNC:
                return
            if plain:
                raise
            raise NotDurableError(error.errno, error.strerror, str(path)) from error


@contextmanager
def _folder(folder: Path, *, lock: bool) -> Iterator[_Folder]:
    if os.name == "nt":
        # Windows cannot open folders as files; NTFS journals renames itself.
        yield _Folder(None)
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        if error.errno in _NO_DIR_FSYNC:
            yield _Folder(None)
            return
        raise
    held: set[Path] = _locks.__dict__.setdefault("held", set())
    # A second lock on the folder from this thread would wait for itself.
    locking = lock and fcntl is not None and folder not in held
    try:
        if locking:
            locking = _lock(fd)
            if locking:
                held.add(folder)
        yield _Folder(fd)
    finally:
        if locking:
            held.discard(folder)
        os.close(fd)  # closing releases the lock


_LOCK_WAIT = 2.0
"""Seconds to wait for another readmark's lock on a folder (held for microseconds) before
going on without it: a stopped process must not hang every save."""


def _lock(fd: int) -> bool:
    """Lock an open folder for this process; False when it cannot be had (the compare still
    runs without it)."""
    assert fcntl is not None
    deadline = time.monotonic() + _LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.001)
        except OSError:
            return False  # no locks on this filesystem


_locks = threading.local()
"""The folders this thread holds locked."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    # Imported here, once: listing a vault writes no annotation and need not load ctypes.
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None  # a C library without it (glibc before 2.28, some others)
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes.append(ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def _exchange(first: Path, second: Path) -> bool:
    """Swap the files named `first` and `second` in one step; False where that is not possible."""
    function = _renameat2()
    if function is None:
        return False
    result = function(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_temp_files(folder: Path, *, older_than: float = 0.0) -> list[Path]:
    """Delete the temporary files a crash left directly in `folder`; return what was removed.

    Files modified less than `older_than` seconds ago are kept: another process may be writing them.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed  # missing or unreadable: `load_all` reports an unreadable folder
    cutoff = time.time() - older_than
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or not entry.is_file(follow_symlinks=False):
            continue
        if older_than > 0 and entry.stat(follow_symlinks=False).st_mtime > cutoff:
            continue
        path = Path(entry.path)
        path.unlink(missing_ok=True)
        removed.append(path)
    if removed:
        fsync_dir(folder)
    return sorted(removed)


def describe_os_error(error: OSError) -> tuple[str, str]:
    """What went wrong, and what the user can do about it, in plain words."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full", "Free some space and save again."
    if error.errno == errno.EROFS:
        return "the disk is read-only", "Make the vault writable and save again."
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied", "Make the folder writable for you and save again."
    reason = error.strerror or str(error) or type(error).__name__
    return reason[0].lower() + reason[1:], "Fix the problem and save again."


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        # The write already failed; that error is the one the user needs to see.
        pass
