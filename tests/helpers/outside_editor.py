"""Edits annotation notes the way an editor or a sync tool does, while readmark runs.

Usage: outside_editor.py <vault> <seconds>

Edits every annotation file under the vault's .readmark/annotations/ once, in a random order
spread over <seconds>: reads it, sets its last line (the note) to `edited elsewhere`, writes a
temporary file and renames it over the note, then prints the file's name. Prints `up` first
and `done` last. It takes no lock and knows nothing of readmark: it is another program.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

NOTE = "edited elsewhere"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.rstrip("\n").rpartition("\n")
    temp = path.with_name(f".outside-editor-{path.name}")
    temp.write_text(f"{head}\n{NOTE}\n", encoding="utf-8")
    os.replace(temp, path)


def main() -> None:
    vault, seconds = Path(sys.argv[1]), float(sys.argv[2])
    # Hidden names are readmark's own files in the middle of a write, not notes.
    notes = (vault / ".readmark" / "annotations").rglob("*.md")
    files = sorted(path for path in notes if not path.name.startswith("."))
    random.shuffle(files)
    say("up")
    began = time.monotonic()
    for number, path in enumerate(files):
        time.sleep(max(0.0, began + seconds * number / len(files) - time.monotonic()))
        edit(path)
        say(path.name)
    say("done")


if __name__ == "__main__":
    main()
