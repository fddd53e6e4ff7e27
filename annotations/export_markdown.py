"""Markdown export: one Obsidian-friendly file per source.

Front matter (title, source, url, authors, speakers, channel, date, tags), the title and a
`[[link]]` to the source file, then highlights and notes as blockquotes with time links and the
note under each, then "Where I disagree" with the dissent notes and their confidence, then the
orphaned annotations. Each entry ends with its dates and its id as a block id (`^id`, so a note
elsewhere can link to it). A quote is text, whatever it starts with: a `4.`, `#`, `-` or `>` at
its start is escaped, never read as a list, heading or quote; a note's own headings are moved
below the document's (`#` becomes `####`), so a note never starts a section of the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

from readmark.annotations.export import (
    SourceLookup,
    in_reading_order,
    iso_date_time,
    lookup,
    time_link,
)
from readmark.annotations.model import Annotation, Kind
from readmark.library.builder import normalise_space
from readmark.library.model import Source
from readmark.library.safe_text import without_lone_surrogates

ORPHANED_HINT = (
    "*These quotes could no longer be found in the source after it changed; "
    "they are kept as they were.*"
)


def export_markdown(
    annotations: Iterable[Annotation], source: Source | None, source_id: str
) -> str:
    """The Markdown file for one source's annotations (`source` None when it is missing)."""
    ordered = in_reading_order(a for a in annotations if a.source == source_id)
    placed = [a for a in ordered if not a.orphaned]
    sections = [
        ("Highlights and notes", [a for a in placed if a.kind != Kind.DISSENT], ""),
        ("Where I disagree", [a for a in placed if a.kind == Kind.DISSENT], ""),
        ("Orphaned", [a for a in ordered if a.orphaned], ORPHANED_HINT),
    ]
    title = source.title if source else without_lone_surrogates(source_id)
    parts = [
        _front_matter(source, source_id, ordered),
        f"# {escape_block_start(normalise_space(title))}",
        f"Source: {wiki_link(source_id)}",
    ]
    for heading, members, hint in sections:
        if not members:
            continue
        parts.append(f"## {heading}")
        if hint:
            parts.append(hint)
        parts.extend(_entry(a, source) for a in members)
    return "\n\n".join(parts) + "\n"


def export_markdown_files(
    annotations: Iterable[Annotation], sources: SourceLookup
) -> dict[str, str]:
    """One Markdown text per annotated source, keyed by file name (see `markdown_file_names`)."""
    by_source: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_source[annotation.source].append(annotation)
    names = markdown_file_names(by_source)
    return {
        names[source_id]: export_markdown(members, lookup(sources, source_id), source_id)
        for source_id, members in sorted(by_source.items())
    }


def markdown_file_names(source_ids: Iterable[str]) -> dict[str, str]:
    """`talks/ep1.srt` -> `talks/ep1.notes.md`; when two sources share a stem, the extension
    stays (`talks/ep1.srt.notes.md`). The `.notes` part keeps an export from ever taking the
    name of a Markdown source."""
    ids = sorted(set(source_ids))
    stems = [str(PurePosixPath(i).with_suffix("")) for i in ids]
    return {
        i: f"{i if stems.count(stem) > 1 else stem}.notes.md"
        for i, stem in zip(ids, stems, strict=True)
    }


def _front_matter(source: Source | None, source_id: str, annotations: list[Annotation]) -> str:
    tags: dict[str, None] = {}
    for tag in [*(source.tags if source else []), *(t for a in annotations for t in a.tags)]:
        tags[_tag(tag)] = None
    # A name that is not UTF-8 shows its odd bytes as U+FFFD: YAML readers refuse them raw.
    shown_id = without_lone_surrogates(source_id)
    meta: dict[str, object] = {"title": source.title if source else shown_id, "source": shown_id}
    if source:
        meta |= {
            "url": source.url,
            "authors": list(source.authors),
            "speakers": list(source.speakers),
            "channel": source.channel,
            "date": source.date,
        }
    meta["tags"] = list(tags)
    kept = {key: value for key, value in meta.items() if value}
    import yaml  # only an export needs it: not loaded at start-up

    dumped = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---"


def _tag(tag: str) -> str:
    # Obsidian tags cannot hold spaces or a leading '#'.
    return "-".join(tag.lstrip("#").split())


def wiki_link(source_id: str) -> str:
    """`[[name]]`, Obsidian's link to the source file: a Markdown file by its name without
    `.md`, any other by its whole name."""
    name = PurePosixPath(without_lone_surrogates(source_id)).name
    if name.lower().endswith(".md"):
        name = name[:-3]
    return f"[[{name.replace('[', '(').replace(']', ')').replace('|', '-')}]]"


_BLOCK_START = re.compile(
    r"^(?:(?P<mark>#|>|[-+*](?=\s|$)|[`~]{3}|[-_*=]{3,}\s*$|\|)|(?P<number>\d{1,9})(?P<dot>[.)])(?=\s|$))"
)


def escape_block_start(text: str) -> str:
    """`text` with what would make a Markdown block of it at its start escaped: `4. Title`
    stays a number and a title, `# tag` and `- item` stay text."""
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group("number") is not None:
        at = match.start("dot")
        return f"{text[:at]}\\{text[at:]}"
    return "\\" + text


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
NOTE_HEADING_SHIFT = 3
"""Levels a note's headings go down: under the file's `#` title and `##` sections."""


def contained_note(note: str) -> str:
    """A note as it stands inside an entry: its headings moved down below the document's
    (`# Why` becomes `#### Why`), a line that would underline the line above into a heading
    escaped; fenced code is left as it is."""
    lines: list[str] = []
    fence: str | None = None
    after_text = False
    for line in note.splitlines():
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence:
                fence = None
        elif opened:
            fence = opened.group(1)[0]
        elif (heading := _HEADING.match(line)) is not None:
            level = min(len(heading.group(2)) + NOTE_HEADING_SHIFT, 6)
            line = heading.group(1) + "#" * level + line[heading.end(2) :]
        elif after_text and _UNDERLINE.match(line):
            line = "\\" + line.lstrip()
        lines.append(line)
        after_text = bool(line.strip()) and fence is None
    return "\n".join(lines)


def _dates(annotation: Annotation) -> str:
    """`*2026-02-13 10:15 UTC, edited 2026-02-14 08:00 UTC* ^id`: when it was written, and
    its id as Obsidian's block id."""
    when = []
    if annotation.created:
        when.append(f"{iso_date_time(annotation.created)[:16]} UTC")
    if annotation.updated and annotation.updated != annotation.created:
        when.append(f"edited {iso_date_time(annotation.updated)[:16]} UTC")
    shown = f"*{', '.join(when)}* " if when else ""
    return f"{shown}^{annotation.id}"


def _entry(annotation: Annotation, source: Source | None) -> str:
    lines = [f"> {escape_block_start(normalise_space(annotation.quote))}"]
    credit = ", ".join(p for p in (annotation.speaker or "", time_link(annotation, source)) if p)
    if credit:
        lines.append(f"> \u2014 {credit}")
    blocks = ["\n".join(lines)]
    if annotation.kind == Kind.DISSENT and annotation.confidence is not None:
        blocks.append(f"**Confidence:** {annotation.confidence}")
    if annotation.note.strip():
        blocks.append(contained_note(annotation.note.strip()))
    if annotation.tags:
        blocks.append(" ".join(f"#{_tag(t)}" for t in annotation.tags))
    blocks.append(_dates(annotation))
    return "\n\n".join(blocks)
