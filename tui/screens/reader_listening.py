"""Listening along on screen: the transcript's player keys reach the player service, and the
service's states reach the transcript (following) and the player bar.

The rules are the service's (`readmark.tui.player_service`); this keeps the panes in step with
it and says what cannot be done (no times, nothing playing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readmark.tui.widgets.listen_keys import (
    FollowLeft,
    FollowRequested,
    NudgeRequested,
    PauseToggleRequested,
    PlayerRequest,
    PlayerSeekRequested,
    PlayRequested,
)
from readmark.tui.widgets.player_bar import PlayerBar
from readmark.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from readmark.tui.player_service import Listening, PlayerService
    from readmark.tui.screens.reader import ReaderScreen

NO_TIMES = (
    "This source has no times, so it cannot follow the audio: playing along needs a "
    "transcript whose lines or cues carry times."
)


class ListenAlong:
    """The reader's `p` `space` `f` `enter` `,` `.`, the player bar and following."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self._service: PlayerService | None = None
        self._editor_open = False
        self._follow_turn = 0
        """The turn of following the transcript was last told to start."""

    @property
    def service(self) -> PlayerService:
        """The player service, made (and its modules loaded) when the reader first asks to
        play: a reader that never plays does not start with it."""
        if self._service is None:
            from readmark.tui.player_service import PlayerService

            self._service = PlayerService(self.screen)
        return self._service

    async def close(self) -> None:
        """Stop the player, if one was ever started: no mpv of readmark's outlives it."""
        if self._service is not None:
            await self._service.close()

    # -- the reader's keys ---------------------------------------------------------------------

    def request(self, message: PlayerRequest) -> None:
        if isinstance(message, FollowLeft):
            self.reader_moved()
            return
        source = self.screen.source
        if source is None or not source.segments or source.error:
            return
        service = self.service
        if isinstance(message, PlayRequested):
            if message.seconds is None:
                self.screen.notify(NO_TIMES, severity="warning")
                return
            path = self.screen.workspace.vault.path_of(source.id)
            service.play_from(source.id, path, source.url, message.seconds, online=message.online)
        elif not service.running_for(source.id):
            self.screen.notify(service.idle_reason(), severity="warning")
        elif isinstance(message, PauseToggleRequested):
            service.toggle_pause()
        elif isinstance(message, FollowRequested):
            service.follow()
        elif isinstance(message, PlayerSeekRequested) and message.seconds is not None:
            service.seek(message.seconds)
        elif isinstance(message, NudgeRequested):
            service.nudge(message.seconds)

    def reader_moved(self) -> None:
        """The reader moved the cursor: the transcript stopped following; so does the service."""
        if self._service is not None:
            self._service.stop_following()

    # -- what the service says -----------------------------------------------------------------

    def changed(self, listening: Listening) -> None:
        source = self.screen.source
        here = source is not None and source.id == listening.source_id
        state = listening.state
        transcript = self.transcript
        running = here and state.running
        if transcript.player_running != running:
            transcript.player_running = running
            transcript.refresh_bindings()  # enter is the player's only while one runs
        if not (listening.following and here and state.running):
            transcript.following = False
        elif listening.follow_turn != self._follow_turn:
            transcript.following = True  # p or f; a message from before a move is older
        self._follow_turn = listening.follow_turn
        following = transcript.following
        transcript.capture_at = self.service.capture_time() if following else None
        self.screen.query_one(PlayerBar).show(state, following)
        if following and state.position is not None:
            transcript.follow_time(state.position)

    def source_shown(self) -> None:
        """Another source (or the same one again) is on screen: follow only the player's own."""
        if self._service is None:
            return  # nothing was ever played: nothing to follow or show
        source = self.screen.source
        if source is None or not self.service.running_for(source.id):
            self.service.stop_following(say=False)
        listening = self.service.listening()
        if listening is not None:
            self.changed(listening)

    # -- note editors ----------------------------------------------------------------------------

    def screen_suspended(self) -> None:
        """Another screen covers the reader: a note editor pauses playback."""
        if self._service is None:
            return  # nothing plays: nothing to pause
        editing = self.screen.annotating.editing
        if editing is not None and self.screen.app.screen is editing[1]:
            self._editor_open = True
            self._service.editor_opened()

    def screen_resumed(self) -> None:
        if self._editor_open and self._service is not None:
            self._editor_open = False
            self._service.editor_closed()

    @property
    def transcript(self) -> Transcript:
        return self.screen.query_one(Transcript)
