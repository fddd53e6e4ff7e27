"""What the reader copies to the system clipboard, collected instead of sent."""

from __future__ import annotations

from collections.abc import Callable

from readmark.tui import clipboard


class Copied:
    """`with Copied() as texts:` gathers every text the reader copies, in order."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._previous: Callable[[str], None] | None = None

    def __enter__(self) -> list[str]:
        self._previous = clipboard.set_system_copy(self.texts.append)
        return self.texts

    def __exit__(self, *_: object) -> None:
        clipboard.set_system_copy(self._previous)
