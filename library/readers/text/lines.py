"""Lines of a body and what each looks like (`Kind`), before context is taken into account."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, auto


class Kind(IntEnum):
    """What one line looks like on its own (`classify` decides it).

    An IntEnum so that the per-line dispatch on it hashes in C.
    """

    BLANK = auto()
    FENCE = auto()
    """A ``` or ~~~ code fence line (Markdown)."""
    HTML = auto()
    """A line that opens with an HTML tag or comment (Markdown)."""
    IMAGE = auto()
    """A line holding only images (Markdown)."""
    RULE = auto()
    """`---`, `===`, `***`: a separator or a setext underline."""
    HEADING = auto()
    QUOTE = auto()
    KEYPOINT = auto()
    """`- **Title** ([0:54](url)) - text`."""
    TIMED = auto()
    """A time then text: `[4:04](url) text`, `- [00:00] text`, `00:00 text`, `**00:00** text`."""
    TIME_ALONE = auto()
    """Only a time: `0:00`, `[12:34]`."""
    NAME_TIME = auto()
    """A short label then a time: `Alice 00:12:34`, `**Bob** [1:02]`, `Intro 0:00`."""
    LABELLED = auto()
    """`Name: text` or `Name (00:12:34): text`."""
    NAME_LINE = auto()
    """A line holding only a name: `Alice:`, `**Bob**`, `CAROL`."""
    LIST = auto()
    NUMBERED = auto()
    TEXT = auto()


@dataclass(slots=True)
class Line:
    """One classified line of a body."""

    kind: Kind
    raw: str
    """The line without surrounding white space."""
    text: str = ""
    """The payload: heading title, list item text, the text after a time or label."""
    time: float | None = None
    label: str | None = None
    """Speaker name or chapter title carried by the line."""
    level: int = 0
    """Heading level (1-6)."""
    explicit: bool = True
    """For names: marked by a colon or bold (False for a bare `Alice` line)."""
    bare_time: bool = False
    """For TIMED lines: the time has no brackets or bold, so it may be ordinary text."""
    marker: str = ""
    """Fence or rule character; `§` for a `§ Section` heading."""
    said_at: int = 0
    """For TIMED lines with a speaker label: where the text after `Name:` starts in `text`
    (an offset, not a copy: long transcripts have a million such lines)."""
    end: float | None = None
    """For TIMED and KEYPOINT lines written with a range (`[00:00–00:02]`): where it ends."""


BLANK = Line(Kind.BLANK, "")
"""The one blank line, shared: blank lines are half of many files and are never changed."""


def split_lines(text: str) -> list[str]:
    """`text` cut at line ends: `\n`, `\r\n` or a lone `\r`, and nothing else.

    Not `str.splitlines`, which also cuts at control characters (`\x1c`-`\x1e`, NEL, which
    a Windows file decoded as Latin-1 holds for `…`) and would tear a paragraph apart.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # a final line end ends the last line; it does not open another
    return lines
