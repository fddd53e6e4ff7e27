"""A small asyncio client for mpv's JSON IPC socket.

mpv speaks one JSON object per line. A command carries a `request_id` that mpv copies into its
reply (`{"request_id": 3, "error": "success", "data": ...}`); events (`{"event": ...}`) arrive
in between at any time. The client matches replies to commands by that id, raises mpv's error
words as `MpvCommandError`, fails every pending command when the connection ends, skips lines
that are not JSON objects, and hands events to subscribers.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from readmark.media.errors import MpvCommandError, MpvDisconnected, PlayerTimeout, SocketUnavailable

COMMAND_TIMEOUT = 5.0
"""Seconds to wait for a reply: mpv answers in well under a millisecond when it is alive."""
LINE_LIMIT = 4 * 1024 * 1024
"""Longest line read; mpv's longest replies (track lists, metadata) stay far below it."""

EventListener = Callable[["MpvEvent"], None]


@dataclass(frozen=True, slots=True)
class MpvEvent:
    """One event mpv sent: `property-change`, `playback-restart`, `end-file`, `shutdown`, ..."""

    name: str
    property: str | None = None
    """For `property-change`: the observed property's name."""
    value: object = None
    """For `property-change`: the new value; None when the property is unavailable."""
    observer_id: int | None = None
    """For `property-change`: the id given to `observe_property`."""
    reason: str | None = None
    """For `end-file`: `eof`, `stop`, `quit`, `error` or `redirect`."""
    file_error: str | None = None
    """For `end-file` with reason `error`: mpv's words for what went wrong."""
    raw: dict[str, object] = field(default_factory=dict, compare=False)
    """The whole message, for fields not given their own attribute."""

    @classmethod
    def from_message(cls, message: dict[str, object]) -> MpvEvent:
        observer = message.get("id")
        return cls(
            name=str(message.get("event")),
            property=_text(message.get("name")),
            value=message.get("data"),
            observer_id=observer if isinstance(observer, int) else None,
            reason=_text(message.get("reason")),
            file_error=_text(message.get("file_error")),
            raw=message,
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


class MpvIpcClient:
    """One connection to an mpv IPC socket. Create it with `await MpvIpcClient.connect(path)`."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._pending: dict[int, asyncio.Future[object]] = {}
        self._sent: dict[int, list[object]] = {}
        self._ids = itertools.count(1)
        self._observer_ids = itertools.count(1)
        self._listeners: list[EventListener] = []
        self._write_lock = asyncio.Lock()
        self._closed = asyncio.Event()
        self._closing = False
        self._reading = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(
        cls, path: str | os.PathLike[str], *, timeout: float = COMMAND_TIMEOUT
    ) -> MpvIpcClient:
        """Connect to the socket at `path`; `SocketUnavailable` says why when nothing answers."""
        where = os.fspath(path)
        if not hasattr(asyncio, "open_unix_connection"):
            raise SocketUnavailable(
                "Playing media needs mpv's Unix socket, which this system lacks: "
                "run readmark on Linux, macOS or in WSL."
            )
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_unix_connection(where, limit=LINE_LIMIT)
        except FileNotFoundError as error:
            raise SocketUnavailable(
                f"No mpv socket at {where}: start mpv with --input-ipc-server={where}, "
                "or point [player] socket at the one it uses."
            ) from error
        except ConnectionRefusedError as error:
            raise SocketUnavailable(
                f"Nothing is listening at {where}: the mpv that made it has quit. "
                "Start it again, or remove [player] socket to let readmark start its own."
            ) from error
        except TimeoutError as error:
            raise SocketUnavailable(f"mpv at {where} did not accept a connection.") from error
        except OSError as error:
            reason = error.strerror or str(error)
            raise SocketUnavailable(f"Cannot connect to mpv at {where}: {reason}.") from error
        return cls(reader, writer)

    @property
    def closed(self) -> bool:
        """True once the connection has ended, for whatever reason."""
        return self._closed.is_set()

    async def wait_closed(self) -> None:
        """Return when the connection ends: mpv quit or crashed, or `close` was called."""
        await self._closed.wait()

    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Call `listener` with every event, on the event loop; returns the unsubscribe call."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    async def command(self, *args: object, timeout: float | None = COMMAND_TIMEOUT) -> object:
        """Run an mpv command (`"seek", 12.5, "absolute"`) and return its `data`.

        Raises `MpvCommandError` with mpv's words when it refuses, `MpvDisconnected` when the
        connection ends first, `PlayerTimeout` when no reply comes within `timeout` seconds.
        """
        if self.closed:
            raise MpvDisconnected("The connection to mpv is closed.")
        request_id = next(self._ids)
        line = json.dumps({"command": list(args), "request_id": request_id}) + "\n"
        reply: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        # A reply failed by the connection's end may find its command already given up (its
        # write failed, or it was cancelled): seen here, asyncio does not report it as lost.
        reply.add_done_callback(_mark_seen)
        self._pending[request_id] = reply
        self._sent[request_id] = list(args)
        try:
            async with self._write_lock:
                self._writer.write(line.encode("utf-8"))
                await self._writer.drain()
        except (ConnectionError, OSError) as error:
            self._forget(request_id)
            raise MpvDisconnected(f"mpv closed the connection ({error}).") from error
        try:
            async with asyncio.timeout(timeout):
                return await reply
        except TimeoutError as error:
            raise PlayerTimeout(
                f"mpv did not answer {args[0]!r} within {timeout:g} s; it may be stuck."
            ) from error
        finally:
            self._forget(request_id)

    def _forget(self, request_id: int) -> None:
        self._pending.pop(request_id, None)
        self._sent.pop(request_id, None)

    async def get_property(self, name: str, *, timeout: float | None = COMMAND_TIMEOUT) -> object:
        return await self.command("get_property", name, timeout=timeout)

    async def set_property(
        self, name: str, value: object, *, timeout: float | None = COMMAND_TIMEOUT
    ) -> None:
        await self.command("set_property", name, value, timeout=timeout)

    async def observe_property(self, name: str) -> int:
        """Ask for a `property-change` event whenever `name` changes; returns the observer id.

        mpv sends one event with the current value at once.
        """
        observer_id = next(self._observer_ids)
        await self.command("observe_property", observer_id, name)
        return observer_id

    async def close(self) -> None:
        """End the connection; pending commands fail with `MpvDisconnected`."""
        self._closing = True
        self._writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self._writer.wait_closed()
        self._reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reading
        self._finish("The connection to mpv was closed.")

    async def _read_loop(self) -> None:
        reason = "mpv closed the connection (it quit or crashed)."
        try:
            while True:
                try:
                    line = await self._reader.readline()
                except ValueError:
                    continue  # a line over LINE_LIMIT: skipped like any unreadable line
                if not line:
                    break
                self._handle(line)
        except (ConnectionError, OSError) as error:
            reason = f"The connection to mpv broke ({error})."
        finally:
            self._finish(reason)

    def _handle(self, line: bytes) -> None:
        message = _parse(line)
        if message is None:
            return
        if "event" in message:
            self._deliver(MpvEvent.from_message(message))
            return
        request_id = message.get("request_id")
        if not isinstance(request_id, int):
            return  # mpv's answer to a line without an id: not one of ours
        reply = self._pending.get(request_id)
        if reply is None or reply.done():
            return  # an answer nobody waits for any more (a command that timed out)
        error = message.get("error")
        if error == "success":
            reply.set_result(message.get("data"))
        else:
            # mpv does not echo the command, so the message names it from what was sent.
            command = self._sent.get(request_id, [])
            reply.set_exception(MpvCommandError(command, str(error)))

    def _deliver(self, event: MpvEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception as error:  # noqa: BLE001 - one bad listener must not stop the rest
                asyncio.get_running_loop().call_exception_handler(
                    {"message": f"mpv event listener failed on {event.name}", "exception": error}
                )

    def _finish(self, reason: str) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        if self._closing:
            reason = "The connection to mpv was closed."
        for reply in self._pending.values():
            if not reply.done():
                reply.set_exception(MpvDisconnected(reason))
        self._pending.clear()
        self._sent.clear()
        if not self._writer.is_closing():
            self._writer.close()


def _mark_seen(reply: asyncio.Future[object]) -> None:
    if not reply.cancelled():
        reply.exception()


def _parse(line: bytes) -> dict[str, Any] | None:
    """The JSON object on `line`, or None for anything else (mpv never sends other values)."""
    # mpv passes file names through as raw bytes, which may not be valid UTF-8.
    text = line.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        message = json.loads(text)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None
