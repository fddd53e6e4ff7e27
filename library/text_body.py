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

from readmark.library.model import Role
from readmark.library.safe_text import shorten
from readmark.library.text_inline import reduce_inline
from readmark.library.text_lines import BLANK, Kind, Line, classify, is_name
from readmark.library.timecode import CLOCK_PATTERN, format_timecode, parse_clock, time_from_url

# Lines longer than this are rarely hard-wrapped: such a file has one paragraph per line.
_LONG_LINE = 110
_OUTLINE_SECTION = re.compile(
    r"\b(?:chapters?|key ?points?|key moments|time ?stamps?|outline|contents|topics|sections)\b",
    re.IGNORECASE,
)
_TRANSCRIPT_SECTION = re.compile(r"\b(?:transcripts?|captions?|subtitles?)\b", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"(?:—|–|--|~)\s*(\S.{0,80})")
# The last `— Name (note), [0:54](url)` of a quotation; no dash may follow it.
_CREDIT = re.compile(
    r"(?:—|–|--|―)\s*(?P<who>[^,\[\]()—–―\"“”]{1,60}?)\s*(?:\([^()]*\))?"
    r"\s*(?:,\s*(?P<when>[^—–―]*?))?\s*$"
)
_ATTRIBUTED = re.compile(r"(?:—|–|--|―)\s*[^—–―\"“”]{1,80}$")
_TIME_LINK = re.compile(rf"\[\s*({CLOCK_PATTERN})\s*\]\(([^)\s]*)\)")
_BARE_CLOCK = re.compile(rf"[\[(]?\s*({CLOCK_PATTERN})\s*[\])]?")
_SENTENCE_END = ".!?…"
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
    on_timeline: bool = True
    """False for a time that points elsewhere (a key point, a chapter entry, a quote's source):
    such blocks keep their `start` but take no part in the reading order of times."""
    section: bool = False
    """For headings: a numbered (`1. Title`) or `§` section heading, never the document title."""
    turn: bool = False
    """For spoken blocks: opens a speaker turn (`Name:`, a name line), so continues none."""
    stamp: str = ""
    """For timed transcript lines: the time as written before the text (`- [12:30]`), to give
    back to the text if the time turns out to be a reference."""


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
    lines = [classify(raw, markdown=markdown) if raw else BLANK for raw in lines_text]
    if title_line is not None and 0 <= title_line < len(lines):
        raw = lines[title_line].raw
        lines[title_line] = Line(Kind.HEADING, raw, raw.lstrip("# "), level=1)
    if skip_line is not None and 0 <= skip_line < len(lines):
        lines[skip_line] = BLANK
    _demote_lone_bare_times(lines)
    speakers = _accepted_speakers(lines)
    return _Assembler(lines, speakers, markdown=markdown, first_line=first_line).run()


def _demote_lone_bare_times(lines: list[Line]) -> None:
    """A single `10:30 text` line in prose is a clock time, not a transcript.

    Among other timed lines it is one more of them (whether those are a transcript or a few
    references is decided on the whole body).
    """
    timed = Kind.TIMED
    stamped = [line for line in lines if line.kind is timed]
    bare = [line for line in stamped if line.bare_time]
    if len(bare) == 1 and len(stamped) == 1:
        line = bare[0]
        line.kind, line.text, line.label = Kind.TEXT, line.raw, None
        return
    # A hard wrap can put a clock time at the start of a line (`at` / `12:30 she says`):
    # inside a prose paragraph, with no timed line after it, it is text.
    wrapped = _wrapped_times(lines)
    if wrapped and len(wrapped) * 2 >= len(bare):
        for line in wrapped:
            line.kind, line.text, line.label = Kind.TEXT, line.raw, None


def _wrapped_times(lines: list[Line]) -> list[Line]:
    """Bare-time lines in the middle of a paragraph that opened with a line of prose."""
    found: list[Line] = []
    prose = False
    for i, line in enumerate(lines):
        kind = line.kind
        if kind is Kind.BLANK:
            prose = False
        elif kind is Kind.TEXT:
            prose = prose or i == 0 or lines[i - 1].kind is Kind.BLANK
        elif kind is Kind.TIMED and line.bare_time and prose:
            after = lines[i + 1].kind if i + 1 < len(lines) else Kind.BLANK
            if after is not Kind.TIMED and after is not Kind.TIME_ALONE:
                found.append(line)
                continue
            prose = False
        else:
            prose = False
    return found


