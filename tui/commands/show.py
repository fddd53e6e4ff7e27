"""`readmark show SOURCE`: print one source, its metadata and its segments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands import CommandError, common_options, print_json, vault_path

if TYPE_CHECKING:
    from library.model import Source
    from library.vault import Vault


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
    vault, source_id = locate(args.source, args)
    source = vault.load(source_id)
    if source.error:
        raise CommandError(f"{source.id}: {source.error}")
    if args.json:
        print_json(source_json(source))
    else:
        print_source(source)
    return 0


def locate(source: str, args: argparse.Namespace) -> tuple[Vault, str]:
    """The vault and id meant by SOURCE: an existing file path, else an id in `--vault`.

    A file outside `--vault` belongs to the nearest folder above it holding readmark's data
    folder, or else to its own folder.
    """
    from library.vault import DATA_FOLDER, Vault

    path = Path(source).expanduser()
    if path.is_file():
        if args.vault is not None:
            vault = Vault(args.vault)
            source_id = vault.id_of(path)
            if source_id is not None:
                return vault, source_id
        absolute = path.absolute()
        root = next((p for p in absolute.parents if (p / DATA_FOLDER).is_dir()), absolute.parent)
        vault = Vault(root)
        return vault, vault.id_of(absolute) or path.name
    return Vault(vault_path(args)), source


def source_json(source: Source) -> dict[str, Any]:
    """The `sources --json` fields of one source, with `segments` as the list of segments."""
    from library.summary import summarise

    data = summarise(source).to_json()
    data["segments"] = [
        {
            "start": s.start,
            "end": s.end,
            "speaker": s.speaker,
            "role": s.role.value,
            "text": s.text,
        }
        for s in source.segments
    ]
    return data


def print_source(source: Source) -> None:
    """A header of metadata, then one line per segment: time, speaker, text."""
    from library.safe_text import printable
    from library.timecode import format_timecode

    times = [s.start for s in source.segments if s.start is not None]
    hours = bool(times) and max(times) >= 3600
    details = [source.format]
    if source.duration is not None:
        details.append(format_timecode(source.duration, hours=hours))
    if source.date:
        details.append(source.date)
    header = [source.title, " · ".join(details)]
    if source.url:
        header.append(source.url)
    if source.speakers:
        header.append("Speakers: " + ", ".join(source.speakers))
    header.extend(f"Warning: {w}" for w in source.warnings)
    out = sys.stdout
    out.write(printable("\n".join(header)) + "\n\n")
    width = len(format_timecode(max(times), hours=hours)) if times else 0
    for segment in source.segments:
        gutter = ""
        if width:
            stamp = format_timecode(segment.start, hours=hours) if segment.start is not None else ""
            gutter = stamp.rjust(width) + "  "
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        out.write(gutter + printable(speaker + segment.text) + "\n")
