"""Reading: where the reader was (the open source and the cursor in each source, kept between
runs), and where a place in a source went when the source changed on disk.

The reading state is stored per user, outside the vault (one file per vault in the user's state
folder): where one person stopped reading is not something a synced or shared vault should carry
to others. A position an older readmark kept in `<vault>/.readmark/state.json` is read once,
while the new file is missing; that old file is left alone. This is a convenience, never worth
an error: a missing or damaged file reads as a fresh start, and a failed write is reported as
False.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readmark.annotations.model import Kind
from readmark.library.durable import write_atomic
from readmark.library.layout import VaultLayout, ensure_private_dir
from readmark.library.model import Source

FORMAT_VERSION = 1
MAX_SOURCES = 1000
"""Sources whose cursor is remembered; the least recently read are forgotten first."""


READ_THROUGH = 0.95
"""A source read this far counts as read."""


@dataclass(slots=True)
class ReadingState:
    open_source: str | None = None
    """The source that was open when readmark last saved its state."""
    offsets: dict[str, int] = field(default_factory=dict)
    """Cursor char offset (into `Source.text`) per source id, least recently read first."""
    progress: dict[str, float] = field(default_factory=dict)
    """How far each source was read, at the furthest (0 to 1 of its text)."""

    def read_to(self, source_id: str, share: float) -> None:
        """Note that `source_id` was read up to `share` of its text (the furthest counts)."""
        share = min(max(share, 0.0), 1.0)
        if share > self.progress.get(source_id, 0.0):
            self.progress[source_id] = share

    def recent(self) -> list[str]:
        """Source ids, the most recently read first."""
        return list(reversed(self.offsets))

    def offset_of(self, source_id: str) -> int:
        """Where to put the cursor when `source_id` opens; 0 when it was never read."""
        return self.offsets.get(source_id, 0)

    def remember(self, source_id: str, offset: int) -> None:
        """Record that `source_id` is open with the cursor at `offset`."""
        self.open_source = source_id
        self.offsets.pop(source_id, None)
        self.offsets[source_id] = max(0, offset)
        while len(self.offsets) > MAX_SOURCES:
            forgotten = next(iter(self.offsets))
            del self.offsets[forgotten]
            self.progress.pop(forgotten, None)

    def forget(self, source_id: str) -> None:
        """Drop a source that no longer exists."""
        self.offsets.pop(source_id, None)
        self.progress.pop(source_id, None)
        if self.open_source == source_id:
            self.open_source = None


def state_path(vault: Path) -> Path:
    return VaultLayout(vault).reading_state


def load_reading_state(vault: Path) -> ReadingState:
    """The saved state, or a fresh one when the file is missing, unreadable or malformed."""
    layout = VaultLayout(vault)
    try:
        text = layout.reading_state.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = _legacy_text(layout)
    except (OSError, ValueError):
        return ReadingState()
    try:
        raw = json.loads(text)
    except ValueError:
        return ReadingState()
    return _from_json(raw)


def _legacy_text(layout: VaultLayout) -> str:
    try:
        return layout.legacy_reading_state.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return ""


def save_reading_state(vault: Path, state: ReadingState) -> bool:
    """Write the state atomically; False when it cannot be written (the run goes on)."""
    path = state_path(vault)
    # ASCII with escapes: a file name that is not UTF-8 round-trips as its lone surrogates.
    data = json.dumps(_to_json(state), indent=1).encode("ascii")
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, data)
    except OSError:
        return False
    return True


def _to_json(state: ReadingState) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "open": state.open_source,
        "offsets": state.offsets,
        "progress": {k: round(v, 4) for k, v in state.progress.items()},
    }


def _from_json(raw: object) -> ReadingState:
    """Keep what is well-formed and skip the rest, entry by entry."""
    if not isinstance(raw, dict):
        return ReadingState()
    state = ReadingState()
    offsets = raw.get("offsets")
    if isinstance(offsets, dict):
        for source_id, offset in offsets.items():
            # bool is an int subclass; `true` is not an offset.
            if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0:
                state.offsets[source_id] = offset
    progress = raw.get("progress")
    if isinstance(progress, dict):
        for source_id, share in progress.items():
            if isinstance(share, (int, float)) and not isinstance(share, bool):
                if 0 <= share <= 1:
                    state.progress[source_id] = float(share)
    open_source = raw.get("open")
    if isinstance(open_source, str) and open_source:
        state.open_source = open_source
    return state


def follow_span(old: Source, start: int, end: int, new: Source) -> int:
    """Where `old.text[start:end]` stands in `new.text`, found by its words and context as an
    annotation is; else the same offset, kept inside the new text."""
    # Here, not at the top: the reader loads this module to start, and anchoring only when a
    # source it shows has changed.
    from readmark.annotations.anchoring import ReanchorStatus, new_annotation, reanchor

    if 0 <= start < end <= len(old.text) and new.text:
        try:
            found = reanchor(new_annotation(old, start, end, Kind.HIGHLIGHT), new)
        except Exception:  # noqa: BLE001 - a lost cursor is not worth an error
            found = None
        if found is not None and found.status is not ReanchorStatus.ORPHANED:
            return found.annotation.span[0]
    return max(0, min(start, len(new.text) - 1))
