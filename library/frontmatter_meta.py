"""YAML front matter: split it off a Markdown file and normalise the keys found in the wild."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import frontmatter
import yaml

from library.text_dates import parse_date
from library.timecode import try_parse_timecode

_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HANDLER = frontmatter.YAMLHandler()
# A chapter written as a string: "0:00 Intro", "Intro 0:00" or "Intro (0:00)".
_CHAPTER_TIME_FIRST = re.compile(r"^\s*[\[(]?([\d:.,]+)[\])]?\s*[-–—:]?\s*(.+?)\s*$")
_CHAPTER_TIME_LAST = re.compile(r"^\s*(.+?)\s*[-–—:]?\s*[\[(]?([\d:.,]+)[\])]?\s*$")


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


def split_front_matter(text: str) -> FrontMatter:
    """Split `---` YAML front matter off `text`; malformed YAML gives a warning, never an error."""
    opening = _OPEN.match(text)
    if not opening:
        return FrontMatter({}, text, 1)
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        return FrontMatter({}, text, 1, ["front matter has no closing '---'; read as text"])
    raw = text[opening.end() : closing.start()]
    body_start = text.find("\n", closing.end())
    body = "" if body_start < 0 else text[body_start + 1 :]
    body_line = text.count("\n", 0, closing.end()) + 2
    try:
        loaded = _HANDLER.load(raw, Loader=_LOADER)
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


def read_metadata(meta: dict[str, object]) -> Metadata:
    """Normalise keys that vary between tools (`channel`/`uploader`, `upload_date`/`date`...)."""
    authors = _names(_first(meta, "authors", "author", "creator", "creators", "by"))
    chapters = _chapters(_first(meta, "chapters_json", "chapters"))
    duration = _seconds(_first(meta, "duration_seconds", "duration", "length"))
    if duration is None and chapters and chapters[-1].end is not None:
        duration = chapters[-1].end
    return Metadata(
        title=_string(_first(meta, "title", "name")),
        authors=authors,
        speakers=_names(_first(meta, "speakers", "participants", "hosts")),
        channel=_string(_first(meta, "channel", "uploader", "publication", "site_name", "site"))
        or (authors[0] if authors else None),
        url=_url(meta),
        date=_date(meta),
        duration=duration,
        tags=_tags(_first(meta, "tags", "keywords", "tag")),
        chapters=chapters,
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
        parts = re.split(r"\s*[;,]\s*|\s+and\s+|\s*&\s*", value)
    elif isinstance(value, list):
        parts = []
        for item in value:
            name = item.get("name") if isinstance(item, dict) else item
            text = _string(name)
            if text:
                parts.append(text)
    else:
        return []
    return list(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


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


def _date(meta: dict[str, object]) -> str | None:
    for key in ("upload_date", "date", "published", "published_at", "release_date", "created"):
        found = parse_date(meta.get(key))
        if found:
            return found
    return None


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
        return try_parse_timecode(value)
    return None


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
