"""`?`: every key of readmark's panes, grouped by pane, read from the bindings themselves,
with each binding's id: the name `[keys]` in the config file remaps it by.

Reading the bindings (not a hand-written table) keeps the help true when keys change or a
keymap remaps them. Textual's own bindings (scrolling a list sideways, its focus keys) are
left out: readmark binds the keys it means a reader to use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

HelpSource = type[DOMNode] | Sequence[BindingType]
"""A class whose BINDINGS (own and inherited) are shown, or a list of bindings."""


@dataclass(frozen=True, slots=True)
class HelpRow:
    keys: tuple[str, ...]
    """Textual key names (`j`, `down`, `ctrl+d`), in the order they were bound."""
    description: str
    binding_ids: tuple[str, ...] = field(default=(), compare=False)
    """The ids `[keys]` remaps these keys by."""


def bindings_of(source: HelpSource) -> list[Binding]:
    """A class's bindings, its own first, each key once (a subclass's binding wins)."""
    if not isinstance(source, type):
        return list(Binding.make_bindings(source))
    seen: set[str] = set()
    found: list[Binding] = []
    for base in source.__mro__:
        if not (isinstance(base, type) and issubclass(base, DOMNode)):
            continue
        if base.__module__.split(".")[0] == "textual":
            continue  # Textual's own keys: readmark binds the ones a reader uses
        for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
            if binding.key not in seen:
                seen.add(binding.key)
                found.append(binding)
        # Mirrors Textual: a class declared with inherit_bindings=False stops the walk.
        if not getattr(base, "_inherit_bindings", True):
            break
    return found


def help_rows(source: HelpSource, keymap: Mapping[str, str] | None = None) -> list[HelpRow]:
    """One row per action and description, with all its keys; bindings without a description
    (internal ones) are left out. `keymap` maps binding ids to remapped keys (`"j,down"`)."""
    keys_of: dict[tuple[str, str], list[str]] = {}
    ids_of: dict[tuple[str, str], list[str]] = {}
    for binding in bindings_of(source):
        if not binding.description:
            continue
        keys = [binding.key]
        if keymap and binding.id and binding.id in keymap:
            keys = [key.strip() for key in keymap[binding.id].split(",") if key.strip()]
        row = keys_of.setdefault((binding.action, binding.description), [])
        row.extend(key for key in keys if key not in row)
        ids = ids_of.setdefault((binding.action, binding.description), [])
        if binding.id and binding.id not in ids:
            ids.append(binding.id)
    return [HelpRow(tuple(keys), row[1], tuple(ids_of[row])) for row, keys in keys_of.items()]


class HelpScreen(ModalScreen[None]):
    """All keys, one table per pane; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-box {
        width: 90%;
        max-width: 90;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-pane {
        text-style: bold;
        color: $text-accent;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", id="help.close"),
        Binding("j,down", "scroll('scroll_down')", "Down", id="help.down", show=False),
        Binding("k,up", "scroll('scroll_up')", "Up", id="help.up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", id="help.page_down"),
        Binding("pageup", "scroll('page_up')", "Page up", id="help.page_up", show=False),
        Binding("g,home", "scroll('scroll_home')", "Top", id="help.top", show=False),
        Binding("G,end", "scroll('scroll_end')", "Bottom", id="help.bottom", show=False),
    ]

    AUTO_FOCUS = "#help-box"

    def __init__(
        self, panes: Sequence[tuple[str, HelpSource]], *, keymap: Mapping[str, str] | None = None
    ) -> None:
        super().__init__()
        self.panes = list(panes)
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            yield Static(
                Text(
                    'Remap a key in the config file\'s [keys] table by its id: "id" = "key".',
                    style="dim",
                ),
                id="help-hint",
            )
            for name, source in self.panes:
                rows = help_rows(source, self.keymap)
                if rows:
                    yield Static(Text(name), classes="help-pane")
                    yield Static(self._table(rows))
        yield Footer()

    def _table(self, rows: Iterable[HelpRow]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(min_width=14, style="bold")
        table.add_column()
        table.add_column(style="dim")
        for row in rows:
            keys = " / ".join(self.app.get_key_display(Binding(key, "")) for key in row.keys)
            table.add_row(Text(keys), Text(row.description), Text(", ".join(row.binding_ids)))
        return table

    def action_scroll(self, how: str) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        getattr(box, f"action_{how}")()

    def action_close(self) -> None:
        self.dismiss(None)
