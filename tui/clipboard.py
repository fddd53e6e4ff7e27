"""Copy text for the user: the system clipboard when there is one, else the terminal (OSC 52).

Over SSH or on a headless machine pyperclip finds no clipboard program; the terminal's OSC 52
escape still reaches the user's own clipboard in most terminals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from readmark.library.safe_text import shorten

SYSTEM = "clipboard"
TERMINAL = "terminal (OSC 52)"
NOWHERE = "nowhere (no clipboard available)"
"""Returned only when both the system clipboard and the terminal failed."""

CopyFunction = Callable[[str], None]


def _pyperclip_copy(text: str) -> None:
    # Finding the clipboard program is work for the first copy, not for start-up.
    import pyperclip

    pyperclip.copy(text)


system_copy: CopyFunction = _pyperclip_copy
"""The system clipboard; tests replace it (see `set_system_copy`) with a fake."""


class SupportsCopy(Protocol):
    """What `copy_text` needs of the app: Textual's OSC 52 copy."""

    def copy_to_clipboard(self, text: str) -> None: ...


def set_system_copy(copy: CopyFunction | None) -> CopyFunction:
    """Install `copy` as the system clipboard (None: pyperclip); returns the old one."""
    global system_copy
    previous = system_copy
    system_copy = _pyperclip_copy if copy is None else copy
    return previous


def copy_text(app: SupportsCopy, text: str) -> str:
    """Copy `text` and say how: `SYSTEM`, `TERMINAL`, or `NOWHERE`; never raises."""
    try:
        system_copy(text)
        return SYSTEM
    except Exception:
        # PyperclipException when no clipboard program exists; anything else is just as fatal.
        pass
    try:
        app.copy_to_clipboard(text)
        return TERMINAL
    except Exception:
        return NOWHERE


def copied_message(how: str, quote: str, target: str, *, quote_chars: int = 60) -> str:
    """A short toast: how it was copied (always whole), the shortened quote, what it cites."""
    if how == NOWHERE:
        return f"Not copied: no clipboard and the terminal refused — “{shorten(quote, 40)}”"
    return f"Copied to the {how}: “{shorten(quote, quote_chars)}” — {shorten(target, 40)}"
