"""Starting an mpv of readmark's own, reading why it stopped, and making sure it goes away."""

from __future__ import annotations

import functools
import re
import shutil
import socket
import subprocess
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path

from readmark.media.errors import MpvNotInstalled

QUIT_GRACE = 2.0
"""Seconds mpv has to quit when asked before it is killed."""
LOG_TAIL_BYTES = 64 * 1024
"""How much of the end of mpv's log is searched for its last error."""
_LOG_LINE = re.compile(r"^\[\s*[\d.]+\]\[([a-z])\]\[([^\]]*)\]\s?(.*)$")
"""`[   0.019][e][file] Cannot open file 'x': No such file or directory`"""
_ERROR_LEVELS = ("f", "e")
LIFELINE_SINCE = (0, 33)
"""The first mpv with `--input-ipc-client`, which quits when that connection closes."""
_VERSION = re.compile(r"\bmpv v?(\d+)\.(\d+)")


def mpv_arguments(
    program: str,
    location: str,
    socket: Path,
    log_file: Path,
    *,
    video: bool,
    extra_args: Sequence[str] = (),
    lifeline: int | None = None,
) -> list[str]:
    """The command line that starts mpv paused, silent on the terminal, listening on `socket`;
    `lifeline` is a descriptor of a connection whose end (readmark gone) makes mpv quit."""
    arguments = [
        program,
        "--no-config",
        "--no-terminal",
        "--pause",
        "--keep-open=yes",
        "--idle=once",
        f"--input-ipc-server={socket}",
        f"--log-file={log_file}",
    ]
    if lifeline is not None:
        arguments.append(f"--input-ipc-client=fd://{lifeline}")
    if not video:
        arguments.append("--no-video")
    arguments.extend(extra_args)
    # `--` ends the options, so a file named like an option is still played as a file.
    arguments.extend(["--", location])
    return arguments


class MpvProcess:
    """An mpv started by readmark in a private folder (0o700) holding its socket and log.

    The process is ended and the folder removed by `stop`, or at the latest when the
    interpreter exits or this object is collected.
    """

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        folder: Path,
        lifeline: socket.socket | None = None,
    ) -> None:
        self.process = process
        self.folder = folder
        self.lifeline = lifeline
        """readmark's end of a connection mpv quits on losing: should readmark be killed,
        the system closes it, and mpv goes too."""
        self._reaper = weakref.finalize(self, _reap, process, str(folder), QUIT_GRACE, lifeline)

    @classmethod
    def start(
        cls, program: str, location: str, *, video: bool, extra_args: Sequence[str] = ()
    ) -> MpvProcess:
        """Start mpv on `location`; `MpvNotInstalled` when `program` cannot be run."""
        executable = shutil.which(program)
        if executable is None:
            where = "no program file at that path" if "/" in program else "not found on PATH"
            raise MpvNotInstalled(program, where)
        # mkdtemp makes the folder readable by its owner only, so no one else can drive mpv.
        folder = Path(tempfile.mkdtemp(prefix="readmark-mpv-"))
        ours, theirs = _lifeline() if has_lifeline(executable) else (None, None)
        arguments = mpv_arguments(
            executable,
            location,
            folder / "ipc",
            folder / "mpv.log",
            video=video,
            extra_args=extra_args,
            lifeline=theirs.fileno() if theirs is not None else None,
        )
        try:
            # Audio libraries write to stderr, which would draw over the terminal interface.
            process = subprocess.Popen(
                arguments,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),) if theirs is not None else (),
            )
        except OSError as error:
            shutil.rmtree(folder, ignore_errors=True)
            if ours is not None:
                ours.close()
            raise MpvNotInstalled(program, error.strerror or str(error)) from error
        finally:
            if theirs is not None:
                theirs.close()  # mpv holds it now
        return cls(process, folder, ours)

    @property
    def socket(self) -> Path:
        return self.folder / "ipc"

    @property
    def log_file(self) -> Path:
        return self.folder / "mpv.log"

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def exit_code(self) -> int | None:
        """None while mpv runs."""
        return self.process.poll()

    def last_error(self) -> str | None:
        """mpv's last error line in its log, without the time and level marks."""
        return last_error_line(self.log_file)

    def stop_reason(self) -> str:
        """Why mpv stopped, in a sentence for the user."""
        error = self.last_error()
        code = self.exit_code
        if code is not None and code < 0:
            # Ended from outside (killed, or a crash): an error it logged before may be stale.
            said = (
                f"; the last error it logged: {_sentence(error)}"
                if error
                else " without saying why."
            )
            return f"mpv was ended by signal {-code}{said}"
        if error:
            return f"mpv stopped: {_sentence(error)}"
        if code is not None and not self.log_file.exists():
            # mpv opens its log only after reading its options.
            return (
                f"mpv stopped at once (exit status {code}): perhaps an option it does not "
                "know in [player] extra_args."
            )
        if code is not None:
            return f"mpv stopped (exit status {code}) without saying why."
        return "mpv closed the connection without saying why."

    def kill(self) -> None:
        """End mpv now and remove its folder; waits for the process to be gone."""
        self._reaper.detach()
        _reap(self.process, str(self.folder), 0.0, self.lifeline)

    def cleanup(self) -> None:
        """After mpv has exited: remove its folder (ending mpv first if it has not)."""
        self._reaper()


def _sentence(text: str) -> str:
    """mpv's words as a sentence, so what follows them reads apart."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def last_error_line(log_file: Path) -> str | None:
    """The last error (or fatal) message in an mpv log file; None when there is none."""
    try:
        with log_file.open("rb") as file:
            file.seek(0, 2)
            size = file.tell()
            file.seek(max(size - LOG_TAIL_BYTES, 0))
            tail = file.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    for line in reversed(tail.splitlines()):
        match = _LOG_LINE.match(line)
        if match and match.group(1) in _ERROR_LEVELS and match.group(3).strip():
            return match.group(3).strip()
    return None


def has_lifeline(executable: str) -> bool:
    """Whether this mpv takes `--input-ipc-client` (0.33 and later); asked once per program."""
    return _version_of(executable) >= LIFELINE_SINCE


@functools.cache
def _version_of(executable: str) -> tuple[int, int]:
    try:
        done = subprocess.run(
            [executable, "--no-config", "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return (0, 0)
    match = _VERSION.search(done.stdout.decode("utf-8", errors="replace"))
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _lifeline() -> tuple[socket.socket, socket.socket]:
    """A connected pair: readmark keeps one end, mpv gets the other as an IPC client."""
    ours, theirs = socket.socketpair()
    # Nothing is read on readmark's end: ask mpv to send no events there, or they would pile up.
    ours.sendall(b'{"command": ["disable_event", "all"]}\n')
    theirs.set_inheritable(True)
    return ours, theirs


def _reap(
    process: subprocess.Popen[bytes],
    folder: str,
    grace: float,
    lifeline: socket.socket | None = None,
) -> None:
    """Terminate (mpv quits cleanly on SIGTERM), kill after `grace` seconds, remove the folder.

    Also runs at interpreter exit, when no event loop is left to ask mpv politely.
    """
    try:
        if process.poll() is None:
            if grace > 0:
                process.terminate()
                try:
                    process.wait(grace)
                except subprocess.TimeoutExpired:
                    process.kill()
            else:
                process.kill()
            process.wait()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if lifeline is not None:
            lifeline.close()
