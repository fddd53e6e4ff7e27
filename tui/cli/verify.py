"""`readmark verify SOURCE`: check every quotation of SOURCE against the primary transcripts
(`readmark.annotations.verifying`; the rules are in the README, "Checking quotes").

Exit status 0 when every quotation is verbatim, normalised, clean or elided; 1 when any is
spliced, changed or not found; 2 on errors (an unknown or unreadable source, a named primary
that is no transcript, no transcript at all). With `--json`, stdout is exactly the list of
checks; what the text output says about the check as a whole (a transcript that covers part of
its episode, one that could not be read, quoted titles not checked) goes to stderr, one
`readmark: note: ...` line each.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from readmark.tui.cli.common import (
    CommandError,
    common_options,
    id_in,
    locate,
    print_json,
    say,
)

if TYPE_CHECKING:
    from readmark.annotations.quote_check import QuoteCheck, Verdict
    from readmark.annotations.verifying import Verification

QUOTE_WIDTH = 100
"""Characters of a quotation shown in the text output (the JSON has all of it)."""
LISTED_PRIMARIES = 3
"""Up to this many transcripts are named in the text output's first line; more are counted."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        parents=[common_options()],
        help="check the quotations of a source against the transcripts",
        description="Find every quotation in SOURCE (text in quote marks of 4 words or more, "
        "credited block quotes) in the primary transcripts and say how its words stand there: "
        "verbatim, normalised, clean, elided, spliced, changed or not found, with the "
        "transcript's time, speaker and the words that differ. Exit status 0 when every "
        "quotation is verbatim, normalised, clean or elided, 1 when any is spliced, changed or "
        "not found, 2 on errors.",
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="a source id as `readmark sources` lists it, or a path"
    )
    parser.add_argument(
        "--against",
        action="append",
        default=[],
        metavar="ID",
        help="a transcript to check against, an id or a path (repeatable; default: every "
        "timed or speaker-turn source of the vault but SOURCE)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list, one object per quotation (notes go to stderr)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from readmark.annotations.verifying import NoPrimariesError, VerifyError, verify_source

    vault, source_id = locate(args.source, args, writes=False)
    against = [id_in(vault, name) for name in args.against]
    try:
        verification = verify_source(vault, source_id, against)
    except NoPrimariesError as error:
        raise CommandError(
            f"{error}: add the transcript it quotes to the vault, or name it with --against"
        ) from error
    except VerifyError as error:
        raise CommandError(str(error)) from error
    if args.json:
        print_json(verification.report.to_json())
        for note in _notes(verification):
            say(f"readmark: note: {note}")
    else:
        _write(_report_lines(verification))
    return 0 if verification.report.all_faithful else 1


def _notes(verification: Verification) -> list[str]:
    """What to know about the check as a whole, each in one line."""
    titles = [
        f"not checked, a quoted chapter or episode title: \u201c{_short(q.text)}\u201d"
        for q in verification.report.skipped_titles
    ]
    return [*verification.notes, *titles]


def _report_lines(verification: Verification) -> list[str]:
    report = verification.report
    primaries = [p.id for p in verification.primaries]
    named = (
        ", ".join(primaries)
        if len(primaries) <= LISTED_PRIMARIES
        else _count(len(primaries), "transcript")
    )
    if not report.checks:
        lines = [
            f"No quotations in {report.source} (words in quote marks, 4 or more, or block "
            "quotes credited to someone) to check."
        ]
    else:
        lines = [
            f"{_count(len(report.checks), 'quotation')} in {report.source}, checked against {named}"
        ]
    for number, check in enumerate(report.checks, start=1):
        lines.append("")
        lines += _check_lines(number, check, verification)
    notes = _notes(verification)
    if notes:
        lines.append("")
        lines += [f"Note: {note}" for note in notes]
    if report.checks:
        lines += ["", _summary(report.checks)]
    return lines


def _check_lines(number: int, check: QuoteCheck, verification: Verification) -> list[str]:
    from readmark.annotations.quote_check import Verdict
    from readmark.annotations.quote_check.wording import HEADLINES, differences_text

    indent = " " * (len(str(number)) + 2)
    lines = [
        f"{number}. \u201c{_short(check.quotation.text)}\u201d",
        indent + HEADLINES[check.verdict],
    ]
    lines += [indent + line for line in _where(check, verification)]
    if check.verdict is not Verdict.CLEAN:  # what clean verbatim leaves out is in the JSON
        lines += [f"{indent}- {line}" for line in differences_text(check)]
    lines += [f"{indent}! {flag}" for flag in check.flags]
    return lines


def _where(check: QuoteCheck, verification: Verification) -> list[str]:
    """`Title · 2:35 · Speaker`, then the link to that moment when the primary has a URL."""
    from readmark.library.timecode import format_timecode, url_at_time

    primary = verification.primary_of(check)
    if primary is None:
        return []
    parts = [primary.title or primary.id]
    if check.start is not None:
        parts.append(format_timecode(check.start))
    if check.speaker:
        parts.append(check.speaker)
    lines = [" \u00b7 ".join(parts)]
    if primary.url and check.start is not None:
        lines.append(url_at_time(primary.url, check.start))
    return lines


def _summary(checks: tuple[QuoteCheck, ...]) -> str:
    """`13 quotations: 5 verbatim, ..., 1 not found; 6 with flags.`"""
    from readmark.annotations.quote_check import Verdict

    counts: dict[Verdict, int] = {}
    for check in checks:
        counts[check.verdict] = counts.get(check.verdict, 0) + 1
    found = ", ".join(
        f"{counts[verdict]} {_verdict_word(verdict)}" for verdict in Verdict if verdict in counts
    )
    flagged = sum(1 for check in checks if check.flags)
    with_flags = f"; {flagged} with flags" if flagged else ""
    return f"{_count(len(checks), 'quotation')}: {found}{with_flags}."


def _verdict_word(verdict: Verdict) -> str:
    return verdict.value.replace("_", " ")


def _write(lines: list[str]) -> None:
    from readmark.library.safe_text import printable

    sys.stdout.write(printable("\n".join(lines)) + "\n")


def _short(text: str) -> str:
    from readmark.library.safe_text import shorten

    return shorten(text, QUOTE_WIDTH)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
