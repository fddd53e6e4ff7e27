"""`readmark annotate SOURCE --quote TEXT`: save a highlight, note or dissent note on a quote.

The rules are the reader's (`readmark.annotations.annotating`): words a highlight already holds
are not highlighted again (exit 0: `already highlighted: ID`, and that annotation is printed),
and a second note of the same kind on the same words is refused (exit 2, naming the one there).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from readmark.tui.cli.common import (
    CommandError,
    annotation_json,
    common_options,
    locate,
    print_annotation,
    print_json,
    say,
    user_errors,
    workspace_at,
)

KINDS = ("highlight", "note", "dissent")
CONFIDENCES = ("low", "medium", "high")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "annotate",
        parents=[common_options()],
        help="save a highlight, note or dissent note on a quote of a source",
        description="Find QUOTE in SOURCE (spacing, quote marks and case do not matter) and save "
        "an annotation on it as a Markdown file under the vault's .readmark/annotations/. As in "
        "the reader, words a highlight already holds are not highlighted again (the one there is "
        "printed, exit status 0), and there is one note (and one dissent note) per passage: "
        "a second one on the same words is refused with the id of the first.",
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="a source id as `readmark sources` lists it, or a path"
    )
    parser.add_argument("--quote", required=True, metavar="TEXT", help="the words to annotate")
    parser.add_argument("--kind", choices=KINDS, default="highlight", help="default: highlight")
    parser.add_argument("--note", default="", metavar="TEXT", help="your note (Markdown)")
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="a tag (`#` optional); repeat, or separate with commas, for more",
    )
    parser.add_argument(
        "--confidence", choices=CONFIDENCES, help="how sure you are (dissent notes only)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.annotating import AlreadyHighlightedError, Annotator
    from readmark.annotations.model import Confidence, Kind
    from readmark.library.safe_text import printable

    if args.confidence and args.kind != "dissent":
        raise CommandError("--confidence is only for dissent notes: add --kind dissent")
    vault, source_id = locate(args.source, args)
    with user_errors(), workspace_at(vault.root) as workspace:
        try:
            written = Annotator(workspace).annotate_quote(
                source_id,
                args.quote,
                Kind(args.kind),
                note=args.note,
                tags=args.tag,  # the model splits `a,b` and strips `#`
                confidence=Confidence(args.confidence) if args.confidence else None,
            )
        except AlreadyHighlightedError as already:
            # What was asked for is there: say which one holds the words, and succeed.
            existing = already.existing
            path = workspace.store.path_for(existing)
            if args.json:
                print_json(annotation_json(existing))
                say(f"readmark: already highlighted: {existing.id}")
            else:
                print_annotation(existing)
                sys.stdout.write(printable(f"Already highlighted: {existing.id} in {path}") + "\n")
            return 0
        if written.unsynced:
            # Saved, so running the command again would only be refused: say so.
            say(f"readmark: warning: {written.unsynced} Do not annotate the quote again.")
        annotation = written.annotation
        path = workspace.store.path_for(annotation)
    if args.json:
        print_json(annotation_json(annotation))
    else:
        print_annotation(annotation)
        sys.stdout.write(printable(f"Saved to {path}") + "\n")
    return 0
