"""Errors of the media player, worded for the user who has to act on them."""

from __future__ import annotations

import sys


class PlayerError(Exception):
    """Something stops playback; the message says what happened and what to do."""


class MpvNotInstalled(PlayerError):
    """The mpv program cannot be found or started."""

    def __init__(self, program: str, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"mpv is not installed: readmark plays media with it, and {program!r} "
            f"could not be started{why}. Install it with {install_hint()}, "
            "or set [player] mpv to its full path in the config file."
        )
        self.program = program


class MpvCommandError(PlayerError):
    """mpv answered a command with an error."""

    def __init__(self, command: list[object], error: str) -> None:
        name = command[0] if command else "?"
        super().__init__(f"mpv could not run {name!r}: {error}")
        self.command = command
        self.error = error
        """mpv's own words: `error running command`, `property unavailable`, ..."""


class MpvDisconnected(PlayerError):
    """The connection to mpv ended (mpv quit or crashed) before it answered."""


class PlayerTimeout(PlayerError):
    """mpv did not answer or get ready in time."""


class SocketUnavailable(PlayerError):
    """No mpv can be reached at a socket path."""


class NoMedia(PlayerError):
    """There is nothing to play for a source; the message says where to put it."""


class PlayerStopped(PlayerError):
    """mpv stopped on its own, unasked; the message carries its last error."""


class PlayerClosed(PlayerError):
    """The player was closed (by readmark or in mpv itself); a new one can be started."""


def install_hint(platform: str | None = None) -> str:
    """How to install mpv on this kind of machine, as one phrase."""
    where = sys.platform if platform is None else platform
    if where == "darwin":
        return "`brew install mpv` (Homebrew) or `sudo port install mpv` (MacPorts)"
    if where.startswith("win"):
        return "`winget install mpv` or `scoop install mpv`"
    if where.startswith("freebsd"):
        return "`sudo pkg install mpv`"
    return (
        "`sudo apt install mpv` (Debian, Ubuntu), `sudo dnf install mpv` (Fedora) "
        "or `sudo pacman -S mpv` (Arch)"
    )
