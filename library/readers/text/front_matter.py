"""Front matter: split YAML (`---`) or TOML (`+++`, as Hugo writes it) off a Markdown file and
normalise the keys found in the wild."""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass, field

from readmark.library.readers.text.dates import parse_date
from readmark.library.safe_text import shorten
from readmark.library.timecode import try_parse_timecode

_OPEN = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)
# A chapter written as a string: "0:00 Intro", "Intro 0:00" or "Intro (0:00)".
_CHAPTER_TIME_FIRST = re.compile(r"^\s*[\[(]?([\d:.,]+)[\])]?\s*[-–—:]?\s*(.+?)\s*$")
_CHAPTER_TIME_LAST = re.compile(r"^\s*(.+?)\s*[-–—:]?\s*[\[(]?([\d:.,]+)[\])]?\s*$")
_ISO_DURATION = re.compile(
    r"P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?",
    re.IGNORECASE,
)
_ISO_UNITS = (604800.0, 86400.0, 3600.0, 60.0, 1.0)
"""Seconds in a week, day, hour, minute and second: the groups of `_ISO_DURATION`."""
_NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
_DATE_KEYS = ("upload_date", "date", "published", "published_at", "release_date", "created")
_DURATION_KEYS = ("duration_seconds", "duration", "length")
_WIKI_LINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file split into its front matter and body."""

    meta: dict[str, object]
    """The parsed YAML mapping; empty when absent or unreadable."""
    body: str
    """The text after the closing `---` (the whole text when there is no front matter)."""
    body_line: int
    """1-based line number in the file where `body` starts."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter given by the metadata."""

    title: str
    start: float
    end: float | None = None


@dataclass(slots=True)
class Metadata:
    """What the front matter says about the source, in `Source` terms."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    channel: str | None = None
    url: str | None = None
    date: str | None = None
    """ISO date."""
    duration: float | None = None
    """Seconds."""
    tags: list[str] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Values that are there but could not be read, and so were left out."""


def split_front_matter(text: str) -> FrontMatter:
    """Split `---` YAML front matter off `text`; malformed YAML gives a warning, never an error."""
    opening = _OPEN.match(text)
    if not opening:
        return FrontMatter({}, text, 1)
    fence = opening.group(1)
    closing = (_TOML_CLOSE if fence == "+++" else _CLOSE).search(text, opening.end())
    if not closing:
        return FrontMatter({}, text, 1, [f"front matter has no closing '{fence}'; read as text"])
    raw = text[opening.end() : closing.start()]
    body_start = text.find("\n", closing.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    body_line = text.count("\n", 0, closing.end()) + 2
    if fence == "+++":
        return _toml(raw, body, body_line)
    # Loaded here, not at import: most sources in a listing are read from its cache, and the
    # app starts faster without the YAML modules.
    import frontmatter
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loaded = frontmatter.YAMLHandler().load(raw, Loader=loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        return FrontMatter(
            {}, body, body_line, [f"front matter is not valid YAML{where}; metadata ignored"]
        )
    except (ValueError, TypeError, RecursionError):
        return FrontMatter(
            {}, body, body_line, ["front matter is not valid YAML; metadata ignored"]
        )
    if loaded is None:
        return FrontMatter({}, body, body_line)
    if not isinstance(loaded, dict):
        return FrontMatter(
            {}, body, body_line, ["front matter is not a list of 'key: value' lines; ignored"]
        )
    return FrontMatter({str(k).lower(): v for k, v in loaded.items()}, body, body_line)


def _toml(raw: str, body: str, body_line: int) -> FrontMatter:
    try:
        loaded = tomllib.loads(raw.replace("\r\n", "\n"))
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        where = re.search(r"line (\d+)", str(error))
        line = f" (line {int(where.group(1)) + 1})" if where else ""
        return FrontMatter(
            {}, body, body_line, [f"front matter is not valid TOML{line}; metadata ignored"]
        )
    return FrontMatter({str(k).lower(): v for k, v in loaded.items()}, body, body_line)


def read_metadata(meta: dict[str, object]) -> Metadata:
    """Normalise keys that vary between tools (`channel`/`uploader`, `upload_date`/`date`...)."""
    authors = _names(_first(meta, "authors", "author", "creator", "creators", "by"))
    chapters = _chapters(_first(meta, "chapters_json", "chapters"))
    warnings: list[str] = []
    duration = _duration(meta, warnings)
    if duration is None and chapters and chapters[-1].end is not None:
        duration = chapters[-1].end
    return Metadata(
        title=_string(_first(meta, "title", "name")),
        authors=authors,
        speakers=_names(_first(meta, "speakers", "participants", "hosts")),
        channel=_channel(_first(meta, "channel", "uploader", "publication", "site_name", "site"))
        or (authors[0] if authors else None),
        url=_url(meta),
        date=_date(meta, warnings),
        duration=duration,
        tags=_tags(_first(meta, "tags", "keywords", "tag")),
        chapters=chapters,
        warnings=warnings,
    )


def _first(meta: dict[str, object], *keys: str) -> object:
    for key in keys:
        value = meta.get(key)
        if value is not None and value != "" and value != []:
            return value
    return None


def _string(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        text = " ".join(str(value).split())
        return text or None
    return None


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        value = _unlinked(value)
        parts = re.split(r"\s*[;,]\s*|\s+and\s+|\s*&\s*", value)
    elif isinstance(value, list):
        parts = []
        for item in value:
            name = item.get("name") if isinstance(item, dict) else item
            text = _string(_unlinked(name) if isinstance(name, str) else name)
            if text:
                parts.append(text)
    else:
        return []
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def _channel(value: object) -> str | None:
    text = _string(value)
    return _unlinked(text) if text else None


def _unlinked(text: str) -> str:
    """`[[Lex Fridman]]` (a wiki link, as Obsidian notes write names) is `Lex Fridman`."""
    return _WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), text) if "[[" in text else text


def _tags(value: object) -> list[str]:
    if isinstance(value, str):
        items: list[object] = list(re.split(r"[,;]|\s+(?=#)", value))
    elif isinstance(value, list):
        items = list(value)
    else:
        return []
    tags = (_string(item) for item in items)
    return list(dict.fromkeys(t.lstrip("#").strip() for t in tags if t and t.lstrip("#").strip()))


def _url(meta: dict[str, object]) -> str | None:
    for key in ("url", "webpage_url", "original_url", "source_url", "source", "link"):
        text = _string(meta.get(key))
        # `source` often names a site rather than linking to it.
        if text and ("://" in text or text.startswith("www.")):
            return text
    return None


def _first_key(meta: dict[str, object], keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if _first(meta, k) is not None), None)


