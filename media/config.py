"""The `[player]` table of the configuration file: which mpv to run and how to follow it.

```toml
[player]
mpv = "mpv"                  # the program, or its full path
socket = "/tmp/mpv.sock"     # attach to an mpv already running (e.g. forwarded over ssh -R)
video = false                # show the video window for video files
extra_args = ["--ao=pulse"]  # more mpv options, appended to readmark's own
capture_back = 2             # h/a/d/y while following take the sentence this many seconds back
resume_back = 3              # after a note, playback resumes this many seconds earlier
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from readmark.annotations.config import ConfigError, config_path, load_config

DEFAULT_CAPTURE_BACK = 2.0
"""A reader presses a key a moment after hearing the words: this is the moment looked back."""
DEFAULT_RESUME_BACK = 3.0
"""After writing a note, a few seconds of repeat bring the listener back into the sentence."""


@dataclass(frozen=True, slots=True)
class PlayerConfig:
    mpv: str = "mpv"
    """The mpv program: a name looked up on PATH, or a full path."""
    socket: Path | None = None
    """An mpv IPC socket to attach to instead of starting mpv."""
    video: bool = False
    """Show video; off by default so a video file plays as audio beside the terminal."""
    extra_args: tuple[str, ...] = ()
    """More mpv options, after readmark's own (so they can override them)."""
    capture_back: float = DEFAULT_CAPTURE_BACK
    """Seconds: while following, annotation keys act on the sentence said this long ago."""
    resume_back: float = DEFAULT_RESUME_BACK
    """Seconds: closing a note editor resumes playback this much earlier than it paused."""


def load_player_config(path: Path | None = None) -> PlayerConfig:
    """The `[player]` table of the configuration file, checked; defaults when absent.

    Raises `ConfigError` naming the file and the key for a value of the wrong kind.
    """
    where = config_path() if path is None else path
    table = load_config(where).get("player", {})
    if not isinstance(table, dict):
        raise ConfigError(f"In {where}, `player` must be a table ([player]).")
    return player_config_from(table, where)


def player_config_from(table: dict[str, object], where: Path | str = "the config") -> PlayerConfig:
    """A `PlayerConfig` from a parsed `[player]` table; `where` names it in error messages."""
    known = {"mpv", "socket", "video", "extra_args", "capture_back", "resume_back"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"In {where}, [player] has no setting {unknown[0]!r} "
            f"(known: {', '.join(sorted(known))})."
        )
    mpv = table.get("mpv", "mpv")
    if not isinstance(mpv, str) or not mpv.strip():
        raise ConfigError(f'In {where}, `player.mpv` must be a program name or path, e.g. "mpv".')
    socket = table.get("socket")
    if socket is not None and (not isinstance(socket, str) or not socket.strip()):
        raise ConfigError(
            f'In {where}, `player.socket` must be a path, e.g. "/tmp/mpv.sock", or left out.'
        )
    video = table.get("video", False)
    if not isinstance(video, bool):
        raise ConfigError(f"In {where}, `player.video` must be true or false.")
    extra = table.get("extra_args", [])
    if not isinstance(extra, list) or not all(isinstance(arg, str) for arg in extra):
        raise ConfigError(
            f'In {where}, `player.extra_args` must be a list of strings, e.g. ["--ao=pulse"].'
        )
    return PlayerConfig(
        mpv=mpv.strip(),
        socket=Path(socket.strip()).expanduser() if isinstance(socket, str) else None,
        video=video,
        extra_args=tuple(extra),
        capture_back=_seconds(table, "capture_back", DEFAULT_CAPTURE_BACK, where),
        resume_back=_seconds(table, "resume_back", DEFAULT_RESUME_BACK, where),
    )


def _seconds(table: dict[str, object], key: str, default: float, where: Path | str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"In {where}, `player.{key}` must be a number of seconds, e.g. 2.")
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(f"In {where}, `player.{key}` must be 0 or more seconds.")
    return seconds
