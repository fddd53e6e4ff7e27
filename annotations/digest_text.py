"""What both digest formats share: labels, and notes made safe to publish.

A note is the reader's Markdown; in a digest its wiki links (`[[Page]]`, `[[Page|label]]`)
become their words, since a published draft has no vault to link into, and what a terminal
would act on (escape sequences) is taken out.
"""

from __future__ import annotations

import re

from readmark.annotations.digest import Digest, DigestView, Entry
from readmark.annotations.model import Kind
from readmark.library.safe_text import printable

_WIKI_LINK = re.compile(r"!?\[\[([^\[\]|]+)(?:\|([^\[\]]+))?\]\]")

RELATED_LABEL = "Related, from other sources:"
NOTHING = "No annotations match."


def note_text(note: str) -> str:
    """A note as a digest shows it: no wiki links, nothing a terminal acts on."""
    text = _WIKI_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), printable(note))
    return text.strip()


def one_line(text: str) -> str:
    return " ".join(printable(text).split())


def note_label(entry: Entry) -> str:
    return "Counterpoint" if entry.annotation.kind is Kind.DISSENT else "Note"


def confidence_text(entry: Entry) -> str:
    """`high`, ...; empty for a highlight or note."""
    annotation = entry.annotation
    if annotation.kind is not Kind.DISSENT:
        return ""
    return str(annotation.confidence) if annotation.confidence else "not given"


def tags_text(digest: Digest, entry: Entry) -> str:
    """The tags line (session digest only: the other views are grouped by tag)."""
    if digest.view is not DigestView.SESSION or not entry.annotation.tags:
        return ""
    return ", ".join(entry.annotation.tags)


def filters_text(digest: Digest) -> str:
    return f"Filtered by {'; '.join(digest.filters)}." if digest.filters else ""
