"""The sources panel: every readable file of the vault, in folders, with a filter-as-you-type
after `/`, `S` to sort, and a mark of how far each source was read."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import ClassVar

from readmark.library.formats import TIMED_MARK, list_mark
from readmark.library.ordering import Entry, arrange, fold
from readmark.library.safe_text import printable, shorten
from readmark.library.summary import SourceSummary
from readmark.library.timecode import format_timecode
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

__all__ = ["SourceList", "fold", "matches", "search_text", "source_label"]

READ_MARKS = ((0.95, "●"), (0.65, "◕"), (0.35, "◑"), (0.0, "◔"))
"""How far a source was read, as a small mark: at least the share given."""
TITLE_LINES = 2
"""A long title takes this many lines before it is cut: similar titles stay apart."""


def read_mark(share: float | None) -> str:
    """`●` read through, `◕` `◑` `◔` partly read, "" never opened."""
    if not share:
        return ""
    return next(mark for least, mark in READ_MARKS if share >= least)


def source_label(
    summary: SourceSummary,
    count: int = 0,
    *,
    read: float | None = None,
    width: int = 0,
    folder: str = "",
) -> Content:
    """Mark and title (on up to two lines of `width` cells, 0: one line as long as it is),
    then, dimmed, how far it was read, duration, date, how many annotations and `folder`."""
    mark = TIMED_MARK if summary.timed_segments else list_mark(summary.format)
    details = []
    if summary.duration:
        details.append(format_timecode(summary.duration))
    if summary.date:
        details.append(printable(summary.date))
    if count:
        details.append(f"✎ {count}")
    if summary.error:
        details.append("cannot open")
    if folder:
        details.append(printable(folder) + "/")
    # Content(...) never parses markup, so a title like "[bold]" shows as written.
    title = " ".join(printable(summary.title).split())
    label = Content.assemble((mark, "bold"), " ", _title_lines(title, width - 2))
    shown_read = read_mark(read)
    if details or shown_read:
        line = " · ".join(details)
        line = f"{shown_read} {line}".rstrip() if shown_read else line
        label = label.append(Content.styled("\n  " + line, "dim"))
    return label


def _title_lines(title: str, width: int) -> str:
    """The title on at most `TITLE_LINES` lines of `width` cells, the next ones indented."""
    if width < 8:
        return title
    lines = textwrap.wrap(title, width, break_long_words=True, break_on_hyphens=False)
    if len(lines) > TITLE_LINES:
        rest = " ".join(lines[TITLE_LINES - 1 :])
        lines = [*lines[: TITLE_LINES - 1], _end_kept(rest, width)]
    return "\n  ".join(lines)


def _end_kept(text: str, width: int) -> str:
    """`text` cut to `width` in its middle, keeping its last words: titles that begin alike
    ("…, part one", "…, part two") differ at the end."""
    words = text.split()
    tail = ""
    for first in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[first:])
        if len(candidate) > width // 2:
            break
        tail = candidate
    if not tail:
        return shorten(text, width, at_word=False)
    room = width - len(tail) - 2
    head = text[:room]
    space = head.rfind(" ")
    if text[room : room + 1] not in ("", " ") and space > room // 2:
        head = head[:space]  # not in the middle of a word
    return f"{head.rstrip(' ,;:.-—')}… {tail}"


def _folder(source_id: str) -> str:
    return source_id.rpartition("/")[0]


def search_text(summary: SourceSummary) -> str:
    """What the filter matches against: title, channel, speakers and tags, folded."""
    channel = getattr(summary, "channel", None) or ""
    speakers: Sequence[str] = getattr(summary, "speakers", None) or ()
    tags: Sequence[str] = getattr(summary, "tags", None) or ()
    words = [summary.title, channel, *speakers, *(f"#{t.lstrip('#')}" for t in tags)]
    return fold("\n".join(words))


def matches(haystack: str, query: str) -> bool:
    """Every word of `query` occurs in `haystack` (already folded by `search_text`)."""
    return contains_all(haystack, fold(query).split())


def contains_all(haystack: str, words: Sequence[str]) -> bool:
    return all(word in haystack for word in words)


class _Options(OptionList, can_focus=False):
    """The list itself; `SourceList` holds the focus and drives it."""


class SourceList(Vertical, can_focus=True):
    """Lists source summaries; `/` filters; choosing one posts `SourceList.SourceSelected`."""

    DEFAULT_CSS = """
    SourceList {
        height: 1fr;
        border: tall $border-blurred;
        background: $surface;
        &:focus-within {
            border: tall $border;
        }
        & > Input {
            display: none;
        }
        &.-filtering > Input {
            display: block;
        }
        & > _Options {
            height: 1fr;
            border: none;
            padding: 0;
            text-wrap: nowrap;
            text-overflow: ellipsis;
            scrollbar-size-vertical: 1;
        }
        &:focus > _Options > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > _Options > .option-list--option-disabled {
            color: $text-muted;
            text-style: bold;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("/", "start_filter", "Filter", id="source_list.filter"),
        Binding("enter", "open", "Open", id="source_list.open"),
        Binding("escape", "clear_filter", "Clear filter", id="source_list.clear_filter"),
        # j/k reach the list only from here: while the filter is typed, the Input keeps them.
        Binding("j,down", "move('cursor_down')", "Down", show=False, id="source_list.down"),
        Binding("k,up", "move('cursor_up')", "Up", show=False, id="source_list.up"),
        Binding("g,home", "move('first')", "First", show=False, id="source_list.first"),
        Binding("G,end", "move('last')", "Last", show=False, id="source_list.last"),
        Binding("S", "sort", "Sort", id="source_list.sort"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="source_list.pgdn"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="source_list.pgup"),
    ]

    class SortRequested(Message):
        """`S`: the user wants to choose how the list is sorted (the screen asks)."""

        def __init__(self, source_list: SourceList) -> None:
            super().__init__()
            self.source_list = source_list

        @property
        def control(self) -> SourceList:
            return self.source_list

    class SourceSelected(Message):
        """The user chose a source to open."""

        def __init__(self, source_list: SourceList, source_id: str) -> None:
            super().__init__()
            self.source_list = source_list
            self.source_id = source_id

        @property
        def control(self) -> SourceList:
            return self.source_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for a widget id
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.summaries: list[SourceSummary] = []
        self.counts: dict[str, int] = {}
        """Annotations per source id."""
        self.filter_text = ""
        """The filter in force ("" shows every source)."""
        self.order: str | None = None
        """How the list is sorted (see `readmark.library.ordering`); None: as given."""
        self.recent: list[str] = []
        """Source ids, the most recently read first (for the `recent` order)."""
        self.progress: dict[str, float] = {}
        """How far each source was read (0 to 1)."""
        self._entries: list[Entry] = []
        self._haystacks: dict[str, str] = {}
        self._options: dict[str, Option] = {}
        self._label_width = 0

    def compose(self) -> ComposeResult:
        yield _Options()

    def on_mount(self) -> None:
        self._update_title(0)
        # The filter's field is hidden until `/`: styling it was a fiftieth of the start, so
        # it joins the list once the first frame is painted.
        self.call_after_refresh(self._add_filter_field)

    def _add_filter_field(self) -> AwaitMount:
        if self.query(Input):
            return AwaitMount(self, [])
        field = Input(placeholder="title, channel, speaker, #tag", compact=True)
        return self.mount(field, before=self._list)

    @property
    def _list(self) -> OptionList:
        return self.query_one(_Options)

    @property
    def _input(self) -> Input:
        return self.query_one(Input)

    # The list's reading API, for the screen and tests.
    @property
    def option_count(self) -> int:
        return self._list.option_count

    def get_option_at_index(self, index: int) -> Option:
        return self._list.get_option_at_index(index)

    @property
    def highlighted_id(self) -> str | None:
        """Id of the source under the cursor, if any."""
        option = self._list.highlighted_option
        return option.id if option is not None else None

    @property
    def shown_ids(self) -> list[str]:
        """Ids of the sources listed under the current filter, top to bottom."""
        return [o.id for o in self._list.options if o.id is not None]

    def show_sources(
        self,
        summaries: Sequence[SourceSummary],
        counts: Mapping[str, int] | None = None,
        *,
        order: str | None = None,
        recent: Sequence[str] | None = None,
        progress: Mapping[str, float] | None = None,
    ) -> None:
        """List `summaries` (with annotation `counts` per source id) in `order` (None: as
        given; the order and reading figures in force when not given), keeping filter and
        cursor."""
        self.summaries = list(summaries)
        self.counts = dict(counts or {})
        if order is not None:
            self.order = order
        if recent is not None:
            self.recent = list(recent)
        if progress is not None:
            self.progress = dict(progress)
        self._haystacks = {s.id: search_text(s) for s in self.summaries}
        self._options = {}
        self._arrange()
        self._refresh_list()

    def set_order(self, order: str, recent: Sequence[str] | None = None) -> None:
        """Sort the list by `order`, keeping the cursor on the same source."""
        self.order = order
        if recent is not None:
            self.recent = list(recent)
        self._options = {}  # the folder is shown with each entry in a flat order
        self._arrange()
        self._refresh_list()

    def set_progress(self, source_id: str, share: float) -> None:
        """Show how far `source_id` was read, when its mark changes."""
        before = read_mark(self.progress.get(source_id))
        self.progress[source_id] = share
        if read_mark(share) != before:
            self._options.pop(source_id, None)
            self._refresh_list()

    def _arrange(self) -> None:
        if self.order is None:
            self._entries = [Entry("", s) for s in self.summaries]
        else:
            self._entries = arrange(
                self.summaries, self.order, recent=self.recent, counts=self.counts
            )

    def highlight(self, source_id: str) -> bool:
        """Put the list cursor on `source_id` (scrolled into view); False when it is not shown."""
        option_list = self._list
        try:
            index = option_list.get_option_index(source_id)
        except Exception:  # noqa: BLE001 - OptionDoesNotExist: filtered out or not listed yet
            return False
        option_list.highlighted = index
        option_list.scroll_to_highlight()
        return True

    def scroll_to_cursor(self) -> None:
        """Bring the source under the cursor into view (after the list was out of sight)."""
        self._list.scroll_to_highlight()

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Update the annotation counts shown, e.g. after a save."""
        changed = {k for k in set(counts) | set(self.counts) if counts.get(k) != self.counts.get(k)}
        self.counts = dict(counts)
        for source_id in changed:
            self._options.pop(source_id, None)
        if changed and self.order == "annotated":
            self._arrange()
        self._refresh_list()

    def on_resize(self, event: events.Resize) -> None:
        if self._width_for_labels() != self._label_width:
            self._options = {}  # long titles wrap at the new width
            self._refresh_list()

    def _width_for_labels(self) -> int:
        # Room for the scrollbar is kept whether it shows yet or not: a long list brings it
        # in after the labels are wrapped, and it would cut each line's end.
        listing = self._list
        shown = listing.scrollbar_size_vertical if listing.show_vertical_scrollbar else 0
        return (
            listing.scrollable_content_region.width + shown - listing.styles.scrollbar_size_vertical
        )

    async def action_start_filter(self) -> None:
        await self._add_filter_field()  # `/` at once after start
        self.add_class("-filtering")
        # At once, not queued: the keys typed after `/` are handed on next, to the field.
        self.screen.set_focus(self._input)

    def action_clear_filter(self) -> None:
        self.show_all()
        self.focus()

    def show_all(self) -> None:
        """Clear the filter (the focus stays where it is)."""
        self.remove_class("-filtering")
        # Setting the value posts Input.Changed, which refreshes the list.
        for field in self.query(Input):
            field.value = ""
        self._apply_query("")

    def action_open(self) -> None:
        source_id = self.highlighted_id
        if source_id is not None:
            self.post_message(self.SourceSelected(self, source_id))

    def action_move(self, how: str) -> None:
        getattr(self._list, f"action_{how}")()

    def action_sort(self) -> None:
        self.post_message(self.SortRequested(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.filter_text) or self.has_class("-filtering")
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_query(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("-filtering")
        self.focus()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A mouse click on a source.
        event.stop()
        if event.option.id is not None:
            self.post_message(self.SourceSelected(self, event.option.id))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def _apply_query(self, query: str) -> None:
        query = query.strip()
        if query == self.filter_text:
            return
        self.filter_text = query
        # A cleared filter keeps the source that was found; a new one starts at its best match.
        self._refresh_list(keep_cursor=not query)
        self.refresh_bindings()

    def _option(self, summary: SourceSummary) -> Option:
        option = self._options.get(summary.id)
        if option is None:
            flat = self.order not in (None, "title")
            label = source_label(
                summary,
                self.counts.get(summary.id, 0),
                read=self.progress.get(summary.id),
                width=self._label_width,
                folder=_folder(summary.id) if flat else "",
            )
            option = self._options[summary.id] = Option(label, id=summary.id)
        return option

    def _refresh_list(self, keep_cursor: bool = True) -> None:
        option_list = self._list
        kept = self.highlighted_id if keep_cursor else None
        self._label_width = self._width_for_labels()
        # The query folded once, not once per source: this runs on every key typed.
        words = fold(self.filter_text).split()
        options: list[Option] = []
        shown: list[SourceSummary] = []
        folder_option: Option | None = None
        for entry in self._entries:
            summary = entry.summary
            if summary is None:
                folder_option = Option(Content(printable(entry.folder) + "/"), disabled=True)
                continue
            if not contains_all(self._haystacks[summary.id], words):
                continue
            if folder_option is not None:  # only folders with a source shown
                options.append(folder_option)
                folder_option = None
            shown.append(summary)
            options.append(self._option(summary))
        if not options and self.filter_text:
            text = Content.styled(
                f"No source matches “{printable(self.filter_text)}”.", "dim italic"
            )
            options = [Option(text, disabled=True)]
        option_list.set_options(options)
        if shown:
            ids = [o.id for o in options]
            first = next(i for i, o in enumerate(options) if o.id is not None)
            found = kept is not None and kept in ids
            option_list.highlighted = ids.index(kept) if found else first
        self._update_title(len(shown))

    def _update_title(self, shown: int) -> None:
        total = len(self.summaries)
        if self.filter_text:
            title = f"Sources · “{printable(self.filter_text)}” {shown}/{total}"
        else:
            title = f"Sources ({total})"
        self.border_title = Content(title)
