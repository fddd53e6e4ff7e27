"""`readmark search QUERY`: find annotations and source passages together."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

from readmark.tui.cli.common import (
    CommandError,
    common_options,
    open_workspace,
    print_json,
    user_errors,
)
from readmark.tui.cli.plain_text import is_simple, plain_width, wrapped

if TYPE_CHECKING:
    from readmark.annotations.index import SearchHit


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        parents=[common_options()],
        help="search your annotations and the sources",
        description="Search what you wrote and what the sources say. Plain words search quotes, "
        'notes and passages; fields narrow it: kind:dissent, tag:NAME, speaker:"Name", '
        "source:ID (as `readmark sources` lists it; quoted when it has spaces) or source:WORD, "
        "type:annotation|passage, created:[2026-01-01 to 2026-02-01], "
        '"a phrase". Case and accents do not matter (cafe finds café).',
    )
    parser.add_argument("query", metavar="QUERY", help="words, phrases and field:value terms")
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N hits (default: 20)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    if args.limit < 1:
        raise CommandError("--limit must be 1 or more")
    with user_errors(), open_workspace(args) as workspace:
        # The answer first: files rewritten in place are caught up with after it.
        hits = workspace.search(args.query, limit=args.limit, check_every_file=False)
        behind = workspace.search_behind()
        catch_up = workspace.background_catch_up()
    if behind:
        from readmark.library.safe_text import printable

        sys.stderr.write(printable(behind) + "\n")
    if args.json:
        print_json([hit_json(hit) for hit in hits])
    else:
        print_hits(hits)
        if len(hits) == args.limit:
            # On stderr: the listing itself stays the same for a script reading stdout.
            sys.stderr.write(f"(the best {args.limit}; there may be more: --limit N shows N)\n")
    if catch_up is not None:
        sys.stdout.flush()
        catch_up()
    return 0


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """type, id, source, kind, quote (annotations) or text (passages), note, start, score,
    snippet (plain), snippet_marked (the matches in `**`, as the text output bolds them), marks
    ([start, end] character ranges of the matches in snippet), then tags (the annotation's, or
    the passage's source's), speaker and confidence (dissent notes): the later keys come last
    so that the earlier ones keep their places."""
    body = "quote" if hit.type == "annotation" else "text"
    return {
        "type": hit.type,
        "id": hit.id,
        "source": hit.source,
        "kind": hit.kind if hit.type == "annotation" else None,
        body: hit.text,
        "note": hit.note,
        "start": hit.start,
        "score": round(hit.score, 4),
        "snippet": hit.snippet,
        "snippet_marked": hit.marked(),
        "marks": [[start, end] for start, end in hit.marks],
        "tags": list(hit.tags),
        "speaker": hit.speaker,
        "confidence": hit.confidence,
    }


def print_hits(hits: list[SearchHit]) -> None:
    """One block per hit: a header (type, kind, source, time, id), the snippet with the
    matched words in bold, and an annotation's note.

    Printed through rich at a terminal; to a pipe or a file, where rich prints plain text,
    written directly as rich would write it (its console is slow to load)."""
    lines = hit_lines(hits)
    width = plain_width(sys.stdout)
    if width is not None and all(is_simple(text) for line in lines for text, _ in line.parts):
        for line in lines:
            plain = "".join(part for part, _ in line.parts)
            # A write and a flush per line, as rich does: `| head` stops it at once.
            sys.stdout.write(
                "".join(f"{piece}\n" for piece in wrapped(plain, width, wrap=line.wrap))
            )
            sys.stdout.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    for line in lines:
        text = Text()
        if line.parts:
            # The first part's style is the line's own (a header is dim throughout).
            first, first_style = line.parts[0]
            text = Text(first, style=first_style or "")
        for part, style in line.parts[1:]:
            text.append(part, style=style)
        console.print(text, soft_wrap=not line.wrap)


class Line(NamedTuple):
    """A line to print: its parts with their rich styles; `wrap` False keeps it whole (it is
    cut or wrapped by the terminal, not by rich). A tuple: making a dataclass costs a fresh
    process more than printing every line."""

    parts: tuple[tuple[str, str | None], ...]
    wrap: bool = True


def hit_lines(hits: list[SearchHit]) -> list[Line]:
    """What `print_hits` prints, line by line, each part already made printable."""
    from readmark.library.safe_text import printable, shorten
    from readmark.library.timecode import format_timecode

    if not hits:
        return [Line((("No matches.", None),))]
    lines: list[Line] = []
    for number, hit in enumerate(hits):
        if number:
            lines.append(Line(()))
        header = [hit.type if hit.kind is None else f"{hit.type} ({hit.kind})", hit.source]
        if hit.start is not None:
            header.append(format_timecode(hit.start, hours=hit.start >= 3600))
        header.append(hit.id)
        lines.append(Line(((printable(" · ".join(header)), "dim"),), wrap=False))
        note = " ".join(hit.note.split())
        in_note = hit.type == "annotation" and bool(note) and _snippet_is_from(hit.snippet, note)
        if in_note:
            # The words matched in the note: show what it is a note on, then the note marked.
            lines.append(Line((("  " + printable(shorten(hit.text, 160)), None),)))
            lines.append(Line((("  note: ", None), *marked_snippet(hit, indent=""))))
            continue
        lines.append(Line(marked_snippet(hit)))
        if hit.type == "annotation" and note:
            lines.append(Line((("  note: " + printable(note), None),)))
    return lines


def _snippet_is_from(snippet: str, note: str) -> bool:
    """Whether the snippet was cut from the note (not from the quote)."""
    core = " ".join(snippet.split()).strip("…. ")
    return bool(core) and core[:40] in note


def marked_snippet(hit: SearchHit, indent: str = "  ") -> tuple[tuple[str, str | None], ...]:
    """The snippet in parts, matched words bold; file text is never read as markup."""
    from readmark.library.safe_text import printable

    parts: list[tuple[str, str | None]] = [(indent, None)]
    last = 0
    for start, end in hit.marks:
        parts.append((printable(hit.snippet[last:start]), None))
        parts.append((printable(hit.snippet[start:end]), "bold"))
        last = end
    parts.append((printable(hit.snippet[last:]), None))
    return tuple(parts)
