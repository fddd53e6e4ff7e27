"""Saves annotations into a vault, printing `<id> <version>` after each save returns.

Usage: store_writer.py <vault> loop <seed>     rewrite and add annotations until killed
       store_writer.py <vault> count <n>       add n new annotations, then exit
       store_writer.py <vault> append <tag> <n>
                                               add n lines to the note of annotation
                                               `shared`, each over the version it read

Run by the crash tests, which kill it at random moments.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
    new_annotation_id,
)
from readmark.annotations.store import AnnotationStore, ChangedOnDiskError

SOURCE = "talks/crash-course.vtt"


def note_for(version: int) -> str:
    """Longer at every version, so a torn or stale file is easy to spot."""
    return f"version {version}\n\n" + "a longer thought, " * (version * 40)


def version_of(note: str) -> int:
    return int(note.split("\n", 1)[0].removeprefix("version "))


def annotation(annotation_id: str, version: int) -> Annotation:
    return Annotation(
        id=annotation_id,
        source=SOURCE,
        kind=Kind.NOTE,
        anchor=Anchor(TextQuoteSelector("a quoted line"), TextPositionSelector(0, 13), "beef"),
        note=note_for(version),
    )


def report(annotation_id: str, version: int) -> None:
    sys.stdout.write(f"{annotation_id} {version}\n")
    sys.stdout.flush()


def loop(store: AnnotationStore, seed: int) -> None:
    rng = random.Random(seed)
    versions = {a.id: version_of(a.note) for a in store.load_all().annotations}
    while True:
        if versions and rng.random() < 0.6:
            annotation_id = rng.choice(sorted(versions))
            version = versions[annotation_id] + 1
        else:
            annotation_id, version = new_annotation_id(), 0
        store.save(annotation(annotation_id, version))
        versions[annotation_id] = version
        report(annotation_id, version)


def count(store: AnnotationStore, total: int) -> None:
    for _ in range(total):
        annotation_id = new_annotation_id()
        store.save(annotation(annotation_id, 0))
        report(annotation_id, 0)


def append(store: AnnotationStore, tag: str, total: int) -> None:
    """Read, add a line, save over what was read; when another writer came first, read again.

    Prints `up`, starts when the vault holds a file named `go`, and ends with `retried <n>`."""
    sys.stdout.write("up\n")
    sys.stdout.flush()
    while not (store.vault / "go").exists():
        time.sleep(0.001)
    retried = 0
    for number in range(total):
        while True:
            shared, version = store.read("shared")
            added = replace(shared, note=f"{shared.note}\n{tag} {number}".strip())
            try:
                store.write(added, version)
            except ChangedOnDiskError:
                retried += 1
                continue
            break
        report(tag, number)
    sys.stdout.write(f"retried {retried}\n")


def main() -> None:
    vault, mode = Path(sys.argv[1]), sys.argv[2]
    store = AnnotationStore(vault)
    if mode == "loop":
        loop(store, int(sys.argv[3]))
    elif mode == "append":
        append(store, sys.argv[3], int(sys.argv[4]))
    else:
        count(store, int(sys.argv[3]))


if __name__ == "__main__":
    main()
