"""`readmark restore ID`: bring an annotation back from the trash."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from readmark.tui.cli.common import common_options, open_workspace, user_errors


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "restore",
        parents=[common_options()],
        help="bring a deleted annotation back from the trash",
        description="Move an annotation from .readmark/trash/ back to its place.",
    )
    parser.add_argument("id", metavar="ID", help="the annotation id")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.library.safe_text import printable

    with user_errors(), open_workspace(args) as workspace:
        annotation = workspace.restore(args.id)
        path = workspace.store.path_for(annotation)
    sys.stdout.write(printable(f"Restored annotation {annotation.id} to {path}") + "\n")
    return 0
