"""File-name-safe names: a folder per source, and checks on annotation ids typed by a user."""

from __future__ import annotations

import hashlib
import re
import unicodedata

SLUG_TEXT_CHARS = 40
"""Longest readable part of a source slug; the hash keeps it unique, so this only aids reading."""

HASH_CHARS = 10
"""Hex digits of the source id's hash ending every slug (40 bits: collisions are negligible)."""

MAX_ID_CHARS = 64

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ID = re.compile(rf"[0-9a-z]{{1,{MAX_ID_CHARS}}}")


def source_slug(source_id: str) -> str:
    """A folder name for a source: a readable ASCII part plus a short hash of the exact id.

    Only `a-z`, `0-9` and `-`, never empty, never starting with a dot, at most 51 characters,
    so it is safe on every filesystem (including case-insensitive ones) and unique per source id.
    """
    digest = hashlib.sha256(source_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    ascii_text = unicodedata.normalize("NFKD", source_id).encode("ascii", "ignore").decode()
    readable = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(readable) > SLUG_TEXT_CHARS:
        # Keep the end: the file name tells sources apart better than the folders above it.
        tail = readable[-SLUG_TEXT_CHARS:]
        if readable[-SLUG_TEXT_CHARS - 1] != "-" and "-" in tail:
            tail = tail.split("-", 1)[1]  # drop the cut word
        readable = tail.strip("-")
    return f"{readable}-{digest}" if readable else digest


def is_valid_annotation_id(text: str) -> bool:
    """True for ids made only of lowercase letters and digits (the alphabet of generated ids).

    Such an id is a plain file name: no separators, no dots, so it can never leave the store.
    """
    return _ID.fullmatch(text) is not None
