"""A media player driven over mpv's IPC socket: start or attach, seek, play, pause, close.

Times given to and reported by a `Player` are on the source's clock: the media offset
(`MediaTarget.offset`) is added on the way to mpv and taken off on the way back.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import math
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from readmark.media.config import PlayerConfig
from readmark.media.errors import (
    MpvCommandError,
    MpvDisconnected,
    NoMedia,
    PlayerClosed,
    PlayerError,
    PlayerStopped,
    PlayerTimeout,
    SocketUnavailable,
)
from readmark.media.ipc import MpvEvent, MpvIpcClient
from readmark.media.lookup import MediaTarget
from readmark.media.process import QUIT_GRACE, MpvProcess

READY_TIMEOUT = 15.0
"""Seconds a local file has to load; mpv needs a fraction of one."""
ONLINE_READY_TIMEOUT = 60.0
"""Seconds a URL has to load: mpv first asks yt-dlp where the stream is."""
SEEK_SETTLE_TIMEOUT = 5.0
"""Seconds a seek may take to land before the call returns anyway."""
POLL_INTERVAL = 0.02
"""Seconds between looks at a process or socket that gives no event to wait on."""
OBSERVED = ("time-pos", "pause", "duration", "eof-reached")
"""The properties a player follows; `time-pos` reading a number means mpv is ready."""
NOT_READY = "error running command"
"""mpv's answer to a seek sent before the file has loaded."""

