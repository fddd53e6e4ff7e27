"""Search the whole vault: annotations and passages, with the Whoosh query language.

The screen only shows results: the search itself is a callable passed in (the reader screen's
workspace), run in a worker thread so typing never waits on the index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from readmark.library.safe_text import printable, shorten
from readmark.library.timecode import format_timecode
from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

if TYPE_CHECKING:
    # Whoosh loads on the first search, not at start-up.
    from readmark.annotations.index import SearchHit

SearchFunction = Callable[[str], "list[SearchHit]"]
TitleFunction = Callable[[str], str]

PLACEHOLDER = 'words, "a phrase", kind:dissent, speaker:"Name", tag:NAME, type:passage'
_MARKS = {"highlight": "▌", "note": "✎", "dissent": "⚑", None: "¶"}
_NOTE_CHARS = 100
RESULT_LIMIT = 100
"""How many hits the reader asks for; reaching it means there may be more."""


def hit_label(hit: SearchHit, title: str, match: Style, meta: Style) -> Text:
    """Two or three lines: kind and where, the snippet with its matches styled, the note."""
    kind = hit.kind if hit.type == "annotation" else "passage"
    label = Text(f"{_MARKS.get(hit.kind, '¶')} {kind}", style=meta)
    label.append("  ")
    label.append(printable(title or hit.source), style="bold")
    if hit.start is not None:
        label.append(f"  {format_timecode(hit.start, hours=hit.start >= 3600)}", style=meta)
    label.append("\n  ")
    last = 0
    for start, end in hit.marks:
        label.append(_flat(hit.snippet[last:start]))
        label.append(_flat(hit.snippet[start:end]), style=match)
        last = end
    label.append(_flat(hit.snippet[last:]))
    note = " ".join(hit.note.split())
    if hit.type == "annotation" and note:
        short = shorten(note, _NOTE_CHARS, at_word=False)
        label.append("\n  note: " + printable(short), style=meta)
    return label


def indented(label: Text) -> Group:
    """The label with every line after the first indented as a whole: a snippet or a note that
    wraps stays under its own start, not under the kind mark."""
    lines = label.split("\n")
    parts: list[Text | Padding] = [lines[0]]
    for line in lines[1:]:
        parts.append(Padding(line[INDENT:], (0, 0, 0, INDENT)))
    return Group(*parts)


INDENT = 2


def _flat(text: str) -> str:
    # A line break inside a snippet would misalign the list; the marks' offsets stay valid.
    return printable(text).replace("\n", " ")


class SearchResults(OptionList):
    """The hits, best first; its component classes style the matched words and the details."""

    COMPONENT_CLASSES = {"search-results--match", "search-results--meta"}

    DEFAULT_CSS = """
    SearchResults {
        height: 1fr;
        border: none;
    }
    SearchResults > .search-results--match {
        text-style: bold reverse;
        color: $text-accent;
    }
    SearchResults > .search-results--meta {
        color: $text-muted;
    }
    """

    def show_hits(self, hits: Sequence[SearchHit], titles: Sequence[str]) -> None:
        match = self.get_component_rich_style("search-results--match", partial=True)
        meta = self.get_component_rich_style("search-results--meta", partial=True)
        self.clear_options()
        self.add_options(
            [
                Option(indented(hit_label(hit, title, match, meta)), id=str(number))
                for number, (hit, title) in enumerate(zip(hits, titles, strict=True))
            ]
        )
        if hits:
            self.highlighted = 0


class SearchScreen(Screen["SearchHit | None"]):
    """Type a query, enter runs it; enter on a result dismisses with it, escape with None."""

    DEFAULT_CSS = """
    SearchScreen #search-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    SearchScreen #search-status {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    SearchScreen #search-status.-error {
        color: $text-error;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="search.close"),
        Binding("down", "focus_results", "Results", show=False, id="search.results"),
    ]

    AUTO_FOCUS = "#search-query"

    def __init__(
        self,
        search: SearchFunction,
        *,
        title_of: TitleFunction | None = None,
        query: str = "",
        limit: int | None = None,
    ) -> None:
        super().__init__()
        self.search_function = search
        self.limit = limit
        """Most hits `search` returns, when it caps them: a full page is not the whole count."""
        self.title_of = title_of
        self.initial_query = query
        self.hits: list[SearchHit] = []
        self.last_query: str | None = None
        """The query whose results are shown."""

    def compose(self) -> ComposeResult:
        yield Static("Search the vault", id="search-title")
        yield Input(self.initial_query, placeholder=PLACEHOLDER, id="search-query")
        yield Static(
            Text("Type words and press enter. Fields narrow it: kind:dissent, source:WORD."),
            id="search-status",
        )
        yield SearchResults(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        if self.initial_query.strip():
            self.start_search(self.initial_query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start_search(event.value)

    def start_search(self, query: str) -> None:
        if not query.strip():
            self._set_status("Type words to search for.")
            return
        self._set_status(f"Searching for {query.strip()}…")
        self.run_search(query.strip())

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        try:
            hits = self.search_function(query)
            titles = [self.title_of(hit.source) if self.title_of else hit.source for hit in hits]
        except Exception as error:  # every failure is shown; none may crash the app
            message = str(error) or f"The search failed ({type(error).__name__})."
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, message)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_hits, query, hits, titles)

    def _show_hits(self, query: str, hits: list[SearchHit], titles: list[str]) -> None:
        if not self.is_attached:
            return
        self.hits = hits
        self.last_query = query
        results = self.query_one(SearchResults)
        results.show_hits(hits, titles)
        if hits:
            if self.limit is not None and len(hits) >= self.limit:
                count = f"The first {len(hits)} results"
            else:
                count = "1 result" if len(hits) == 1 else f"{len(hits)} results"
            self._set_status(f"{count} for {query}. Enter opens one.")
            results.focus()
        else:
            self._set_status(f"No matches for {query}.")

    def _show_error(self, message: str) -> None:
        if self.is_attached:
            self._set_status(message, error=True)

    def _set_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.update(Text(printable(message)))
        status.set_class(error, "-error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.hits[int(event.option.id)])

    def action_focus_results(self) -> None:
        results = self.query_one(SearchResults)
        if results.option_count:
            results.focus()

    def action_close(self) -> None:
        self.dismiss(None)
