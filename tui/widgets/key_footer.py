"""The footer: all shown keys when they fit; else the focused pane's first keys, and `?` always.

Textual's footer cuts whatever does not fit at the right edge, which at 80 columns is the help
key. Bindings are declared most useful first, so the first ones that fit are the ones to keep.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not re-exported; its attributes are public

PALETTE_CLASS = "-command-palette"


def key_width(key: FooterKey, *, compact: bool) -> int:
    """Cells a footer key takes, as Footer's own CSS lays it out (margin included)."""
    label = cell_len(key.key_display)
    if not key.description:
        return label
    if compact:
        return label + 1 + cell_len(key.description) + 1
    return label + 2 + cell_len(key.description) + 1


class KeyFooter(Footer):
    """A `Footer` that never loses the key for `keep_action` (the help screen) to the edge."""

    def __init__(self, *, keep_action: str = "help", id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.keep_action = keep_action
        """The action whose key stays visible whatever the width."""
        self._laid_out_for = 0
        self._wanted: tuple[object, ...] | None = None
        """The keys of the latest composition asked for (see `bindings_changed`)."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Screens announce their bindings dozens of times while starting, mostly unchanged:
        # each recomposition restyles every key, so only a change of what is shown makes one.
        wanted = _shown_keys(screen)
        if wanted == self._wanted and self._bindings_ready:
            return
        self._wanted = wanted
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        width = self.size.width or self.app.size.width
        self._laid_out_for = width
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        # The palette key is docked right with a one-cell rule and a cell of padding.
        frame = 2 if any(k.has_class(PALETTE_CLASS) for k in keys) else 0
        if sum(key_width(k, compact=False) for k in keys) + frame <= width:
            self.set_reactive(Footer.compact, False)
            self.set_class(False, "-compact")
            for key in keys:
                # A key starts compact and follows the footer once mounted, styled twice on
                # the way; the palette key does not follow it.
                if not key.has_class(PALETTE_CLASS):
                    key.set_reactive(FooterKey.compact, False)
            yield from widgets
            return
        self.set_reactive(Footer.compact, True)
        self.set_class(True, "-compact")
        kept = self._fitting(widgets, width)
        for widget in widgets:
            if widget in kept:
                if isinstance(widget, FooterKey):
                    # Not yet mounted: its class is styled once, when it mounts.
                    widget.set_reactive(FooterKey.compact, True)
                    widget.set_class(True, "-compact", update=False)
                yield widget

    def _fitting(self, widgets: list[Widget], width: int) -> list[Widget]:
        """The widgets to show in `width` cells: the kept key first, then others in order."""
        shown = [w for w in widgets if not w.has_class(PALETTE_CLASS)]
        must = [w for w in shown if isinstance(w, FooterKey) and w.action == self.keep_action]
        budget = width - sum(key_width(k, compact=True) for k in must)
        kept: list[Widget] = list(must)
        for widget in shown:
            if widget in must:
                continue
            needed = key_width(widget, compact=True) if isinstance(widget, FooterKey) else 0
            if needed <= budget:
                kept.append(widget)
                budget -= needed
        return kept

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)


def _shown_keys(screen: Screen[object]) -> tuple[object, ...]:
    """What the footer would show for `screen`: each shown binding, whether it is enabled."""
    return tuple(
        (binding.key, binding.action, binding.description, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    )
