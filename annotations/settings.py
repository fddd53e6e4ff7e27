"""The reader's remembered choices: what a user chose once and expects to find again.

The theme, the citation format `Y` chose, the panes hidden, the order of the source list, the
last words looked for with `/` and where each vault's exports go are kept in one small file
per user (`settings.json` in the state folder, see `readmark.library.layout`), never in a
vault: they are one person's taste, not something a shared vault should carry to others.

A missing or damaged file reads as the defaults, entry by entry; a write that fails is
reported as False and the session goes on with the choice in memory. Each write puts the
whole current state in place atomically, under a lock, so writes made from worker threads in
any order leave the latest choices on disk.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from readmark.library.durable import write_atomic
from readmark.library.layout import ensure_private_dir, settings_path

FORMAT_VERSION = 1

SOURCE_ORDERS = ("title", "date", "recent", "annotated")
"""How the source list may be sorted: by title within folders (natural order), newest date
first, most recently read first, most annotated first."""


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str | None = None
    """The Textual theme chosen in the palette; None: the default one."""
    citation_format: str | None = None
    """The format `Y` chose for `y` (and `readmark cite`)."""
    citation_default: str | None = None
    """The configuration's `[citation] default` when `Y` chose: editing the configuration
    afterwards overrides the choice (the newer decision wins)."""
    hidden_panes: tuple[str, ...] = ()
    """Side panes the user hid (`sources`, `sidebar`); shown panes are the default."""
    source_order: str = "title"
    last_find: str = ""
    """The last words looked for in a source with `/`."""
    export_folders: dict[str, str] = field(default_factory=dict)
    """Where the reader's export writes, per vault (by the vault's folder name and hash)."""


def load_settings(path: Path | None = None) -> Settings:
    """The settings on disk; the defaults for whatever is missing or malformed."""
    where = settings_path() if path is None else path
    try:
        raw = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    return _from_json(raw)


def _from_json(raw: object) -> Settings:
    if not isinstance(raw, dict):
        return Settings()
    found: dict[str, Any] = {}
    for name in ("theme", "citation_format", "citation_default"):
        value = raw.get(name)
        if isinstance(value, str) and value:
            found[name] = value
    panes = raw.get("hidden_panes")
    if isinstance(panes, list):
        found["hidden_panes"] = tuple(p for p in panes if isinstance(p, str))
    order = raw.get("source_order")
    if order in SOURCE_ORDERS:
        found["source_order"] = order
    last = raw.get("last_find")
    if isinstance(last, str):
        found["last_find"] = last
    folders = raw.get("export_folders")
    if isinstance(folders, dict):
        found["export_folders"] = {
            str(k): v for k, v in folders.items() if isinstance(v, str) and v
        }
    return Settings(**found)


def _to_json(settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = {"version": FORMAT_VERSION}
    for item in fields(settings):
        value = getattr(settings, item.name)
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


class UserSettings:
    """The settings in force for this process, changed and written back as one."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = settings_path() if path is None else path
        self._lock = threading.Lock()
        self._current = load_settings(self.path)

    @property
    def current(self) -> Settings:
        return self._current

    def change(self, **changes: Any) -> Settings:
        """Take the changes in memory (at once); `save` writes them."""
        with self._lock:
            self._current = replace(self._current, **changes)
            return self._current

    def save(self) -> bool:
        """Write the settings as they are now; False when they cannot be written."""
        with self._lock:
            data = json.dumps(_to_json(self._current), indent=1, ensure_ascii=True)
            try:
                ensure_private_dir(self.path.parent)
                write_atomic(self.path, data.encode("ascii"))
            except OSError:
                return False
            return True

    def remember(self, **changes: Any) -> bool:
        """`change` then `save`; blocks on the disk (call it from a worker in a UI)."""
        self.change(**changes)
        return self.save()
