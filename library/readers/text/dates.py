"""Dates as files write them (`2026-02-16`, `20260216`, `March 3, 2026`, `Thu Feb 12 2026
19:00:00 GMT-0500`), read into ISO form."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_NUMERIC_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_BROWSER = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+([A-Za-z]{3,9})\s+(\d{1,2}),?\s+(\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:GMT|UTC)(?:[+-]\d{4})?)?(?:\s+\([^()]*\))?)?"
)
"""`Thu Feb 12 2026 19:00:00 GMT-0500 (Eastern Standard Time)`, as a browser prints a date: the
date as written is the writer's own day (not moved to UTC)."""
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_date(value: object) -> str | None:
    """ISO `YYYY-MM-DD` from a date object, `20260216`, `2026-02-16[T...]`, `March 3, 2026`,
    `Thu Feb 12 2026 19:00:00 GMT-0500 (...)`, or `16/02/2026` when the day is over 12.

    Anything else, including impossible dates, gives None.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern, order in (
        (_ISO, "ymd"),
        (_COMPACT, "ymd"),
        (_SLASHED, "ymd"),
        (_MONTH_FIRST, "mdy"),
        (_DAY_FIRST, "dmy"),
        (_BROWSER, "mdy"),
    ):
        match = pattern.fullmatch(text)
        if match:
            return _assemble(dict(zip(order, match.groups()[:3], strict=True)))
    return _day_first_numbers(text)


def _day_first_numbers(text: str) -> str | None:
    """`16/02/2026` read day first, only when the day is over 12 and so cannot be a month."""
    match = _NUMERIC_DAY_FIRST.fullmatch(text)
    if match is None or int(match.group(1)) <= 12:
        return None
    return _assemble({"d": match.group(1), "m": match.group(3), "y": match.group(4)})


def _assemble(parts: dict[str, str]) -> str | None:
    month_text = parts["m"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
    if month is None:
        return None
    try:
        return dt.date(int(parts["y"]), month, int(parts["d"])).isoformat()
    except ValueError:
        return None
