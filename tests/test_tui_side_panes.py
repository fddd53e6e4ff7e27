"""The side panes: the source list (its keys and accent-blind filter), the outline and the
annotation sidebar, on their own and in the running reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers.running_reader import open_reader
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source
from readmark.library.summary import SourceSummary
from readmark.tui.screens.help_screen import help_rows
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar, nearest
from readmark.tui.widgets.outline_view import OutlineView
from readmark.tui.widgets.source_list import SourceList, matches, search_text
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input


@dataclass(frozen=True)
class Summary(SourceSummary):
    """A summary with the fields the filter reads when the vault provides them."""

    channel: str | None = None
    tags: list[str] = field(default_factory=list)


SUMMARIES = [
    Summary(
        id="talks/tides.md",
        title="Tides and towns",
        format="markdown",
        duration=5400,
        date="2026-02-16",
        speakers=["Ada Quill", "Ben Rowe"],
        timed_segments=3,
        channel="Harbour Talks",
    ),
    Summary(id="notes/salt.txt", title="Salt marsh notes", format="text", tags=["ecology"]),
    Summary(
        id="talks/moon.srt",
        title="The [bold]moon[/bold] hour",
        format="srt",
        duration=3720,
        timed_segments=40,
        speakers=["Cora Lind"],
    ),
]


def _source() -> Source:
    builder = SourceBuilder(id="talks/tides.md", title="Tides and towns", format="markdown")
    builder.add_outline("Opening", 0.0)
    builder.add_segment("Welcome to the show about tides.", start=0.0, speaker="Ada Quill")
    builder.add_segment("Tides are slower than people think.", start=40.0, speaker="Ben Rowe")
    builder.add_outline("The moon", None)
    builder.add_segment("Then tell me about the moon.", start=80.0, speaker="Ada Quill")
    builder.add_segment("The moon pulls, the sea follows.", start=95.0, speaker="Ben Rowe")
    builder.add_outline("Questions", 130.0)
    builder.add_segment("Any questions from the harbour?", start=130.0, speaker="Ada Quill")
    return builder.build()


def _annotation(
    annotation_id: str,
    kind: Kind,
    source: Source,
    segment: int,
    note: str = "",
    orphaned: bool = False,
) -> Annotation:
    seg = source.segments[segment]
    return Annotation(
        id=annotation_id,
        source=source.id,
        kind=kind,
        anchor=Anchor(
            TextQuoteSelector(seg.text),
            TextPositionSelector(seg.char_start, seg.char_end),
            fingerprint="0",
        ),
        start=seg.start,
        note=note,
        orphaned=orphaned,
    )


def _annotations(source: Source) -> list[Annotation]:
    # Given out of order on purpose: the sidebar sorts by position in the text.
    return [
        _annotation("c", Kind.DISSENT, source, 3, "Wrong: the sun pulls too.\nSee tide tables."),
        _annotation("a", Kind.HIGHLIGHT, source, 0),
        _annotation("b", Kind.NOTE, source, 1, "Slower than what?"),
    ]


class PanesApp(App[None]):
    CSS = "SourceList { width: 34; } OutlineView { width: 30; } AnnotationSidebar { width: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[SourceList.SourceSelected] = []
        self.entries: list[OutlineView.EntryChosen] = []
        self.chosen: list[AnnotationSidebar.AnnotationChosen] = []

    @property
    def received(self) -> list[Message]:
        return [*self.sources, *self.entries, *self.chosen]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield SourceList()
            yield OutlineView()
            yield AnnotationSidebar()

    def on_mount(self) -> None:
        self.query_one(SourceList).focus()

    def on_source_list_source_selected(self, message: SourceList.SourceSelected) -> None:
        self.sources.append(message)

    def on_outline_view_entry_chosen(self, message: OutlineView.EntryChosen) -> None:
        self.entries.append(message)

    def on_annotation_sidebar_annotation_chosen(
        self, message: AnnotationSidebar.AnnotationChosen
    ) -> None:
        self.chosen.append(message)


RULE = "───"


def _lines(widget: Widget) -> list[str]:
    """The widget's lines as seen, with a rule between entries written as `RULE`."""
    lines = [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]
    return [RULE if line and set(line) == {"─"} else line for line in lines]


