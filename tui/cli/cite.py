"""`readmark cite ID`: print the citation of an annotation, ready to paste, in the format `y`
in the reader would copy it (`readmark.annotations.citing`)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from readmark.tui.cli.common import common_options, open_workspace, user_errors


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "cite",
        parents=[common_options()],
        help="print the citation of an annotation",
        description="Print the citation of an annotation: `markdown` (the default unless the "
        "configuration file names another), `plain`, or a template of your own from the "
        "[citation.templates] table of the configuration file.",
    )
    parser.add_argument("id", metavar="ID", help="the annotation id")
    parser.add_argument(
        "--format",
        metavar="markdown|plain|NAME",
        help="the citation template (default: markdown, or `default` in the config file)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.citing import Citing
    from readmark.library.safe_text import printable

    with user_errors(), open_workspace(args) as workspace:
        annotation = workspace.get(args.id)
        source = workspace.source_or_none(annotation.source)
        text = Citing().cite(annotation, source, args.format)
    sys.stdout.write(printable(text) + "\n")
    return 0
