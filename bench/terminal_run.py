"""Run a terminal program in a pseudo-terminal and time it until given text is on screen.

The benches that compare readmark with a peer program (toolong) time both the same way: from
spawn until the words appear in what the program writes, escape sequences taken out.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path

ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]"  # CSI: styles, cursor moves, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, links
    rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


def seconds_until_text(
    command: Sequence[str],
    words: str,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    size: tuple[int, int] = (120, 36),
    timeout: float = 120.0,
) -> float:
    """Seconds from spawning `command` in a terminal of `size` (columns, rows) until `words`
    stand in its output; the program is stopped then. Raises TimeoutError past `timeout`."""
    leader, follower = pty.openpty()
    columns, rows = size
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {**(env or os.environ), "TERM": "xterm-256color", "COLUMNS": str(columns)}
    environment["LINES"] = str(rows)
    began = time.monotonic()
    process = subprocess.Popen(
        list(command),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(follower)
    wanted = words.encode("utf-8")
    seen = b""
    try:
        while True:
            left = timeout - (time.monotonic() - began)
            if left <= 0:
                raise TimeoutError(f"{words!r} never appeared on {command[0]}'s screen")
            ready, _, _ = select.select([leader], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the program ended
                raise TimeoutError(f"{command[0]} ended before {words!r} appeared") from None
            if not chunk:
                continue
            seen = (seen + chunk)[-400_000:]
            if wanted in ESCAPES.sub(b"", seen):
                return time.monotonic() - began
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(leader)