def _text(widget: Widget) -> str:
    return "\n".join(line for line in _lines(widget) if line.strip())


# The source list


async def test_source_list_shows_title_mark_duration_date_and_count() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES, {"talks/tides.md": 3})
        await pilot.pause()
        assert sources.has_focus
        assert str(sources.border_title) == "Sources (3)"
        lines = _lines(sources.query_one("_Options"))
        assert lines[:6] == [
            "▶ Tides and towns",
            "  1:30:00 · 2026-02-16 · ✎ 3",
            "¶ Salt marsh notes",
            "▶ The [bold]moon[/bold] hour",
            "  1:02:00",
            "",
        ]


async def test_arrows_and_enter_open_a_source() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one(SourceList).show_sources(SUMMARIES)
        await pilot.press("down", "down", "up", "enter")
        assert [m.source_id for m in app.sources] == ["notes/salt.txt"]


async def test_filter_as_you_type() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES)
        await pilot.press("/", *"harb")
        assert sources.shown_ids == ["talks/tides.md"]  # by channel
        assert str(sources.border_title) == "Sources · “harb” 1/3"
        assert _text(sources.query_one("_Options")).splitlines()[0] == "▶ Tides and towns"


def test_the_filter_reads_title_channel_speakers_and_tags() -> None:
    def found(query: str) -> list[str]:
        return [s.id for s in SUMMARIES if matches(search_text(s), query)]

    assert found("harbour") == ["talks/tides.md"]
    assert found("cora") == ["talks/moon.srt"]
    assert found("#ecology") == found("ecology") == ["notes/salt.txt"]
    assert found("MOON hour") == ["talks/moon.srt"]  # every word, any case
    assert found("ur") == ["talks/tides.md", "talks/moon.srt"]
    assert found("") == [s.id for s in SUMMARIES]


async def test_enter_ends_the_filter_and_opens_the_first_match() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES)
        await pilot.press("down", "down", "/", *"ur", "enter")
        assert [m.source_id for m in app.sources] == ["talks/tides.md"]
        assert sources.has_focus
        # The list stays filtered until escape; escape then clears it.
        assert sources.shown_ids == ["talks/tides.md", "talks/moon.srt"]
        await pilot.press("escape")
        assert len(sources.shown_ids) == 3
        assert str(sources.border_title) == "Sources (3)"


async def test_keys_typed_in_the_filter_are_text_not_commands() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES)
        await pilot.press("/", *"q/1")
        assert app.is_running
        assert sources.filter_text == "q/1"


async def test_escape_while_typing_clears_the_filter_and_returns_to_the_list() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES)
        await pilot.press("/", *"zzz")
        assert sources.shown_ids == []
        assert "No source matches “zzz”." in _text(sources.query_one("_Options"))
        await pilot.press("enter")  # nothing to open
        assert app.received == []
        await pilot.press("/", "escape")
        assert sources.has_focus and sources.filter_text == ""
        assert len(sources.shown_ids) == 3


async def test_down_while_typing_moves_to_the_next_match() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        app.query_one(SourceList).show_sources(SUMMARIES)
        await pilot.press("/", *"ur", "down", "enter")
        assert [m.source_id for m in app.sources] == ["talks/moon.srt"]


async def test_new_counts_keep_the_cursor() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sources = app.query_one(SourceList)
        sources.show_sources(SUMMARIES, {"notes/salt.txt": 1})
        await pilot.press("down", "down")
        sources.set_counts({"notes/salt.txt": 2})
        await pilot.pause()
        assert sources.highlighted_id == "talks/moon.srt"
        assert "  ✎ 2" in _lines(sources.query_one("_Options"))


