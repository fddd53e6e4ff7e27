"""Markdown export: one Obsidian-friendly file per source.

Front matter (title, source, url, authors, speakers, channel, date, tags), then highlights and
notes as blockquotes with time links and the note under each, then "Where I disagree" with the
dissent notes and their confidence, then the orphaned annotations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

import yaml
from readmark.annotations.export import SourceLookup, in_reading_order, lookup, time_link
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
    parts = [_front_matter(source, source_id, ordered), f"# {title}"]
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
    dumped = yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---"


def _tag(tag: str) -> str:
    # Obsidian tags cannot hold spaces or a leading '#'.
    return "-".join(tag.lstrip("#").split())


def _entry(annotation: Annotation, source: Source | None) -> str:
    lines = [f"> {normalise_space(annotation.quote)}"]
    credit = ", ".join(p for p in (annotation.speaker or "", time_link(annotation, source)) if p)
    if credit:
        lines.append(f"> \u2014 {credit}")
    blocks = ["\n".join(lines)]
    if annotation.kind == Kind.DISSENT and annotation.confidence is not None:
        blocks.append(f"**Confidence:** {annotation.confidence}")
    if annotation.note.strip():
        blocks.append(annotation.note.strip())
    if annotation.tags:
        blocks.append(" ".join(f"#{_tag(t)}" for t in annotation.tags))
    return "\n\n".join(blocks)
