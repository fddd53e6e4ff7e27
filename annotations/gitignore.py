"""The vault's `.readmark/.gitignore`: a vault put under git shares annotations and the trash only.

Written the first time readmark writes into a vault, and never rewritten: a user's own edits
to it stay.
"""

from __future__ import annotations

import os
from pathlib import Path

from readmark.library import durable
from readmark.library.layout import GITIGNORE_TEXT, VaultLayout


def ensure_gitignore(vault: Path) -> None:
    """Write `.readmark/.gitignore` unless it is there (best effort: it only guides git)."""
    path = VaultLayout(vault).gitignore
    if os.path.lexists(path):
        return
    try:
        durable.ensure_dir(path.parent)
        durable.write_atomic(path, GITIGNORE_TEXT.encode("utf-8"))
    except OSError:
        pass  # a full or read-only disk: the annotation write reports that, if it fails too