async def test_j_and_k_move_the_sources_list_but_type_letters_in_its_filter(
    rivers_vault: Path,
) -> None:
    async with open_reader(rivers_vault) as r:
        assert r.sources.has_focus
        first = r.sources.highlighted_id
        await r.press("j")
        assert r.sources.highlighted_id == r.sources.shown_ids[1]
        await r.press("k")
        assert r.sources.highlighted_id == first
        await r.press("slash", *"jk")
        assert r.sources.query_one(Input).value == "jk"
        assert r.sources.filter_text == "jk"


async def test_the_filter_ignores_accents_and_case_on_both_sides(rivers_vault: Path) -> None:
    async with open_reader(rivers_vault) as r:
        for query in ("ines", "INÉS", "inés", "carvalho reyes"):
            await r.press("slash", *query)
            assert r.sources.shown_ids == ["rivers.md"], query
            await r.press("escape")


async def test_clearing_the_filter_keeps_the_found_source_selected(rivers_vault: Path) -> None:
    async with open_reader(rivers_vault) as r:
        await r.press("slash", *"inés")
        assert r.sources.highlighted_id == "rivers.md"
        await r.press("escape")
        assert r.sources.filter_text == ""
        assert len(r.sources.shown_ids) == 3
        assert r.sources.highlighted_id == "rivers.md"


# The outline


async def test_outline_lists_entries_with_times_and_follows_the_reader() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        outline = app.query_one(OutlineView)
        outline.show(_source())
        await pilot.pause()
        # "The moon" has no time of its own: it takes its segment's.
        assert _text(outline) == "0:00 Opening\n1:20 The moon\n2:10 Questions"
        assert str(outline.border_title) == "Outline (3)"
        outline.mark(3)
        assert outline.marked == 1
        outline.mark(4)
        assert outline.marked == 2
        outline.mark(0)
        assert outline.marked == 0
        assert app.query_one(SourceList).has_focus  # marking never takes focus
        assert app.received == []


async def test_enter_on_an_outline_entry_posts_its_segment_and_time() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        outline = app.query_one(OutlineView)
        outline.show(_source())
        outline.focus()
        await pilot.press("down", "down", "enter")
        assert [(m.segment_index, m.start) for m in app.entries] == [(2, 80.0)]


async def test_outline_of_a_source_without_headings_says_so() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        outline = app.query_one(OutlineView)
        assert _text(outline) == "No source open."
        builder = SourceBuilder(id="a.txt", title="A", format="text")
        builder.add_segment("Just one paragraph.")
        outline.show(builder.build())
        await pilot.pause()
        assert _text(outline) == "No chapters or headings."
        outline.mark(0)
        assert outline.marked is None


# The annotation sidebar


async def test_sidebar_lists_annotations_in_document_order() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        source = _source()
        sidebar.show(_annotations(source))
        await pilot.pause()
        assert str(sidebar.border_title) == "Annotations (3)"
        assert _lines(sidebar)[:8] == [
            "● 0:00 “Welcome to the show about tides.”",
            RULE,
            "✎ 0:40 “Tides are slower than people think.”",
            "  Slower than what?",
            RULE,
            "≠ 1:35 “The moon pulls, the sea follows.”",
            "  Wrong: the sun pulls too.",
            "",
        ]


async def test_sidebar_empty_state() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        await pilot.pause()
        assert _text(sidebar) == (
            "No annotations yet.\nIn the transcript: h highlight, a note, d dissent."
        )
        sidebar.show([])
        await pilot.pause()
        assert str(sidebar.border_title) == "Annotations (0)"


