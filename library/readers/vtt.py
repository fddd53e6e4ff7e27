"""WebVTT (`.vtt`) subtitles, including YouTube auto captions and chapter tracks.

Read: the `WEBVTT` header, cue ids (numeric or text), timing lines with or without hours and
with cue settings (`position:10% align:start region:fred`, ignored), multi-line cues (joined
with a space). Skipped: NOTE, STYLE and REGION blocks. Removed from text: `<b>`, `<i>`,
`<u>`, `<c.class>`, `<lang en>`, `<ruby>` (with its `<rt>` reading), inline word timings;
entities are decoded. Speakers come from `<v Name>` / `<v.loud Name>` or `Name:` prefixes.

YouTube auto captions repeat the previous cue's last line at the top of each cue (and add
10 ms "hold" cues); when a file has inline word timings or most cues repeat a line, those
repeats are dropped so the text reads once.

Chapter tracks (a stem ending in `chapters`, or short title-like cues with a median length
of 20 s or more) become one HEADING segment per chapter plus an outline entry for each, so
the file is both readable and navigable. Other cues are merged into readable CUE segments
as described in `library.readers.cues`.
"""

from __future__ import annotations

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

FORMAT = "vtt"

# Extensions that say nothing about the content; any other (`.md`, `.srt`) rules WebVTT out.
_AMBIGUOUS = frozenset({"", "txt"})


def sniff(name: str, head: str) -> float:
    """1.0 for a `.vtt`, `.txt` or extensionless file with a `WEBVTT` header; 0.9 for a `.vtt`."""
    # Called for every file of a vault listing: the name decides before any text is looked at.
    extension = name_extension(name)
    if extension != "vtt" and extension not in _AMBIGUOUS:
        return 0.0
    if head.startswith("WEBVTT") or head.startswith("\ufeffWEBVTT"):
        return 1.0
    return 0.9 if extension == "vtt" else 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    """Parse WebVTT text; never fails on malformed cues (they become warnings)."""
    lines = split_lines(text)
    scan = scan_cues(lines, text_ids=True)
    builder = SourceBuilder(id=source_id, title=title_from_stem(stem), format=FORMAT)
    if not lines or not lines[0].startswith("WEBVTT"):
        builder.warnings.append("The file does not start with WEBVTT; it was read anyway.")
    builder.warnings.extend(scan_warnings(scan))
    build_cue_segments(builder, scan.cues, stem=stem, rolling=has_inline_timestamps(text))
    if not scan.cues:
        builder.warnings.append("No subtitle cues were found.")
    return builder.build(duration=duration_of(scan.cues))
