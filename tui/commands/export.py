"""`readmark export`: annotations as Markdown (one file per source), W3C JSON or Readwise CSV.

Without `--out`, the export goes to stdout. Markdown is one file per source: with `--out DIR`
each source gets its own `<source>.notes.md` under DIR; on stdout several sources follow one
another, each after a `<!-- file: NAME -->` line (one source alone prints as its file would be).
JSON and CSV are one file: `--out FILE` (or a folder, which gets `annotations.json|csv`).
Files are written atomically: a crash leaves the old file or the new one.

Terminal safety: files written with `--out` keep every character as stored, since they are data
for other tools. On stdout nothing a terminal would act on is printed: JSON writes DEL, C1 and
bidi controls as `\\uXXXX` escapes (the same data), Markdown and CSV go through `printable`
(escape sequences and bidi controls removed, other controls shown as symbols); use `--out` for
a byte-exact copy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readmark.tui.commands import CommandError, common_options

if TYPE_CHECKING:
    from readmark.annotations.model import Annotation
    from readmark.annotations.workspace import Workspace
    from readmark.library.model import Source

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
    from readmark.library.safe_text import printable
    from readmark.tui.commands import vault_path
    from readmark.tui.commands.annotate import user_errors, workspace_at
    from readmark.tui.commands.show import locate

    with user_errors():
        if args.source:
            vault, source_id = locate(args.source, args)
            root = vault.root
        else:
            root, source_id = vault_path(args), None
        with workspace_at(root) as workspace:
            annotations = _annotations(workspace, source_id)
            files = _render(args.format, annotations, workspace, source_id)
            if args.out is None:
                _print(_terminal_safe(files, args.format), marked=args.format == "markdown")
            else:
                for path in _write(files, args.out, args.format):
                    sys.stderr.write(printable(f"Wrote {path}") + "\n")
    return 0


def _annotations(workspace: Workspace, source_id: str | None) -> list[Annotation]:
    if source_id is None:
        annotations, problems = workspace.all_annotations()
        from readmark.library.safe_text import printable

        for problem in problems:
            sys.stderr.write(printable(f"Skipped {problem.path}: {problem.reason}") + "\n")
        return annotations
    workspace.vault.path_of(source_id)  # an unknown source is an error, not an empty export
    return workspace.annotations_for(source_id)


def _render(
    fmt: str, annotations: list[Annotation], workspace: Workspace, source_id: str | None
) -> dict[str, str]:
    """File name -> text; one entry for JSON and CSV."""
    from readmark.annotations.export_csv import export_readwise_csv
    from readmark.annotations.export_json import export_json
    from readmark.annotations.export_markdown import (
        export_markdown,
        export_markdown_files,
        markdown_file_names,
    )

    cache: dict[str, Source | None] = {}

    def source_of(sid: str) -> Source | None:
        if sid not in cache:
            cache[sid] = workspace.source_or_none(sid)
        return cache[sid]

    if fmt == "json":
        return {"annotations.json": export_json(annotations, source_of)}
    if fmt == "csv":
        return {"annotations.csv": export_readwise_csv(annotations, source_of)}
    if source_id is not None:
        name = markdown_file_names([source_id])[source_id]
        return {name: export_markdown(annotations, source_of(source_id), source_id)}
    return export_markdown_files(annotations, source_of)


def _terminal_safe(files: dict[str, str], fmt: str) -> dict[str, str]:
    """The files as stdout may carry them (see the module doc): no escape byte, no bidi control."""
    from readmark.library.safe_text import escape_json_controls, printable

    safe = escape_json_controls if fmt == "json" else printable
    return {printable(name): safe(text) for name, text in files.items()}


def _print(files: dict[str, str], *, marked: bool) -> None:
    """JSON and CSV are one file; Markdown files each come after a `<!-- file: NAME -->` line,
    one source or many, so a script splits them the same way."""
    if not marked:
        sys.stdout.write("".join(files.values()))
        return
    for number, (name, text) in enumerate(files.items()):
        sys.stdout.write(("\n" if number else "") + f"<!-- file: {name} -->\n{text}")


def _write(files: dict[str, str], out: Path, fmt: str) -> list[Path]:
    """Write the files atomically; return their paths."""
    from readmark.library import durable

    if fmt == "markdown" and (len(files) != 1 or out.is_dir() or out.suffix.lower() != ".md"):
        if out.exists() and not out.is_dir():
            raise CommandError(
                f"{out} is a file: Markdown export writes one file per source "
                "into a folder; give --out a folder"
            )
        targets = {out / name: text for name, text in files.items()}
    elif out.is_dir():
        targets = {out / name: text for name, text in files.items()}
    else:
        targets = {out: next(iter(files.values()))} if files else {}
    written: list[Path] = []
    for path, text in targets.items():
        try:
            durable.ensure_dir(path.parent)
            durable.write_atomic(path, text.encode("utf-8", "surrogatepass"))
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise CommandError(f"cannot write {path}: {reason}. {advice}") from error
        written.append(path)
    return written
