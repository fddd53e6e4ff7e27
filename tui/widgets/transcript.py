"""The open source, drawn line by line through Textual's Line API.

Wrapping is lazy so a 50 MB transcript opens at once: each segment is wrapped when it is first
drawn or reached, and a Fenwick tree of per-segment line counts (estimates until wrapped) maps
screen lines to segments and back.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readmark.annotations.model import Annotation, Kind
from readmark.library.model import Role, Segment, Source
from readmark.library.safe_text import printable
from readmark.library.sentences import SentenceIndex, index_sentences
from readmark.library.timecode import TimecodeError, format_timecode, parse_timecode
from readmark.tui.key_hold import expect_screen
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.widgets.listen_keys import LISTEN_BINDINGS, ListenKeys
from readmark.tui.widgets.transcript_layout import LineIndex, estimate_lines, wrap_spans
from rich.cells import cell_len
from rich.segment import Segment as RichSegment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from readmark.annotations.review import Decision

GUTTER = 9
"""Least cells of the time gutter (`1:02:03` and two spaces) when the source has times."""
MEASURE = 90
"""Most characters of text on a line by default: longer lines are hard to follow."""
LEFT_MARGIN = 2
"""Cells before the text when it is set to the left and the pane is wider than the measure."""
ESTIMATE = "~"
"""Before a time in the gutter that the file does not give (a turn's later paragraph)."""
SEEK_SECONDS = 30.0
MAX_MATCHES = 100_000
_ROLE_PREFIX = {Role.LIST_ITEM: "• ", Role.QUOTE: "│ "}
_KIND_CLASS = {
    Kind.HIGHLIGHT: "transcript--highlight",
    Kind.NOTE: "transcript--note",
    Kind.DISSENT: "transcript--dissent",
}
_WORD = re.compile(r"\S+")
_NOTE_KINDS = {"note": Kind.NOTE, "dissent": Kind.DISSENT}
TIME_EXAMPLES = "4:04, 1:02:03, 244s, +30, -1m"


def _parse_time_text(raw: str) -> tuple[str, float]:
    """`+`, `-` or "" and the seconds of `raw`; raises TimecodeError."""
    sign = raw[:1] if raw[:1] in "+-" else ""
    return sign, parse_timecode(raw[1:] if sign else raw)


def time_problem(text: str) -> str | None:
    """Why `text` is not a time to go to, or None when it is one (or blank: nothing asked)."""
    raw = text.strip()
    if not raw:
        return None
    try:
        _parse_time_text(raw)
    except TimecodeError:
        return f"Not a time: {printable(raw)} — try {TIME_EXAMPLES}"
    return None


@dataclass(frozen=True, slots=True)
class _Line:
    """One screen line of a segment's block."""

    kind: str
    """`text`, `heading`, `speaker` or `blank`: picks the component class that styles it."""
    start: int = 0
    """For text lines, the char offsets into `Source.text` the line shows."""
    end: int = 0
    label: str = ""
    """What heading and speaker lines show."""
    gutter: str = ""
    """The time the file gives for the line the first word is on; `~4:09` for an estimate."""
    prefix: str = ""
    """List or quote mark (first line) or its indent (following lines)."""


class Transcript(ListenKeys, ScrollView, can_focus=True):
    """The open source: wrapped text with a time gutter, speakers, headings and annotations."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES = {
        "transcript--gutter",
        "transcript--estimate",
        "transcript--speaker",
        "transcript--heading",
        "transcript--highlight",
        "transcript--note",
        "transcript--dissent",
        "transcript--review",
        "transcript--match",
        "transcript--cursor",
        "transcript--selection",
    }

    DEFAULT_CSS = """
    Transcript {
        background: $surface;
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    Transcript > .transcript--gutter { color: $text-muted; }
    /* A time the file does not give, placed by the words around it: never read as given. */
    Transcript > .transcript--estimate { color: $text-disabled; text-style: italic; }
    Transcript > .transcript--speaker { color: $text-accent; text-style: bold; }
    Transcript > .transcript--heading { color: $text-primary; text-style: bold; }
    /* Each mark its own hue and style: in 256 colours dim tints of different hues collapse. */
    Transcript > .transcript--highlight { background: $warning 30%; text-style: bold; }
    Transcript > .transcript--note {
        background: $success 55%; color: $text; text-style: underline;
    }
    Transcript > .transcript--dissent { background: $error 45%; text-style: italic; }
    /* Words that may be an annotation's quote, waiting for the reader: A takes, O gives up. */
    Transcript > .transcript--review { color: $text-warning; text-style: underline italic; }
    Transcript > .transcript--match { background: $warning 80%; color: $text; text-style: bold; }
    Transcript > .transcript--cursor { background: $primary 50%; }
    Transcript > .transcript--selection { background: $secondary 45%; text-style: reverse; }
    """

    BINDINGS = [
        Binding("j,down", "move(1)", "Next sentence", id="transcript.next_sentence", show=False),
        Binding("k,up", "move(-1)", "Previous sentence", id="transcript.prev_sentence", show=False),
        Binding("J", "segment(1)", "Next segment", id="transcript.next_segment", show=False),
        Binding("K", "segment(-1)", "Previous segment", id="transcript.prev_segment", show=False),
        Binding(
            "right_curly_bracket",
            "outline(1)",
            "Next entry",
            id="transcript.next_entry",
            show=False,
        ),
        Binding(
            "left_curly_bracket",
            "outline(-1)",
            "Previous entry",
            id="transcript.prev_entry",
            show=False,
        ),
        Binding("ctrl+d", "page(0.5)", "Half page down", id="transcript.half_down", show=False),
        Binding("ctrl+u", "page(-0.5)", "Half page up", id="transcript.half_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="transcript.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="transcript.page_up", show=False),
        Binding("g,home", "first", "Top", id="transcript.first", show=False),
        Binding("G,end", "last", "Bottom", id="transcript.last", show=False),
        Binding("t", "time_prompt", "Go to time", id="transcript.go_to_time"),
        # Not offered without times (see check_action); pressed anyway, it says why.
        Binding("t", "no_times", id="transcript.go_to_time", show=False),
        Binding(
            "right_square_bracket", "seek(30)", "+30 s", id="transcript.seek_forward", show=False
        ),
        Binding("left_square_bracket", "seek(-30)", "-30 s", id="transcript.seek_back", show=False),
        Binding("slash", "find_prompt", "Find", id="transcript.find"),
        Binding("n", "find_next(1)", "Next match", id="transcript.next_match", show=False),
        Binding("N", "find_next(-1)", "Previous match", id="transcript.prev_match", show=False),
        Binding("v", "select", "Select", id="transcript.select"),
        Binding("w", "word(1)", "Extend by word", id="transcript.extend_word", show=False),
        Binding("b", "word(-1)", "Shrink by word", id="transcript.shrink_word", show=False),
        Binding("escape", "cancel", "Cancel", id="transcript.cancel", show=False),
        Binding("h", "highlight", "Highlight", id="transcript.highlight"),
        Binding("a", "note('note')", "Note", id="transcript.annotate"),
        Binding("d", "note('dissent')", "Dissent", id="transcript.dissent"),
        Binding("y", "copy_quote", "Copy quote", id="transcript.copy"),
        Binding("Y", "choose_citation", "Copy as…", id="transcript.copy_format", show=False),
        Binding("e", "edit_note", "Edit note", id="transcript.edit", show=False),
        Binding("x", "delete_annotation", "Delete", id="transcript.delete", show=False),
        # Shown only on an annotation that needs review (see check_action).
        Binding("A", "decide('accept')", "Accept candidate", id="transcript.accept_candidate"),
        Binding("O", "decide('orphan')", "Orphan (keep quote)", id="transcript.orphan"),
        *LISTEN_BINDINGS,
    ]

    # Not a repaint of the whole pane: a move repaints the lines it left and reached.
    cursor: reactive[int] = reactive(0, always_update=False, repaint=False)
    """Index of the sentence under the reading cursor."""

    class PositionChanged(Message):
        """The reading cursor moved (coalesced: only the latest is handled)."""

        def __init__(
            self,
            transcript: Transcript,
            offset: int,
            segment_index: int,
            seconds: float | None,
            by_reader: bool = True,
        ) -> None:
            super().__init__()
            self.transcript = transcript
            self.by_reader = by_reader
            """False when playback moved the cursor (following)."""
            self.offset = offset
            """Char offset of the cursor sentence in `Source.text`."""
            self.segment_index = segment_index
            self.seconds = seconds
            """Time at the cursor, when the source is timed."""

        @property
        def control(self) -> Transcript:
            return self.transcript

        def can_replace(self, message: Message) -> bool:
            # A move by playback never hides a move by the reader: that one ends following.
            return (
                isinstance(message, Transcript.PositionChanged)
                and message.transcript is self.transcript
                and (message.by_reader or not self.by_reader)
            )

    class Found(Message):
        """`/` looked for words (the screen remembers them and shows where the cursor is)."""

        def __init__(self, transcript: Transcript, query: str, count: int) -> None:
            super().__init__()
            self.transcript = transcript
            self.query = query
            self.count = count

        @property
        def control(self) -> Transcript:
            return self.transcript

    class SpanRequest(Message):
        """The reader asked for something done with words: the selection, else the cursor
        sentence (the screen does it). Each intent is a subclass."""

        def __init__(self, transcript: Transcript, start: int, end: int) -> None:
            super().__init__()
            self.transcript = transcript
            self.start = start
            """Char offsets of the words in `Source.text`."""
            self.end = end

        @property
        def control(self) -> Transcript:
            return self.transcript

    class HighlightRequested(SpanRequest):
        """`h`: highlight the words."""

    class NoteRequested(SpanRequest):
        """`a` or `d`: write a note (or a dissent note) on the words."""

        def __init__(self, transcript: Transcript, start: int, end: int, kind: Kind) -> None:
            super().__init__(transcript, start, end)
            self.kind = kind

    class CopyRequested(SpanRequest):
        """`y`: copy the words as a citation, in the format in force."""

    class CitationFormatRequested(SpanRequest):
        """`Y`: choose the citation format, then copy the words in it."""

    class AnnotationRequest(Message):
        """The reader asked for something done with the annotation under the cursor (None
        when there is none: the screen says so)."""

        def __init__(self, transcript: Transcript, annotation_id: str | None) -> None:
            super().__init__()
            self.transcript = transcript
            self.annotation_id = annotation_id

        @property
        def control(self) -> Transcript:
            return self.transcript

    class EditRequested(AnnotationRequest):
        """`e`: edit the note of the annotation under the cursor."""

    class DeleteRequested(AnnotationRequest):
        """`x`: move the annotation under the cursor to the trash."""

    class ReviewDecided(Message):
        """`A` or `O` on an annotation that needs review: take its candidate, or give up."""

        def __init__(self, transcript: Transcript, annotation_id: str, decision: Decision) -> None:
            super().__init__()
            self.transcript = transcript
            self.annotation_id = annotation_id
            self.decision = decision

        @property
        def control(self) -> Transcript:
            return self.transcript

    def __init__(
        self,
        *,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._source: Source | None = None
        self._sentences = SentenceIndex()
        self._segment_starts = array("q")
        self._segment_ends = array("q")
        self._timed = False
        self._headings: dict[int, list[str]] = {}
        self._gutter = 0
        self._width = 0
        self.measure: int | None = MEASURE
        """Most characters of text per line (None: the whole pane)."""
        self.align = "centre"
        """Where the text stands in a pane wider than the measure: `centre` or `left`."""
        self.last_query = ""
        """The last words looked for with `/`: the prompt offers them again."""
        self._index = LineIndex([])
        self._exact = bytearray()
        self._blocks: LRUCache[int, tuple[_Line, ...]] = LRUCache(4096)
        self._strips: LRUCache[tuple[int, ...], Strip] = LRUCache(2048)
        self._styles: dict[str, Style] = {}
        self._size_pending = False
        self._annotations: list[Annotation] = []
        self._marks: dict[int, list[tuple[int, int, str]]] = {}
        self._review_id: str | None = None
        """The annotation needing review under the cursor, when the footer last asked."""
        self._match_starts = array("q")
        self._match_ends = array("q")
        self._match_query = ""
        self._anchor: tuple[int, int] | None = None
        self._head = 0
        self._drag_from: int | None = None
        self._dragged = False
        self._reading = False
        """What is shown is the head of a file still being read (see `show`)."""
        self._cursor_painted: set[int] = set()
        """Lines last drawn with the cursor on them, as `render_line` drew them: a move
        repaints only these and the cursor's new lines. Recorded where they are drawn, they stay
        true when lines are wrapped again or the estimates above them are corrected."""

    # --- public API -------------------------------------------------------------------------

    @property
    def source(self) -> Source | None:
        return self._source

    @property
    def reading(self) -> bool:
        """Whether the text shown is the head of a file still being read."""
        return self._reading

    def _still_reading(self, what: str) -> bool:
        """Say that `what` waits for the whole file, when only its head is shown."""
        if self._reading:
            message = f"Still reading this file: {what} works once all of it is shown."
            self.notify(message, severity="warning", markup=False)
        return self._reading

    @property
    def sentence_count(self) -> int:
        return len(self._sentences)

    def show(
        self,
        source: Source,
        annotations: Sequence[Annotation] = (),
        offset: int = 0,
        *,
        sentences: SentenceIndex | None = None,
        reading: bool = False,
    ) -> None:
        """Open `source` with its annotations, the cursor on the sentence at `offset`.

        `sentences` (from `index_sentences`) may be computed in a worker beforehand: for a
        source of millions of words it takes seconds. With `reading`, `source` is the head of a
        file still being read: the cursor moves in it, but what needs the whole file (find, go
        to a time or an entry, annotating, copying) says so until the whole is shown.
        """
        self._reading = reading
        self._source = source
        self._sentences = sentences if sentences is not None else index_sentences(source)
        segments = source.segments
        self._segment_starts = array("q", (s.char_start for s in segments))
        self._segment_ends = array("q", (s.char_end for s in segments))
        given = source.given_times
        self._timed = bool(len(given))
        latest = max(given.times, default=0.0)
        estimates = any(s.start is not None and not s.marks for s in segments)
        width = len(format_timecode(latest)) + 2 + (len(ESTIMATE) if estimates else 0)
        self._gutter = max(width, GUTTER) if self._timed else 0
        self._headings = {}
        for entry in source.outline:
            target = segments[entry.segment_index] if entry.segment_index < len(segments) else None
            if target is not None and target.role is Role.HEADING and target.text == entry.title:
                continue  # the heading segment already shows it
            self._headings.setdefault(entry.segment_index, []).append(printable(entry.title))
        self._anchor = None
        self._match_starts, self._match_ends = array("q"), array("q")
        self._match_query = ""
        self._set_marks(annotations)
        self._width = 0
        self._relayout()
        self.refresh_bindings()  # `t` and `[` `]` are offered for timed sources only
        self.refresh()
        self.set_reactive(Transcript.cursor, self._sentences.index_at(offset))
        self._cursor_moved(center=True)
        # The new virtual size only bounds scrolling after the next layout: scroll again then,
        # unless the reader has moved on already.
        opened_at = self.cursor

        def settle() -> None:
            if self.cursor == opened_at:
                self._scroll_to_cursor(center=True)

        self.call_after_refresh(settle)

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Show these annotations (all of the open source) in the text."""
        self._set_marks(annotations)
        if self._sentences:
            self._refresh_review_keys()
        self._strips.clear()
        self.refresh()

    @property
    def cursor_offset(self) -> int:
        """Char offset of the start of the cursor sentence."""
        if not self._sentences:
            return 0
        return self._sentences.starts[self.cursor]

    @property
    def cursor_span(self) -> tuple[int, int]:
        """Char offsets of the cursor sentence ((0, 0) when nothing is open)."""
        if not self._sentences:
            return 0, 0
        return self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]

    @property
    def current_seconds(self) -> float | None:
        """The time the file gives for the cursor sentence: that of the last line or cue at or
        before its first word (what `y` cites); None before any time."""
        if not self._sentences or self._source is None:
            return None
        return self._source.time_given_at(self.cursor_offset)

    def go_to_offset(self, offset: int) -> None:
        self.cursor = self._sentences.index_at(offset)

    def go_to_segment(self, index: int) -> None:
        first = self._sentences.first_of_segment
        if first:
            self.cursor = first[max(0, min(index, len(first) - 1))]

    def go_to_time(self, seconds: float) -> bool:
        """Put the cursor on the sentence being spoken at `seconds`, by the times the file
        gives (between two, by the share of the words between them); False if untimed."""
        if self._source is None or not self._timed:
            return False
        offset = self._source.given_times.place_of(seconds)
        if offset is None:
            return False
        self.cursor = self._sentences.index_at(offset)
        return True

    def go_to_time_text(self, text: str) -> bool:
        """`4:04`, `1:02:03`, `244s`, or `+30` / `-1m` from the cursor; notifies what is wrong."""
        if not self._timed:
            self.notify("This source has no times.", severity="warning", markup=False)
            return False
        raw = text.strip()
        try:
            sign, seconds = _parse_time_text(raw)
        except TimecodeError:
            self.notify(time_problem(raw) or "", severity="error", markup=False)
            return False
        if sign:
            now = self._position_seconds() or 0.0
            seconds = max(now + seconds if sign == "+" else now - seconds, 0.0)
        return self.go_to_time(seconds)

    def find(self, query: str) -> int:
        """Mark every match of `query` (ignoring case); the cursor goes to the next one."""
        self._match_starts, self._match_ends = array("q"), array("q")
        self._match_query = query
        if query:
            self.last_query = query
        if self._source is not None and query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for n, match in enumerate(pattern.finditer(self._source.text)):
                if n >= MAX_MATCHES:
                    break
                self._match_starts.append(match.start())
                self._match_ends.append(match.end())
        self._strips.clear()
        self.refresh()
        self.refresh_bindings()
        count = len(self._match_starts)
        if not count:
            if query:
                self.notify(f"No match for {query!r}.", severity="warning", markup=False)
            self.post_message(self.Found(self, query, 0))
            return 0
        i = bisect.bisect_left(self._match_starts, self.cursor_offset)
        if i >= count:
            self.notify("No match below: back to the first one.", markup=False)
        self.go_to_offset(self._match_starts[i % count])
        self.post_message(self.Found(self, query, count))
        return count

    @property
    def find_position(self) -> tuple[str, int, int] | None:
        """The words looked for, which match the cursor is on (from 1; 0 when the cursor is
        between matches) and how many there are; None when nothing is looked for."""
        if not self._match_starts or not self._sentences:
            return None
        start, end = self.cursor_span
        i = bisect.bisect_left(self._match_ends, start + 1)
        on = i < len(self._match_starts) and self._match_starts[i] < end
        return self._match_query, (i + 1 if on else 0), len(self._match_starts)

    @property
    def match_count(self) -> int:
        return len(self._match_starts)

    @property
    def selecting(self) -> bool:
        return self._anchor is not None

    def selected_span(self) -> tuple[int, int]:
        """The selection, else the cursor sentence, as char offsets."""
        if self._anchor is not None:
            return min(self._anchor[0], self._head), max(self._anchor[1], self._head)
        if not self._sentences:
            return 0, 0
        moment = self.capture_at if self.following else None
        said = self.span_said_at(moment) if moment is not None else None
        if said is not None:
            return said  # following: the sentence said `[player] capture_back` seconds ago
        return self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]

    def clear_selection(self) -> None:
        if self._anchor is not None:
            self._anchor = None
            self.refresh()
            self.refresh_bindings()

    def annotation_at_cursor(self, *, needing_review: bool = False) -> Annotation | None:
        """The annotation overlapping the cursor sentence most (the newest on a tie); with
        `needing_review`, only those whose candidate waits for the reader."""
        if not self._sentences:
            return None
        start, end = self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]
        best: Annotation | None = None
        best_key = (0, "")
        for annotation in self._annotations:
            if needing_review and not annotation.needs_review:
                continue
            first, last = annotation.span
            overlap = min(end, last) - max(start, first)
            key = (overlap, annotation.id)
            if overlap > 0 and key > best_key:
                best, best_key = annotation, key
        return best

    # --- actions ----------------------------------------------------------------------------

    def action_move(self, steps: int) -> None:
        target = self.validate_cursor(self.cursor + steps)
        if self._anchor is not None:
            self._extend_to(self._sentences.starts[target], self._sentences.ends[target])
        self.cursor = target

    def action_segment(self, steps: int) -> None:
        if not self._sentences:
            return
        if self._anchor is not None:
            self._extend_by_segment(steps)
            return
        first = self._sentences.first_of_segment
        segment = self._sentences.segments[self.cursor]
        if steps > 0:
            self.cursor = first[min(segment + 1, len(first) - 1)]
        elif first[segment] < self.cursor:
            self.cursor = first[segment]
        else:
            self.cursor = first[max(segment - 1, 0)]

    def action_outline(self, steps: int) -> None:
        if self._source is None or not self._sentences or self._still_reading("{ and }"):
            return
        first = self._sentences.first_of_segment
        starts = sorted(
            {first[e.segment_index] for e in self._source.outline if e.segment_index < len(first)}
        )
        if steps > 0:
            i = bisect.bisect_right(starts, self.cursor)
            if i < len(starts):
                self.cursor = starts[i]
        else:
            i = bisect.bisect_left(starts, self.cursor)
            if i > 0:
                self.cursor = starts[i - 1]

    def action_page(self, pages: float) -> None:
        if not self._sentences:
            return
        lines = max(int(self.scrollable_content_region.height * abs(pages)), 1)
        lines = lines if pages > 0 else -lines
        target = self._line_of_sentence(self.cursor) + lines
        self.scroll_to(y=self.scroll_offset.y + lines, animate=False)
        self.cursor = self._sentence_at_line(target)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        if self._still_reading("going to the end"):
            return
        self.cursor = len(self._sentences) - 1

    def action_no_times(self) -> None:
        if self._source is not None:
            self.notify("This source has no times.", severity="warning", markup=False)

    def action_time_prompt(self) -> None:
        if self._still_reading("going to a time"):
            return
        if not self._timed:
            self.notify("This source has no times.", severity="warning", markup=False)
            return
        now = self.current_seconds
        prompt = PromptScreen(
            "Go to time" + (f" (now {format_timecode(now)})" if now is not None else ""),
            placeholder=TIME_EXAMPLES,
            check=time_problem,
        )
        self.app.push_screen(prompt, self._time_entered)

    def _time_entered(self, text: str | None) -> None:
        if text is not None and text.strip():
            self.go_to_time_text(text)

    def action_seek(self, seconds: float) -> None:
        if self._still_reading("[ and ]"):
            return
        now = self._position_seconds()
        if now is None:
            self.notify("There is no time at the cursor.", severity="warning", markup=False)
            return
        before = self.cursor
        self.go_to_time(max(now + seconds, 0.0))
        if seconds > 0 and self.cursor <= before:
            self.cursor = before + 1  # a sentence longer than the step must not stall `]`

    def action_find_prompt(self) -> None:
        if self._still_reading("find"):
            return
        self.app.push_screen(
            PromptScreen("Find in this source", placeholder="words", value=self.last_query),
            self._find_entered,
        )

    def _find_entered(self, text: str | None) -> None:
        if text is not None:
            self.find(text.strip())

    def action_find_next(self, steps: int) -> None:
        if not self._match_starts:
            return
        index_at = self._sentences.index_at
        count = len(self._match_starts)
        if steps > 0:
            i = bisect.bisect_left(self._match_starts, self._sentences.ends[self.cursor])
            if i >= count:
                self.notify("Passed the last match: back to the first.", markup=False)
            i %= count
        else:
            i = bisect.bisect_left(self._match_starts, self.cursor_offset) - 1
            while i >= 0 and index_at(self._match_starts[i]) >= self.cursor:
                i -= 1
            if i < 0:
                self.notify("Passed the first match: on to the last.", markup=False)
                i = count - 1
        self.go_to_offset(self._match_starts[i])

    def action_select(self) -> None:
        if not self._sentences or self._still_reading("selecting"):
            return
        if self._anchor is not None:
            self.clear_selection()
            return
        start, end = self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]
        self._anchor = (start, end)
        self._head = end
        self.refresh()
        self.refresh_bindings()

    def action_word(self, steps: int) -> None:
        if self._source is None or self._anchor is None:
            return
        self._head = _word_step(self._source.text, self._anchor, self._head, steps)
        self._cursor_to_head()

    def action_cancel(self) -> None:
        if self._anchor is not None:
            self.clear_selection()
        elif self._match_starts:
            self.find("")

    def action_highlight(self) -> None:
        self._ask_about_words(self.HighlightRequested)

    def action_note(self, kind: str) -> None:
        if self._sentences and not self._still_reading("writing a note"):
            start, end = self.selected_span()
            expect_screen(self.app)  # what is typed next is the note's
            self.post_message(self.NoteRequested(self, start, end, _NOTE_KINDS[kind]))
            self.clear_selection()

    def action_copy_quote(self) -> None:
        self._ask_about_words(self.CopyRequested)

    def action_choose_citation(self) -> None:
        if self._sentences:
            expect_screen(self.app)
        self._ask_about_words(self.CitationFormatRequested, clear=False)

    def action_edit_note(self) -> None:
        if self._sentences:
            expect_screen(self.app)
        self._ask_about_annotation(self.EditRequested)

    def action_delete_annotation(self) -> None:
        self._ask_about_annotation(self.DeleteRequested)

    def action_decide(self, decision: str) -> None:
        # Here, not at the top: the review module brings fuzzy matching, which the widget
        # itself never needs (and opening a big source should not pay for).
        from readmark.annotations.review import Decision

        review = self.annotation_at_cursor(needing_review=True) if self._sentences else None
        if review is not None:
            self.post_message(self.ReviewDecided(self, review.id, Decision(decision)))

    def _ask_about_words(self, request: type[SpanRequest], *, clear: bool = True) -> None:
        if not self._sentences or self._still_reading("annotating and copying"):
            return
        start, end = self.selected_span()
        self.post_message(request(self, start, end))
        if clear:
            self.clear_selection()

    def _ask_about_annotation(self, request: type[AnnotationRequest]) -> None:
        if not self._sentences or self._still_reading("editing annotations"):
            return
        annotation = self.annotation_at_cursor()
        self.post_message(request(self, annotation.id if annotation else None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Disabled keys fall through to the screen (escape, w, b when there is nothing to do).
        if action == "word":
            return self._anchor is not None
        if action == "cancel":
            return self._anchor is not None or bool(self._match_starts)
        if action == "find_next":
            return bool(self._match_starts)
        if action == "seek_player":
            return self.listen_check(action)
        if action == "time_prompt":
            return self._timed  # not offered for a source without times
        if action == "decide":
            # Hidden from the footer (and passed on) unless a candidate is under the cursor.
            return self.annotation_at_cursor(needing_review=True) is not None
        return True

    # --- cursor -----------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._sentences) - 1))

    def watch_cursor(self) -> None:
        self._cursor_moved()

    def _cursor_moved(self, *, center: bool = False) -> None:
        if self._source is None or not self._sentences:
            self.refresh()
            return
        self._refresh_review_keys()
        self._scroll_to_cursor(center=center)
        self._repaint_cursor()
        segment = self._sentences.segments[self.cursor]
        offset = self.cursor_offset
        by_reader = self.moved_by_reader()
        self.post_message(
            self.PositionChanged(self, offset, segment, self.current_seconds, by_reader)
        )

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        height = self.scrollable_content_region.height
        if not height or not self._sentences:
            return
        first = self._line_of_sentence(self.cursor)
        last = self._line_of_offset(self._sentences.ends[self.cursor] - 1)
        self._sync_size()
        top = self.scroll_offset.y
        if not center and (first < top - height or first >= top + 2 * height):
            # A jump (time, chapter, search hit): put the target a third down the pane, and
            # again once the lines around it are wrapped and the estimate above it is exact.
            center = True
            self.call_after_refresh(self._scroll_to_cursor, center=True)
        if center or first < top or last >= top + height:
            if last - first >= height or first < top or center:
                y = first - height // 3
            else:
                y = last - height + 1 + height // 3
            self.scroll_to(y=max(y, 0), animate=False)

    def _repaint_cursor(self) -> None:
        """Repaint the lines the cursor left and the lines it is on now, not the whole pane
        (a scroll repaints everything anyway)."""
        first = self._line_of_sentence(self.cursor)
        last = self._line_of_offset(self._sentences.ends[self.cursor] - 1)
        top = self.scroll_offset.y
        shown = range(top, top + self.scrollable_content_region.height)
        # Lines out of view are drawn afresh when scrolled back: they need no repaint.
        self._cursor_painted = {n for n in self._cursor_painted if n in shown}
        for line_number in self._cursor_painted:
            self.refresh_lines(line_number)
        self.refresh_lines(first, last - first + 1)

    def _position_seconds(self) -> float | None:
        """Where the cursor is on the media, by the share of the words between the times around
        it: to move by seconds from, never shown as a time the file gives."""
        if self._source is None or not self._sentences:
            return None
        return self._source.given_times.estimate_at(self.cursor_offset)

    # --- selection --------------------------------------------------------------------------

    def _extend_to(self, start: int, end: int) -> None:
        assert self._anchor is not None
        self._head = end if start >= self._anchor[0] else start
        self.refresh()

    def _extend_by_segment(self, steps: int) -> None:
        """`J` moves the selection's free end to the next segment boundary after it, `K` to
        the one before it: each undoes the other, and the selection never loses its anchor."""
        assert self._source is not None and self._anchor is not None
        self._head = _segment_step(
            self._segment_starts, self._segment_ends, self._anchor, self._head, steps
        )
        self._cursor_to_head()

    def _cursor_to_head(self) -> None:
        self.refresh()
        # The cursor shows the selection's free end: the sentence it ends in, or begins.
        backward = self._anchor is not None and self._head <= self._anchor[0]
        self.cursor = self._sentences.index_at(self._head if backward else max(self._head - 1, 0))

    def _segment_of(self, offset: int) -> int:
        """The segment holding the character at `offset` (the next one after a segment's end,
        which is the gap between two segments)."""
        i = bisect.bisect_right(self._segment_ends, offset)
        return min(i, len(self._segment_ends) - 1)

    # --- mouse ------------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        offset = self._offset_at(event.get_content_offset_capture(self))
        if offset is None:
            return
        self.focus()
        self._drag_from = offset
        self._dragged = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None:
            return
        offset = self._offset_at(event.get_content_offset_capture(self))
        if offset is None or offset == self._drag_from:
            return
        self._dragged = True
        self._anchor = self._word_span(self._drag_from)
        word = self._word_span(offset)
        self._head = word[1] if offset >= self._anchor[0] else word[0]
        self._cursor_to_head()
        self.refresh_bindings()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is None:
            return
        offset = self._drag_from
        self._drag_from = None
        self.release_mouse()
        if not self._dragged:
            self.clear_selection()
            self.go_to_offset(offset)

    def _word_span(self, offset: int) -> tuple[int, int]:
        assert self._source is not None
        text = self._source.text
        start = max(text.rfind(" ", 0, offset), text.rfind("\n", 0, offset)) + 1
        match = _WORD.search(text, start)
        return (match.start(), match.end()) if match else (offset, offset)

    def _offset_at(self, point: Offset) -> int | None:
        """Char offset under a point of the content area, or None off the text."""
        if self._source is None or not self._index.total:
            return None
        x, y = point
        line_number = self.scroll_offset.y + y
        if not 0 <= line_number < self._index.total:
            return None
        line = self._line_at(line_number)
        if line is None or line.kind != "text":
            return None
        margin = self._margin(self.scrollable_content_region.width)
        column = x - margin - self._gutter - cell_len(line.prefix)
        text = self._source.text
        offset, used = line.start, 0
        while offset < line.end and used + cell_len(text[offset]) <= column:
            used += cell_len(text[offset])
            offset += 1
        return min(offset, max(line.end - 1, line.start))

    # --- layout -----------------------------------------------------------------------------

    def on_resize(self) -> None:
        if self._source is not None:
            if self._text_width() != self._width:
                self._relayout()
            self._scroll_to_cursor()

    def _text_width(self) -> int:
        width = self.scrollable_content_region.width or 80
        room = max(width - self._gutter, 10)
        return min(room, self.measure) if self.measure else room

    def _margin(self, width: int) -> int:
        """Cells before the gutter: the room the measure leaves, centred or kept at the left."""
        spare = max(width - self._gutter - self._width, 0)
        return spare // 2 if self.align == "centre" else min(spare, LEFT_MARGIN)

    def width_at_measure(self) -> int:
        """The widget's width at which the open source's text is set at the measure, with a
        margin each side (what the reader needs of the terminal's width)."""
        scrollbar = self.styles.scrollbar_size_vertical
        measure = self.measure or 10_000
        return self._gutter + measure + 2 * LEFT_MARGIN + scrollbar

    def set_measure(self, measure: int | None, align: str = "centre") -> None:
        """Lay the text out at most `measure` characters wide, centred or at the left."""
        if (measure, align) == (self.measure, self.align):
            return
        self.measure, self.align = measure, align
        self._strips.clear()
        if self._source is not None:
            self._relayout()
            self._scroll_to_cursor()
        self.refresh()

    def _relayout(self) -> None:
        """Estimate every segment's lines at the current width; wrap nothing yet."""
        assert self._source is not None
        self._width = self._text_width()
        self._blocks.clear()
        self._strips.clear()
        width = self._width
        segments = self._source.segments
        counts = [estimate_lines(s.char_end - s.char_start + 2, width) + 1 for s in segments]
        previous: str | None = None
        for segment in segments:
            if segment.speaker and segment.speaker != previous:
                counts[segment.index] += 1
            previous = segment.speaker
        for index, titles in self._headings.items():
            if index < len(counts):
                counts[index] += len(titles)
        self._index = LineIndex(counts)
        self._exact = bytearray(len(segments))
        self._sync_size()

    def _sync_size(self) -> None:
        self._size_pending = False
        size = Size(self.scrollable_content_region.width or self._width, self._index.total)
        if self.virtual_size != size:
            self.virtual_size = size

    def _block(self, index: int) -> tuple[_Line, ...]:
        """The lines of segment `index`, wrapped now if they were not."""
        block = self._blocks.get(index)
        if block is None:
            block = self._wrap_segment(index)
            self._blocks.set(index, block)
            if not self._exact[index]:
                self._exact[index] = 1
                if self._index.count(index) != len(block):
                    self._index.set(index, len(block))
                    if not self._size_pending:
                        self._size_pending = True
                        self.call_after_refresh(self._sync_size)
        return block

    def _wrap_segment(self, index: int) -> tuple[_Line, ...]:
        assert self._source is not None
        segments = self._source.segments
        segment = segments[index]
        width = self._width
        lines: list[_Line] = []
        for title in self._headings.get(index, ()):
            lines.extend(_Line("heading", label=title[a:b]) for a, b in wrap_spans(title, width))
        previous = segments[index - 1].speaker if index else None
        if segment.speaker and segment.speaker != previous:
            lines.append(_Line("speaker", label=printable(segment.speaker)))
        kind = "heading" if segment.role is Role.HEADING else "text"
        prefix = _ROLE_PREFIX.get(segment.role, "")
        indent = " " * cell_len(prefix)
        base = segment.char_start
        spans = wrap_spans(segment.text, width - cell_len(prefix))
        gutters = _gutter_times(segment, spans) if self._gutter else [""] * len(spans)
        for n, (a, b) in enumerate(spans):
            lines.append(
                _Line(
                    "text" if kind == "text" else "heading_text",
                    base + a,
                    base + b,
                    gutter=gutters[n],
                    prefix=prefix if n == 0 else indent,
                )
            )
        lines.append(_Line("blank"))
        return tuple(lines)

    def _locate(self, line_number: int) -> tuple[int, int]:
        """(segment, line in block) of a screen line, wrapping segments it passes."""
        while True:
            segment, within = self._index.find(line_number)
            block = self._block(segment)
            if within < len(block) or segment >= len(self._index) - 1:
                return segment, within
            # the segment was shorter than estimated: look again with its exact count

    def _line_at(self, line_number: int) -> _Line | None:
        segment, within = self._locate(line_number)
        block = self._block(segment)
        return block[within] if within < len(block) else None

    def _line_of_offset(self, offset: int) -> int:
        segment = self._segment_of(offset)
        block = self._block(segment)
        found = 0
        for n, line in enumerate(block):
            if line.kind in ("text", "heading_text") and line.start <= offset:
                found = n
        return self._index.prefix(segment) + found

    def _line_of_sentence(self, index: int) -> int:
        return self._line_of_offset(self._sentences.starts[index])

    def _sentence_at_line(self, line_number: int) -> int:
        line_number = max(0, min(line_number, self._index.total - 1))
        segment, within = self._locate(line_number)
        for line in self._block(segment)[within:]:
            if line.kind in ("text", "heading_text"):
                return self._sentences.index_at(line.start)
        first = self._sentences.first_of_segment
        return first[segment + 1] if segment + 1 < len(first) else len(self._sentences) - 1

    # --- rendering --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            # Not `partial`: a partial style drops the alpha, so `$warning 30%` came out solid.
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    @property
    def _base_style(self) -> Style:
        """The pane's own style, kept with the component styles: working it out walks every
        ancestor, and a scroll draws a whole pane of lines."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line_number = self.scroll_offset.y + y
        if self._source is None or not 0 <= line_number < self._index.total:
            return Strip.blank(width, self._base_style)
        segment, within = self._locate(line_number)
        block = self._block(segment)
        if within >= len(block):
            return Strip.blank(width, self._base_style)
        line = block[within]
        key: tuple[int, ...] = (segment, within, width)
        if line.kind in ("text", "heading_text"):
            key += self._clip(self.selected_span() if self._anchor else None, line)
            cursor = self._clip(
                (self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]), line
            )
            key += cursor
            if cursor != (0, 0):
                self._cursor_painted.add(line_number)
            else:
                self._cursor_painted.discard(line_number)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_strip(line, width)
            self._strips.set(key, strip)
        return strip

    @staticmethod
    def _clip(span: tuple[int, int] | None, line: _Line) -> tuple[int, int]:
        if span is None:
            return (0, 0)
        start, end = max(span[0], line.start), min(span[1], line.end)
        return (start, end) if start < end else (0, 0)

    def _render_strip(self, line: _Line, width: int) -> Strip:
        base = self._base_style
        pieces: list[RichSegment] = []
        margin = self._margin(width)
        if margin:
            pieces.append(RichSegment(" " * margin, base))
        if self._gutter:
            gutter = line.gutter.rjust(self._gutter - 2) + "  "
            style = base + self._style("transcript--gutter")
            if line.gutter.startswith(ESTIMATE):
                style += self._style("transcript--estimate")
            pieces.append(RichSegment(gutter, style))
        if line.kind == "heading":
            pieces.append(RichSegment(line.label, base + self._style("transcript--heading")))
        elif line.kind == "speaker":
            pieces.append(RichSegment(line.label, base + self._style("transcript--speaker")))
        elif line.kind != "blank":
            text_style = base
            if line.kind == "heading_text":
                text_style = base + self._style("transcript--heading")
            if line.prefix:
                pieces.append(RichSegment(line.prefix, text_style))
            pieces.extend(self._text_pieces(line, text_style))
        return Strip(pieces).extend_cell_length(width, base).crop(0, width)

    def _text_pieces(self, line: _Line, base: Style) -> Iterable[RichSegment]:
        """The line's text cut where highlights, matches, the cursor or the selection begin/end."""
        assert self._source is not None
        start, end = line.start, line.end
        spans = [
            (max(a, start), min(b, end), name)
            for a, b, name in self._marks.get(self._segment_of(start), ())
            if a < end and b > start
        ]
        # Matches after the cursor: `/` lands on the match's sentence, whose word must still show.
        cursor = self._clip(
            (self._sentences.starts[self.cursor], self._sentences.ends[self.cursor]), line
        )
        if cursor[1]:
            spans.append((*cursor, "transcript--cursor"))
        first = bisect.bisect_right(self._match_ends, start)
        for i in range(first, len(self._match_starts)):
            if self._match_starts[i] >= end:
                break
            spans.append(
                (
                    max(self._match_starts[i], start),
                    min(self._match_ends[i], end),
                    "transcript--match",
                )
            )
        if self._anchor is not None:
            selection = self._clip(self.selected_span(), line)
            if selection[1]:
                spans.append((*selection, "transcript--selection"))
        text = self._source.text
        if not spans:
            return [RichSegment(printable(text[start:end]), base)]
        cuts = sorted({start, end, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
        pieces = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            style = base
            for s, e, name in spans:
                if s <= a and b <= e:
                    style += self._style(name)
            pieces.append(RichSegment(printable(text[a:b]), style))
        return pieces

    def _refresh_review_keys(self) -> None:
        """Show or hide `A` and `O` in the footer when the cursor reaches or leaves a candidate."""
        review = self.annotation_at_cursor(needing_review=True)
        review_id = review.id if review is not None else None
        if review_id != self._review_id:
            self._review_id = review_id
            self.refresh_bindings()

    def _set_marks(self, annotations: Sequence[Annotation]) -> None:
        # One needing review is drawn on its candidate (its anchor belongs to the old text).
        self._annotations = [a for a in annotations if not a.orphaned or a.needs_review]
        self._marks = {}
        if not self._segment_ends:
            return
        for annotation in self._annotations:
            start, end = annotation.span
            if end <= start or end > len(self._source.text if self._source else ""):
                continue
            name = _KIND_CLASS.get(annotation.kind, "transcript--highlight")
            if annotation.needs_review:
                name = "transcript--review"
            for segment in range(self._segment_of(start), self._segment_of(end - 1) + 1):
                self._marks.setdefault(segment, []).append((start, end, name))


def _segment_step(
    starts: Sequence[int], ends: Sequence[int], anchor: tuple[int, int], head: int, steps: int
) -> int:
    """Move a selection's free end to the next segment boundary (`steps` > 0) or the previous
    one. Going forward it stops at segment ends, going back at segment starts; an end moving
    towards the anchor stops on it (the selection is the anchor again) before going past it,
    so `J` then `K` gives back the selection there was."""
    first, last = anchor
    if steps > 0:
        if head < first:  # the selection reaches back: shrink it from the start
            i = bisect.bisect_right(starts, head)
            return starts[i] if i < len(starts) and starts[i] < first else last
        i = bisect.bisect_right(ends, head)
        return ends[i] if i < len(ends) else head
    if head > last:  # the selection reaches forward: shrink it from the end
        i = bisect.bisect_left(ends, head) - 1
        return ends[i] if i >= 0 and ends[i] > last else last
    base = min(head, first)
    i = bisect.bisect_left(starts, base) - 1
    return starts[i] if i >= 0 else base


def _gutter_times(segment: Segment, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The gutter of each wrapped line of `segment`: the time the file gives for the line its
    first word is on (what `y` cites for it), shown where it changes; on a segment whose start
    is an estimate, `~` and the estimate."""
    gutters = [""] * len(spans)
    marks = segment.marks
    if not marks:
        if segment.start is not None and spans:
            gutters[0] = ESTIMATE + format_timecode(segment.start)
        return gutters
    k = -1
    shown = -1
    for n, (a, _) in enumerate(spans):
        while k + 1 < len(marks) and marks[k + 1].offset <= a:
            k += 1
        if k >= 0 and k != shown:
            gutters[n] = format_timecode(marks[k].time)
            shown = k
    return gutters


def _word_step(text: str, anchor: tuple[int, int], head: int, steps: int) -> int:
    """Move a selection's free end one word: `w` towards the end of the text, `b` back."""
    first, last = anchor
    if steps > 0:
        if head < first:
            match = _WORD.search(text, head + 1)
            start = match.start() if match else first
            return start if start < first else last
        match = _WORD.search(text, head)
        return match.end() if match else head
    if head > last:
        ends = [m.end() for m in _WORD.finditer(text, max(head - 400, 0), head) if m.end() < head]
        return max(ends[-1], last) if ends else last
    starts = [m.start() for m in _WORD.finditer(text, max(first - 400, 0), first)]
    earlier = [s for s in starts if s < min(head, first)]
    return earlier[-1] if earlier else min(head, first)