StateListener = Callable[["PlayerState"], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PlayerState:
    """What the player is doing; times are seconds on the source's clock."""

    position: float | None = None
    """None until mpv knows (while loading, after closing)."""
    duration: float | None = None
    """Where the media ends."""
    paused: bool = True
    ended: bool = False
    """Playback reached the end of the media (mpv stays there, paused)."""
    closed: bool = False
    """The player is gone: closed by readmark or in mpv, or stopped by an error."""
    error: str | None = None
    """When mpv stopped unasked: why, in mpv's last words."""

    @property
    def running(self) -> bool:
        return not self.closed


class Player:
    """One mpv playing one media file or URL.

    Make one with `Player.start` (attaches when `[player] socket` is set, else launches),
    `Player.launch` or `Player.attach`; end it with `close`. Commands raise `PlayerError`
    subclasses: `PlayerStopped` (mpv died; its last error), `PlayerClosed` (closed, start
    a new player), `MpvCommandError`, `PlayerTimeout`.
    """

    def __init__(
        self,
        client: MpvIpcClient,
        *,
        offset: float = 0.0,
        process: MpvProcess | None = None,
        media: MediaTarget | None = None,
        socket: Path | None = None,
    ) -> None:
        self._client = client
        self._offset = offset
        self._process = process
        self._media = media
        self._socket = socket
        self._state = PlayerState()
        self._listeners: list[StateListener] = []
        self._wakeup = asyncio.Event()
        self._ready = False
        self._awaiting_start = False
        self._load_error: str | None = None
        self._quit_seen = False
        self._restarts = 0
        self._closing = False
        self._end: PlayerError | None = None
        client.subscribe(self._on_event)
        self._watch = asyncio.get_running_loop().create_task(self._watch_connection())

    # --- making a player -------------------------------------------------------------------

    @classmethod
    async def start(
        cls, media: MediaTarget, config: PlayerConfig, *, ready_timeout: float | None = None
    ) -> Player:
        """Attach to `config.socket` and load `media` there, or launch an mpv of our own."""
        if config.socket is not None:
            return await cls.attach(config.socket, media, ready_timeout=ready_timeout)
        return await cls.launch(media, config, ready_timeout=ready_timeout)

    @classmethod
    async def launch(
        cls, media: MediaTarget, config: PlayerConfig, *, ready_timeout: float | None = None
    ) -> Player:
        """Start mpv paused on `media`; returns once mpv reports a position.

        Raises `NoMedia` for a missing file, `MpvNotInstalled`, `PlayerStopped` when mpv
        quits while loading (with its last error), `PlayerTimeout`.
        """
        _require_file(media)
        timeout = _ready_timeout(media, ready_timeout)
        process = MpvProcess.start(
            config.mpv, media.location, video=config.video, extra_args=config.extra_args
        )
        player: Player | None = None
        try:
            client = await _connect_when_listening(process, timeout)
            player = cls(client, offset=media.offset, process=process, media=media)
            await player._observe()
            await player._until_ready(timeout, media)
        except BaseException:
            if player is not None:
                await player._abandon()
            process.kill()
            raise
        return player

    @classmethod
    async def attach(
        cls,
        socket: Path | str,
        media: MediaTarget | None = None,
        *,
        ready_timeout: float | None = None,
    ) -> Player:
        """Connect to an mpv already running with `--input-ipc-server=socket`.

        With `media`, that mpv loads it unless it is already playing it. Closing the player
        later leaves that mpv running: it is not readmark's to end.
        """
        where = Path(socket).expanduser()
        client = await MpvIpcClient.connect(where)
        offset = media.offset if media is not None else 0.0
        player = cls(client, offset=offset, media=media, socket=where)
        try:
            await player._observe()
            if media is None:
                await player._require_loaded()
            else:
                # An mpv started by hand may close the file at its end; readmark's keeps it.
                with contextlib.suppress(MpvCommandError):
                    await client.set_property("keep-open", "yes")
                if not await player._is_playing(media):
                    await player._load(media)
                await player._until_ready(_ready_timeout(media, ready_timeout), media)
        except BaseException:
            await player._abandon()
            raise
        return player

    async def _observe(self) -> None:
        for name in OBSERVED:
            await self._guarded(self._client.observe_property(name))

    async def _abandon(self) -> None:
        """Drop the connection of a player that never got ready (its maker ends the process)."""
        self._closing = True
        await self._client.close()
        self._watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watch

    async def _require_loaded(self) -> None:
        try:
            await self._client.get_property("time-pos")
        except MpvCommandError as error:
            raise NoMedia(
                f"The mpv at {self._socket} has no file loaded: open one in it, "
                "or let readmark load the source's media."
            ) from error
        await self._refresh()

    async def _is_playing(self, media: MediaTarget) -> bool:
        try:
            current = await self._client.get_property("path")
        except MpvCommandError:
            return False  # nothing loaded
        if not isinstance(current, str):
            return False
        if current == media.location:
            return True
        with contextlib.suppress(OSError):
            return media.path is not None and os.path.samefile(current, media.location)
        return False

    async def _load(self, media: MediaTarget) -> None:
        await self._client.set_property("pause", True)
        self._awaiting_start = True
        self._ready = False
        await self._client.command("loadfile", media.location, "replace")

    async def _until_ready(self, timeout: float, media: MediaTarget | None) -> None:
        """Wait for `time-pos` to read a number; mpv may announce a duration first."""
        ready = await self._wait(
            lambda: (
                (self._ready and not self._awaiting_start)
                or self._load_error is not None
                or self._client.closed
            ),
            timeout,
        )
        if self._load_error is not None and self._process is not None:
            # Ours quits after a file it cannot play (--idle=once); its log then says why.
            await self._wait(lambda: self._client.closed, QUIT_GRACE)
        shown = media.location if media is not None else "the file"
        if self._client.closed:
            await asyncio.wait([self._watch], timeout=QUIT_GRACE + 1)
            raise self._end or PlayerStopped("mpv stopped while loading.")
        if self._load_error is not None:
            raise PlayerStopped(f"mpv could not play {shown}: {self._load_error}.")
        if not ready:
            raise PlayerTimeout(f"mpv did not get ready to play {shown} within {timeout:g} s.")
        await self._refresh()

    async def _refresh(self) -> None:
        """Read the observed properties once: their first change events may still be coming."""
        state = self._state
        for name in OBSERVED:
            try:
                value = await self._client.get_property(name)
            except MpvCommandError:
                value = None
            state = self._changed_property(state, name, value)
        self._publish(state)

    # --- commands --------------------------------------------------------------------------

    @property
    def state(self) -> PlayerState:
        return self._state

    @property
    def media(self) -> MediaTarget | None:
        return self._media

    @property
    def offset(self) -> float:
        """Seconds: media time = source time + offset."""
        return self._offset

    @property
    def attached(self) -> bool:
        """True when driving an mpv readmark did not start (it is left running on close)."""
        return self._process is None

    @property
    def pid(self) -> int | None:
        """The mpv process readmark started; None when attached."""
        return self._process.pid if self._process is not None else None

    async def seek(self, seconds: float) -> None:
        """Go to `seconds` on the source's clock; returns once playback has restarted there."""
        if not math.isfinite(seconds):
            raise PlayerError(f"Cannot seek to {seconds}: not a time.")
        target = max(seconds + self._offset, 0.0)
        await self._seek_command(target, "absolute+exact")

    async def nudge(self, seconds: float) -> None:
        """Move `seconds` forward (or back, when negative) from where playback is."""
        if not math.isfinite(seconds):
            raise PlayerError(f"Cannot move by {seconds}: not a time.")
        await self._seek_command(seconds, "relative+exact")

    async def play(self) -> None:
        await self._command("set_property", "pause", False)

    async def pause(self) -> None:
        await self._command("set_property", "pause", True)

    async def play_from(self, seconds: float) -> None:
        """Seek to `seconds` on the source's clock, then play."""
        await self.seek(seconds)
        await self.play()

    async def toggle_pause(self) -> bool:
        """Play if paused, pause if playing; returns True when now paused."""
        await self._command("cycle", "pause")
        paused = await self._command("get_property", "pause")
        return bool(paused)

    async def position(self) -> float | None:
        """Ask mpv where playback is now, on the source's clock; None while nothing plays."""
        try:
            seconds = await self._command("get_property", "time-pos")
        except MpvCommandError:
            return None
        return self._from_media(seconds)

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        """Call `listener` with every new state, on the event loop; returns the unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    async def states(self) -> AsyncIterator[PlayerState]:
        """The current state, then each change; ends after the closed state. States that
        arrive faster than they are consumed are skipped: the latest is what matters."""
        latest = [self._state]
        changed = asyncio.Event()
        changed.set()

        def remember(state: PlayerState) -> None:
            latest[0] = state
            changed.set()

        unsubscribe = self.subscribe(remember)
        try:
            while True:
                await changed.wait()
                changed.clear()
                state = latest[0]
                yield state
                if state.closed:
                    return
        finally:
            unsubscribe()

    async def wait_until(
        self, predicate: Callable[[PlayerState], bool], timeout: float = READY_TIMEOUT
    ) -> PlayerState:
        """The first state, current or coming, for which `predicate` holds.

        `PlayerTimeout` after `timeout` seconds; the closed state is returned even when the
        predicate does not hold for it, as no other state will come.
        """
        met = await self._wait(lambda: predicate(self._state) or self._state.closed, timeout)
        if not met:
            raise PlayerTimeout(f"The player did not reach the expected state in {timeout:g} s.")
        return self._state

    async def close(self, *, grace: float = QUIT_GRACE) -> None:
        """End the player. An mpv readmark started is asked to quit and killed after `grace`
        seconds; an attached mpv is left running. Safe to call more than once."""
        if self._closing:
            return
        self._closing = True
        process = self._process
        if process is not None:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + grace
            if not self._client.closed:
                with contextlib.suppress(PlayerError):
                    await self._client.command("quit", timeout=grace)
            if not await self._process_gone(max(deadline - loop.time(), 0.0)):
                process.kill()
            process.cleanup()
        await self._client.close()
        self._watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watch
        self._end = self._end or PlayerClosed("The player was closed; start it again to play.")
        self._publish(replace(self._state, closed=True, paused=True))

    # --- internals -------------------------------------------------------------------------

    async def _seek_command(self, target: float, flags: str) -> None:
        restarts = self._restarts
        try:
            await self._command("seek", target, flags)
        except MpvCommandError as error:
            if error.error != NOT_READY:
                raise
            # mpv is (re)loading the file: seek once it is ready, which may be already.
            await self._until_ready(READY_TIMEOUT, self._media)
            restarts = self._restarts
            await self._command("seek", target, flags)
        await self._wait(
            lambda: self._restarts > restarts or self._client.closed, SEEK_SETTLE_TIMEOUT
        )

    async def _command(self, *args: object) -> object:
        return await self._guarded(self._client.command(*args))

    async def _guarded(self, request: Awaitable[T]) -> T:
        """Await a request to mpv; a lost connection becomes the error saying how mpv ended."""
        if self._end is not None:
            if inspect.iscoroutine(request):
                request.close()
            raise self._end
        try:
            return await request
        except MpvDisconnected:
            # Let the watcher find out how mpv ended, so the error says why; `wait` neither
            # cancels it nor raises what it raised.
            await asyncio.wait([self._watch], timeout=QUIT_GRACE + 1)
            raise self._end or PlayerStopped("mpv stopped.") from None

    def _from_media(self, seconds: object) -> float | None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            return None
        return float(seconds) - self._offset

    def _on_event(self, event: MpvEvent) -> None:
        state = self._state
        if event.name == "property-change":
            state = self._changed_property(state, event.property, event.value)
        elif event.name == "playback-restart":
            self._restarts += 1
        elif event.name == "start-file":
            self._awaiting_start = False
            self._ready = False
            self._load_error = None
            state = replace(state, position=None, ended=False)
        elif event.name == "end-file":
            if event.reason == "eof":
                state = replace(state, ended=True)
            elif event.reason == "error":
                self._load_error = event.file_error or "it could not be played"
            elif event.reason == "quit":
                self._quit_seen = True
        elif event.name == "shutdown":
            self._quit_seen = True
        self._publish(state)

    def _changed_property(self, state: PlayerState, name: str | None, value: object) -> PlayerState:
        if name == "time-pos":
            position = self._from_media(value)
            self._ready = position is not None
            return replace(state, position=position)
        if name == "pause" and isinstance(value, bool):
            return replace(state, paused=value)
        if name == "duration":
            return replace(state, duration=self._from_media(value))
        if name == "eof-reached":
            return replace(state, ended=value is True)
        return state

    def _publish(self, state: PlayerState) -> None:
        self._wakeup.set()
        if state == self._state:
            return
        self._state = state
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception as error:  # noqa: BLE001 - one bad listener must not stop the rest
                asyncio.get_running_loop().call_exception_handler(
                    {"message": "player state listener failed", "exception": error}
                )

    async def _wait(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Wait until `condition` holds, re-checking at every event; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            self._wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return True

    async def _watch_connection(self) -> None:
        await self._client.wait_closed()
        self._wakeup.set()
        if self._closing:
            return
        process = self._process
        if process is not None:
            if not await self._process_gone(QUIT_GRACE):
                process.kill()  # the socket is gone but mpv is not: end it, it cannot be driven
            quit_asked = self._quit_seen or process.exit_code == 0
            reason = process.stop_reason()
            process.cleanup()
        else:
            quit_asked = self._quit_seen
            reason = f"The mpv at {self._socket} stopped or closed the connection."
        if quit_asked:
            self._end = PlayerClosed("mpv was closed; start the player again to play.")
            self._publish(replace(self._state, closed=True, paused=True))
        else:
            self._end = PlayerStopped(reason)
            self._publish(replace(self._state, closed=True, paused=True, error=reason))

    async def _process_gone(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for our mpv to exit; True when it has."""
        process = self._process
        if process is None:
            return True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while process.exit_code is None:
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(POLL_INTERVAL)  # a child's exit gives no event to await here
        return True


def _require_file(media: MediaTarget) -> None:
    path = media.path
    if path is not None and not path.is_file():
        raise NoMedia(f"The media file {path} is not there any more; put it back or look again.")


def _ready_timeout(media: MediaTarget, given: float | None) -> float:
    if given is not None:
        return given
    return ONLINE_READY_TIMEOUT if media.is_url else READY_TIMEOUT


async def _connect_when_listening(process: MpvProcess, timeout: float) -> MpvIpcClient:
    """Connect to our mpv's socket as soon as it listens; it takes mpv a few milliseconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if process.exit_code is not None:
            raise PlayerStopped(process.stop_reason())
        try:
            return await MpvIpcClient.connect(process.socket, timeout=timeout)
        except SocketUnavailable:
            if loop.time() >= deadline:
                raise PlayerTimeout(
                    f"mpv did not open its control socket within {timeout:g} s."
                ) from None
            await asyncio.sleep(POLL_INTERVAL)
