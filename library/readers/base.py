"""The small interface every format reader offers."""

from __future__ import annotations

from typing import Protocol

from readmark.library.model import Source


class Reader(Protocol):
    """A reader of one family of formats.

    `sniff` scores how sure the reader is that a file is its format, from the file name
    and the first few KB of decoded text (0 = not mine, 1 = certainly mine); the loader
    picks the highest score. `read` parses the whole decoded text into a `Source` and
    raises only `library.errors.SourceError`.
    """

    FORMAT: str

    def sniff(self, name: str, head: str) -> float: ...

    def read(self, text: str, source_id: str, stem: str) -> Source: ...
