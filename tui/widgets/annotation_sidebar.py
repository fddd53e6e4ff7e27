"""The annotation sidebar: the open source's highlights, notes and dissent notes, in text order."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from readmark.annotations.model import Annotation, Kind
from readmark.annotations.review import Decision
from readmark.library.safe_text import printable, shorten
from readmark.library.timecode import format_timecode
from readmark.tui.key_hold import expect_screen
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

KIND_MARKS: dict[Kind, tuple[str, str]] = {
    Kind.HIGHLIGHT: ("●", "$text-warning"),
    Kind.NOTE: ("✎", "$text-accent"),
    Kind.DISSENT: ("≠", "$text-error bold"),
}
"""The mark and its theme style for each kind."""

REVIEW_MARK = ("?", "$text-warning bold reverse")
"""Marks an annotation whose source changed and whose candidate waits for the reader."""

_FILTER_NAMES = {Kind.HIGHLIGHT: "highlights", Kind.NOTE: "notes", Kind.DISSENT: "dissent"}
_QUOTE_CHARS = 240
"""Enough for any pane width; the line is cut to the pane with an ellipsis by `text-overflow`."""


def document_order(annotations: Sequence[Annotation]) -> list[Annotation]:
    """Annotations by place in the text (one needing review at its candidate), then orphans
    (their position is stale)."""
    return sorted(annotations, key=lambda a: (a.orphaned, *a.span, a.id))


def distance(annotation: Annotation, offset: int) -> int:
    """Characters between `offset` and the annotation's span (0 inside it)."""
    start, end = annotation.span
    if offset < start:
        return start - offset
    if offset < end or offset == start:
        return 0
    return offset - end + 1


def nearest(annotations: Sequence[Annotation], offset: int) -> Annotation | None:
    """The anchored annotation closest to `offset`; the earlier one on a tie."""
    anchored = [a for a in annotations if not a.orphaned]
    if not anchored:
        return None
    return min(anchored, key=lambda a: (distance(a, offset), a.span[0]))


