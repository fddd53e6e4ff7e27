"""Line classifier shared by the Markdown and plain-text readers.

Each line of a body is classified on its own, once, with precompiled patterns; the
assembler in `library.text_body` then groups lines into blocks using the neighbours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum, auto
from functools import lru_cache

from readmark.library.timecode import CLOCK_PATTERN, clock_seconds, parse_clock


class Kind(IntEnum):
    """What one line looks like, before context is taken into account.

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

_CLOCK = CLOCK_PATTERN
# One clock group for every wrapping (`[..](url)`, `[..]`, `(..)`, `**..**`, bare), so a
# transcript line costs one match; mismatched brackets are tolerated.
_STAMP = (
    r"(?P<open>\[|\(|\*\*\[?)?(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?"
    rf"(?:\s*[-–—]\s*(?P<to>{_CLOCK}))?(?![\d:])"
    r"(?:\]\([^)\s]*\)|\]?\*\*|\]|\))?"
)
_MARKER = r"(?:[-*+•]|\d{1,3}[.)])"
_TIMED = re.compile(rf"(?:{_MARKER}\s+)?{_STAMP}(?:\s*[-–—:|]\s*|\s+|$)")
_KEYPOINT = re.compile(
    rf"{_MARKER}\s+\*\*(?P<title>[^*]+?)\*\*\s*[:\-–—]?\s*\(\s*{_STAMP}\s*\)"
    r"\s*(?:[-–—:|]\s*)?(?P<text>.*)"
)
# `_stamped` unpacks the groups of `_TIMED` by position.
assert tuple(_TIMED.groupindex) == ("open", "h", "m", "s", "f", "to")
_NAME_TIME = re.compile(
    rf"(?:\*\*)?(?P<label>[^\[\]()*\n]{{1,80}}?)(?:\*\*)?[\s:,-]{{0,8}}"
    rf"(?:\[(?P<a>{_CLOCK})\]|\((?P<b>{_CLOCK})\)|(?P<c>{_CLOCK}))\s*:?"
)
_LABELLED = re.compile(
    rf"(?:\*\*(?P<bold>[^*\n]{{1,40}}?):?\*\*:?(?:\s*[\[(](?P<bts>{_CLOCK})[\])]:?)?"
    rf"|(?P<label>[^:*\[\]\n]{{1,40}}?)(?:\s*[\[(](?P<ts>{_CLOCK})[\])])?\s*:)\s+(?P<text>\S.*)"
)
_NAME_ALONE = re.compile(r"\*\*(?P<bold>[^*\n]{1,40}?):?\*\*:?|(?P<label>[^:*\n]{1,40}?):")
_HEADING = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?")
_RULE = re.compile(r"([-=*_~])(?:\s*\1)+")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s|/?>|$)|<!--|<!DOCTYPE", re.IGNORECASE)
_IMAGES = re.compile(r"(?:\[?!\[[^\]\n]*\]\([^)\n]*\)(?:\]\([^)\n]*\))?\s*)+")
_LIST = re.compile(r"[-*+•]\s+(.*)")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s+(.*)")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w.'’-]*")
_SPEAKER_NUMBERED = re.compile(
    r"(?:speaker|person|participant|interviewer|interviewee|guest|host)[ _]?\d{1,2}", re.IGNORECASE
)
_PARTICLES = frozenset("de da di del della van von der den la le du al bin ibn y".split())
_NOT_NAMES = frozenset(
    """note notes nb n.b tip tips hint warning caution important reminder example examples
    e.g i.e definition summary step update edit edited source sources result results
    conclusion conclusions pros cons takeaway takeaways status date time location tags tag
    author authors title url link links related also ps p.s tldr tl;dr quote context problem
    solution goal goals idea ideas thesis claim evidence transcript chapters chapter contents
    description highlights highlight mentions introduction intro outro part section subject
    from to cc re fwd todo fix bug issue reference references see via credit credits image
    photo figure fig table caption disclaimer abstract keywords key main why how what when
    where who which and but or so then this that there here it in on at for with by watch
    read listen day week chapters: agenda topic topics overview background question answer
    objective objectives lesson lessons""".split()
)


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


