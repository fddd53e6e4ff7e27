"""Processes around mpv for tests: a program that starts mpv and is then killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

KILLED_SCRIPT = """
import asyncio, os, signal, sys
from readmark.media.config import PlayerConfig
from readmark.media.lookup import MediaOrigin, MediaTarget
from readmark.media.player import Player

async def main():
    media = MediaTarget(sys.argv[1], MediaOrigin.BESIDE)
    player = await Player.launch(media, PlayerConfig(mpv=sys.argv[2], extra_args=("--ao=null",)))
    await player.play()
    print(player.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no finalizer, no atexit: only the system cleans up

asyncio.run(main())
"""


def run_and_kill(media: str, program: str) -> int:
    """Run a program that starts mpv on `media` and is then killed; returns mpv's pid."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SCRIPT, media, program],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return int(done.stdout.strip())


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False