async def test_number_keys_filter_by_kind() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show(_annotations(_source()))
        sidebar.focus()
        await pilot.press("3")
        assert [a.id for a in sidebar.shown] == ["c"]
        assert str(sidebar.border_title) == "Annotations · dissent 1/3"
        await pilot.press("1")
        assert [a.id for a in sidebar.shown] == ["a"]
        await pilot.press("2")
        assert [a.id for a in sidebar.shown] == ["b"]
        await pilot.press("0")
        assert [a.id for a in sidebar.shown] == ["a", "b", "c"]
        sidebar.show([_annotation("h", Kind.HIGHLIGHT, _source(), 0)])
        await pilot.press("3")
        await pilot.pause()
        assert _text(sidebar) == "No dissent here.\nPress 0 to show all."


async def test_mark_nearest_follows_the_cursor_quietly() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        source = _source()
        sidebar.show(_annotations(source))
        sidebar.mark_nearest(source.segments[1].char_start + 3)
        assert sidebar.marked_id == "b"
        sidebar.mark_nearest(source.segments[2].char_start)  # closer to b's end than c's start
        assert sidebar.marked_id == "b"
        sidebar.mark_nearest(source.segments[4].char_start)
        assert sidebar.marked_id == "c"
        await pilot.pause()
        assert app.query_one(SourceList).has_focus
        assert app.received == []
        # A filter keeps following: the nearest note among those shown.
        sidebar.focus()
        await pilot.press("1")
        assert sidebar.marked_id == "a"


async def test_enter_on_an_annotation_posts_its_id() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        sidebar.show(_annotations(_source()))
        sidebar.focus()
        await pilot.press("down", "down", "enter")
        assert [m.annotation_id for m in app.chosen] == ["b"]


async def test_sidebar_shows_file_text_as_text_and_orphans_last() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 36)) as pilot:
        sidebar = app.query_one(AnnotationSidebar)
        source = _source()
        lost = _annotation("z", Kind.NOTE, source, 0, "[red]mine[/red] \x1b[31m", orphaned=True)
        odd = _annotation("y", Kind.NOTE, source, 2, "[red]not red[/red]\x1b]0;title\x07")
        sidebar.show([lost, odd])
        await pilot.pause()
        assert _lines(sidebar)[:6] == [
            "✎ 1:20 “Then tell me about the moon.”",
            "  [red]not red[/red]",
            RULE,
            "✎ 0:00 “Welcome to the show about tides.”",
            "  quote no longer found in the source",
            "",
        ]
        sidebar.mark_nearest(0)
        assert sidebar.marked_id == "y"  # orphans have no place in the text


def test_nearest_prefers_the_annotation_holding_the_offset() -> None:
    source = _source()
    marks = _annotations(source)
    assert nearest(marks, source.segments[3].char_start + 5) == marks[0]
    assert nearest(marks, 0) == marks[1]
    assert nearest([], 10) is None


async def test_j_and_k_move_the_outline_and_the_annotation_sidebar(rivers_vault: Path) -> None:
    async with open_reader(rivers_vault) as r:
        await r.open("rivers")
        await r.press("h", "j", "j", "h")  # two highlights: the sidebar has two entries
        outline = r.screen.query_one(OutlineView)
        outline.focus()
        outline.highlighted = 0
        await r.press("j")
        assert outline.highlighted == 1
        await r.press("k")
        assert outline.highlighted == 0
        sidebar = r.screen.query_one(AnnotationSidebar)
        sidebar.focus()
        sidebar.highlighted = 0
        first, second = (a.id for a in sidebar.shown)
        await r.press("j")
        assert sidebar.marked_id == second
        await r.press("k")
        assert sidebar.marked_id == first


@pytest.mark.parametrize("pane", [SourceList, OutlineView, AnnotationSidebar])
def test_help_lists_j_and_k_with_the_arrows(pane: type[SourceList]) -> None:
    keys = {row.description: row.keys for row in help_rows(pane)}
    assert keys["Down"] == ("j", "down")
    assert keys["Up"] == ("k", "up")
