"""`readmark digest`: a draft made from the vault's annotations (nothing is stored), in
Markdown or HTML, on stdout or written to a file (`readmark.annotations.drafting`).

The views (`dissent`, `positions`, `session`) and filters are the digest engine's
(`readmark.annotations.digest`). Orphaned annotations are left out and counted in the draft's
first paragraph; with `--out`, that paragraph is also said on stderr beside where the file is.
The format is `--format`, else the ending of `--out` (`.html`, `.md`), else Markdown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readmark.tui.cli.common import (
    CommandError,
    common_options,
    id_in,
    open_workspace,
    say,
    user_errors,
)

if TYPE_CHECKING:
    from readmark.annotations.digest import DigestFilter, DigestView
    from readmark.library.vault import Vault

VIEWS = ("dissent", "positions", "session")
FORMATS = ("markdown", "html")
CONFIDENCES = ("low", "medium", "high")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "digest",
        parents=[common_options()],
        help="draft a digest of your annotations (where a speaker is wrong, positions, session)",
        description="Draft a digest from the vault's annotations, in Markdown (plain "
        "CommonMark) or HTML (for Substack, Ghost or Medium): `dissent`, where NAME is most "
        "likely wrong, one section per topic (first tag) ordered by summed confidence; "
        "`positions`, per topic what each source said and what you noted; `session`, "
        "everything annotated since a time (default: the last 24 hours), by source. Nothing is "
        "stored; orphaned annotations are left out and counted.",
    )
    parser.add_argument("--view", choices=VIEWS, default="dissent", help="default: dissent")
    parser.add_argument(
        "--speaker",
        metavar="NAME",
        help="only what NAME says; the dissent view adds what other sources claim about NAME "
        "(a surname is enough)",
    )
    parser.add_argument(
        "--since",
        metavar="2h|DATE",
        help="only annotations made or edited since then: how long ago (30m, 2h, 3d, 1w) or a "
        "UTC date or time (2026-04-09, '2026-04-09 10:00')",
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only annotations with this tag (`#` optional; repeat for any of several)",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="ID",
        help="only annotations of this source, an id or a path (repeatable)",
    )
    parser.add_argument(
        "--min-confidence",
        choices=CONFIDENCES,
        help="leave out dissent notes less sure than this (highlights and notes stay)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="markdown or html (default: the ending of --out, else markdown)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the draft to FILE (atomically) instead of stdout; a folder gets "
        "digest-VIEW.md or .html",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.digest import DigestError, DigestView
    from readmark.annotations.drafting import DraftError, draft_digest
    from readmark.library.safe_text import printable

    try:
        with user_errors(), open_workspace(args) as workspace:
            filters = _filters(args, workspace.vault)
            draft = draft_digest(workspace, DigestView(args.view), filters)
            for problem in draft.skipped:
                say(f"Skipped {problem.path}: {problem.reason}")
            fmt = _format(args)
            text = draft.render(fmt)
            if args.out is None:
                sys.stdout.write(printable(text))
                return 0
            path = _write(text, args.out, DigestView(args.view), fmt)
    except (DigestError, DraftError) as error:
        raise CommandError(str(error)) from error
    say(f"Wrote {path}: {draft.digest.summary}")
    return 0


def _filters(args: argparse.Namespace, vault: Vault) -> DigestFilter:
    from readmark.annotations.digest import DigestFilter, parse_confidence, parse_since
    from readmark.annotations.model import normalise_tags

    speaker = (args.speaker or "").strip() or None
    return DigestFilter(
        speaker=speaker,
        since=parse_since(args.since) if args.since is not None else None,
        tags=normalise_tags(args.tag),
        sources=tuple(dict.fromkeys(_source_id(vault, name) for name in args.source)),
        min_confidence=parse_confidence(args.min_confidence) if args.min_confidence else None,
    )


def _source_id(vault: Vault, name: str) -> str:
    """The id of a source of the vault (`SourceError` when it is none)."""
    source_id = id_in(vault, name)
    vault.path_of(source_id)
    return source_id


def _format(args: argparse.Namespace) -> str:
    from readmark.annotations.drafting import format_of

    if args.format:
        return str(args.format)
    return (format_of(args.out) if args.out is not None else None) or "markdown"


def _write(text: str, out: Path, view: DigestView, fmt: str) -> Path:
    from readmark.annotations.drafting import file_name, write_draft

    target = out / file_name(view, fmt) if out.is_dir() else out
    return write_draft(text, target)
