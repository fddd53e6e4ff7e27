"""Every format readmark reads, declared once.

Opening a file (`library.loading`), listing a vault (`library.vault`), the listing cache
(`library.cache`) and the source list of the terminal app all read `FORMATS`. A new format is a
reader module in `library/readers/` plus one `Format` entry here; nothing else changes.

Readers are named, not imported: listing a vault from its cache never loads a parser.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cached_property

TIMED_MARK = "▶"
"""The list mark of a source the media's times run through."""
TEXT_MARK = "¶"
"""The list mark of a source read as text."""

# Each pattern starts with a literal newline rather than `^`: the regex engine then jumps from
# line to line, which is several times faster over 50 MB.
LINE_TIMES = re.compile(
    rb"\n[ \t]*(?:[-*+][ \t]+)?(?:\*\*[^*\n]{1,80}\*\*:?[ \t]*|\[[^\]\n]{1,60}\][ \t]+)?"
    rb"(?:\\?[\[(]|\*\*)?((?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)(?![\d:])"
)
"""A line that starts with a time: `- [4:04](url) text`, `[00:00] text`, `**Ana** [00:00:05]`,
`[Ana] [00:05] text`, `\\[04:10\\] text`, `**0:47** · Ana: text`."""
CUE_TIMES = re.compile(rb"\n[ \t]*((?:\d+:)?\d{1,2}:\d{1,2}[.,]\d{1,3})[ \t]+-->")
"""A subtitle cue's timing line: `00:00:05,500 --> ...`."""
JSON_STARTS = re.compile(rb'"start"[ \t\r\n]*:[ \t\r\n]*(\d+(?:\.\d+)?)')
"""A transcript segment's `"start": 5.5`."""


@dataclass(frozen=True, slots=True)
class Format:
    """One format: how its files are recognised, listed, read and shown."""

    name: str
    """What `Source.format` says: the reader's `FORMAT`."""
    reader: str
    """The reader module (`library.readers.base.Reader`: `FORMAT`, `sniff`, `read`), imported
    on first use."""
    extensions: tuple[str, ...]
    """Lower-case suffixes a vault lists as this format's files (files without one are listed
    when they are text, and sniffed)."""
    decided_by_extension: bool = False
    """The extension settles the format without looking at the text. False where a file may
    hold another format (a `.txt` of SubRip cues), so every reader is asked to `sniff` it."""
    timed: bool = False
    """Subtitles and transcripts: every segment has the media's time, and a file name may end in
    a language code (`talk.en.srt`) that is no part of the title. Text formats may hold times
    too (the list then marks them timed), but paragraphs without one are still read."""
    quick_times: re.Pattern[bytes] = LINE_TIMES
    """How a large file's list entry counts its times without parsing it: group 1 of each match
    is one time (a clock, or seconds). A pattern starting with a line end is tried on the first
    line too."""
    mark: str = TEXT_MARK
    """Shown before the title in the source list (a timed text source shows `TIMED_MARK`)."""
    not_mine: str | None = None
    """Why a file with one of `extensions` that no reader recognises is not a source (`.json`
    that is no transcript); None reads it as plain text."""
    expects: str | None = None
    """What such a file would have to hold, said after `not_mine` when one is opened."""
    version: int = 1
    """Raise it when the reader extracts something new or different: cached list entries of
    the format's files are then made again."""


_READERS = "readmark.library.readers"

FORMATS: tuple[Format, ...] = (
    Format(
        "markdown",
        f"{_READERS}.markdown",
        (".md", ".markdown"),
        decided_by_extension=True,
        version=2,
    ),
    Format("text", f"{_READERS}.plaintext", (".txt",), version=2),
    Format(
        "srt",
        f"{_READERS}.srt",
        (".srt",),
        decided_by_extension=True,
        timed=True,
        quick_times=CUE_TIMES,
        mark=TIMED_MARK,
        version=2,
    ),
    Format(
        "vtt",
        f"{_READERS}.vtt",
        (".vtt",),
        decided_by_extension=True,
        timed=True,
        quick_times=CUE_TIMES,
        mark=TIMED_MARK,
        version=2,
    ),
    Format(
        "whisper-json",
        f"{_READERS}.whisper_json",
        (".json",),
        timed=True,
        quick_times=JSON_STARTS,
        mark=TIMED_MARK,
        not_mine="JSON file that is not a transcript",
        expects='readmark reads a "segments", "turns" or "utterances" list, or a "full_transcript"',
        version=2,
    ),
)
"""Every format, in the order their readers are asked to sniff a file."""
FALLBACK = "text"
"""The format of any text no reader claims; its reader is asked last."""


class Registry:
    """Lookups over a tuple of formats, built once per tuple (see `registry`)."""

    def __init__(self, formats: tuple[Format, ...], fallback: str) -> None:
        self.formats = formats
        self.by_name = {f.name: f for f in formats}
        self.fallback = self.by_name[fallback]
        self.by_extension = {suffix: f for f in formats for suffix in f.extensions}
        """The format that lists each extension."""
        self.decided = {s: f for s, f in self.by_extension.items() if f.decided_by_extension}
        """Extensions that settle the format without sniffing."""
        self.listed = frozenset(self.by_extension)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever what a listing extracts from a file may change."""
        facts = [
            (
                f.name,
                f.reader,
                f.extensions,
                f.decided_by_extension,
                f.timed,
                f.quick_times.pattern,
                f.not_mine,
                f.version,
            )
            for f in self.formats
        ]
        # zlib, not hashlib: hashlib loads OpenSSL, 4 MB more for every listing.
        return f"{zlib.crc32(repr((facts, self.fallback.name)).encode('utf-8')):08x}"


_built: Registry | None = None


def registry() -> Registry:
    """The lookups over `FORMATS` as it is now (a test may register a format of its own)."""
    global _built
    if _built is None or _built.formats is not FORMATS or _built.fallback.name != FALLBACK:
        _built = Registry(FORMATS, FALLBACK)
    return _built


def list_mark(format_name: str) -> str:
    """The source list's mark for a format (`TEXT_MARK` for one readmark no longer reads)."""
    found = registry().by_name.get(format_name)
    return found.mark if found is not None else TEXT_MARK