def one_line(text: str, limit: int) -> str:
    """The first non-blank line of `text`, whitespace collapsed, cut to `limit` characters."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    return shorten(printable(line), limit, at_word=False)


def _wrapped(text: str, width: int) -> str:
    """`text` wrapped to `width` cells, line by line (the list itself never wraps)."""
    if width < 8:
        return text
    return "\n".join(
        "\n".join(textwrap.wrap(line, width, break_on_hyphens=False)) for line in text.splitlines()
    )


def annotation_label(annotation: Annotation, time_width: int) -> Content:
    """Two lines: mark, time and quote; then the note's first line (or why it is orphaned, or
    the candidate it may now read, when it needs review)."""
    mark, style = REVIEW_MARK if annotation.needs_review else KIND_MARKS[annotation.kind]
    time = format_timecode(annotation.start) if annotation.start is not None else ""
    quote = " ".join(printable(annotation.quote).split())[:_QUOTE_CHARS]
    parts: list[Content | str | tuple[str, str]] = [
        (mark, style),
        " ",
        (time.rjust(time_width), "dim"),
        " " if time_width else "",
        f"“{quote}”",
    ]
    if annotation.candidate is not None:
        found = one_line(annotation.candidate.text, _QUOTE_CHARS)
        parts.append((f"\n  → “{found}”", "$text-warning italic"))
    elif annotation.orphaned:
        parts.append(("\n  quote no longer found in the source", "$text-warning italic"))
    elif annotation.note.strip():
        parts.append((f"\n  {one_line(annotation.note, _QUOTE_CHARS)}", "italic"))
    return Content.assemble(*parts)


class AnnotationSidebar(OptionList):
    """Lists annotations; `enter` posts `AnnotationChosen`; `1` `2` `3` `0` filter by kind;
    `e`, `x` and `y` ask to edit, delete or copy the marked one; `A` and `O` post
    `ReviewDecided` for the marked annotation when it needs review. `Marked` tells which one
    is marked whenever that changes (the detail pane shows it)."""

    DEFAULT_CSS = """
    AnnotationSidebar {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to it in the text", id="annotation_sidebar.go"),
        Binding("1", "filter('highlight')", "Highlights", id="annotation_sidebar.highlights"),
        Binding("2", "filter('note')", "Notes", id="annotation_sidebar.notes"),
        Binding("3", "filter('dissent')", "Dissent", id="annotation_sidebar.dissent"),
        Binding("0", "filter('')", "All", id="annotation_sidebar.all"),
        Binding("e", "ask('edit')", "Edit note", id="annotation_sidebar.edit"),
        Binding("x", "ask('delete')", "Delete", id="annotation_sidebar.delete"),
        Binding("y", "ask('copy')", "Copy quote", id="annotation_sidebar.copy"),
        # Same keys as the transcript's; they merge with OptionList's arrows in the help.
        Binding("j,down", "cursor_down", "Down", show=False, id="annotation_sidebar.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="annotation_sidebar.up"),
        # Shown only on an annotation that needs review (see check_action).
        Binding(
            "A", "decide('accept')", "Accept candidate", id="annotation_sidebar.accept_candidate"
        ),
        Binding("O", "decide('orphan')", "Orphan (keep quote)", id="annotation_sidebar.orphan"),
    ]

    class AnnotationChosen(Message):
        """The user chose an annotation: the screen moves the transcript to it."""

        def __init__(self, sidebar: AnnotationSidebar, annotation_id: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.annotation_id = annotation_id

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    class Marked(Message):
        """Another annotation is marked (None: none is)."""

        def __init__(self, sidebar: AnnotationSidebar, annotation: Annotation | None) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.annotation = annotation

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    class Asked(Message):
        """`e`, `x` or `y` on the marked annotation: edit its note, delete it, copy it."""

        def __init__(self, sidebar: AnnotationSidebar, annotation_id: str, what: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.annotation_id = annotation_id
            self.what = what
            """`edit`, `delete` or `copy`."""

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    class ReviewDecided(Message):
        """The user accepted the candidate of the marked annotation, or gave up on it."""

        def __init__(
            self, sidebar: AnnotationSidebar, annotation_id: str, decision: Decision
        ) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.annotation_id = annotation_id
            self.decision = decision

        @property
        def control(self) -> AnnotationSidebar:
            return self.sidebar

    kind_filter: reactive[Kind | None] = reactive(None, init=False)
    """Show only this kind; None shows all."""

    annotations: reactive[list[Annotation]] = reactive(list, always_update=True, init=False)
    """All annotations of the open source, in document order (any order may be given)."""
    # Set on every cursor move: the mark it moves repaints itself, the rest of the list stays.
    cursor_offset: reactive[int | None] = reactive(
        None, always_update=True, init=False, repaint=False
    )
    """Where the reader is in the text: the annotation nearest it is marked, quietly."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for a widget id
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._shown: list[Annotation] = []
        self._told: Annotation | None = None

    def on_mount(self) -> None:
        self._render_list()

    @property
    def shown(self) -> list[Annotation]:
        """The annotations listed under the current filter, top to bottom."""
        return list(self._shown)

    @property
    def marked_id(self) -> str | None:
        """Id of the annotation the list has marked, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None

    def show(self, annotations: Sequence[Annotation]) -> None:
        """List `annotations`, keeping the mark on the same annotation when it is still there."""
        self.annotations = list(annotations)

    def mark_nearest(self, offset: int) -> None:
        """Mark the annotation nearest `offset`, without taking focus or posting a choice."""
        self.cursor_offset = offset

    def validate_annotations(self, annotations: Sequence[Annotation]) -> list[Annotation]:
        return document_order(annotations)

    def watch_annotations(self) -> None:
        self._render_list()
        if not self.has_focus and self.cursor_offset is not None:
            # One just saved or deleted under the cursor: mark what the cursor is on now.
            self.watch_cursor_offset(self.cursor_offset)

    def watch_cursor_offset(self, offset: int | None) -> None:
        if offset is not None:
            target = nearest(self._shown, offset)
            self._mark(None if target is None else target.id)

    @property
    def marked(self) -> Annotation | None:
        """The annotation the list has marked, if any."""
        marked_id = self.marked_id
        return next((a for a in self._shown if a.id == marked_id), None)

    def action_filter(self, kind: str) -> None:
        self.kind_filter = Kind(kind) if kind else None

    def action_ask(self, what: str) -> None:
        marked = self.marked
        if marked is None:
            self.notify("No annotation is selected.", severity="warning", markup=False)
            return
        if what == "edit":
            expect_screen(self.app)  # what is typed next is the note's
        self.post_message(self.Asked(self, marked.id, what))

    def action_decide(self, decision: str) -> None:
        marked = self.marked
        if marked is not None and marked.needs_review:
            self.post_message(self.ReviewDecided(self, marked.id, Decision(decision)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            # Hidden from the footer (and passed on) unless the marked one needs review.
            marked = self.marked
            return marked is not None and marked.needs_review
        return True

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()  # A and O follow the marked annotation
        self._tell_marked()

    def _tell_marked(self) -> None:
        marked = self.marked
        if marked is not self._told:
            self._told = marked
            self.post_message(self.Marked(self, marked))

    def watch_kind_filter(self) -> None:
        self._render_list()

    def _render_list(self) -> None:
        kept = self.marked_id
        wanted = self.kind_filter
        self._shown = [a for a in self.annotations if wanted is None or a.kind is wanted]
        width = max(
            (len(format_timecode(a.start)) for a in self._shown if a.start is not None), default=0
        )
        # None puts a faint rule between entries, which keeps two-line entries apart.
        options: list[Option | None] = []
        for a in self._shown:
            options += [Option(annotation_label(a, width), id=a.id), None]
        if options:
            options.pop()
        else:
            hint = _wrapped(self._empty_text(), self.scrollable_content_region.width)
            options.append(Option(Content.styled(hint, "dim italic"), disabled=True))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        self.border_title = Content(self._title())
        if kept is not None and any(a.id == kept for a in self._shown):
            self._mark(kept)
        elif self.cursor_offset is not None:
            self.watch_cursor_offset(self.cursor_offset)
        self._tell_marked()  # the same id may be a changed annotation (its note edited)

    def on_resize(self, event: events.Resize) -> None:
        if not self._shown:
            self._render_list()  # the hint wraps at the new width

    def _mark(self, annotation_id: str | None) -> None:
        index = None if annotation_id is None else self.get_option_index(annotation_id)
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index

    def _title(self) -> str:
        if self.kind_filter is None:
            return f"Annotations ({len(self.annotations)})"
        name = _FILTER_NAMES[self.kind_filter]
        return f"Annotations · {name} {len(self._shown)}/{len(self.annotations)}"

    def _empty_text(self) -> str:
        if not self.annotations:
            return "No annotations yet.\nIn the transcript: h highlight, a note, d dissent."
        assert self.kind_filter is not None
        return f"No {_FILTER_NAMES[self.kind_filter]} here.\nPress 0 to show all."

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.AnnotationChosen(self, event.option.id))
