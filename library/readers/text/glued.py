"""Page text glued together by copying a web page: `The Long Field ShowMar 3, 20251h 47m` is a
show's name, the episode's date and its length."""

from __future__ import annotations

import re
from dataclasses import dataclass

from readmark.library.readers.text.dates import parse_date
from readmark.library.timecode import try_parse_timecode

_GLUED = re.compile(
    r"(?P<channel>\S.{0,79}?[a-z0-9)!?])"
    r"(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2}, \d{4})"
    r"(?P<length>(?:\d{1,2}h ?)?(?:\d{1,2} ?m(?:in)?)?(?: ?\d{1,2} ?s)?)"
)
_LOOKAHEAD = 12
"""How many lines from the top such a line may stand on."""


@dataclass(frozen=True, slots=True)
class GluedHeader:
    """What a glued line says, and where it is."""

    line: int
    """Index of the glued line in the body lines."""
    channel: str
    date: str
    duration: float | None


def read_glued_header(lines: list[str]) -> GluedHeader | None:
    """The first glued channel-date-length line near the top, or None."""
    for i, raw in enumerate(lines[: _LOOKAHEAD * 2]):
        line = raw.strip()
        if not line or len(line) > 140 or line[0] in "#-*>[|":
            continue
        glued = _GLUED.fullmatch(line)
        date = parse_date(glued.group("date")) if glued else None
        if glued is None or date is None:
            continue
        length = glued.group("length").replace(" ", "").replace("min", "m")
        duration = try_parse_timecode(length) if length else None
        return GluedHeader(i, glued.group("channel").strip(), date, duration)
    return None
