"""The transcript's keys for listening along, and how it follows playback.

Mixed into `Transcript`: `p` plays from the cursor, `space` plays or pauses, `f` follows again,
`enter` moves a running player to the cursor, `,` and `.` step 5 s; `P` plays the source's url
when there is no media file. Each key posts one typed
message (a `PlayerRequest`); the screen passes them to the player service. While following,
the screen hands each position down (`follow_time`) and the cursor goes to the sentence being
said; a move of the reader's own ends following at once, here, so a position arriving just
after it cannot pull the cursor back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual import events
from textual.binding import Binding
from textual.message import Message

if TYPE_CHECKING:
    from readmark.library.model import Source
    from readmark.library.sentences import SentenceIndex

NUDGE_SECONDS = 5.0
FOLLOW_LEAD = 0.25
"""Seconds the followed place runs ahead of the player's clock: after a seek mpv may report a
position a fifth of a second early (its audio buffer), which would step the cursor back a
sentence just as playback starts from it."""

LISTEN_BINDINGS = [
    Binding("p", "play_here", "Play", id="transcript.play"),
    Binding("P", "play_here(True)", "Play the URL", id="transcript.play_online", show=False),
    Binding("space", "play_pause", "Play/pause", id="transcript.play_pause", show=False),
    Binding("f", "follow", "Follow playback", id="transcript.follow", show=False),
    # Only while a player runs (see check_action): otherwise enter does what it did before.
    Binding("enter", "seek_player", "Seek player here", id="transcript.seek_player", show=False),
    Binding("comma", "nudge(-5)", "Player -5 s", id="transcript.player_back", show=False),
    Binding("full_stop", "nudge(5)", "Player +5 s", id="transcript.player_forward", show=False),
]


class PlayerRequest(Message):
    """The reader asked something of the player; each intent is a subclass."""


class PlayRequested(PlayerRequest):
    """`p` (or `space` with nothing playing): start if needed, play from `seconds`, follow."""

    def __init__(self, seconds: float | None, online: bool = False) -> None:
        super().__init__()
        self.seconds = seconds
        """Where the cursor's sentence starts on the source's clock; None when it has no time."""
        self.online = online
        """`P`: with no media file, play the source's url."""


class PauseToggleRequested(PlayerRequest):
    """`space` with a player running: play if paused, pause if playing."""


class FollowRequested(PlayerRequest):
    """`f`: the cursor follows playback again."""


class FollowLeft(PlayerRequest):
    """The reader scrolled away while following: following has stopped."""


class PlayerSeekRequested(PlayerRequest):
    """`enter` with a player running: move playback to the cursor's sentence."""

    def __init__(self, seconds: float | None) -> None:
        super().__init__()
        self.seconds = seconds


class NudgeRequested(PlayerRequest):
    """`,` or `.`: move playback back or forward from where it is."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class _Transcript(Protocol):
    """What the listening keys use of the transcript they are mixed into."""

    following: bool
    player_running: bool
    _placing: bool
    _sentences: SentenceIndex

    @property
    def source(self) -> Source | None: ...
    @property
    def sentence_count(self) -> int: ...
    @property
    def cursor_offset(self) -> int: ...
    def go_to_time(self, seconds: float) -> bool: ...
    def post_message(self, message: Message) -> bool: ...
    def _position_seconds(self) -> float | None: ...
    def cursor_play_seconds(self) -> float | None: ...
    def scrolled_by_reader(self) -> None: ...


class ListenKeys:
    """The listening half of `Transcript` (its attributes are set by the screen)."""

    following: bool = False
    """The cursor goes where playback is; the reader's own move turns it off."""
    player_running: bool = False
    """A player runs for the open source (enter seeks it; otherwise enter is left alone)."""
    capture_at: float | None = None
    """While following: the moment the annotation keys act on (`[player] capture_back` before
    the position); None acts on the cursor's sentence as always."""
    _placing: bool = False
    """True while the cursor is moved by playback, not by the reader."""

    # --- what the screen hands down -----------------------------------------------------------

    def follow_time(self: _Transcript, seconds: float) -> None:
        """Playback is at `seconds`: the cursor goes to the sentence being said, when following."""
        if not self.following:
            return
        self._placing = True
        try:
            self.go_to_time(seconds + FOLLOW_LEAD)
        finally:
            self._placing = False

    def span_said_at(self: _Transcript, seconds: float) -> tuple[int, int] | None:
        """The sentence being said at `seconds` (as following places it); None when untimed."""
        source = self.source
        if source is None or not self.sentence_count:
            return None
        offset = source.given_times.place_of(seconds + FOLLOW_LEAD)
        if offset is None:
            return None
        index = self._sentences.index_at(offset)
        return self._sentences.starts[index], self._sentences.ends[index]

    def moved_by_reader(self: _Transcript) -> bool:
        """Called as the cursor moves: whether the reader moved it (which ends following)."""
        if self._placing:
            return False
        self.following = False
        return True

    def on_mouse_scroll_up(self: _Transcript, _event: events.MouseScrollUp) -> None:
        self.scrolled_by_reader()

    def on_mouse_scroll_down(self: _Transcript, _event: events.MouseScrollDown) -> None:
        self.scrolled_by_reader()

    def scrolled_by_reader(self: _Transcript) -> None:
        """Scrolling the text while following is a move of the reader's own: the view is
        theirs until `f`."""
        if self.following:
            self.following = False
            self.post_message(FollowLeft())

    # --- keys ---------------------------------------------------------------------------------

    def action_play_here(self: _Transcript, online: bool = False) -> None:
        if self.source is not None and self.sentence_count:
            self.post_message(PlayRequested(self.cursor_play_seconds(), online))

    def action_play_pause(self: _Transcript) -> None:
        if self.source is None or not self.sentence_count:
            return
        if self.player_running:
            self.post_message(PauseToggleRequested())
        else:
            self.post_message(PlayRequested(self.cursor_play_seconds()))

    def action_follow(self: _Transcript) -> None:
        self.post_message(FollowRequested())

    def action_seek_player(self: _Transcript) -> None:
        self.post_message(PlayerSeekRequested(self.cursor_play_seconds()))

    def action_nudge(self: _Transcript, seconds: float) -> None:
        self.post_message(NudgeRequested(seconds))

    def cursor_play_seconds(self: _Transcript) -> float | None:
        """Where playing from the cursor starts: its sentence's first word, placed between the
        times the file gives around it (as `[`, `]` and `t` place it); the media's start for
        words before the first time; None when the source has no times."""
        source = self.source
        if source is None or not len(source.given_times):
            return None
        seconds = self._position_seconds()
        return 0.0 if seconds is None else seconds

    def listen_check(self: _Transcript, action: str) -> bool | None:
        """`check_action` for the listening keys: enter is the player's only while one runs."""
        if action == "seek_player":
            return self.player_running
        return True
