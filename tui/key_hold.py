"""Keys typed while a screen opens belong to that screen.

Opening the note editor, a prompt or the search takes a moment: `a` reaches the reader screen
as a message before the editor is pushed, and a pushed screen mounts before its input has the
focus. Keys that arrive meanwhile (fast typing, a paste, a text expander) would run as reader
commands: `a` then "good point" would jump to the top (`g`) and open the URL (`o`). `KeyHold`
keeps them from the moment an opening key is pressed, or a screen is pushed, until the new
screen has its focus, then hands them over in the order they came. When the key that would
open a screen is refused (nothing to edit there), the keys typed after it are dropped: they
were meant as text, never as commands.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    from textual.app import App

HeldEvent = events.Key | events.Paste

OPENS_A_SCREEN = frozenset(
    {
        "note",
        "edit_note",
        "choose_citation",
        "time_prompt",
        "find_prompt",
        "search",
        "help",
        "export",
        "ask",
        "sort",
        "command_palette",
        "start_filter",
    }
)
"""Actions (by name, without arguments) that open an editor, a prompt, another screen or a field
to type in (the source list's filter)."""

CHECK_SECONDS = 0.005
"""How often a hold looks whether the screen it waits for has its focus."""
EXPECT_SECONDS = 2.0
"""Longest wait for the screen an opening key asked for; past it the keys are dropped."""
MOUNT_SECONDS = 2.0
"""Longest wait for a pushed screen to take the focus; past it the keys go to it anyway."""


class KeyHold:
    """Holds the keys and pastes typed while a screen is on its way."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.held: list[HeldEvent] = []
        self._pending = False
        """A key bound to an opening action was passed on; its pane has not handled it yet."""
        self._expecting = False
        """An opening key was pressed; the screen it asked for is not pushed yet."""
        self._screen: Screen[object] | None = None
        """A pushed screen that has no focus yet."""
        self._deadline = 0.0
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._pending or self._expecting or self._screen is not None

    def passing_on(self, event: events.Event) -> bool:
        """The app is about to pass `event` on: True when it is a key bound to an opening
        action, from which on keys are held (call `key_handled` once it is passed on)."""
        if self.holding or not isinstance(event, events.Key):
            return False
        if not opens_a_screen(self.app, event.key):
            return False
        self._pending = True
        self._deadline = time.monotonic() + EXPECT_SECONDS
        self._watch()
        return True

    def key_handled(self, event: events.Key, node: MessagePump) -> None:
        """`node` handled the opening key. The key goes on up to the app (whose bindings run
        the action): follow it there; then, if it opened nothing, the keys go on as typed."""
        if not self._pending:
            return
        parent = node._parent
        if node is not self.app and parent is not None:
            if not event._stop_propagation or parent is event._sender:
                # Queued after the key itself, which has bubbled up to `parent`.
                parent.call_later(self.key_handled, event, parent)
                return
        self._pending = False
        if not self._expecting and self._screen is None:
            self._finish(self.held)

    def expect_screen(self) -> None:
        """An opening key was pressed: hold what follows until its screen has the focus."""
        self._pending = False
        self._expecting = True
        self._deadline = time.monotonic() + EXPECT_SECONDS
        self._watch()

    def nothing_opens(self) -> None:
        """The opening key was refused: what was typed after it is dropped."""
        if self._expecting and self._screen is None:
            self.held.clear()
            self._expecting = False
            self._stop()

    def screen_changed(self, screen: Screen[object]) -> None:
        """A screen became the current one: hold keys until it has its focus."""
        if self._ready(screen):
            return
        self._pending = False
        self._expecting = False
        self._screen = screen
        self._deadline = time.monotonic() + MOUNT_SECONDS
        self._watch()

    def take(self, event: events.Event) -> bool:
        """Keep `event` when keys are held (True); False lets it through."""
        if self.holding and isinstance(event, (events.Key, events.Paste)):
            self.held.append(event)
            return True
        return False

    def _ready(self, screen: Screen[object]) -> bool:
        if not screen.is_mounted:
            return False
        return screen.focused is not None or not screen.focus_chain

    def _watch(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_interval(CHECK_SECONDS, self._check)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def _check(self) -> None:
        late = time.monotonic() > self._deadline
        if self._pending:
            if late:  # the pane never answered: give it the keys rather than lose them
                self._pending = False
                self._finish(self.held)
            return
        if self._expecting and self._screen is None:
            if late:
                self.nothing_opens()
            return
        screen = self._screen
        if screen is None:
            self._stop()
            return
        if self.app.screen is not screen:
            # Gone already (dismissed): what was typed for it is not for the screen below.
            self._finish(())
            return
        if self._ready(screen) or late:
            self._finish(self.held)

    def _finish(self, events_: list[HeldEvent] | tuple[()]) -> None:
        handing = list(events_)
        self.held = []
        self._screen = None
        self._expecting = False
        self._pending = False
        self._stop()
        for event in handing:
            self.app.call_next(self._deliver, event)

    async def _deliver(self, event: HeldEvent) -> None:
        """Give `event` to the screen in front as if it had just been typed."""
        app = self.app
        if self.holding:
            self.held.append(event)  # another screen is on its way: it waits for that one
            return
        target = app.screen.focused or app.screen
        if isinstance(event, events.Key) and await app._check_bindings(event.key, priority=True):
            return
        target._forward_event(event)


def opens_a_screen(app: App[Any], key: str) -> bool:
    """Whether `key` is bound, from the focused widget up, to an action in `OPENS_A_SCREEN`."""
    try:
        chain = app.screen._modal_binding_chain
    except Exception:  # noqa: BLE001 - no screen yet
        return False
    for _node, bindings in chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            name = binding.action.partition("(")[0].rpartition(".")[2]
            if name in OPENS_A_SCREEN:
                return True
    return False


def expect_screen(app: App[Any]) -> None:
    """Tell the app that the key being handled opens a screen (no-op for apps without a hold)."""
    hold = getattr(app, "key_hold", None)
    if isinstance(hold, KeyHold):
        hold.expect_screen()


def nothing_opens(app: App[Any]) -> None:
    """Tell the app that the screen expected will not come."""
    hold = getattr(app, "key_hold", None)
    if isinstance(hold, KeyHold):
        hold.nothing_opens()
