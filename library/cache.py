"""A per-file cache of list entries, so listing a vault again only stats its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from readmark.library.collector import collector_paused
from readmark.library.durable import write_atomic
from readmark.library.formats import registry
from readmark.library.layout import ensure_private_dir

LISTING_SHAPE = 5
"""Bump when the cached shape or what every list entry holds changes; a change to one format is
that format's `Format.version` (see `cache_version`)."""


NAME_ERRORS = "surrogatepass"
"""File names that are not UTF-8 are kept as Python reads them (lone surrogates) in the cache."""


def cache_version() -> str:
    """The version a cache must carry to be read: the entries' shape and the registered formats,
    so that adding or changing a format makes every entry again (a file once skipped as
    "not a format readmark reads" may be one now)."""
    return f"{LISTING_SHAPE}-{registry().fingerprint}"


class CacheEntry(NamedTuple):
    """What a scan learnt about one file, valid while its size and mtime stay the same.

    A tuple rather than a dataclass: a warm listing builds one per file, and tuples are cheap.
    """

    size: int
    mtime_ns: int
    summary: dict[str, Any] | None
    """`SourceSummary.to_json()` of a source, or None for a skipped file."""
    skipped: str | None = None
    """Why the file is not a source."""

    def matches(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


def read_cache(path: Path) -> dict[str, CacheEntry]:
    """Entries by vault-relative path; a missing, corrupt or foreign cache reads as empty."""
    # Loading makes a few objects per cached file and no cycles (collecting over them was a
    # third of a warm 100,000-file list).
    try:
        with collector_paused():
            data = _read_json(path)
            if data.get("version") != cache_version():
                return {}
            return {rel: CacheEntry(*row) for rel, row in data["entries"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write_cache(path: Path, entries: dict[str, CacheEntry]) -> bool:
    """Replace the cache atomically (see `library.durable`); False when it cannot be written."""
    entries_json = {rel: list(entry) for rel, entry in sorted(entries.items())}
    return _write_json(path, {"version": cache_version(), "entries": entries_json})


FileStamps = list[list[Any]]
"""`[path, size, mtime_ns]` of every file a listing found, sorted: what its ids depend on."""


def read_ids(path: Path, stamps: FileStamps) -> list[str] | None:
    """The source ids recorded with exactly these file stamps, or None (another set of files,
    a file changed, another version, or no readable record)."""
    try:
        data = _read_json(path)
        if data.get("version") != cache_version() or data.get("stamps") != stamps:
            return None
        ids = data["ids"]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return ids if isinstance(ids, list) and all(isinstance(i, str) for i in ids) else None


def write_ids(path: Path, stamps: FileStamps, ids: list[str]) -> bool:
    """Record the source ids a listing of these files gave; False when it cannot be written."""
    return _write_json(path, {"version": cache_version(), "stamps": stamps, "ids": ids})


def _read_json(path: Path) -> Any:
    """The record at `path` as JSON wrote it (names that were not UTF-8 kept as written)."""
    with path.open("rb") as file:
        return json.loads(file.read().decode("utf-8", NAME_ERRORS))


def _write_json(path: Path, payload: dict[str, Any]) -> bool:
    """Replace the record at `path` atomically; False when it cannot be written."""
    # `dumps`, not `dump`: only the one-shot path uses json's C encoder (10x faster).
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        ensure_private_dir(path.parent)
        write_atomic(path, text.encode("utf-8", NAME_ERRORS))
    except OSError:
        return False
    return True
