"""The player beside the reader: one mpv for the open source, driven by the reader's keys.

The reader screen owns one `PlayerService`. It finds the source's media
(`readmark.media.lookup`), starts or attaches to mpv (`readmark.media.player.Player`), runs
each command in an async worker, one after another, and posts what happens up to the screen:
`PlayerService.Changed` with every state (and whether the cursor follows), `PlayerService.Told`
with one sentence when something needs saying. It holds the rules of listening along: p
follows, a reader's move stops following, annotation keys look back `[player] capture_back`
seconds, a note editor pauses and resumes `[player] resume_back` seconds earlier.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from readmark.annotations.config import ConfigError
from readmark.media.config import PlayerConfig, load_player_config
from readmark.media.errors import NoMedia, PlayerClosed, PlayerError, PlayerStopped
from readmark.media.lookup import MediaLookup, media_for_source
from readmark.media.player import Player, PlayerState
from readmark.media.remote import remote_audio_notice
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

NOTHING_PLAYS = "Nothing is playing: p plays from the cursor."
CLOSED = "The player was closed: p starts a new one."


@dataclass(frozen=True, slots=True)
class Listening:
    """What the screen shows of the player."""

    state: PlayerState
    source_id: str
    following: bool
    follow_turn: int = 0
    """Counts the times following was asked for (p, f): a message from before the reader's
    last move carries an older turn and must not start following again."""


class PlayerService:
    """Owns the `Player` of the open source; see the module's docstring."""

    class Changed(Message):
        """The player's state, or following, changed."""

        def __init__(self, listening: Listening) -> None:
            super().__init__()
            self.listening = listening

    class Told(Message):
        """Something the reader should know, in one sentence."""

        def __init__(
            self, text: str, severity: SeverityLevel = "information", timeout: float | None = None
        ) -> None:
            super().__init__()
            self.text = text
            self.severity = severity
            self.timeout = timeout
            """Seconds on screen; None for the usual time."""

    def __init__(self, screen: Screen[None], environ: Mapping[str, str] | None = None) -> None:
        self._screen = screen
        self._environ = environ
        self._player: Player | None = None
        self._source_id = ""
        self._config = PlayerConfig()
        self._lock = asyncio.Lock()
        self._told_remote = False
        self._end_told = False
        """The end of the current player was told: a command failing on it says nothing more."""
        self._unsubscribe: Callable[[], None] = _nothing
        self._paused_at: float | None = None
        """Where a note editor paused playback, to resume from."""
        self.following = False
        self._follow_turn = 0

    # --- questions ----------------------------------------------------------------------------

    @property
    def state(self) -> PlayerState | None:
        return self._player.state if self._player is not None else None

    @property
    def source_id(self) -> str:
        """The source whose media the player plays ("" before the first)."""
        return self._source_id

    def idle_reason(self) -> str:
        """Why the player keys cannot act on the open source (no player runs for it)."""
        player = self._player
        if player is None:
            return NOTHING_PLAYS
        if player.state.closed:
            return CLOSED
        return "The player is playing another source: p plays this one from the cursor."

    def running_for(self, source_id: str) -> bool:
        """A player has started for this source and still runs."""
        player = self._player
        return player is not None and player.state.running and self._source_id == source_id

    def capture_time(self) -> float | None:
        """While following: the moment annotation keys act on, `capture_back` seconds ago."""
        state = self.state
        if not self.following or state is None or state.position is None:
            return None
        return max(state.position - self._config.capture_back, 0.0)

    # --- commands (each runs in order, in a worker) ---------------------------------------------

    def play_from(
        self, source_id: str, path: Path, url: str | None, seconds: float, *, online: bool = False
    ) -> None:
        """Start a player for the source if none runs, go to `seconds`, play, and follow.
        `online`: with no media file, play the source's url (mpv asks yt-dlp for the stream)."""

        async def play() -> None:
            player = await self._player_for(source_id, path, url, online)
            self._paused_at = None
            await player.seek(seconds)
            # Following from here on: states from before the seek must not move the cursor.
            self._start_following()
            await player.play()

        self._run(play)

    def toggle_pause(self) -> None:
        self._on_player(lambda player: player.toggle_pause())

    def seek(self, seconds: float) -> None:
        self._on_player(lambda player: player.seek(seconds))

    def nudge(self, seconds: float) -> None:
        self._on_player(lambda player: player.nudge(seconds))

    def follow(self) -> None:
        self._start_following()

    def _start_following(self) -> None:
        self.following = True
        self._follow_turn += 1
        self._changed()

    def stop_following(self, *, say: bool = True) -> None:
        if self.following:
            self.following = False
            self._changed()
            if say:
                self._tell("Stopped following: f follows the audio again.", timeout=3)

    def editor_opened(self) -> None:
        """A note editor opened: pause, remembering where, if playing."""
        state = self.state
        if state is None or state.closed or state.paused:
            return
        self._paused_at = state.position
        self._on_player(lambda player: player.pause())

    def editor_closed(self) -> None:
        """The note editor closed: resume `resume_back` seconds before where it paused."""
        paused_at, self._paused_at = self._paused_at, None
        if paused_at is None or self.state is None or self.state.closed:
            return
        back = max(paused_at - self._config.resume_back, 0.0)

        async def resume(player: Player) -> None:
            await player.seek(back)
            await player.play()

        self._on_player(resume)

    async def close(self) -> None:
        """End the player (an mpv readmark started quits; an attached one is left running)."""
        self.following = False
        self._unsubscribe()  # closed on purpose: nothing to tell
        self._unsubscribe = _nothing
        if self._player is not None:
            await self._player.close()
            self._changed()  # the bar goes

    # --- internals ----------------------------------------------------------------------------

    def _on_player(self, command: Callable[[Player], Awaitable[object]]) -> None:
        player = self._player
        if player is None or player.state.closed:
            self._tell(NOTHING_PLAYS if player is None else CLOSED, "warning")
            return

        async def run() -> None:
            await command(player)

        self._run(run)

    def _run(self, job: Callable[[], Awaitable[None]]) -> None:
        self._screen.run_worker(self._in_turn(job), group="player", description="player")

    async def _in_turn(self, job: Callable[[], Awaitable[None]]) -> None:
        """Run `job` after those before it; whatever goes wrong is told, never raised."""
        async with self._lock:
            try:
                await job()
            except (PlayerStopped, PlayerClosed) as error:
                if not self._end_told:
                    self._end_told = True
                    self._tell(_ended(error), "error")
            except (PlayerError, ConfigError) as error:
                self._tell(str(error), "error")
            except Exception as error:  # noqa: BLE001 - the player must never take the app down
                self._tell(f"The player failed: {error}", "error")

    async def _player_for(
        self, source_id: str, path: Path, url: str | None, online: bool
    ) -> Player:
        """The running player of this source, or a new one (the previous one closed once the
        new one's media is found: a source without media leaves the other playing)."""
        player = self._player
        if player is not None and player.state.running and self._source_id == source_id:
            return player
        config = await asyncio.to_thread(load_player_config)
        found: MediaLookup = await asyncio.to_thread(media_for_source, path, url=url, online=online)
        for warning in found.warnings:
            self._tell(warning, "warning")
        if found.media is None:
            online_hint = " P plays it from there." if found.online_available else ""
            raise NoMedia(found.message + online_hint)
        notice = remote_audio_notice(config, self._environ)
        if notice and not self._told_remote:
            self._told_remote = True
            self._tell(notice, timeout=20)
        await self.close()
        self._end_told = False
        self._config = config
        player = await Player.start(found.media, config)
        self._player = player
        self._source_id = source_id
        self._end_told = False
        self._unsubscribe = player.subscribe(self._on_state)
        return player

    def _on_state(self, state: PlayerState) -> None:
        if state.closed:
            self.following = False
            if not self._end_told:
                self._end_told = True
                if state.error:
                    self._tell(f"{state.error} p starts it again.", "error")
                else:
                    self._tell(CLOSED, "warning")
        self._changed()

    def listening(self) -> Listening | None:
        """What the screen shows now; None before the first player."""
        state = self.state
        if state is None:
            return None
        return Listening(state, self._source_id, self.following, self._follow_turn)

    def _changed(self) -> None:
        listening = self.listening()
        if listening is not None:
            self._screen.post_message(self.Changed(listening))

    def _tell(
        self, text: str, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        self._screen.post_message(self.Told(text, severity, timeout))


def _ended(error: PlayerError) -> str:
    if isinstance(error, PlayerClosed):
        return CLOSED
    return f"{error} p starts it again."


def _nothing() -> None:
    """Unsubscribes from no player."""
