"""`readmark check`: repair what readmark can by itself, and list what needs the user.

Exit status 1 only for what a user must act on: annotation files that cannot be read, and
orphaned annotations (whose quote is gone from the source, or whose source is gone).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands import common_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[common_options()],
        help="repair annotations and the index; list what needs you",
        description="Re-anchor annotations whose source changed, bring the search index up to "
        "date, remove temporary files left by a crash, and list annotation files that cannot be "
        "read and orphaned annotations (exit status 1 when there are any).",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from library.safe_text import printable
    from tui.commands.annotate import open_workspace, user_errors

    with user_errors(), open_workspace(args) as workspace:
        report = workspace.check()
    lines = [f"Checked {report.annotations} annotation files."]
    if report.temp_files_removed:
        lines.append(f"Removed {len(report.temp_files_removed)} temporary files left by a crash:")
        lines += [f"  {path}" for path in report.temp_files_removed]
    for annotation in report.reanchored:
        lines.append(
            f"Re-anchored {annotation.id} on the edited text of {annotation.source}: "
            f"\u201c{_short(annotation.quote)}\u201d"
        )
    if report.changed_meanwhile:
        lines.append(
            f"{_count(len(report.changed_meanwhile), 'annotation file')} kept being changed by "
            "another program while check ran; left as it wrote them (run check again later):"
        )
        lines += [f"  {annotation_id}" for annotation_id in report.changed_meanwhile]
    if report.index_rebuilt:
        lines.append("Rebuilt the search index (it could not be read).")
    elif report.index is not None and report.index.deferred:
        lines.append("The search index is busy (another readmark); it will catch up later.")
    elif report.index is not None and report.index.changed:
        index = report.index
        lines.append(
            f"Updated the search index: {index.annotation_files_indexed} annotation files and "
            f"{index.sources_indexed} sources re-read, "
            f"{index.annotation_files_removed + index.sources_removed} removed."
        )
    if report.index_problem:
        lines.append(f"The search index could not be updated: {report.index_problem}")
    for problem in report.source_problems:
        lines.append(f"Cannot read source (its annotations are left as they are): {problem}")
    if report.unreadable:
        lines.append(
            f"{_count(len(report.unreadable), 'annotation file')} cannot be read (fix or remove):"
        )
        lines += [f"  {p.path}: {p.reason}" for p in report.unreadable]
    if report.orphans:
        lines.append(
            f"{_count(len(report.orphans), 'orphaned annotation')} (kept; re-annotate or delete):"
        )
        for orphan in report.orphans:
            a = orphan.annotation
            lines.append(f"  {a.id} in {a.source}: \u201c{_short(a.quote)}\u201d ({orphan.reason})")
    if not report.needs_attention:
        lines.append("All annotations are readable and anchored.")
    sys.stdout.write(printable("\n".join(lines)) + "\n")
    return 1 if report.needs_attention else 0


def _short(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "\u2026"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
