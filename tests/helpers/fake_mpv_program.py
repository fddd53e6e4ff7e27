"""A program that stands in for the mpv executable: it serves the fake IPC socket.

Run as `fake_mpv_program.py [mpv options] -- <media>`; the environment picks how it behaves:

READMARK_FAKE_MPV_MODE   play         duration known at once, time-pos a moment later; quits on
                                      `quit` (the default)
                         hang         answers `quit` but stays, and ignores SIGTERM
                         fail-load    logs mpv's error lines for a missing file and exits 2
                         bad-option   exits 1 at once without a log, as mpv does on a bad option
                         crash-on-play  logs an audio error and dies when playback starts
READMARK_FAKE_MPV_RECORD a file to write {"argv", "pid", "stdio_devnull"} into, as JSON

`--version` prints a version as mpv does; given `--input-ipc-client=fd://N`, it quits when that
connection closes, as mpv does.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fake_mpv import FakeMpv  # noqa: E402

LOAD_DELAY = 0.05
"""mpv reports the duration before time-pos; this leaves a gap between the two."""


def option(argv: list[str], name: str) -> str:
    prefix = f"--{name}="
    return next(arg[len(prefix) :] for arg in argv if arg.startswith(prefix))


def is_devnull(fd: int) -> bool:
    null = os.stat(os.devnull)
    here = os.fstat(fd)
    return (here.st_dev, here.st_ino, here.st_rdev) == (null.st_dev, null.st_ino, null.st_rdev)


def watch_lifeline(argv: list[str], done: asyncio.Future[int]) -> None:
    """Quit (code 0) when the client connection given on the command line ends."""
    prefix = "--input-ipc-client=fd://"
    fd = next((int(arg[len(prefix) :]) for arg in argv if arg.startswith(prefix)), None)
    if fd is None:
        return
    connection = socket.socket(fileno=fd)
    connection.setblocking(False)
    loop = asyncio.get_running_loop()

    def readable() -> None:
        try:
            data = connection.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(fd)
            if not done.done():
                done.set_result(0)

    loop.add_reader(fd, readable)


def log(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write("[   0.004][v][cplayer] fake mpv 0.35.1\n")
        for line in lines:
            file.write(line + "\n")


async def serve(argv: list[str], mode: str) -> int:
    socket = Path(option(argv, "input-ipc-server"))
    log_file = Path(option(argv, "log-file"))
    media = argv[argv.index("--") + 1]
    if mode == "fail-load":
        log(
            log_file,
            f"[   0.019][e][file] Cannot open file '{media}': No such file or directory",
            f"[   0.019][e][stream] Failed to open {media}.",
        )
        return 2
    log(log_file)
    fake = FakeMpv(socket, ready=False, path=media)
    done = asyncio.get_running_loop().create_future()
    if mode == "hang":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        fake.quit_exits = False
    fake.on_quit = lambda: done.done() or done.set_result(0)
    watch_lifeline(argv, done)
    if mode == "crash-on-play":

        def crash() -> None:
            log(log_file, "[   9.500][e][ao/pulse] The audio device went away.")
            os._exit(1)

        fake.on_play = crash
    await fake.start()
    asyncio.get_running_loop().call_later(LOAD_DELAY, fake.become_ready)
    code = await done
    await fake.stop()
    return code


def main() -> int:
    argv = sys.argv[1:]
    if "--version" in argv:
        print("mpv 0.35.1 Copyright (fake)")
        return 0
    mode = os.environ.get("READMARK_FAKE_MPV_MODE", "play")
    record = os.environ.get("READMARK_FAKE_MPV_RECORD")
    if record:
        devnull = all(is_devnull(fd) for fd in (0, 1, 2))
        Path(record).write_text(
            json.dumps({"argv": argv, "pid": os.getpid(), "stdio_devnull": devnull})
        )
    if mode == "bad-option":
        return 1
    return asyncio.run(serve(argv, mode))


if __name__ == "__main__":
    sys.exit(main())
