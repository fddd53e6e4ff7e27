"""Works on a vault the way a running readmark does, for the fault tests to kill or race.

Usage: vault_worker.py <vault> reindex            rebuild the index again and again until killed
       vault_worker.py <vault> annotate <tag> <n> save n notes on every source in turn, searching
                                                  after each save, printing each new id
       vault_worker.py <vault> lock               take the index's write lock and wait to be killed

Each mode prints `up` once it has started its work.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def reindex(vault: Path) -> None:
    say("up")
    while True:
        with Workspace(vault) as workspace:
            workspace.reindex()
        say("reindexed")


def annotate(vault: Path, tag: str, count: int) -> None:
    with Workspace(vault) as workspace:
        sources = sorted(workspace.source_files())
        say("up")
        for number in range(count):
            source = sources[number % len(sources)]
            made = workspace.annotate(
                source, "the same old words", Kind.NOTE, note=f"{tag} number {number}"
            )
            workspace.search(tag)
            say(made.id)


def lock(vault: Path) -> None:
    from readmark.annotations.index import SearchIndex

    index = SearchIndex(vault)
    writer = index._ix.writer()  # held until this process dies
    say("up")
    time.sleep(600)
    writer.cancel()


def main() -> None:
    vault, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "reindex":
        reindex(vault)
    elif mode == "annotate":
        annotate(vault, sys.argv[3], int(sys.argv[4]))
    else:
        lock(vault)


if __name__ == "__main__":
    main()