def classify(raw_line: str, *, markdown: bool) -> Line:
    """Classify one line (without its line break)."""
    s = raw_line.strip()
    if not s:
        return BLANK
    first = s[0]
    if first == "[" or first == "(" or "0" <= first <= "9":
        # Transcript lines first: they are most of the lines of the longest files.
        line = _stamped(s)
        if line is not None:
            return line
    if markdown:
        if s.startswith(("```", "~~~")):
            return Line(Kind.FENCE, s, marker=s[:3])
        if first == "<" and _HTML.match(s):
            return Line(Kind.HTML, s)
        if first in "![" and _IMAGES.fullmatch(s):
            return Line(Kind.IMAGE, s)
    if first in "-=*_~" and _RULE.fullmatch(s):
        return Line(Kind.RULE, s, marker=first)
    if first == "#":
        heading = _HEADING.fullmatch(s)
        if heading:
            return Line(Kind.HEADING, s, heading.group(2), level=len(heading.group(1)))
    elif first == "§":
        return Line(Kind.HEADING, s, s.lstrip("§ \t"), level=2, marker="§")
    elif first == ">":
        return Line(Kind.QUOTE, s, s[1:].strip())
    if first in "-*+•" or first.isdigit():
        # ASCII digits were tried above.
        line = None if "0" <= first <= "9" else _stamped(s)
        if line is not None:
            return line
        listed = _LIST.fullmatch(s)
        if listed:
            return Line(Kind.LIST, s, listed.group(1))
        numbered = _NUMBERED.fullmatch(s)
        if numbered:
            return Line(Kind.NUMBERED, s, numbered.group(1))
    return _named(s)


def _stamped(s: str) -> Line | None:
    if "*" in s[:6]:
        point = _KEYPOINT.fullmatch(s)
        if point:
            seconds = clock_seconds(*point.group("h", "m", "s", "f"))
            line = Line(Kind.KEYPOINT, s, point.group("text"), seconds, point.group("title"))
            if point.group("to") is not None:
                line.end = parse_clock(point.group("to"))
            return line
    timed = _TIMED.match(s)
    if not timed:
        return None
    opened, hours, minutes, secs, fraction, to = timed.groups()
    seconds = clock_seconds(hours, minutes, secs, fraction)
    if seconds is None:
        return None
    text = s[timed.end() :]
    if not text:
        return Line(Kind.TIME_ALONE, s, time=seconds)
    # Positional: this runs once per transcript line.
    line = Line(Kind.TIMED, s, text, seconds, None, 0, True, opened is None)
    if to is not None:
        line.end = parse_clock(to)
    if ":" in text[:48]:
        labelled = _LABELLED.fullmatch(text)
        if labelled:
            label = (labelled.group("bold") or labelled.group("label") or "").strip()
            if is_name(label):
                line.label = label
                line.said_at = labelled.start("text")
    return line


def _named(s: str) -> Line:
    last = s[-1]
    if last.isdigit() or last in "])" or last == ":":
        pair = _NAME_TIME.fullmatch(s)
        if pair:
            seconds = parse_clock(pair.group("a") or pair.group("b") or pair.group("c"))
            label = pair.group("label").strip(" \t:-–—")
            if seconds is not None and label:
                return Line(Kind.NAME_TIME, s, time=seconds, label=label)
    if ":" in s[:48] or s.startswith("**"):
        labelled = _LABELLED.fullmatch(s)
        if labelled:
            label = (labelled.group("bold") or labelled.group("label") or "").strip()
            text = labelled.group("text")
            if is_name(label) and not text.startswith(("http://", "https://", "www.")):
                stamp = labelled.group("bts") or labelled.group("ts")
                seconds = parse_clock(stamp) if stamp else None
                return Line(Kind.LABELLED, s, text, seconds, label)
        alone = _NAME_ALONE.fullmatch(s)
        if alone:
            label = (alone.group("bold") or alone.group("label") or "").strip()
            if is_name(label):
                return Line(Kind.NAME_LINE, s, label=label)
    if len(s) <= 40 and is_name(s) and (s.isupper() or len(s.split()) <= 3):
        return Line(Kind.NAME_LINE, s, label=s, explicit=False)
    return Line(Kind.TEXT, s, s)


@lru_cache(maxsize=4096)
def is_name(label: str) -> bool:
    """Whether `label` reads like a person's name or a speaker tag (`Alice`, `Dr. Bo Li`, `Q`)."""
    if not label or len(label) > 40:
        return False
    if _SPEAKER_NUMBERED.fullmatch(label):
        return True
    if label.lower() in _NOT_NAMES:
        return False
    words = label.split()
    if len(words) > 4 or words[0].lower().rstrip(".:") in _NOT_NAMES:
        return False
    for word in words:
        if not _WORD.fullmatch(word):
            return False
        # A full stop only ends an abbreviation or initial: `Dr.`, `J.`; `Good.` is a sentence.
        if word.endswith(".") and len(word) > 4:
            return False
        if not word[0].isupper() and word.lower() not in _PARTICLES:
            return False
    return True
