"""Over SSH, an mpv started by readmark plays on the remote machine, out of the reader's ears."""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping

from readmark.media.config import PlayerConfig

SSH_VARIABLES = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
"""Set by sshd in a remote login's environment."""


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    """True when readmark runs in an SSH login."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in SSH_VARIABLES)


def remote_audio_notice(
    config: PlayerConfig, environ: Mapping[str, str] | None = None
) -> str | None:
    """What to tell a reader over SSH before the first play; None when the sound is theirs
    (not over SSH, or `[player] socket` already points at an mpv of their choosing)."""
    if config.socket is not None or not over_ssh(environ):
        return None
    host = socket.gethostname() or "the remote machine"
    return (
        f"The audio plays on {host}, where readmark runs, not on your computer. To hear it, "
        "run `mpv --idle --input-ipc-server=/tmp/mpv.sock` on your computer, connect with "
        f"`ssh -R /tmp/readmark-mpv.sock:/tmp/mpv.sock {host}`, and set [player] socket = "
        '"/tmp/readmark-mpv.sock" (the media must be a URL or a file your computer has).'
    )
