"""`readmark export`: annotations as Markdown (one file per source), W3C JSON or Readwise CSV.

Without `--out`, the export goes to stdout. Markdown is one file per source: with `--out DIR`
each source gets its own `<source>.notes.md` under DIR; on stdout several sources follow one
another, each after a `<!-- file: NAME -->` line (one source alone prints as its file would be).
JSON and CSV are one file: `--out FILE` (or a folder, which gets `annotations.json|csv`).
Files are written atomically: a crash leaves the old file or the new one. Files written with
`--out` keep every character as stored; on stdout nothing a terminal would act on is printed
(use `--out` for a byte-exact copy). The export itself is `readmark.annotations.exporting`,
which the reader's export uses too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from readmark.tui.cli.common import common_options, locate, user_errors, vault_path, workspace_at

FORMATS = ("markdown", "json", "csv")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        parents=[common_options()],
        help="export annotations as Markdown, JSON (W3C Web Annotation) or CSV (Readwise)",
        description="Export annotations. Markdown: one Obsidian-friendly file per source "
        "(--out DIR writes them there; on stdout they follow one another, each after a "
        "`<!-- file: NAME -->` line). JSON (W3C Web Annotation) and CSV (Readwise import): one "
        "file, to stdout or --out FILE.",
    )
    parser.add_argument("--format", choices=FORMATS, required=True, help="the export format")
    parser.add_argument(
        "--source", metavar="ID", help="only this source's annotations (an id or a path)"
    )
    parser.add_argument(
        "--out", type=Path, metavar="DIR|FILE", help="write files here instead of stdout"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.exporting import export_annotations, for_terminal, write_export
    from readmark.library.safe_text import printable

    with user_errors():
        if args.source:
            vault, source_id = locate(args.source, args)
            root = vault.root
        else:
            root, source_id = vault_path(args), None
        with workspace_at(root) as workspace:
            export = export_annotations(workspace, args.format, source_id)
            for problem in export.skipped:
                sys.stderr.write(printable(f"Skipped {problem.path}: {problem.reason}") + "\n")
            if args.out is None:
                sys.stdout.write(for_terminal(export))
            else:
                for path in write_export(export, args.out):
                    sys.stderr.write(printable(f"Wrote {path}") + "\n")
    return 0
