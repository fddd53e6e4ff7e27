"""Open one file as a `Source`: decode it, pick the reader that recognises it, parse it."""

from __future__ import annotations

import functools
import gc
import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from library.decoding import HEAD_SIZE, binary_reason, decode, decode_head
from library.errors import SourceError
from library.model import Source
from library.readers.base import Reader

READER_MODULES: tuple[str, ...] = (
    "library.readers.markdown",
    "library.readers.plaintext",
    "library.readers.srt",
    "library.readers.vtt",
    "library.readers.whisper_json",
)
"""Every format reader; the loader asks each to `sniff` a file and keeps the surest."""
FALLBACK_MODULE = "library.readers.plaintext"
"""Reads any text no other reader claims."""

MAX_SOURCE_BYTES = 200 * 1024 * 1024
"""Larger files are listed with an error instead of being parsed."""


class NotASource(SourceError):
    """The file is not text readmark reads (binary, unreadable, or JSON that is no transcript)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.reason = reason
        """Short reason, shown next to the path in the list of skipped files."""


@dataclass(frozen=True, slots=True)
class Peek:
    """What a glance at the head of a file tells: enough for a list entry before parsing."""

    title: str
    format: str


@functools.cache
def readers() -> tuple[Reader, ...]:
    """The reader modules, imported on first use so listing from the cache stays light."""
    return tuple(_import_reader(name) for name in READER_MODULES)


def fallback_reader() -> Reader:
    return _import_reader(FALLBACK_MODULE)


def _import_reader(name: str) -> Reader:
    module: Reader = importlib.import_module(name)
    return module


def choose_reader(name: str, head: str) -> Reader:
    """The reader most sure it can read a file called `name` starting with `head`."""
    best = fallback_reader()
    best_score = 0.0
    for reader in readers():
        score = reader.sniff(name, head)
        if score > best_score:
            best, best_score = reader, score
    return best


def load_path(path: Path, source_id: str) -> Source:
    """Parse the file at `path` fully.

    Raises `NotASource` when it cannot be opened or is not text. A file that is text but
    cannot be parsed, or is too large, comes back as a `Source` with `error` set.
    """
    name = path.name
    suffix = path.suffix.lower()
    reason = binary_reason(name, b"")
    if reason is not None:
        raise NotASource(name, reason)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_SOURCE_BYTES:
                return _failed(path, source_id, _too_large(size))
            data = file.read()
    except OSError as error:
        raise NotASource(name, _os_reason(error)) from error
    reason = binary_reason(name, data[:HEAD_SIZE])
    if reason is not None:
        raise NotASource(name, reason)
    if not data.strip():
        reader = choose_reader(name, "")
        return Source(
            id=source_id, title=path.stem, format=reader.FORMAT, warnings=["file is empty"]
        )
    decoded = decode(data)
    del data
    reader = choose_reader(name, decoded.text[:HEAD_SIZE])
    if suffix == ".json" and reader is fallback_reader():
        raise NotASource(name, "JSON file that is not a transcript")
    try:
        source = _read_with(reader, decoded.text, source_id, path.stem)
    except SourceError as error:
        return _failed(path, source_id, str(error), reader.FORMAT, decoded.warnings)
    except Exception as error:  # noqa: BLE001 - one bad file must not stop a whole listing
        message = f"could not be read ({type(error).__name__}: {error}); this is a bug in readmark"
        return _failed(path, source_id, message, reader.FORMAT, decoded.warnings)
    if decoded.warnings:
        source.warnings[:0] = decoded.warnings
    return source


GC_PAUSE_BYTES = 4 * 1024 * 1024
"""From this size on, parsing runs with the cyclic garbage collector paused."""


def _read_with(reader: Reader, text: str, source_id: str, stem: str) -> Source:
    # A parse makes millions of acyclic objects; collecting over and over as the heap grows
    # cost a third of the time on a 50 MB transcript.
    if len(text) < GC_PAUSE_BYTES or not gc.isenabled():
        return reader.read(text, source_id, stem)
    gc.disable()
    try:
        return reader.read(text, source_id, stem)
    finally:
        gc.enable()


def peek_path(path: Path) -> Peek:
    """Title and format from the first few KB of a file, without parsing the rest.

    The title comes from a front matter `title:` or the first `# ` heading, else the file name;
    raises `NotASource` like `load_path`.
    """
    name = path.name
    try:
        with path.open("rb") as file:
            head_bytes = file.read(HEAD_SIZE)
    except OSError as error:
        raise NotASource(name, _os_reason(error)) from error
    reason = binary_reason(name, head_bytes)
    if reason is not None:
        raise NotASource(name, reason)
    head = decode_head(head_bytes)
    reader = choose_reader(name, head)
    return Peek(title=_title_in_head(head) or path.stem, format=reader.FORMAT)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.MULTILINE | re.DOTALL)
_TITLE_KEY = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def _title_in_head(head: str) -> str | None:
    front = _FRONT_MATTER.match(head)
    title = _TITLE_KEY.search(front.group(1)) if front else None
    if title is not None:
        text = title.group(1)
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
        return text.strip() or None
    heading = _HEADING.search(head)
    return heading.group(1) if heading else None


def _failed(
    path: Path,
    source_id: str,
    error: str,
    format_name: str = "text",
    warnings: list[str] | None = None,
) -> Source:
    return Source(
        id=source_id, title=path.stem, format=format_name, error=error, warnings=warnings or []
    )


def _too_large(size: int) -> str:
    return (
        f"file is too large to open ({_size_label(size)}; "
        f"the limit is {_size_label(MAX_SOURCE_BYTES)})"
    )


def _size_label(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.0f} MB"


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (check the file's permissions)"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(error, FileNotFoundError):
        return "file not found"
    return error.strerror or str(error)
