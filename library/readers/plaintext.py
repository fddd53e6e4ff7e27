"""Reader for plain text: articles, reading notes, clipped notes and pasted transcripts."""

from __future__ import annotations

from readmark.library.errors import SourceError
from readmark.library.model import Source
from readmark.library.readers.text.source import read_text_source

FORMAT = "text"

_EXTENSIONS = (".txt", ".text")


def sniff(name: str, head: str) -> float:
    """Moderate for `.txt`; a low fallback for anything that reads as text."""
    if name.lower().endswith(_EXTENSIONS):
        return 0.5
    if not head or "\x00" in head:
        return 0.0
    if head.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return 0.1  # all printable: no need to count character by character
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
    return 0.1 if printable >= 0.95 * len(head) else 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    """Parse a plain-text file; Markdown syntax is kept as written."""
    try:
        return read_text_source(text, source_id, stem, fmt=FORMAT, markdown=False)
    except RecursionError as error:
        raise SourceError(f"{source_id}: the file is nested too deeply to read") from error