def _accepted_speakers(lines: list[Line]) -> dict[str, str]:
    """Labels that are speakers, each mapped to the one spelling used for that speaker.

    A label is a speaker when it recurs, sits in a run of turns or comes with a time. Bare
    name lines (`ALICE`) must recur among at least two speakers, unless they head the text
    right below them (no blank line) in a run of such turns. Labels that differ only by case
    are one speaker.
    """
    # (line index, casefolded label, comes with a time, is a bare name line)
    candidates: list[tuple[int, str, bool, bool]] = []
    spellings: dict[str, Counter[str]] = {}
    direct: list[tuple[int, str]] = []
    keys: dict[str, str] = {}
    labelled = [(i, line) for i, line in enumerate(lines) if line.label is not None]
    for i, line in labelled:
        label = line.label or ""
        key = keys.get(label)
        if key is None:
            key = keys[label] = label.casefold()
        if line.kind is Kind.LABELLED:
            candidates.append((i, key, line.time is not None, False))
        elif line.kind is Kind.TIMED:
            candidates.append((i, key, False, False))
        elif line.kind is Kind.NAME_LINE and _introduces_text(lines, i):
            candidates.append((i, key, False, not line.explicit))
            if i + 1 < len(lines) and lines[i + 1].kind is Kind.TEXT:
                direct.append((i, key))
        elif line.kind is Kind.NAME_TIME and not _in_run(lines, i, Kind.NAME_TIME):
            candidates.append((i, key, True, False))
        else:
            continue
        variants = spellings.get(key)
        if variants is None:
            variants = spellings[key] = Counter()
        variants[label] += 1
    counts = Counter(c[1] for c in candidates)
    accepted = {c[1] for c in candidates if c[2] or counts[c[1]] >= 2}
    if len(accepted) == len(spellings) >= 2:
        # Every label recurs: nothing more to decide (and long transcripts skip the walks below).
        return {label: _spelling(variants) for variants in spellings.values() for label in variants}
    # Three labelled turns in a row are a conversation even if no name recurs.
    run: list[tuple[int, str, bool, bool]] = []
    for candidate in candidates:
        if candidate[3]:
            continue
        if run and candidate[0] - run[-1][0] > _RUN_DISTANCE:
            run = []
        run.append(candidate)
        if len(run) == 3:
            accepted.update(c[1] for c in run)
        elif len(run) > 3:
            accepted.add(candidate[1])
    for k, (i, key, _, _) in enumerate(candidates):
        if key in accepted:
            continue
        neighbours = candidates[max(k - 1, 0) : k] + candidates[k + 1 : k + 2]
        if any(n[1] in accepted and abs(n[0] - i) <= _RUN_DISTANCE for n in neighbours):
            accepted.add(key)
    accepted |= _direct_turns(direct)
    if len(accepted) < 2:
        accepted -= {c[1] for c in candidates if c[3]} - {c[1] for c in candidates if not c[3]}
    return {
        label: _spelling(spellings[key]) for key in accepted for label in spellings.get(key, ())
    }


def _direct_turns(direct: list[tuple[int, str]]) -> set[str]:
    """Names heading the line right below them, two different ones close together: turns."""
    found: set[str] = set()
    for (i, first), (j, second) in zip(direct, direct[1:], strict=False):
        if first != second and j - i <= _RUN_DISTANCE:
            found.update((first, second))
    return found


def _spelling(variants: Counter[str]) -> str:
    """The spelling a speaker goes by: the most used, a Title Case one before ALL CAPS."""
    return min(variants, key=lambda v: (len(v) > 1 and v.isupper(), -variants[v]))


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
    text, labelled = Kind.TEXT, Kind.LABELLED
    prose = [len(line.raw) for line in lines if line.kind is text or line.kind is labelled]
    if not prose:
        return False
    long_lines = sum(1 for n in prose if n > _LONG_LINE)
    return long_lines * 4 >= len(prose)


class _Assembler:
    """Walks the classified lines once, grouping them into blocks."""

    def __init__(
        self, lines: list[Line], speakers: dict[str, str], *, markdown: bool, first_line: int
    ) -> None:
        self.lines = lines
        self.speakers = speakers
        self.markdown = markdown
        self.first_line = first_line
        self.unwrapped = _unwrapped(lines)
        self.inline: Callable[[str], str] = reduce_inline if markdown else _unchanged
        self.first_content = next((i for i, ln in enumerate(lines) if ln is not BLANK), -1)
        self.body = Body()
        self.buffer: list[str] = []
        self.buffer_block = Block("")
        self.speaker: str | None = None
        self.new_turn = False
        """A speaker label was just read: the next spoken block opens a turn."""
        self.pending_time: float | None = None
        self.sections: list[tuple[int, str]] = []
        self.dropped_code: list[tuple[int, int]] = []
        self.dropped_html = 0
        self.dropped_images = 0

    def handlers(self) -> dict[Kind, Callable[[int, Line], None]]:
        """The method for each line kind; made per run, as bound methods would make the
        assembler a reference cycle that keeps every line alive until a collection."""
        return {
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
        last_fence = {
            line.marker: i for i, line in enumerate(self.lines) if line.kind is Kind.FENCE
        }
        handlers = self.handlers()
        unwrapped = self.unwrapped
        blank = Kind.BLANK
        for i, line in enumerate(self.lines):
            kind = line.kind
            if fence is not None:
                if kind is Kind.FENCE and line.marker == fence:
                    fence = None
                else:
                    start, count = self.dropped_code[-1]
                    self.dropped_code[-1] = (start, count + 1)
                continue
            if kind is blank:
                # Half the lines of most files: handled here, without a call.
                if self.buffer:
                    self.flush()
                continue
            if kind is Kind.FENCE and last_fence[line.marker] == i:
                # A fence never closed: a stray line, not a code block swallowing the file.
                continue
            if kind is Kind.FENCE:
                self.flush()
                fence = line.marker
                self.dropped_code.append((self.first_line + i, 0))
                continue
            if unwrapped and kind is not Kind.RULE and kind is not Kind.QUOTE:
                # One paragraph per line: every line starts afresh.
                self.flush()
            handlers[kind](i, line)
        self.flush()
        self.warn_dropped()
        return self.body

    # --- one line -------------------------------------------------------------------------

    def blank(self, i: int, line: Line) -> None:
        if self.buffer:
            self.flush()

    def html(self, i: int, line: Line) -> None:
        self.flush()
        self.dropped_html += 1

    def image(self, i: int, line: Line) -> None:
        self.dropped_images += 1

    def heading_line(self, i: int, line: Line) -> None:
        # `## [12:34](link) Title` or `## 12:34 Title`: a chapter heading with its time.
        stamped = classify(line.text, markdown=True) if line.text[:1] in "[(0123456789" else None
        if stamped is not None and stamped.kind is Kind.TIMED and stamped.text.strip():
            self.flush()
            self.add_heading(stamped.text, line.level, self.first_line + i, start=stamped.time)
            return
        self.heading(i, line.text, line.level, section=line.marker == "§")

    def time_alone(self, i: int, line: Line) -> None:
        self.flush()
        self.pending_time = line.time

    def labelled(self, i: int, line: Line) -> None:
        if line.label not in self.speakers:
            self.text(i, line.raw)
            return
        self.flush()
        self.speaker = self.speakers[line.label]
        self.new_turn = True
        self.open(i, line.text, Role.PARAGRAPH, start=line.time)

    def list_item(self, i: int, line: Line) -> None:
        self.flush()
        self.open(i, line.text, Role.LIST_ITEM, spoken=False)

    def plain(self, i: int, line: Line) -> None:
        self.text(i, line.raw)

    def rule(self, i: int, line: Line) -> None:
        underline = line.marker in "=-" and len(line.raw) >= 3
        # A timed transcript line above `---` is a line followed by a separator, not a title.
        titled = self.buffer_block.start is None if self.buffer else False
        if (
            underline
            and titled
            and len(self.buffer) == 1
            and self.buffer_block.role is Role.PARAGRAPH
        ):
            title, at = self.buffer[0], self.buffer_block.line
            self.buffer = []
            self.add_heading(title, 1 if line.marker == "=" else 2, at)
        else:
            self.flush()

    def heading(self, i: int, title: str, level: int, *, section: bool = False) -> None:
        self.flush()
        self.add_heading(title, level, self.first_line + i, section=section)

    def add_heading(
        self,
        title: str,
        level: int,
        at: int,
        *,
        section: bool = False,
        start: float | None = None,
    ) -> None:
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
        self.new_turn = False
        if text.strip():
            self.body.headings.append(Mark(text, start, len(self.body.blocks)))
        heading = Block(text, Role.HEADING, start, level=level, line=at, section=section)
        # A chapter time points into the media; it takes no part in the reading order.
        heading.on_timeline = False
        self.body.blocks.append(heading)

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
        self.open(i, f"{title} ({stamp}){rest}", Role.LIST_ITEM, start=line.time, spoken=False)
        self.buffer_block.on_timeline = False
        self.buffer_block.end = line.end
        if section in ("outline", "none"):
            self.body.timed_marks.append(Mark(title, line.time, len(self.body.blocks)))
        self.flush()

    def timed(self, i: int, line: Line) -> None:
        if self.buffer:
            self.flush()
        if self.sections and self.sections[-1][1] == "outline":
            title = self.inline(line.text)
            stamp = format_timecode(line.time or 0)
            # A chapter entry: the outline carries its time, the entry itself stays plain text.
            self.open(i, f"{stamp} {line.text}", Role.LIST_ITEM, spoken=False)
            self.body.timed_marks.append(
                Mark(_outline_title(title), line.time, len(self.body.blocks))
            )
            self.flush()
            return
        text = line.text
        if line.label is not None and line.label in self.speakers:
            self.speaker = self.speakers[line.label]
            text = line.text[line.said_at :]
        stamp = line.raw[: len(line.raw) - len(line.text)]
        following = self.lines[i + 1].kind if i + 1 < len(self.lines) else Kind.BLANK
        if following is Kind.BLANK or following is Kind.TIMED:
            # Nothing can continue this line: the block is finished now (most transcript lines).
            self.pending_time = None
            self.new_turn = False
            self.body.blocks.append(
                Block(
                    self.inline(text),
                    Role.PARAGRAPH,
                    line.time,
                    self.speaker,
                    0,
                    self.first_line + i,
                    line.end,
                )
            )
            self.body.blocks[-1].stamp = stamp
            return
        self.open(i, text, Role.PARAGRAPH, start=line.time, end=line.end)
        self.buffer_block.stamp = stamp

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
            self.speaker = self.speakers[label]
            self.new_turn = True
            self.pending_time = line.time
        else:
            self.text(i, line.raw)

    def name_line(self, i: int, line: Line) -> None:
        label = line.label or ""
        speaker = self.speakers.get(label)
        # After a quotation, a name standing apart is its author, unless that person speaks next.
        apart = self.kind_at(i + 1) in (Kind.BLANK, None)
        speaks = speaker is not None and _introduces_text(self.lines, i)
        if not self.buffer and apart and not speaks and self.attribute(label):
            return
        if speaker is not None:
            self.flush()
            self.speaker = speaker
            self.new_turn = True
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
            self.heading(i, line.raw, 2, section=True)
        else:
            self.flush()
            self.open(i, line.text, Role.LIST_ITEM, spoken=False)

    def text(self, i: int, raw: str) -> None:
        if not self.buffer:
            attribution = _ATTRIBUTION.fullmatch(raw)
            if attribution and self.attribute(attribution.group(1)):
                return
            next_kind = self.kind_at(i + 1)
            if next_kind is Kind.BLANK and not self.markdown and i == self.first_content:
                if _looks_like_first_title(raw):
                    self.heading(i, raw, 1)
                    return
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
        end: float | None = None,
        spoken: bool = True,
    ) -> None:
        """Start a block; spoken blocks take the pending time and the current speaker."""
        speaker = None
        if spoken:
            if start is None:
                start = self.pending_time
            self.pending_time = None
            speaker = self.speaker
        self.buffer = [text]
        self.buffer_block = Block("", role, start, speaker, 0, self.first_line + i, end)
        if spoken and self.new_turn:
            self.buffer_block.turn = True
            self.new_turn = False

    def flush(self) -> None:
        if not self.buffer:
            return
        block = self.buffer_block
        joined = self.buffer[0] if len(self.buffer) == 1 else " ".join(self.buffer)
        if block.role is Role.QUOTE:
            _credit(block, joined)
        elif block.role is Role.LIST_ITEM and block.start is None and "](" in joined:
            _credit(block, joined, speaker=False)
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
        if _ATTRIBUTED.search(last.text):
            # Already credited (`"..." — Jane Jacobs`): a second name is not its author.
            return False
        line = f"— {name}"
        # A credited quotation is a quote, wherever its marks came from.
        last.role = Role.QUOTE
        _credit(last, line)
        last.text = f"{last.text} {self.inline(line)}"
        return True

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


def _unchanged(text: str) -> str:
    return text


def _looks_like_first_title(raw: str) -> bool:
    """A plain-text file's opening line set apart, short and not a sentence: its title."""
    return len(raw) <= 80 and raw[-1] not in _SENTENCE_END + ",;:" and raw[0] not in "-*+>|"


def _credit(block: Block, text: str, *, speaker: bool = True) -> None:
    """Give a quotation the time it links to and the speaker its `— Name` credits.

    The time points at a moment of the media; the block stays off the timeline.
    """
    link = _TIME_LINK.search(text)
    start = parse_clock(link.group(1)) if link else None
    if link and start is None:
        start = time_from_url(link.group(2))
    credit = _CREDIT.search(text)
    if credit:
        who = credit.group("who").strip()
        if speaker and is_name(who):
            block.speaker = who
        when = credit.group("when")
        if start is None and when:
            clock = _BARE_CLOCK.fullmatch(when.strip())
            start = parse_clock(clock.group(1)) if clock else None
    if start is not None:
        block.start = start
        block.on_timeline = False


def _is_quotation(text: str) -> bool:
    stripped = text.rstrip(".,;")
    return len(stripped) > 1 and stripped[0] in _QUOTE_OPEN and stripped[-1] in _QUOTE_CLOSE


def _outline_title(title: str, limit: int = 80) -> str:
    """An outline title from a key-point line: the part before ` - `, cut at `limit`."""
    for separator in (" - ", " — ", " – "):
        head = title.split(separator, 1)[0]
        if head != title:
            title = head
            break
    return shorten(title, limit, at_word=False)
