"""`readmark search QUERY`: find annotations and source passages together."""

from __future__ import annotations

import argparse
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
    from readmark.annotations.index import SearchHit
    from rich.text import Text


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
    matched words in bold, and an annotation's note."""
    from readmark.library.safe_text import printable, shorten
    from readmark.library.timecode import format_timecode
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    if not hits:
        console.print("No matches.")
        return
    for number, hit in enumerate(hits):
        if number:
            console.print()
        header = [hit.type if hit.kind is None else f"{hit.type} ({hit.kind})", hit.source]
        if hit.start is not None:
            header.append(format_timecode(hit.start, hours=hit.start >= 3600))
        header.append(hit.id)
        console.print(Text(printable(" · ".join(header)), style="dim"), soft_wrap=True)
        note = " ".join(hit.note.split())
        in_note = hit.type == "annotation" and bool(note) and _snippet_is_from(hit.snippet, note)
        if in_note:
            # The words matched in the note: show what it is a note on, then the note marked.
            console.print(Text("  " + printable(shorten(hit.text, 160))))
            console.print(Text("  note: ").append_text(marked_snippet(hit, indent="")))
            continue
        console.print(marked_snippet(hit))
        if hit.type == "annotation" and note:
            console.print(Text("  note: " + printable(note)))


def _snippet_is_from(snippet: str, note: str) -> bool:
    """Whether the snippet was cut from the note (not from the quote)."""
    core = " ".join(snippet.split()).strip("…. ")
    return bool(core) and core[:40] in note


def marked_snippet(hit: SearchHit, indent: str = "  ") -> Text:
    """The snippet as a rich `Text`, matched words bold; file text is never read as markup."""
    from readmark.library.safe_text import printable
    from rich.text import Text

    text = Text(indent)
    last = 0
    for start, end in hit.marks:
        text.append(printable(hit.snippet[last:start]))
        text.append(printable(hit.snippet[start:end]), style="bold")
        last = end
    text.append(printable(hit.snippet[last:]))
    return text
