"""The body parser shared by the Markdown and plain-text readers.

Lines are classified once (`library.text_lines`), then grouped into blocks: paragraphs,
headings, list items, quotes, speaker turns and timed transcript lines. Which reading
applies to an ambiguous line (a name, a numbered line, a time) depends on its neighbours
and on what recurs in the whole document, so speakers are decided before blocks are built.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from library.model import Role
from library.text_inline import reduce_inline
from library.text_lines import BLANK, Kind, Line, classify
from library.timecode import format_timecode

# Lines longer than this are rarely hard-wrapped: such a file has one paragraph per line.
_LONG_LINE = 110
_OUTLINE_SECTION = re.compile(
    r"\b(?:chapters?|key ?points?|key moments|time ?stamps?|outline|contents|topics|sections)\b",
    re.IGNORECASE,
)
_TRANSCRIPT_SECTION = re.compile(r"\b(?:transcripts?|captions?|subtitles?)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"(?:—|–|--|~)\s*(\S.{0,80})")
_QUOTE_OPEN = "\"“‘'«"
_QUOTE_CLOSE = "\"”’'»"
_SMALL_WORDS = frozenset(
    "a an the and or nor but of to in on at for with from by as vs vs. via per into onto is".split()
)
_RUN_DISTANCE = 12
_TITLE_OPEN = "\"“‘'(«"


@dataclass(slots=True)
class Block:
    """A unit of reading found in the body, before it becomes a `Segment`."""

    text: str
    role: Role = Role.PARAGRAPH
    start: float | None = None
    speaker: str | None = None
    level: int = 0
    """Heading level; 0 for anything but a heading."""
    line: int = 0
    """1-based line number in the file."""
    end: float | None = None


@dataclass(frozen=True, slots=True)
class Mark:
    """An outline entry found in the body: a heading, a chapter or a key point."""

    title: str
    start: float | None
    block: int
    """Index into `Body.blocks` of the block it belongs to."""


@dataclass(slots=True)
class Body:
    """The blocks of a body and the outline candidates found in it."""

    blocks: list[Block] = field(default_factory=list)
    headings: list[Mark] = field(default_factory=list)
    timed_marks: list[Mark] = field(default_factory=list)
    """Chapters and key points listed in the body."""
    warnings: list[str] = field(default_factory=list)


def parse_body(
    lines_text: list[str],
    *,
    markdown: bool,
    first_line: int = 1,
    title_line: int | None = None,
    skip_line: int | None = None,
) -> Body:
    """Parse the lines of a body into blocks.

    `first_line` is the file line number of the body's first line (for warnings);
    `title_line` and `skip_line` are body line indexes of a clipped note's title (read as
    a heading) and of its date/tags line (left out).
    """
    lines = [classify(raw, markdown=markdown) for raw in lines_text]
    if title_line is not None and 0 <= title_line < len(lines):
        raw = lines[title_line].raw
        lines[title_line] = Line(Kind.HEADING, raw, raw.lstrip("# "), level=1)
    if skip_line is not None and 0 <= skip_line < len(lines):
        lines[skip_line] = BLANK
    _demote_lone_bare_times(lines)
    speakers = _accepted_speakers(lines)
    return _Assembler(lines, speakers, markdown=markdown, first_line=first_line).run()


def _demote_lone_bare_times(lines: list[Line]) -> None:
    """A single `10:30 text` line in prose is a clock time, not a transcript."""
    bare = [line for line in lines if line.kind is Kind.TIMED and line.bare_time]
    if len(bare) == 1:
        line = bare[0]
        line.kind, line.text, line.label = Kind.TEXT, line.raw, None


def _accepted_speakers(lines: list[Line]) -> set[str]:
    """Labels that are speakers: they recur, or sit in a run of turns, or come with a time.

    Bare name lines (`ALICE`) must recur, among at least two speakers.
    """
    # (line index, label, comes with a time, is a bare name line)
    candidates: list[tuple[int, str, bool, bool]] = []
    for i, line in enumerate(lines):
        label = line.label
        if label is None:
            continue
        if line.kind is Kind.LABELLED:
            candidates.append((i, label, line.time is not None, False))
        elif line.kind is Kind.TIMED:
            candidates.append((i, label, False, False))
        elif line.kind is Kind.NAME_LINE and _introduces_text(lines, i):
            candidates.append((i, label, False, not line.explicit))
        elif line.kind is Kind.NAME_TIME and not _in_run(lines, i, Kind.NAME_TIME):
            candidates.append((i, label, True, False))
    counts = Counter(c[1] for c in candidates)
    accepted = {c[1] for c in candidates if c[2] or counts[c[1]] >= 2}
    run: list[tuple[int, str, bool, bool]] = []
    for candidate in candidates:
        if run and candidate[0] - run[-1][0] > _RUN_DISTANCE:
            run = []
        if not candidate[3]:
            run.append(candidate)
        if len(run) >= 3:
            # Three labelled turns in a row are a conversation even if no name recurs.
            accepted.update(c[1] for c in run)
    for k, (i, label, _, _) in enumerate(candidates):
        if label in accepted:
            continue
        neighbours = candidates[max(k - 1, 0) : k] + candidates[k + 1 : k + 2]
        if any(n[1] in accepted and abs(n[0] - i) <= _RUN_DISTANCE for n in neighbours):
            accepted.add(label)
    if len(accepted) < 2:
        accepted -= {c[1] for c in candidates if c[3]} - {c[1] for c in candidates if not c[3]}
    return accepted


def _introduces_text(lines: list[Line], i: int) -> bool:
    """Whether a name line is followed by something said (not another name, heading or end)."""
    j = i + 1
    while j < len(lines) and lines[j].kind is Kind.BLANK:
        j += 1
    return j < len(lines) and lines[j].kind in (Kind.TEXT, Kind.QUOTE, Kind.LIST, Kind.TIMED)


def _in_run(lines: list[Line], i: int, kind: Kind) -> bool:
    before = i > 0 and lines[i - 1].kind is kind
    after = i + 1 < len(lines) and lines[i + 1].kind is kind
    return before or after


def _unwrapped(lines: list[Line]) -> bool:
    """Whether the file writes one paragraph per line (long lines), not hard-wrapped ones."""
    prose = [len(line.raw) for line in lines if line.kind in (Kind.TEXT, Kind.LABELLED)]
    if not prose:
        return False
    long_lines = sum(1 for n in prose if n > _LONG_LINE)
    return long_lines * 4 >= len(prose)


class _Assembler:
    """Walks the classified lines once, grouping them into blocks."""

    def __init__(
        self, lines: list[Line], speakers: set[str], *, markdown: bool, first_line: int
    ) -> None:
        self.lines = lines
        self.speakers = speakers
        self.markdown = markdown
        self.first_line = first_line
        self.unwrapped = _unwrapped(lines)
        self.body = Body()
        self.buffer: list[str] = []
        self.buffer_block = Block("")
        self.speaker: str | None = None
        self.pending_time: float | None = None
        self.sections: list[tuple[int, str]] = []
        self.dropped_code: list[tuple[int, int]] = []
        self.dropped_html = 0
        self.dropped_images = 0
        self.handlers: dict[Kind, Callable[[int, Line], None]] = {
            Kind.BLANK: self.blank,
            Kind.FENCE: self.blank,
            Kind.HTML: self.html,
            Kind.IMAGE: self.image,
            Kind.RULE: self.rule,
            Kind.HEADING: self.heading_line,
            Kind.QUOTE: self.quote,
            Kind.KEYPOINT: self.keypoint,
            Kind.TIMED: self.timed,
            Kind.TIME_ALONE: self.time_alone,
            Kind.NAME_TIME: self.name_time,
            Kind.LABELLED: self.labelled,
            Kind.NAME_LINE: self.name_line,
            Kind.LIST: self.list_item,
            Kind.NUMBERED: self.numbered,
            Kind.TEXT: self.plain,
        }

    def run(self) -> Body:
        fence: str | None = None
        for i, line in enumerate(self.lines):
            if fence is not None:
                if line.kind is Kind.FENCE and line.marker == fence:
                    fence = None
                else:
                    start, count = self.dropped_code[-1]
                    self.dropped_code[-1] = (start, count + 1)
                continue
            if line.kind is Kind.FENCE:
                self.flush()
                fence = line.marker
                self.dropped_code.append((self.first_line + i, 0))
                continue
            self.step(i, line)
        self.flush()
        self.warn_dropped()
        return self.body

    # --- one line -------------------------------------------------------------------------

    def step(self, i: int, line: Line) -> None:
        kind = line.kind
        if self.unwrapped and kind is not Kind.RULE and kind is not Kind.QUOTE:
            # One paragraph per line: every line starts afresh.
            self.flush()
        self.handlers[kind](i, line)

    def blank(self, i: int, line: Line) -> None:
        if self.buffer:
            self.flush()

    def html(self, i: int, line: Line) -> None:
        self.flush()
        self.dropped_html += 1

    def image(self, i: int, line: Line) -> None:
        self.dropped_images += 1

    def heading_line(self, i: int, line: Line) -> None:
        self.heading(i, line.text, line.level)

    def time_alone(self, i: int, line: Line) -> None:
        self.flush()
        self.pending_time = line.time

    def labelled(self, i: int, line: Line) -> None:
        if line.label not in self.speakers:
            self.text(i, line.raw)
            return
        self.flush()
        self.speaker = line.label
        self.open(i, line.text, Role.PARAGRAPH, start=line.time)

    def list_item(self, i: int, line: Line) -> None:
        self.flush()
        self.open(i, line.text, Role.LIST_ITEM, spoken=False)

    def plain(self, i: int, line: Line) -> None:
        self.text(i, line.raw)

    def rule(self, i: int, line: Line) -> None:
        underline = line.marker in "=-" and len(line.raw) >= 3
        if underline and len(self.buffer) == 1 and self.buffer_block.role is Role.PARAGRAPH:
            title, at = self.buffer[0], self.buffer_block.line
            self.buffer = []
            self.add_heading(title, 1 if line.marker == "=" else 2, at)
        else:
            self.flush()

    def heading(self, i: int, title: str, level: int) -> None:
        self.flush()
        self.add_heading(title, level, self.first_line + i)

    def add_heading(self, title: str, level: int, at: int) -> None:
        text = self.inline(title)
        while self.sections and self.sections[-1][0] >= level:
            self.sections.pop()
        kind = "other"
        if _TRANSCRIPT_SECTION.search(text):
            kind = "transcript"
        elif _OUTLINE_SECTION.search(text):
            kind = "outline"
        elif self.sections:
            kind = self.sections[-1][1]
        self.sections.append((level, kind))
        self.speaker = None
        if text.strip():
            self.body.headings.append(Mark(text, None, len(self.body.blocks)))
        self.body.blocks.append(Block(text, Role.HEADING, level=level, line=at))

    def quote(self, i: int, line: Line) -> None:
        if self.buffer and self.buffer_block.role is not Role.QUOTE:
            self.flush()
        if not line.text:
            self.flush()
        elif self.buffer:
            self.buffer.append(line.text)
        else:
            self.open(i, line.text, Role.QUOTE, spoken=False)

    def keypoint(self, i: int, line: Line) -> None:
        self.flush()
        section = self.section()
        stamp = format_timecode(line.time) if line.time is not None else ""
        title = self.inline(line.label or "")
        rest = f" - {line.text}" if line.text else ""
        self.open(i, f"{title} ({stamp}){rest}", Role.LIST_ITEM, spoken=False)
        if section in ("outline", "none"):
            self.body.timed_marks.append(Mark(title, line.time, len(self.body.blocks)))
        self.flush()

    def timed(self, i: int, line: Line) -> None:
        if self.buffer:
            self.flush()
        if self.sections and self.sections[-1][1] == "outline":
            title = self.inline(line.text)
            stamp = format_timecode(line.time or 0)
            self.open(i, f"{stamp} {line.text}", Role.LIST_ITEM, spoken=False)
            self.body.timed_marks.append(Mark(_short(title), line.time, len(self.body.blocks)))
            self.flush()
            return
        text = line.text
        if line.label is not None and line.label in self.speakers:
            self.speaker = line.label
            text = line.said
        self.open(i, text, Role.PARAGRAPH, start=line.time)

    def name_time(self, i: int, line: Line) -> None:
        label = line.label or ""
        if _in_run(self.lines, i, Kind.NAME_TIME):
            # A run of `Title 0:00` lines is a chapter list.
            self.flush()
            stamp = format_timecode(line.time or 0)
            self.open(i, f"{label} {stamp}", Role.LIST_ITEM, spoken=False)
            self.body.timed_marks.append(Mark(self.inline(label), line.time, len(self.body.blocks)))
            self.flush()
        elif label in self.speakers:
            self.flush()
            self.speaker = label
            self.pending_time = line.time
        else:
            self.text(i, line.raw)

    def name_line(self, i: int, line: Line) -> None:
        label = line.label or ""
        if not self.buffer and self.attribute(label):
            return
        if label in self.speakers:
            self.flush()
            self.speaker = label
        else:
            self.text(i, line.raw)

    def numbered(self, i: int, line: Line) -> None:
        words = line.text.split()
        alone = self.unwrapped or (not self.buffer and self.kind_at(i + 1) is Kind.BLANK)
        if (
            alone
            and len(words) <= 15
            and line.text[-1] not in ".,;:"
            and self.neighbour(i, -1) is not Kind.NUMBERED
            and self.neighbour(i, 1) is not Kind.NUMBERED
        ):
            self.heading(i, line.raw, 2)
        else:
            self.flush()
            self.open(i, line.text, Role.LIST_ITEM, spoken=False)

    def text(self, i: int, raw: str) -> None:
        if not self.buffer:
            attribution = _ATTRIBUTION.fullmatch(raw)
            if attribution and self.attribute(attribution.group(1)):
                return
            next_kind = self.kind_at(i + 1)
            alone = self.unwrapped or next_kind in (Kind.BLANK, None)
            if alone and _looks_like_title(raw):
                self.heading(i, raw, 2)
                return
        if self.buffer and not self.unwrapped:
            self.buffer.append(raw)
            return
        self.flush()
        self.open(i, raw, Role.PARAGRAPH)

    # --- helpers ----------------------------------------------------------------------------

    def open(
        self,
        i: int,
        text: str,
        role: Role,
        *,
        start: float | None = None,
        spoken: bool = True,
    ) -> None:
        """Start a block; spoken blocks take the pending time and the current speaker."""
        speaker = None
        if spoken:
            start = self.pending_time if start is None else start
            self.pending_time = None
            speaker = self.speaker
        self.buffer = [text]
        self.buffer_block = Block("", role, start, speaker, 0, self.first_line + i)

    def flush(self) -> None:
        if not self.buffer:
            return
        block = self.buffer_block
        joined = self.buffer[0] if len(self.buffer) == 1 else " ".join(self.buffer)
        block.text = self.inline(joined)
        self.buffer = []
        self.body.blocks.append(block)

    def attribute(self, name: str) -> bool:
        """Append `— name` to a quotation just before; False when there is none."""
        if not self.body.blocks or len(name) > 80:
            return False
        last = self.body.blocks[-1]
        if last.role is not Role.QUOTE and not _is_quotation(last.text):
            return False
        last.text = f"{last.text} — {self.inline(name)}"
        return True

    def inline(self, text: str) -> str:
        return reduce_inline(text) if self.markdown else text

    def section(self) -> str:
        return self.sections[-1][1] if self.sections else "none"

    def kind_at(self, i: int) -> Kind | None:
        return self.lines[i].kind if 0 <= i < len(self.lines) else None

    def neighbour(self, i: int, step: int) -> Kind | None:
        """Kind of the nearest non-blank line before (`step=-1`) or after (`step=1`)."""
        j = i + step
        while 0 <= j < len(self.lines) and self.lines[j].kind is Kind.BLANK:
            j += step
        return self.kind_at(j)

    def warn_dropped(self) -> None:
        parts = []
        if self.dropped_code:
            first, _ = self.dropped_code[0]
            total = sum(n for _, n in self.dropped_code)
            blocks = len(self.dropped_code)
            noun = "code block" if blocks == 1 else "code blocks"
            parts.append(f"{blocks} {noun} ({total} lines, from line {first})")
        if self.dropped_html:
            parts.append(f"{self.dropped_html} HTML lines")
        if self.dropped_images:
            parts.append(f"{self.dropped_images} images")
        if parts:
            self.body.warnings.append(f"left out {', '.join(parts)}: not reading text")


def _looks_like_title(raw: str) -> bool:
    """A short line in title case with no closing punctuation: `The Speed of Diffusion`."""
    if len(raw) > 90 or raw[-1] in '.,;:!"”' or raw[0] in "-*+>|":
        return False
    words = raw.split()
    if not 1 <= len(words) <= 12:
        return False
    significant = 0
    for word in words:
        bare = word.lstrip(_TITLE_OPEN)
        if not bare:
            continue
        if bare.lower() in _SMALL_WORDS:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()):
            return False
        significant += 1
    return significant > 0 and (raw[-1] != "?" or len(words) <= 8)


def _is_quotation(text: str) -> bool:
    stripped = text.rstrip(".,;")
    return len(stripped) > 1 and stripped[0] in _QUOTE_OPEN and stripped[-1] in _QUOTE_CLOSE


def _short(title: str, limit: int = 80) -> str:
    """An outline title from a key-point line: the part before ` - `, cut at `limit`."""
    for separator in (" - ", " — ", " – "):
        head = title.split(separator, 1)[0]
        if head != title:
            title = head
            break
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
