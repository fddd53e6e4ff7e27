"""`readmark sources`: list the sources of a vault, with what was skipped and why."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from readmark.tui.cli.common import common_options, print_json, vault_path

if TYPE_CHECKING:
    from readmark.library.vault import Listing


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sources",
        parents=[common_options()],
        help="list the sources of the vault",
        description="List the sources of the vault (titles, formats, durations) and skipped files.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.library.vault import Vault

    listing = Vault(vault_path(args)).scan()
    if args.json:
        print_json(listing.to_json())
    else:
        print_listing(listing)
    return 0


def print_listing(listing: Listing) -> None:
    """A table of the sources, then the files that could not be read or were skipped."""
    from readmark.library.safe_text import printable
    from readmark.library.timecode import format_timecode
    from rich import box
    from rich.console import Console
    from rich.table import Column, Table
    from rich.text import Text

    def cell(value: str | None) -> Text:
        # Text, not a str, so `[bold]` in a file's title prints as written.
        return Text(printable(value or ""))

    console = Console(highlight=False)
    if not console.is_terminal:
        # Piped output has no width to fit; 80 columns would fold every title.
        console = Console(highlight=False, width=132)
    table = Table(
        Column("Title", ratio=1, min_width=16, overflow="fold"),
        Column("Format", no_wrap=True),
        Column("Duration", justify="right", no_wrap=True),
        Column("Date", no_wrap=True),
        Column("Speakers", max_width=24, overflow="ellipsis", no_wrap=True),
        Column("Segs", justify="right", no_wrap=True),
        Column("Warn", justify="right", no_wrap=True),
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for source in listing.sources:
        duration = source.duration
        warnings = Text("error", style="red") if source.error else cell(str(len(source.warnings)))
        # The id under the title is what `readmark show` takes.
        title = Text.assemble(cell(source.title), "\n", (printable(source.id), "dim"))
        table.add_row(
            title,
            cell(source.format),
            cell(format_timecode(duration, hours=True) if duration is not None else ""),
            cell(source.date),
            cell(_speakers(source.speakers)),
            cell(str(source.segments)),
            warnings,
        )
    console.print(table)
    failed = [s for s in listing.sources if s.error]
    if failed:
        console.print(Text("\nCould not read:", style="bold"))
        for source in failed:
            console.print(cell(f"  {source.id}: {source.error}"))
    if listing.skipped:
        console.print(Text("\nSkipped:", style="bold"))
        for skipped in listing.skipped:
            console.print(cell(f"  {skipped.path}: {skipped.reason}"))


def _speakers(names: list[str], shown: int = 3) -> str:
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" +{len(names) - shown}"
