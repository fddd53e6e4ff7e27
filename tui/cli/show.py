"""`readmark show SOURCE`: print one source, its metadata and its segments."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from readmark.tui.cli.common import CommandError, common_options, locate, print_json

if TYPE_CHECKING:
    from readmark.library.model import Source


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        parents=[common_options()],
        help="print one source",
        description="Print one source: its metadata, then its segments with times and speakers.",
    )
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="a source id as `readmark sources` lists it, or the path of a file",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    vault, source_id = locate(args.source, args, writes=False)
    source = vault.load(source_id)
    if source.error:
        raise CommandError(f"{source.id}: {source.error}")
    if args.json:
        print_json(source_json(source))
    else:
        print_source(source)
    return 0


def source_json(source: Source) -> dict[str, Any]:
    """The `sources --json` fields of one source, with `segments` as the list of segments (each
    with the times the file gives inside it, `marks`) and, for each outline entry, the index of
    the segment it begins at."""
    from readmark.library.summary import summarise

    data = summarise(source).to_json()
    data["outline"] = [
        {"title": e.title, "start": e.start, "segment": e.segment_index} for e in source.outline
    ]
    data["segments"] = [
        {
            "start": s.start,
            "end": s.end,
            "speaker": s.speaker,
            "role": s.role.value,
            "text": s.text,
            "marks": [{"offset": m.offset, "time": m.time} for m in s.marks],
        }
        for s in source.segments
    ]
    return data


def print_source(source: Source) -> None:
    """Metadata, the outline and warnings, then one line per segment: time, speaker, text."""
    from readmark.library.safe_text import printable
    from readmark.library.timecode import format_timecode

    times = [s.start for s in source.segments if s.start is not None]
    outline_times = [e.start for e in source.outline if e.start is not None]
    hours = max([*times, *outline_times, source.duration or 0.0]) >= 3600
    out = sys.stdout
    out.write(printable("\n".join(source_header(source, hours=hours))) + "\n\n")
    estimates = any(s.start is not None and not s.given_start for s in source.segments)
    width = len(format_timecode(max(times), hours=hours)) + estimates if times else 0
    for segment in source.segments:
        gutter = ""
        if width:
            stamp = format_timecode(segment.start, hours=hours) if segment.start is not None else ""
            if stamp and not segment.given_start:
                stamp = f"~{stamp}"  # placed by its words between two times: an estimate
            gutter = stamp.rjust(width) + "  "
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        out.write(gutter + printable(speaker + segment.text) + "\n")


def source_header(source: Source, *, hours: bool = False) -> list[str]:
    """Title, then one labelled line per known field, the outline, and the warnings."""
    from readmark.library.timecode import format_timecode

    fields: list[tuple[str, str | None]] = [
        ("Format", source.format),
        ("Id", source.id),
        ("URL", source.url),
        ("Channel", source.channel),
        ("Authors", ", ".join(source.authors)),
        ("Speakers", ", ".join(source.speakers)),
        ("Date", source.date),
        (
            "Duration",
            None if source.duration is None else format_timecode(source.duration, hours=hours),
        ),
        ("Tags", ", ".join(source.tags)),
    ]
    lines = [source.title, *(f"{label}: {value}" for label, value in fields if value)]
    if source.outline:
        stamps = [
            "" if e.start is None else format_timecode(e.start, hours=hours) for e in source.outline
        ]
        width = max(len(stamp) for stamp in stamps)
        lines.append("Outline:")
        for entry, stamp in zip(source.outline, stamps, strict=True):
            lines.append(f"  {stamp.rjust(width)}  {entry.title}" if width else f"  {entry.title}")
    lines.extend(f"Warning: {w}" for w in source.warnings)
    return lines
