"""Times written at the start of a line: `[4:04](url) text`, `- [00:00] text`, `00:00 text`,
`**00:00** text`, `**0:47** · Name: text`, `\\[04:10\\] text` (escaped by Markdown exporters),
ranges (`[00:00–00:02]`) and key points (`- **Title** ([0:54](url)) - text`)."""

from __future__ import annotations

import re

from readmark.library.readers.text.labels import LABELLED, speaker_name
from readmark.library.readers.text.lines import Kind, Line
from readmark.library.timecode import CLOCK_PATTERN, clock_seconds, parse_clock

# One clock group for every wrapping (`[..](url)`, `[..]`, `(..)`, `**..**`, bare), so a
# transcript line costs one match; mismatched brackets are tolerated.
_STAMP = (
    r"(?P<open>\[|\(|\*\*\[?|\\\[)?(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{2})"
    rf"(?:[.,](?P<f>\d{{1,3}}))?(?:\s*[-–—]\s*(?P<to>{CLOCK_PATTERN}))?(?![\d:])"
    r"(?:\]\([^)\s]*\)|\]?\*\*|\\?\]|\))?"
)
_MARKER = r"(?:[-*+•]|\d{1,3}[.)])"
_TIMED = re.compile(rf"(?:{_MARKER}\s+)?{_STAMP}(?:\s*[-–—:|·]\s*|\s+|$)")
_KEYPOINT = re.compile(
    rf"{_MARKER}\s+\*\*(?P<title>[^*]+?)\*\*\s*[:\-–—]?\s*\(\s*{_STAMP}\s*\)"
    r"\s*(?:[-–—:|]\s*)?(?P<text>.*)"
)
# `stamped` unpacks the groups of `_TIMED` by position.
assert tuple(_TIMED.groupindex) == ("open", "h", "m", "s", "f", "to")


def stamped(s: str) -> Line | None:
    """Line `s` (stripped) read as a timed line, a time alone or a key point; None when it does
    not start with a time."""
    if "*" in s[:6]:
        point = _KEYPOINT.fullmatch(s)
        if point:
            seconds = clock_seconds(*point.group("h", "m", "s", "f"))
            line = Line(Kind.KEYPOINT, s, point.group("text"), seconds, point.group("title"))
            if point.group("to") is not None:
                line.end = parse_clock(point.group("to"))
            return line
    timed = _TIMED.match(s)
    if not timed:
        return None
    opened, hours, minutes, secs, fraction, to = timed.groups()
    seconds = clock_seconds(hours, minutes, secs, fraction)
    if seconds is None:
        return None
    text = s[timed.end() :]
    if not text:
        return Line(Kind.TIME_ALONE, s, time=seconds)
    # Positional: this runs once per transcript line.
    line = Line(Kind.TIMED, s, text, seconds, None, 0, True, opened is None)
    if to is not None:
        line.end = parse_clock(to)
    if ":" in text[:48]:
        labelled = LABELLED.fullmatch(text)
        if labelled:
            label = speaker_name((labelled.group("bold") or labelled.group("label") or "").strip())
            if label is not None:
                line.label = label
                line.said_at = labelled.start("text")
    return line
