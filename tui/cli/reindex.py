"""`readmark reindex`: rebuild the search index from the annotation files and the sources."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from readmark.tui.cli.common import common_options, open_workspace, user_errors


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reindex",
        parents=[common_options()],
        help="rebuild the search index",
        description="Rebuild the vault's search index from the annotation files and the sources. "
        "The index is kept per machine, in the user's cache folder (READMARK_CACHE_DIR moves "
        "it). Safe at any time: the files hold everything the index does.",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.library.safe_text import printable

    began = time.perf_counter()
    with user_errors(), open_workspace(args, notes=False) as workspace:
        with _progress(workspace.index_size_hint) as tick:
            report = workspace.reindex(tick)
    seconds = time.perf_counter() - began
    for problem in report.problems:
        sys.stderr.write(printable(f"Left out {problem}") + "\n")
    for note in report.notes:
        sys.stderr.write(printable(note) + "\n")
    sys.stdout.write(
        f"Indexed {report.annotation_files} annotation files and {report.sources} sources: "
        f"{report.documents} documents in {seconds:.1f} s\n"
    )
    return 0


@contextmanager
def _progress(total: Callable[[], int]) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("Indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("index", total=total())

        def tick(done: int) -> None:
            bar.update(task, completed=done)

        yield tick
