"""A digest as plain CommonMark: headings, block quotes (as the citation template renders
them), paragraphs and lists; no wiki links, tables or footnotes. HTML tags and `javascript:`
links in notes or quotes are escaped, so the draft renders as the same words and runs nothing."""

from __future__ import annotations

import re

from readmark.annotations.digest import Digest, Entry, Section
from readmark.annotations.digest_text import (
    NOTHING,
    RELATED_LABEL,
    confidence_text,
    filters_text,
    note_label,
    note_text,
    one_line,
    tags_text,
)
from readmark.library.safe_text import printable

_RAW_HTML = re.compile(r"<(?!(?:https?|mailto):[^<>\s]+>)(?=[A-Za-z/!?])")
"""The start of an HTML tag (not of an autolink): a Markdown renderer would pass it on."""
_UNSAFE_LINK = re.compile(
    r"\[[^\[\]\n]*\]\((?!(?:https?|mailto):)[\w+.-]+:[^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)"
)
"""A link whose address runs something (`javascript:`) rather than opening a page."""


def inert(text: str) -> str:
    """Markdown that renders as the same words but runs nothing: HTML tags and links to
    `javascript:` and the like are escaped, so they show as text."""
    text = _UNSAFE_LINK.sub(lambda m: "\\" + m.group(), text)
    return _RAW_HTML.sub(r"\\<", printable(text))


def render_markdown(digest: Digest) -> str:
    blocks = [f"# {one_line(digest.title)}", digest.summary]
    if digest.filters:
        blocks.append(filters_text(digest))
    if not digest.sections:
        blocks.append(NOTHING)
    for section in digest.sections:
        blocks.extend(_section(digest, section, 2))
    return "\n\n".join(blocks) + "\n"


def _section(digest: Digest, section: Section, level: int) -> list[str]:
    blocks = [f"{'#' * level} {one_line(section.title)}"]
    for entry in section.entries:
        blocks.extend(_entry(digest, entry))
    for part in section.parts:
        blocks.extend(_section(digest, part, level + 1))
    return blocks


def _entry(digest: Digest, entry: Entry) -> list[str]:
    blocks = [inert(entry.citation)]
    note = inert(note_text(entry.annotation.note))
    if note:
        blocks.append(f"**{note_label(entry)}:** {note}")
    confidence = confidence_text(entry)
    if confidence:
        blocks.append(f"**Confidence:** {confidence}")
    tags = tags_text(digest, entry)
    if tags:
        blocks.append(f"**Tags:** {tags}")
    if entry.related:
        blocks.append(RELATED_LABEL)
        blocks.append("\n".join(_related(digest, related) for related in entry.related))
    return blocks


def _related(digest: Digest, entry: Entry) -> str:
    """One list item: the citation, then its note, indented to stay in the item."""
    inner = _entry(digest, entry)
    lines = "\n\n".join(inner).splitlines()
    return "\n".join(
        ("- " if number == 0 else "  " if line else "") + line for number, line in enumerate(lines)
    )
