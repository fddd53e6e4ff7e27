"""Crash-safe file writes and moves: after a crash a file is either the old one or the new one.

The recipe: write a temporary file in the same folder, flush and fsync it, `os.replace` it over
the target, then fsync the folder so the rename itself survives a power cut.
"""

from __future__ import annotations

import errno
import os
import secrets
import time
from pathlib import Path

TEMP_PREFIX = ".tmp-"
"""Temporary files start with this; folder scans skip them and `remove_temp_files` clears them."""

_ATTEMPTS = 3

_NO_DIR_FSYNC = {errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EISDIR}
"""Errors from filesystems that cannot fsync a folder; there is nothing more to make durable."""


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` durably; raise `OSError` and leave `path` untouched on failure.

    The temporary file is removed when anything fails, so a full disk leaves no litter behind.
    """
    for attempt in range(_ATTEMPTS):
        try:
            _write_via_temp(path, data)
            return
        except FileNotFoundError:
            # A concurrent clean-up may remove our temporary file; a missing folder fails again.
            if attempt == _ATTEMPTS - 1 or not path.parent.is_dir():
                raise


def _write_via_temp(path: Path, data: bytes) -> None:
    folder = path.parent
    temp = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise
    fsync_dir(folder)


def move_durably(source: Path, target: Path) -> None:
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
    if os.name == "nt":
        # Windows cannot open folders as files; NTFS journals renames itself.
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        if error.errno in _NO_DIR_FSYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _NO_DIR_FSYNC:
            raise
    finally:
        os.close(fd)


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
