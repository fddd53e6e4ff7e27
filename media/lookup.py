"""Which audio or video goes with a source, and where its clock starts.

In order: the front matter's `media:` (a path relative to the source's folder, or a URL);
else a file beside the source with the same name and an audio or video extension; else, only
when asked to play online, the source's `url`. `media_offset` (seconds, or a clock such as
`1:05`) is where the source's time 0 falls in the media: media time = source time + offset.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from readmark.library.decoding import decode_head
from readmark.library.readers.text.front_matter import split_front_matter
from readmark.library.timecode import TimecodeError, parse_timecode, url_without_time

MEDIA_EXTENSIONS: tuple[str, ...] = (
    ".opus",
    ".ogg",
    ".m4a",
    ".mp3",
    ".wav",
    ".flac",
    ".webm",
    ".mp4",
    ".mkv",
)
"""Extensions of a media file beside a source, in order of preference."""
FRONT_MATTER_BYTES = 2 * 1024 * 1024
"""How far into a source its front matter is looked for."""
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
"""`en`, `en-US`, `pt_BR`, `en-orig`: the tag a subtitle file adds before its extension."""


class MediaOrigin(StrEnum):
    """Where the media was found."""

    FRONT_MATTER = "front matter"
    BESIDE = "beside the source"
    ONLINE = "the source's url"


@dataclass(frozen=True, slots=True)
class MediaTarget:
    """Something mpv can play, and how the source's clock maps onto it."""

    location: str
    """An absolute file path or a URL, as given to mpv."""
    origin: MediaOrigin
    offset: float = 0.0
    """Seconds: media time = source time + offset."""

    @property
    def is_url(self) -> bool:
        return _is_url(self.location)

    @property
    def path(self) -> Path | None:
        """The local file, or None for a URL."""
        return None if self.is_url else Path(self.location)


@dataclass(frozen=True, slots=True)
class MediaLookup:
    """The outcome of looking for a source's media."""

    media: MediaTarget | None
    message: str = ""
    """When nothing was found: where to put the file or what front matter to add."""
    warnings: list[str] = field(default_factory=list)
    """Values that were there but could not be used (an unreadable `media_offset`)."""
    online_available: bool = False
    """Nothing local was found, but the source's `url` could be played online."""


def find_media(
    source_path: Path,
    meta: Mapping[str, object],
    *,
    url: str | None = None,
    online: bool = False,
) -> MediaLookup:
    """Look for the media of the source file at `source_path`.

    `meta` is the source's raw front matter (`read_front_matter` gives it; `{}` for formats
    without one); `url` is the source's link (`Source.url`), played only when `online`.
    """
    warnings: list[str] = []
    offset = media_offset(meta, warnings)
    folder = source_path.parent
    declared = meta.get("media")
    if declared is not None and declared != "":
        if not isinstance(declared, str) or not declared.strip():
            return MediaLookup(
                None,
                "The front matter's `media:` must be a file path or a URL, "
                f"e.g. `media: {source_path.stem}.opus`.",
                warnings,
            )
        location = declared.strip()
        if _is_url(location):
            return MediaLookup(
                MediaTarget(location, MediaOrigin.FRONT_MATTER, offset), "", warnings
            )
        path = (folder / Path(location).expanduser()).absolute()
        if not _is_file(path):
            return MediaLookup(
                None,
                f"The front matter says `media: {location}`, but there is no file at {path}. "
                "Correct the path (it is relative to the source's folder) or remove the line.",
                warnings,
            )
        return MediaLookup(MediaTarget(str(path), MediaOrigin.FRONT_MATTER, offset), "", warnings)
    beside = media_beside(source_path)
    if beside is not None:
        return MediaLookup(MediaTarget(str(beside), MediaOrigin.BESIDE, offset), "", warnings)
    link = url.strip() if url else ""
    if link and _is_url(link) and online:
        target = MediaTarget(url_without_time(link), MediaOrigin.ONLINE, offset)
        return MediaLookup(target, "", warnings)
    return MediaLookup(None, _nothing_found(source_path, bool(link)), warnings, bool(link))


def media_for_source(
    source_path: Path, *, url: str | None = None, online: bool = False
) -> MediaLookup:
    """`find_media` with the front matter read from the source file itself."""
    return find_media(source_path, read_front_matter(source_path), url=url, online=online)


def media_beside(source_path: Path) -> Path | None:
    """An audio or video file next to the source with the same name (`talk.vtt` and
    `talk.opus`; `talk.en.vtt` also finds `talk.opus`); extensions in any case."""
    folder = source_path.parent.absolute()
    stems = [source_path.stem]
    base, dot, tag = source_path.stem.rpartition(".")
    if dot and base and _LANGUAGE_TAG.fullmatch(tag):
        stems.append(base)
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    by_name: dict[tuple[str, str], str] = {}
    for name in names:
        stem, suffix = os.path.splitext(name)
        if suffix.lower() in MEDIA_EXTENSIONS:
            by_name.setdefault((stem, suffix.lower()), name)
    for stem in stems:
        for extension in MEDIA_EXTENSIONS:
            found = by_name.get((stem, extension))
            if found is not None and _is_file(folder / found):
                return folder / found
    return None


def media_offset(meta: Mapping[str, object], warnings: list[str] | None = None) -> float:
    """The front matter's `media_offset` in seconds (`65`, `-2.5`, `"1:05"`); 0 when absent.

    An unreadable value counts as 0 and adds a warning to `warnings`.
    """
    value = meta.get("media_offset")
    if value is None or value == "":
        return 0.0
    seconds = _signed_seconds(value)
    if seconds is None:
        if warnings is not None:
            shown = " ".join(str(value).split())[:40]
            warnings.append(
                f"front matter: media_offset {shown!r} is not a time; 0 is used "
                "(write seconds such as 65, or a clock such as 1:05)"
            )
        return 0.0
    return seconds


def read_front_matter(source_path: Path) -> dict[str, object]:
    """The raw front matter of the source file (`media`, `media_offset`, ...); `{}` when it
    has none or cannot be read (the source's own loading reports those problems)."""
    try:
        if not stat.S_ISREG(source_path.stat().st_mode):
            return {}
        with source_path.open("rb") as file:
            head = file.read(FRONT_MATTER_BYTES)
    except OSError:
        return {}
    return split_front_matter(decode_head(head)).meta


def _signed_seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:
            return None
        return seconds if math.isfinite(seconds) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    try:
        return sign * parse_timecode(text.lstrip("+-"))
    except TimecodeError:
        return None


def _is_url(location: str) -> bool:
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.isascii() and scheme.isalpha() and len(scheme) > 1


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _nothing_found(source_path: Path, has_url: bool) -> str:
    folder = source_path.parent
    stem = source_path.stem
    names = ", ".join(f"{stem}{ext}" for ext in MEDIA_EXTENSIONS[:4])
    online = " Its url can also be played online." if has_url else ""
    return (
        f"No media for {source_path.name}: put the audio or video beside it in {folder} "
        f"({names}, ...), or add `media: path/or/url` to its front matter.{online}"
    )
