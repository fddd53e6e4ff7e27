"""The index catching up after a quick search, in a process of its own.

`readmark search` answers from the folders' stamps (see `index_plan`): a file another program
rewrote in place moves no stamp. Once the answer is printed, a low-priority process stats every
annotation file and indexes those that changed, so the next search finds them, while the
command itself has already returned; then it merges the index's small segments, so the next
search opens fewer.

At most one such process runs and one waits: a search that finds one waiting starts none (the
waiting one runs after the running one, so it sees every change made until it starts).

    python -m readmark.annotations.index_catch_up VAULT
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

QUEUED = "catch-up.queued"
"""Held by the process waiting to run (or about to)."""
RUNNING = "catch-up.running"
"""Held by the process catching up."""
LOCK_FILES = (QUEUED, RUNNING)
NICENESS = 10
"""How far the process steps back for the user's own work."""
LOCK_WAIT = 2.0
"""Seconds the catch-up waits for another readmark's index write before leaving it for later."""


def start(vault: Path, index_folder: Path) -> subprocess.Popen[bytes] | None:
    """Start a catch-up of the vault's index unless one is already waiting; None then."""
    if not sys.executable or _held(index_folder / QUEUED):
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-m", __name__, os.fspath(vault)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not stopped by the terminal's ctrl+c, nor its closing
        )
    except OSError:
        return None  # the next search, `check` or the reader catches up all the same


def catch_up(vault: Path) -> None:
    """Stat every annotation file and index what changed; silent, as nobody waits for it."""
    from readmark.annotations.workspace import Workspace
    from readmark.library.layout import VaultLayout

    folder = VaultLayout(vault).index
    queued = _lock(folder / QUEUED, wait=False)
    if queued is None:
        return  # another is waiting, and will see what this one would
    running = _lock(folder / RUNNING, wait=True)
    queued.close()
    try:
        with Workspace(vault) as workspace:
            workspace.sync_index(lock_timeout=LOCK_WAIT)
            workspace.index.tidy(timeout=LOCK_WAIT)
    except Exception:  # noqa: BLE001, S110 - derived data: the next search or check catches up
        pass
    finally:
        if running is not None:
            running.close()


def _lock(path: Path, *, wait: bool) -> IO[bytes] | None:
    """An open file holding an exclusive lock on `path`; None when another holds it (and
    `wait` is False) or it cannot be taken at all."""
    try:
        import fcntl
    except ImportError:
        return None if not wait else open(os.devnull, "rb")  # noqa: SIM115 - no locks here
    try:
        file = open(path, "ab")  # noqa: SIM115 - held open for as long as the lock
    except OSError:
        return None
    try:
        fcntl.flock(file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        file.close()
        return None
    return file


def _held(path: Path) -> bool:
    """Whether another process holds the lock on `path` right now."""
    if not path.exists():
        return False
    taken = _lock(path, wait=False)
    if taken is None:
        return True
    taken.close()
    return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m readmark.annotations.index_catch_up VAULT\n")
        return 2
    with contextlib.suppress(OSError, AttributeError):
        os.nice(NICENESS)
    catch_up(Path(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
