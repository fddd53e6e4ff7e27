"""What the reader tells about annotation files that need the user: each file once a session.

Conflict copies a sync tool left, files that cannot be read and notes holding git's conflict
markers are skipped when annotations load; `readmark check` lists them all. The reader says so
too, once per file, so a note that will not load is never a silent gap in the sidebar.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from readmark.annotations.model import LoadProblem

GROUP_AFTER = 3
"""More new problems than this at once make one message, not one each."""


class ProblemNotices:
    """Remembers which files were told about, and words the messages for the new ones."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self._told: set[str] = set()

    def mark_told(self, paths: Iterable[Path | str]) -> None:
        """Files the user already heard about another way (a copy this reader made itself)."""
        self._told.update(str(path) for path in paths)

    def messages(self, problems: Iterable[LoadProblem]) -> list[str]:
        """One sentence per file not told about yet (or one for all when there are many)."""
        new = [p for p in dict((p.path, p) for p in problems).values() if p.path not in self._told]
        self._told.update(p.path for p in new)
        if len(new) > GROUP_AFTER:
            first = new[0]
            return [
                f"{len(new)} annotation files need you (conflict copies or files that cannot "
                f"be read); `readmark check` lists them all. First: {self._name(first.path)}: "
                f"{first.reason}"
            ]
        return [f"Annotation file {self._name(p.path)}: {p.reason}" for p in new]

    def _name(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.vault).as_posix()
        except ValueError:
            return path
