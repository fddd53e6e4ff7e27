"""SubRip (`.srt`) subtitles: numbered cues with `00:00:05,500 --> 00:00:07,000` timing lines.

Forgiving by design: a byte-order mark, CRLF line ends, blank lines inside a cue, a missing
blank line between cues and `.` instead of `,` are all read; a cue whose timing line cannot
be read is skipped with a warning. Cues are merged into readable segments as described in
`library.readers.cues`; `<i>`-style tags, `{\\an8}` placement codes and HTML entities are removed.
"""

from __future__ import annotations

import re

from readmark.library.builder import SourceBuilder
from readmark.library.model import Source
from readmark.library.readers.cues import (
    build_cue_segments,
    duration_of,
    has_inline_timestamps,
    name_extension,
    scan_cues,
    scan_warnings,
    split_lines,
    title_from_stem,
)

FORMAT = "srt"

_TIME = r"\d{1,3}:\d{2}:\d{2}(?:[.,]\d{1,3})?"
# A cue number on its own line, then a timing line: the shape of SubRip. No `\s*` across
# lines, so a head of blank lines cannot make the search slow.
_CUE_START = re.compile(
    rf"^\ufeff?[ \t]*\d+[ \t]*\r?\n[ \t]*{_TIME}[ \t]*-->[ \t]*{_TIME}", re.MULTILINE
)
_HEAD_CHARS = 4096
# How far before its arrow a cue number can start: `123\n00:00:05,500 ` is 21 characters.
_CUE_REACH = 64
# Extensions that say nothing about the content; any other (`.md`, `.vtt`) rules SubRip out.
_AMBIGUOUS = frozenset({"", "txt"})


def sniff(name: str, head: str) -> float:
    """0.95 for a `.srt` file; 0.85 for a `.txt` or extensionless file that looks like SubRip."""
    # Called for every file of a vault listing: the name decides before any text is looked at.
    extension = name_extension(name)
    if extension == "srt":
        return 0.95
    if extension not in _AMBIGUOUS:
        return 0.0
    # Every cue has an arrow: a plain substring search rules out most text at once, and the
    # pattern is only tried from just before the first arrow on.
    arrow = head.find("-->", 0, _HEAD_CHARS)
    if arrow < 0:
        return 0.0
    found = _CUE_START.search(head, max(arrow - _CUE_REACH, 0), _HEAD_CHARS)
    return 0.85 if found else 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    """Parse SubRip text; never fails on malformed cues (they become warnings)."""
    scan = scan_cues(split_lines(text), text_ids=False)
    builder = SourceBuilder(id=source_id, title=title_from_stem(stem), format=FORMAT)
    builder.warnings.extend(scan_warnings(scan))
    build_cue_segments(builder, scan.cues, stem=stem, rolling=has_inline_timestamps(text))
    if not scan.cues:
        builder.warnings.append("No subtitle cues were found; is this really a SubRip file?")
    return builder.build(duration=duration_of(scan.cues))
