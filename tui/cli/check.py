"""`readmark check`: repair what readmark can by itself, and list what needs the user.

Exit status 1 when something is left that only the user can settle: annotations that need
review, orphaned annotations, annotation files that cannot be read, and sync-tool conflict
copies; 0 otherwise; 2 on errors. `--accept ID` and `--orphan ID` settle annotations that need
review instead of checking.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING, Any

from readmark.tui.cli.common import (
    CommandError,
    common_options,
    open_workspace,
    print_json,
    user_errors,
)

if TYPE_CHECKING:
    from readmark.annotations.model import Annotation
    from readmark.annotations.review import Decision
    from readmark.annotations.workspace import CheckReport


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        parents=[common_options()],
        help="repair annotations and the index; list what needs you",
        description="Re-anchor annotations whose source changed, bring the search index up to "
        "date, remove temporary files left by a crash, and list what needs you: annotations "
        "whose words changed (they need review: accept the candidate or orphan them), orphaned "
        "annotations, annotation files that cannot be read and sync-tool conflict copies (exit "
        "status 1 when there are any).",
    )
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="ID",
        help="take the candidate of an annotation that needs review: its words become the "
        "quote, with their time and speaker (repeatable)",
    )
    parser.add_argument(
        "--orphan",
        action="append",
        default=[],
        metavar="ID",
        help="give up on the candidate: keep the quote as it was and mark it orphaned (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    if args.accept or args.orphan:
        return _settle(args)
    with user_errors(), open_workspace(args, notes=False) as workspace:
        report = workspace.check()
    if args.json:
        print_json(report_json(report))
    else:
        _write(_report_lines(report, _vault_option(args)))
    return 1 if report.needs_attention else 0


def report_json(report: CheckReport) -> dict[str, Any]:
    """The shape scripts read (documented in the README)."""
    return {
        "reanchored": [{"id": a.id, "source": a.source} for a in report.reanchored],
        "needs_review": [
            {
                "id": a.id,
                "source": a.source,
                "quote": a.quote,
                "candidate": a.candidate.text if a.candidate else None,
                "score": a.candidate.score if a.candidate else None,
            }
            for a in report.needs_review
        ],
        "orphaned": [
            {"id": o.annotation.id, "source": o.annotation.source, "quote": o.annotation.quote}
            for o in report.orphans
        ],
        "unreadable": [{"path": p.path, "reason": p.reason} for p in report.unreadable],
        "conflicts": [{"path": p.path, "of": p.conflict_of} for p in report.conflicts],
        "repaired": report.repaired,
    }


def _report_lines(report: CheckReport, vault_option: str) -> list[str]:
    lines = [f"Checked {report.annotations} annotation files."]
    lines += [f"{done}." for done in report.repaired]
    for annotation in report.reanchored:
        lines.append(
            f"Re-anchored {annotation.id} on the same words in the edited text of "
            f"{annotation.source}: \u201c{_short(annotation.quote)}\u201d"
        )
    if report.changed_meanwhile:
        lines.append(
            f"{_count(len(report.changed_meanwhile), 'annotation file')} kept being changed by "
            "another program while check ran; left as it wrote them (run check again later):"
        )
        lines += [f"  {annotation_id}" for annotation_id in report.changed_meanwhile]
    if report.index is not None and report.index.deferred and not report.index_rebuilt:
        lines.append("The search index is busy (another readmark); it will catch up later.")
    elif report.index is not None and report.index.unwritten:
        lines.append(
            f"The search index could not be updated ({report.index.unwritten}); searches answer "
            "around the changes, and it catches up once it can be written."
        )
    if report.index_problem:
        lines.append(f"The search index could not be updated: {report.index_problem}")
    lines += report.index_notes
    for problem in report.source_problems:
        lines.append(f"Cannot read source (its annotations are left as they are): {problem}")
    if report.needs_review:
        lines.append(
            f"{_count(len(report.needs_review), 'annotation')} "
            f"{'needs' if len(report.needs_review) == 1 else 'need'} review: the source changed "
            "and only other words were found; the quote is kept until you decide:"
        )
        for annotation in report.needs_review:
            lines += _review_lines(annotation, vault_option)
    if report.orphans:
        lines.append(
            f"{_count(len(report.orphans), 'orphaned annotation')} (kept; re-annotate or delete):"
        )
        for orphan in report.orphans:
            a = orphan.annotation
            lines.append(f"  {a.id} in {a.source}: \u201c{_short(a.quote)}\u201d ({orphan.reason})")
    if report.unreadable:
        lines.append(
            f"{_count(len(report.unreadable), 'annotation file')} cannot be read (fix or remove):"
        )
        lines += [f"  {p.path}: {p.reason}" for p in report.unreadable]
    if report.conflicts:
        lines.append(
            f"{_count(len(report.conflicts), 'conflict copy', 'conflict copies')} "
            "made by a sync tool (keep one text, delete the copy):"
        )
        lines += [f"  {p.path}: {p.reason}" for p in report.conflicts]
    if not report.needs_attention:
        lines.append("All annotations are readable and anchored on their own words.")
    return lines


def _review_lines(annotation: Annotation, vault_option: str) -> list[str]:
    candidate = annotation.candidate
    found = candidate.text if candidate else ""
    score = f", {candidate.score:.0f}% alike" if candidate else ""
    command = f"readmark check{vault_option}"
    return [
        f"  {annotation.id} in {annotation.source}{score}",
        f"    quote:     \u201c{_short(annotation.quote)}\u201d",
        f"    candidate: \u201c{_short(found)}\u201d",
        f"    take the candidate: {command} --accept {annotation.id}",
        f"    keep the quote:     {command} --orphan {annotation.id}",
    ]


def _settle(args: argparse.Namespace) -> int:
    from readmark.annotations.review import Decision

    both = set(args.accept) & set(args.orphan)
    if both:
        raise CommandError(
            f"{', '.join(sorted(both))}: an annotation is either accepted or orphaned, not both"
        )
    asked = [(i, Decision.ACCEPT) for i in args.accept] + [
        (i, Decision.ORPHAN) for i in args.orphan
    ]
    done: list[tuple[Annotation, Decision]] = []
    failure: CommandError | None = None
    with open_workspace(args) as workspace:
        for annotation_id, decision in asked:
            try:
                with user_errors():
                    done.append((workspace.settle(annotation_id, decision), decision))
            except CommandError as error:
                failure = error  # what was settled before it is saved, and printed below
                break
    if args.json:
        print_json(_settled_json(done))
    else:
        _write([_settled_line(annotation, decision) for annotation, decision in done])
    if failure is not None:
        raise failure
    return 0


def _settled_json(done: list[tuple[Annotation, Decision]]) -> dict[str, Any]:
    from readmark.annotations.review import Decision

    return {
        "accepted": [
            {
                "id": a.id,
                "source": a.source,
                "quote": a.quote,
                "start": a.start,
                "end": a.end,
                "speaker": a.speaker,
            }
            for a, decision in done
            if decision is Decision.ACCEPT
        ],
        "orphaned": [
            {"id": a.id, "source": a.source, "quote": a.quote}
            for a, decision in done
            if decision is Decision.ORPHAN
        ],
    }


def _settled_line(annotation: Annotation, decision: Decision) -> str:
    from readmark.annotations.review import Decision
    from readmark.library.timecode import format_timecode

    if decision is Decision.ORPHAN:
        return (
            f"Orphaned {annotation.id} in {annotation.source}: the quote "
            f"\u201c{_short(annotation.quote)}\u201d is kept as it was."
        )
    details = []
    if annotation.start is not None:
        details.append(format_timecode(annotation.start, hours=annotation.start >= 3600))
    if annotation.speaker:
        details.append(annotation.speaker)
    said = f" ({', '.join(details)})" if details else ""
    return (
        f"Accepted {annotation.id} in {annotation.source}: the quote is now "
        f"\u201c{_short(annotation.quote)}\u201d{said}."
    )


def _vault_option(args: argparse.Namespace) -> str:
    """` --vault PATH` when the user gave one, so a printed command runs as it is."""
    return f" --vault {shlex.quote(str(args.vault))}" if args.vault is not None else ""


def _write(lines: list[str]) -> None:
    from readmark.library.safe_text import printable

    if lines:
        sys.stdout.write(printable("\n".join(lines)) + "\n")


def _short(text: str) -> str:
    from readmark.library.safe_text import shorten

    return shorten(text, 80)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"
