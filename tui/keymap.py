"""Key remapping from the user's config file: `[keys]` maps binding ids to keys."""

from __future__ import annotations

from readmark.annotations.config import ConfigError, load_config

RENAMED_BINDINGS = {
    "transcript.undo": "screen.undo",
    "transcript.open": "screen.open_url",
    "app.quit": "screen.quit",
}
"""Binding ids that changed, old -> new: a config that names the old id keeps working."""


def load_keymap() -> tuple[dict[str, str], str | None]:
    """The `[keys]` table (binding id -> key), and a problem to show the user, if any."""
    try:
        config = load_config()
    except ConfigError as error:
        return {}, str(error)
    table = config.get("keys", {})
    if not isinstance(table, dict):
        return {}, 'config: [keys] must be a table of binding id = "key"'
    keymap = {str(k): str(v) for k, v in table.items() if isinstance(v, str)}
    for old, new in RENAMED_BINDINGS.items():
        if old in keymap:
            keymap.setdefault(new, keymap.pop(old))
    return keymap, None
