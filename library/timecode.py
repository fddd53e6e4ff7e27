"""Timecodes: parse the many ways files write a moment, format them back, and link to them."""

from __future__ import annotations

import math
import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit


class TimecodeError(ValueError):
    """A string is not a time readmark understands."""


CLOCK_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
"""A clock time: `4:04`, `04:04`, `1:02:03`, `00:00:05,500` (regex fragment, no groups)."""

CLOCK_GROUPS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
"""`CLOCK_PATTERN` with its hours, minutes, seconds and fraction as groups, for `clock_seconds`."""

CUE_CLOCK_GROUPS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
"""`CLOCK_GROUPS` as a subtitle timing line may write it: some writers drop the zero padding
(`0:0:6.510`, `0:1:4.500`)."""

_CLOCK = re.compile(CLOCK_GROUPS)
_UNITS = re.compile(
    r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s?)?",
    re.IGNORECASE,
)
_BRACKETS = "[]()"
_SMALL = {f"{n:0{width}d}": n for n in range(100) for width in (1, 2)}
"""`"07"` -> 7: a dict lookup is several times cheaper than int() on a hot path."""


def clock_seconds(
    hours: str | None, minutes: str, seconds: str, fraction: str | None
) -> float | None:
    """Seconds from the digit groups of a clock (`1`, `02`, `03`, `5` for `1:02:03.5`).

    None when the seconds, or the minutes after hours, reach 60. Every reader's patterns end
    here: it runs once per transcript line and twice per subtitle cue.
    """
    whole_minutes = _SMALL[minutes] if minutes in _SMALL else int(minutes)
    whole_seconds = _SMALL[seconds] if seconds in _SMALL else int(seconds)
    if whole_seconds >= 60 or (hours is not None and whole_minutes >= 60):
        return None
    total = whole_minutes * 60 + whole_seconds
    if hours is not None:
        total += (_SMALL[hours] if hours in _SMALL else int(hours)) * 3600
    if fraction is not None:
        # One division, so 5.56 is the float nearest 5.56 (5 + 0.56 is 5.5600000000000005).
        scale = 10 ** len(fraction)
        return (total * scale + int(fraction)) / scale
    return float(total)


def parse_clock(text: str) -> float | None:
    """Seconds from a clock time alone (`4:04`, `01:02:03,500`); None for anything else."""
    clock = _CLOCK.fullmatch(text)
    return clock_seconds(*clock.groups()) if clock else None


def parse_timecode(text: str) -> float:
    """Seconds from `4:04`, `1:02:03`, `00:00:05,500`, `[12:34]`, `(12:34)`, `244s`, `1h2m3s`.

    Raises `TimecodeError` for anything else, including negative or empty input.
    """
    raw = text.strip().strip(_BRACKETS).strip()
    if not raw:
        raise TimecodeError(f"{text!r} is not a time")
    clock = _CLOCK.fullmatch(raw)
    if clock:
        seconds = clock_seconds(*clock.groups())
        if seconds is None:
            hours, minutes = clock.group(1, 2)
            unit = "minutes" if hours is not None and int(minutes) >= 60 else "seconds"
            raise TimecodeError(f"{text!r}: {unit} must be under 60")
        return seconds
    units = _UNITS.fullmatch(raw)
    if units and any(units.groups()):
        hours_u, minutes_u, seconds_u = (float(g) if g else 0.0 for g in units.groups())
        total_u = hours_u * 3600 + minutes_u * 60 + seconds_u
        # Hundreds of digits make an infinite float, which no clock or link can show.
        if not math.isfinite(total_u):
            raise TimecodeError(f"{text[:40]!r}... is too large to be a time")
        return total_u
    raise TimecodeError(f"{text!r} is not a time (try 4:04, 1:02:03 or 244s)")


def try_parse_timecode(text: str) -> float | None:
    """`parse_timecode`, or None when the text is not a time."""
    try:
        return parse_timecode(text)
    except TimecodeError:
        return None


def _whole(seconds: float) -> int:
    """Whole seconds, never negative; 0 for infinity or NaN, which `int` refuses."""
    return max(int(seconds), 0) if math.isfinite(seconds) else 0


def format_timecode(seconds: float, *, hours: bool = False) -> str:
    """`4:04`, or `1:02:03` past an hour (or always with `hours=True`); fractions are dropped."""
    whole = _whole(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    if h or hours:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def format_compact(seconds: float) -> str:
    """`1h2m3s` form, as YouTube's `t=` parameter accepts it."""
    whole = _whole(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{h}h" if h else "", f"{m}m" if m else "", f"{s}s" if s or not (h or m) else ""]
    return "".join(parts)


_TIME_KEYS = ("t", "start", "time_continue")


def time_from_url(url: str) -> float | None:
    """The moment a URL points at: `&t=244s`, `?t=1h2m3`, `#t=244`, `#t=1:02`, `&start=244`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    for chunk in (parts.query, parts.fragment):
        for key, value in parse_qsl(chunk, keep_blank_values=False):
            if key in _TIME_KEYS:
                # A media fragment may give a range `t=10,20`: the start is what matters.
                seconds = try_parse_timecode(value.split(",")[0])
                if seconds is not None:
                    return seconds
    return None


def url_at_time(url: str, seconds: float) -> str:
    """A link to `seconds` into the media at `url`.

    YouTube takes `t=244s` in the query (youtu.be likewise), Vimeo a `#t=244s` fragment,
    anything else the W3C media fragment `#t=244`. An existing time in the URL is replaced.
    """
    if not math.isfinite(seconds):
        return url
    whole = _whole(seconds)
    untimed = _untimed(url)
    if untimed is None:
        return url
    parts, query, fragment, _ = untimed
    host = (parts.hostname or "").lower()
    if host.endswith(("youtube.com", "youtu.be", "youtube-nocookie.com")):
        query.append(("t", f"{whole}s"))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=fragment))
    if host.endswith("vimeo.com"):
        return urlunsplit(parts._replace(query=urlencode(query), fragment=f"t={whole}s"))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=f"t={whole}"))


def _fragment_is_time(fragment: str) -> bool:
    return any(key in _TIME_KEYS for key, _ in parse_qsl(fragment))


def url_without_time(url: str) -> str:
    """`url` with the moment it points at removed: `youtu.be/ABC?t=5` -> `youtu.be/ABC`."""
    untimed = _untimed(url)
    if untimed is None or not untimed[3]:
        return url  # nothing to remove: keep the query as written, not re-encoded
    parts, query, fragment, _ = untimed
    return urlunsplit(parts._replace(query=urlencode(query), fragment=fragment))


def _untimed(url: str) -> tuple[SplitResult, list[tuple[str, str]], str, bool] | None:
    """`url`'s parts, its query pairs and fragment without a time, and whether it had one;
    None when it is not a URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if k not in _TIME_KEYS]
    timed_fragment = _fragment_is_time(parts.fragment)
    fragment = "" if timed_fragment else parts.fragment
    return parts, query, fragment, timed_fragment or len(query) != len(pairs)
