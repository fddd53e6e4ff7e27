"""Reader for Markdown notes and transcripts, with or without YAML front matter."""

from __future__ import annotations

import re

from readmark.library.errors import SourceError
from readmark.library.model import Source
from readmark.library.readers.text.source import read_text_source

FORMAT = "markdown"

# `.md` and `.markdown` are settled by `library.formats`; the rarer spellings are not listed in a
# vault, but a file opened by its path is still read as Markdown.
_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")


def sniff(name: str, head: str) -> float:
    """Sure for `.md` files; fairly sure for front matter or `#` headings anywhere."""
    if name.lower().endswith(_EXTENSIONS):
        return 0.9
    if head.lstrip("\ufeff").startswith("---\n") or head.startswith("---\r\n"):
        return 0.7
    # The substring tests are quick and rule out most text before a pattern runs over it.
    if "#" in head and _HEADING.search(head):
        return 0.5
    if "](" in head and _LINK.search(head):
        return 0.3
    return 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    """Parse a Markdown file; malformed front matter is a warning, not an error."""
    try:
        return read_text_source(text, source_id, stem, fmt=FORMAT, markdown=True)
    except RecursionError as error:
        raise SourceError(f"{source_id}: the file is nested too deeply to read") from error
