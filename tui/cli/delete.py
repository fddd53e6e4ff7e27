"""`readmark delete ID`: move an annotation to the trash (`readmark restore ID` undoes it)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from readmark.tui.cli.common import common_options, open_workspace, user_errors


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "delete",
        parents=[common_options()],
        help="move an annotation to the trash",
        description="Move an annotation's file to the vault's .readmark/trash/ folder; "
        "`readmark restore ID` brings it back.",
    )
    parser.add_argument("id", metavar="ID", help="the annotation id")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.annotating import Annotator
    from readmark.library.safe_text import printable

    with user_errors(), open_workspace(args) as workspace:
        target = Annotator(workspace).delete(args.id).trashed
    key = target.stem
    sys.stdout.write(
        printable(
            f"Moved annotation {key} to the trash: {target}\nUndo with: readmark restore {key}"
        )
        + "\n"
    )
    return 0
