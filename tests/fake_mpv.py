"""A stand-in for mpv's JSON IPC socket, with a clock that moves only when the test says so.

It speaks the protocol as mpv 0.35 does: one JSON object a line, replies carrying the
`request_id`, `property-change` events for each connection's observers (one at once on
`observe_property`), `seek` answered with success then `playback-restart`, `end-file` at the
end of the media, and "error running command" for a seek before the file is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

UNAVAILABLE = object()
"""A property that exists but has no value yet (mpv: `property unavailable`)."""


@dataclass
class Connection:
    writer: asyncio.StreamWriter
    observers: dict[int, str] = field(default_factory=dict)

    def send(self, message: dict[str, object]) -> None:
        if not self.writer.is_closing():
            self.writer.write((json.dumps(message) + "\n").encode("utf-8"))

    def send_raw(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)


class FakeMpv:
    """Serve mpv's IPC protocol on `socket_path` for a media file `duration` seconds long."""

    def __init__(
        self,
        socket_path: Path,
        *,
        duration: float = 300.0,
        ready: bool = True,
        path: str | None = "/media/episode.opus",
    ) -> None:
        self.socket_path = socket_path
        self.duration = duration
        self.ready = ready
        """False: the duration is known, but time-pos is not and seeks fail, as mpv loading."""
        self.path = path
        self.position = 0.0
        self.paused = True
        self.eof = False
        self.commands: list[list[object]] = []
        """Every command received, in order."""
        self.connections: list[Connection] = []
        self.holding = False
        """While True, replies are kept back until `release_replies`."""
        self.held: list[tuple[Connection, dict[str, object]]] = []
        self.silent = False
        """While True, commands get no reply at all (a hung mpv)."""
        self.quit_exits = True
        """False: `quit` is answered but nothing happens (a hung mpv)."""
        self.unplayable: set[str] = set()
        """Paths `loadfile` fails on."""
        self.on_quit: Callable[[], None] | None = None
        self.on_play: Callable[[], None] | None = None
        """Called when playback is asked to start, before the answer."""
        self._server: asyncio.AbstractServer | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._received = asyncio.Event()

    async def __aenter__(self) -> FakeMpv:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        self._server = await asyncio.start_unix_server(
            self._serve, path=os.fspath(self.socket_path)
        )

    async def stop(self) -> None:
        """Close the socket and every connection, as mpv does when it exits."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for connection in self.connections:
            connection.writer.close()
        self.connections.clear()
        for task in list(self._handlers):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- what the test does ----------------------------------------------------------------

    @property
    def seeks(self) -> list[list[object]]:
        return [c for c in self.commands if c and c[0] == "seek"]

    def advance(self, seconds: float) -> None:
        """Let `seconds` of playback pass (nothing moves while paused or loading)."""
        if self.paused or not self.ready or self.eof:
            return
        self.position = min(self.position + seconds, self.duration)
        self._changed("time-pos")
        if self.position >= self.duration:
            self.eof = True
            self.paused = True
            self._changed("eof-reached")
            self._changed("pause")
            self.emit({"event": "end-file", "reason": "eof", "playlist_entry_id": 1})

    def become_ready(self) -> None:
        """The file has loaded: time-pos reads from now on."""
        self.ready = True
        self.emit({"event": "file-loaded"})
        self._changed("time-pos")
        self._changed("eof-reached")
        self.emit({"event": "playback-restart"})

    def emit(self, event: dict[str, object]) -> None:
        for connection in list(self.connections):
            connection.send(event)

    def send_raw(self, data: bytes) -> None:
        for connection in list(self.connections):
            connection.send_raw(data)

    def release_replies(self, *, reverse: bool = False) -> None:
        held, self.held = self.held, []
        for connection, reply in reversed(held) if reverse else held:
            connection.send(reply)

    async def wait_for_commands(self, count: int, timeout: float = 5.0) -> None:
        """Wait until `count` commands in all have arrived."""
        async with asyncio.timeout(timeout):
            while len(self.commands) < count:
                self._received.clear()
                await self._received.wait()

    # --- the protocol ----------------------------------------------------------------------

    def property(self, name: str) -> object:
        values: dict[str, object] = {
            "time-pos": self.position if self.ready else UNAVAILABLE,
            "duration": self.duration,
            "pause": self.paused,
            "eof-reached": self.eof if self.ready else UNAVAILABLE,
            "path": self.path if self.path is not None else UNAVAILABLE,
            "keep-open": "yes",
        }
        return values.get(name)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        connection = Connection(writer)
        self.connections.append(connection)
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                except ValueError:
                    connection.send({"error": "invalid parameter"})
                    continue
                self._answer(connection, request)
        except ConnectionError:
            pass
        finally:
            self._handlers.discard(task)
            if connection in self.connections:
                self.connections.remove(connection)
            writer.close()

    def _answer(self, connection: Connection, request: dict[str, object]) -> None:
        command = request.get("command")
        assert isinstance(command, list), request
        self.commands.append(command)
        self._received.set()
        reply: dict[str, object] = {"request_id": request.get("request_id", 0)}
        after: list[Callable[[], None]] = []
        error, data = self._run(connection, command, after)
        reply["error"] = error
        if error == "success" and data is not UNAVAILABLE:
            reply["data"] = data
        if self.silent:
            return
        if self.holding:
            self.held.append((connection, reply))
        else:
            connection.send(reply)
        for effect in after:
            effect()

    def _run(
        self, connection: Connection, command: list[object], after: list[Callable[[], None]]
    ) -> tuple[str, object]:
        name, args = command[0], command[1:]
        if name == "get_property":
            value = self.property(str(args[0]))
            if value is None:
                return "property not found", UNAVAILABLE
            if value is UNAVAILABLE:
                return "property unavailable", UNAVAILABLE
            return "success", value
        if name == "set_property":
            return self._set(str(args[0]), args[1])
        if name == "observe_property":
            observer, prop = int(str(args[0])), str(args[1])
            connection.observers[observer] = prop
            after.append(lambda: self._tell(connection, observer, prop))
            return "success", UNAVAILABLE
        if name == "cycle" and args == ["pause"]:
            return self._set("pause", not self.paused)
        if name == "seek":
            return self._seek(args, after)
        if name == "loadfile":
            after.append(lambda: self._load(str(args[0])))
            return "success", UNAVAILABLE
        if name == "quit":
            if self.quit_exits:
                after.append(self._quit)
            return "success", UNAVAILABLE
        return "invalid parameter", UNAVAILABLE

    def _set(self, name: str, value: object) -> tuple[str, object]:
        if name == "pause" and isinstance(value, bool):
            if value is False and self.on_play is not None:
                self.on_play()
            if value != self.paused:
                self.paused = value
                self._changed("pause")
            return "success", UNAVAILABLE
        if name == "keep-open":
            return "success", UNAVAILABLE
        return "property not found", UNAVAILABLE

    def _seek(self, args: list[object], after: list[Callable[[], None]]) -> tuple[str, object]:
        if not self.ready:
            return "error running command", UNAVAILABLE
        target = float(str(args[0]))
        flags = str(args[1]) if len(args) > 1 else "relative"
        if "absolute" not in flags:
            target += self.position
        self.position = min(max(target, 0.0), self.duration)
        if self.eof and self.position < self.duration:
            self.eof = False
            after.append(lambda: self._changed("eof-reached"))

        def landed() -> None:
            self.emit({"event": "seek"})
            self._changed("time-pos")
            self.emit({"event": "playback-restart"})

        after.insert(0, landed)
        return "success", UNAVAILABLE

    def _load(self, path: str) -> None:
        if self.path is not None:
            self.emit({"event": "end-file", "reason": "stop", "playlist_entry_id": 1})
        self.path = path
        self.ready = False
        self.position = 0.0
        self.eof = False
        self.emit({"event": "start-file", "playlist_entry_id": 2})
        self._changed("time-pos")
        if path in self.unplayable:
            self.path = None
            self.emit(
                {
                    "event": "end-file",
                    "reason": "error",
                    "playlist_entry_id": 2,
                    "file_error": "loading failed",
                }
            )
            return
        self.become_ready()

    def _quit(self) -> None:
        self.emit({"event": "end-file", "reason": "quit", "playlist_entry_id": 1})
        for connection in list(self.connections):
            connection.writer.close()
        if self._server is not None:
            self._server.close()
        if self.on_quit is not None:
            self.on_quit()

    def _changed(self, prop: str) -> None:
        for connection in list(self.connections):
            for observer, name in connection.observers.items():
                if name == prop:
                    self._tell(connection, observer, prop)

    def _tell(self, connection: Connection, observer: int, prop: str) -> None:
        event: dict[str, object] = {"event": "property-change", "id": observer, "name": prop}
        value = self.property(prop)
        if value is not UNAVAILABLE and value is not None:
            event["data"] = value
        connection.send(event)
