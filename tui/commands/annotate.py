"""`readmark annotate SOURCE --quote TEXT`: save a highlight, note or dissent note on a quote.

Also the helpers the other annotation commands share: opening the workspace of `--vault`,
turning the annotation layer's errors into one-line command errors, and an annotation's JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readmark.tui.commands import CommandError, common_options, print_json, vault_path

if TYPE_CHECKING:
    from readmark.annotations.model import Annotation
    from readmark.annotations.workspace import Workspace

KINDS = ("highlight", "note", "dissent")
CONFIDENCES = ("low", "medium", "high")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "annotate",
        parents=[common_options()],
        help="save a highlight, note or dissent note on a quote of a source",
        description="Find QUOTE in SOURCE (spacing, quote marks and case do not matter) and save "
        "an annotation on it as a Markdown file under the vault's .readmark/annotations/.",
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
    from readmark.annotations.model import Confidence, Kind
    from readmark.annotations.store import WrittenNotSyncedError
    from readmark.library.safe_text import printable
    from readmark.tui.commands.show import locate

    if args.confidence and args.kind != "dissent":
        raise CommandError("--confidence is only for dissent notes: add --kind dissent")
    vault, source_id = locate(args.source, args)
    with user_errors(), workspace_at(vault.root) as workspace:
        try:
            annotation = workspace.annotate(
                source_id,
                args.quote,
                Kind(args.kind),
                note=args.note,
                tags=args.tag,  # the model splits `a,b` and strips `#`
                confidence=Confidence(args.confidence) if args.confidence else None,
            )
        except WrittenNotSyncedError as unsynced:
            # Saved, so running the command again would make a second annotation: say so.
            annotation = workspace.get(unsynced.path.stem)
            sys.stderr.write(
                printable(f"readmark: warning: {unsynced} Do not annotate the quote again.") + "\n"
            )
        path = workspace.store.path_for(annotation)
    if args.json:
        print_json(annotation_json(annotation))
    else:
        print_annotation(annotation)
        sys.stdout.write(printable(f"Saved to {path}") + "\n")
    return 0


def annotation_json(annotation: Annotation) -> dict[str, Any]:
    """What scripts read: id, source, kind, quote, start, end, speaker, note, tags, created,
    then confidence (dissent notes; else null), updated and orphaned."""
    return {
        "id": annotation.id,
        "source": annotation.source,
        "kind": str(annotation.kind),
        "quote": annotation.quote,
        "start": annotation.start,
        "end": annotation.end,
        "speaker": annotation.speaker,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "created": annotation.created,
        "confidence": annotation.confidence.value if annotation.confidence else None,
        "updated": annotation.updated,
        "orphaned": annotation.orphaned,
    }


def print_annotation(annotation: Annotation) -> None:
    """A header line (kind, id, source, time, speaker), the quote, then the note."""
    from readmark.library.safe_text import printable
    from readmark.library.timecode import format_timecode

    details = [str(annotation.kind), annotation.id, annotation.source]
    if annotation.start is not None:
        details.append(format_timecode(annotation.start, hours=annotation.start >= 3600))
    if annotation.speaker:
        details.append(annotation.speaker)
    if annotation.confidence is not None:
        details.append(f"confidence {annotation.confidence}")
    if annotation.orphaned:
        details.append("ORPHANED")
    lines = [" · ".join(details), "> " + " ".join(annotation.quote.split())]
    if annotation.note.strip():
        lines.append(annotation.note.strip())
    if annotation.tags:
        lines.append(" ".join(f"#{t}" for t in annotation.tags))
    sys.stdout.write(printable("\n".join(lines)) + "\n")


def open_workspace(
    args: argparse.Namespace, *, notes: bool = True
) -> AbstractContextManager[Workspace]:
    """The workspace of `--vault` (or of the default vault), closed at the end; see
    `workspace_at` for `notes`."""
    return workspace_at(vault_path(args), notes=notes)


@contextmanager
def workspace_at(root: Path, *, notes: bool = True) -> Iterator[Workspace]:
    """The workspace of the vault at `root`, closed at the end.

    With `notes`, what the user should know about the index is said on stderr, one line each:
    an index found inside the vault that is ignored (once per vault on this machine), and, at
    the end, an index kept in memory (and why) or files a repair left. Commands that report
    these themselves (`check`, `reindex`) pass False.
    """
    from readmark.annotations.workspace import Workspace

    workspace = Workspace(root)
    legacy = workspace.legacy_index_notice() if notes else None
    if legacy:
        say(legacy)
    said: list[str] = []
    try:
        yield workspace
    finally:
        said = workspace.index_notes() if notes else []
        workspace.close()
        for note in said:
            say(note)


def say(note: str) -> None:
    """One line for the user on stderr, beside (never inside) what a command prints."""
    from readmark.library.safe_text import printable

    sys.stderr.write(printable(note) + "\n")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the annotation layer's errors (each worded for the user) into `CommandError`s."""
    from readmark.annotations.citation import CitationError
    from readmark.annotations.config import ConfigError
    from readmark.annotations.index import SearchError
    from readmark.annotations.review import ReviewError
    from readmark.annotations.store import AnnotationNotFoundError, StoreError
    from readmark.annotations.workspace import WorkspaceError

    try:
        yield
    except ConfigError as error:
        raise CommandError(_advised(str(error), CONFIG_ADVICE)) from error
    except AnnotationNotFoundError as error:
        raise CommandError(_advised(str(error), NOT_FOUND_ADVICE)) from error
    except StoreError as error:
        advice = UNREADABLE_ADVICE if str(error).startswith(UNREADABLE) else ""
        raise CommandError(_advised(str(error), advice)) from error
    except (SearchError, CitationError, WorkspaceError, ReviewError) as error:
        raise CommandError(str(error)) from error


UNREADABLE = "cannot read annotation file"
"""How the store's message for a file it cannot parse begins."""
UNREADABLE_ADVICE = "fix it in an editor or move it out of .readmark/ (`readmark check` lists all)"
CONFIG_ADVICE = "fix the file, or set READMARK_CONFIG to another one"
NOT_FOUND_ADVICE = "`readmark search` shows the ids of annotations"


def _advised(message: str, advice: str) -> str:
    """`message` with what to do added, unless there is none to add."""
    if not advice:
        return message
    return f"{message.rstrip().rstrip('.')}: {advice}"