def _date(meta: dict[str, object], warnings: list[str]) -> str | None:
    """The first readable date; a warning for an unreadable one when none can be read."""
    for key in _DATE_KEYS:
        found = parse_date(meta.get(key))
        if found:
            return found
    unread = _first_key(meta, _DATE_KEYS)
    if unread is not None:
        warnings.append(_date_warning(unread, _shown(meta[unread])))
    return None


def _date_warning(key: str, value: str) -> str:
    if _NUMERIC_DATE.fullmatch(value):
        return (
            f"front matter: {key} {value!r} could be day or month first; "
            "left out (write it as 2026-02-16)"
        )
    return f"front matter: {key} {value!r} is not a date; left out"


def _duration(meta: dict[str, object], warnings: list[str]) -> float | None:
    """Seconds from the duration keys; a warning when the value is not a length of time."""
    key = _first_key(meta, _DURATION_KEYS)
    if key is None:
        return None
    seconds = _seconds(meta[key])
    if seconds is None:
        value = _shown(meta[key])
        warnings.append(f"front matter: {key} {value!r} is not a length of time; left out")
    return seconds


def _shown(value: object) -> str:
    """A value as a warning quotes it: on one line and short."""
    return shorten(str(value), 40, at_word=False)


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an int with hundreds of digits
            return None
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    if isinstance(value, str):
        clock = try_parse_timecode(value)
        return clock if clock is not None else _iso_duration(value)
    return None


def _iso_duration(text: str) -> float | None:
    """Seconds from an ISO 8601 duration such as `PT1H2M3S` (YouTube's API writes these)."""
    match = _ISO_DURATION.fullmatch(text.strip())
    if match is None or not any(match.groups()) or text.strip().upper().endswith("T"):
        return None
    seconds = sum(float(g) * unit for g, unit in zip(match.groups(), _ISO_UNITS, strict=True) if g)
    return seconds if math.isfinite(seconds) else None


def _chapters(value: object) -> list[Chapter]:
    if isinstance(value, str):
        text = value
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            # Not JSON: perhaps one "0:00 Intro" chapter per line.
            value = [line for line in text.splitlines() if line.strip()]
    if not isinstance(value, list):
        return []
    chapters = [c for c in (_chapter(item) for item in value) if c is not None]
    return sorted(chapters, key=lambda c: c.start)


def _chapter(item: object) -> Chapter | None:
    if isinstance(item, dict):
        title = _string(_first(item, "title", "name", "label"))
        start = _seconds(_first(item, "start_time", "start", "time", "timestamp", "t"))
        end = _seconds(_first(item, "end_time", "end"))
        if title is None or start is None:
            return None
        return Chapter(title, start, end if end is not None and end > start else None)
    if isinstance(item, str):
        for pattern, time_group in ((_CHAPTER_TIME_FIRST, 1), (_CHAPTER_TIME_LAST, 2)):
            match = pattern.match(item)
            if match:
                start = try_parse_timecode(match.group(time_group))
                title = match.group(3 - time_group).strip()
                if start is not None and title:
                    return Chapter(title, start)
    return None
