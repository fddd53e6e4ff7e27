"""Readwise CSV export: columns `Highlight,Title,Author,URL,Note,Location,Date`.

Author and URL are the source's (Readwise groups highlights into one book by title and
author, so a per-quote speaker would split a podcast into many books). Location is the start
second as a whole number (empty when untimed); Date is `YYYY-MM-DD HH:MM:SS` (UTC). Tags open
the Note as Readwise inline tags (`.reading .ai`, a dot and one word each), the note follows on
the next line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from readmark.annotations.citation import join_names
from readmark.annotations.export import SourceLookup, in_reading_order, iso_date_time, lookup
from readmark.annotations.model import Annotation, Kind
from readmark.library.builder import normalise_space
from readmark.library.model import Source

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")


def export_readwise_csv(annotations: Iterable[Annotation], sources: SourceLookup) -> str:
    """A CSV text Readwise imports; lines end in `\\n` (write it with `newline=""`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for annotation in in_reading_order(annotations):
        writer.writerow(readwise_row(annotation, lookup(sources, annotation.source)))
    return out.getvalue()


def readwise_row(annotation: Annotation, source: Source | None) -> dict[str, str]:
    """One annotation as a Readwise row."""
    return {
        "Highlight": normalise_space(annotation.quote),
        "Title": source.title if source else annotation.source,
        "Author": _author(source),
        "URL": (source.url if source else None) or "",
        "Note": _note(annotation),
        "Location": "" if annotation.start is None else str(int(annotation.start)),
        "Date": iso_date_time(annotation.created),
    }


def _author(source: Source | None) -> str:
    if source is None:
        return ""
    if source.authors:
        return join_names(source.authors)
    return source.channel or join_names(source.speakers)


def _note(annotation: Annotation) -> str:
    text = _note_text(annotation)
    tags = " ".join(f".{tag}" for tag in annotation.tags)
    return "\n".join(part for part in (tags, text) if part)


def _note_text(annotation: Annotation) -> str:
    note = annotation.note.strip()
    if annotation.kind != Kind.DISSENT:
        return note
    confidence = f" ({annotation.confidence} confidence)" if annotation.confidence else ""
    return f"I disagree{confidence}: {note}" if note else f"I disagree{confidence}."
