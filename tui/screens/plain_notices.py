"""Screens whose notifications quote file names, annotations and errors: shown as text."""

from __future__ import annotations

from typing import TypeVar

from readmark.library.safe_text import printable
from textual.notifications import SeverityLevel
from textual.screen import Screen

ResultType = TypeVar("ResultType")


class PlainNoticeScreen(Screen[ResultType]):
    """A screen whose every notification is plain text: `[b]` in a file name stays `[b]`, and
    control characters are made visible."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )
