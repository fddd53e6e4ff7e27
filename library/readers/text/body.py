"""Group the classified lines of a body into blocks: paragraphs, headings, list items, quotes,
speaker turns and timed transcript lines."""

from __future__ import annotations

import re
from collections.abc import Callable

from readmark.library.model import Role
from readmark.library.readers.text.blocks import Block, Body, Mark
from readmark.library.readers.text.chapter_lists import outline_title
from readmark.library.readers.text.classify import classify
from readmark.library.readers.text.credits import ATTRIBUTED, ATTRIBUTION, credit, is_quotation
from readmark.library.readers.text.inline import reduce_inline
from readmark.library.readers.text.labels import QUESTION_OR_ANSWER
from readmark.library.readers.text.lines import BLANK, Kind, Line
from readmark.library.readers.text.prose_times import demote_lone_bare_times
from readmark.library.readers.text.title_lines import (
    BOOK_CHAPTER,
    looks_like_first_title,
    looks_like_section,
    looks_like_title,
)
from readmark.library.readers.text.turns import accepted_speakers, in_run, introduces_text
from readmark.library.timecode import format_timecode

# Lines longer than this are rarely hard-wrapped: such a file has one paragraph per line.
_LONG_LINE = 110
_OUTLINE_SECTION = re.compile(
    r"\b(?:chapters?|key ?points?|key moments|time ?stamps?|outline|contents|topics|sections)\b",
    re.IGNORECASE,
)
_HEADING_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}\n]*\}\s*$")
"""`## Pages {#pages}`: an id or class for the page (Hugo, Pandoc), not part of the title."""
_TRANSCRIPT_SECTION = re.compile(r"\b(?:transcripts?|captions?|subtitles?)\b", re.IGNORECASE)


def parse_body(
    lines_text: list[str],
    *,
    markdown: bool,
    first_line: int = 1,
    title_line: int | None = None,
    skip_lines: tuple[int, ...] = (),
    sections: bool = False,
) -> Body:
    """Parse the lines of a body into blocks.

    `first_line` is the file line number of the body's first line (for warnings);
    `title_line` and `skip_lines` are body line indexes of a clipped note's title (read as
    a heading) and of its other header lines (left out). With `sections` (a clipped note), a
    short plain line right above a paragraph is a section heading.
    """
    lines = [classify(raw, markdown=markdown) if raw else BLANK for raw in lines_text]
    if title_line is not None and 0 <= title_line < len(lines):
        raw = lines[title_line].raw
        lines[title_line] = Line(Kind.HEADING, raw, raw.lstrip("# "), level=1)
    for skipped in skip_lines:
        if 0 <= skipped < len(lines):
            lines[skipped] = BLANK
    demote_lone_bare_times(lines)
    speakers = accepted_speakers(lines)
    assembler = _Assembler(lines, speakers, markdown=markdown, first_line=first_line)
    assembler.sections_by_lines = sections
    return assembler.run()


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
        self.sections_by_lines = False
        """A short plain line right above a paragraph is a section heading (clipped notes)."""

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
            if not self.buffer or self.unwrapped:
                # Whoever the label names, it is not the speaker before: never cite them.
                self.speaker = None
                self.new_turn = False
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
        text = self.inline(_HEADING_ATTRIBUTES.sub("", title))
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
                Mark(outline_title(title), line.time, len(self.body.blocks))
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
        if in_run(self.lines, i, Kind.NAME_TIME):
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
        elif self.speakers and line.time is not None:
            # `**Break:** [01:06]` in a conversation: nobody speaks, but the file gives the time.
            self.flush()
            self.speaker, self.new_turn, self.pending_time = None, False, None
            marker = Block(self.inline(label), Role.PARAGRAPH, line.time, line=self.first_line + i)
            marker.turn = True
            self.body.blocks.append(marker)
        else:
            self.text(i, line.raw)

    def name_line(self, i: int, line: Line) -> None:
        label = line.label or ""
        speaker = self.speakers.get(label)
        # After a quotation, a name standing apart is its author, unless that person speaks next.
        apart = self.kind_at(i + 1) in (Kind.BLANK, None)
        speaks = speaker is not None and introduces_text(self.lines, i)
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
            and not QUESTION_OR_ANSWER.match(line.text)
            and self.neighbour(i, -1) is not Kind.NUMBERED
            and self.neighbour(i, 1) is not Kind.NUMBERED
        ):
            self.heading(i, line.raw, 2, section=True)
        else:
            self.flush()
            self.open(i, line.text, Role.LIST_ITEM, spoken=False)

    def text(self, i: int, raw: str) -> None:
        if not self.buffer:
            attribution = ATTRIBUTION.fullmatch(raw)
            if attribution and self.attribute(attribution.group(1)):
                return
            if self.new_turn or self.pending_time is not None:
                # What a speaker label opens is said, however short (`Yes`): never a title.
                self.open(i, raw, Role.PARAGRAPH)
                return
            next_kind = self.kind_at(i + 1)
            if next_kind is Kind.BLANK and not self.markdown and i == self.first_content:
                if looks_like_first_title(raw):
                    self.heading(i, raw, 1)
                    return
            if self.chapter_heading(i, raw, next_kind):
                return
            alone = self.unwrapped or next_kind in (Kind.BLANK, None)
            if alone and looks_like_title(raw):
                self.heading(i, raw, 2)
                return
            if self.sections_by_lines and next_kind is Kind.TEXT and looks_like_section(raw):
                self.heading(i, raw, 2)
                return
        if self.buffer and not self.unwrapped:
            self.buffer.append(raw)
            return
        self.flush()
        self.open(i, raw, Role.PARAGRAPH)

    def chapter_heading(self, i: int, raw: str, next_kind: Kind | None) -> bool:
        """`CHAPTER I.` alone, or with its title on the line below: a book's chapter heading."""
        if len(raw) > 20 or not BOOK_CHAPTER.fullmatch(raw):
            return False
        if next_kind in (Kind.BLANK, None):
            self.heading(i, raw, 2)
            return True
        title = self.lines[i + 1]
        plain = next_kind is Kind.TEXT or (next_kind is Kind.NAME_LINE and not title.explicit)
        if plain and self.kind_at(i + 2) in (Kind.BLANK, None):
            if len(title.raw) <= 80:
                self.lines[i + 1] = BLANK
                self.heading(i, f"{raw} {title.raw}", 2)
                return True
        return False

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
            credit(block, joined)
        elif block.role is Role.LIST_ITEM and block.start is None and "](" in joined:
            credit(block, joined, speaker=False)
        block.text = self.inline(joined)
        self.buffer = []
        self.body.blocks.append(block)

    def attribute(self, name: str) -> bool:
        """Append `— name` to a quotation just before; False when there is none."""
        if not self.body.blocks or len(name) > 80:
            return False
        last = self.body.blocks[-1]
        if last.role is not Role.QUOTE and not is_quotation(last.text):
            return False
        if ATTRIBUTED.search(last.text):
            # Already credited (`"..." — Jane Jacobs`): a second name is not its author.
            return False
        line = f"— {name}"
        # A credited quotation is a quote, wherever its marks came from.
        last.role = Role.QUOTE
        credit(last, line)
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


def _unchanged(text: str) -> str:
    return text
