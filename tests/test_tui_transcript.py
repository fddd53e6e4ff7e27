"""The transcript pane, mostly on its own: keys, rendering, selection, prompts and lazy layout."""

from __future__ import annotations

from collections.abc import Sequence
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
from readmark.library.model import Role, Source
from readmark.tui.screens.prompt import PromptScreen
from readmark.tui.widgets.transcript import Transcript
from readmark.tui.widgets.transcript_layout import LineIndex, wrap_spans
from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message

TURNS = [
    (0.0, "Ines", "Welcome to the night shift. Tonight we talk about heat."),
    (30.0, "Ines", "Cities hold heat after dark. That is the whole problem."),
    (60.0, "Marco", "I disagree. Shade matters more. Trees cool the streets."),
    (240.0, "Marco", "Roofs can be painted white. It costs very little."),
    (250.0, "Ines", "And the [bold]markup[/bold] in a quote stays text."),
]


def interview() -> Source:
    builder = SourceBuilder(id="talks/night.md", title="Night", format="markdown")
    builder.add_outline("Opening", 0.0)
    for n, (start, speaker, text) in enumerate(TURNS):
        if n == 3:
            builder.add_outline("Roofs", start)
        builder.add_segment(text, start=start, speaker=speaker)
    return builder.build(duration=300.0, url="https://youtu.be/abc")


def article(paragraphs: int) -> Source:
    builder = SourceBuilder(id="notes/long.md", title="Long", format="markdown")
    builder.add_segment("A heading", role=Role.HEADING)
    builder.add_outline("A heading", None, 0)
    for n in range(paragraphs):
        builder.add_segment(f"Paragraph {n} starts here. " + "Some words follow along. " * 12)
    return builder.build()


def annotation(kind: Kind, start: int, end: int, annotation_id: str) -> Annotation:
    anchor = Anchor(TextQuoteSelector("q"), TextPositionSelector(start, end), "f")
    return Annotation(id=annotation_id, source="talks/night.md", kind=kind, anchor=anchor)


class TranscriptApp(App[None]):
    def __init__(self, source: Source, annotations: Sequence[Annotation] = ()) -> None:
        super().__init__()
        self.source = source
        self.annotations = annotations
        self.positions: list[Transcript.PositionChanged] = []
        self.asked: list[Message] = []
        """What the transcript asked of its screen, in order."""

    def compose(self) -> ComposeResult:
        yield Transcript(id="transcript")

    def on_mount(self) -> None:
        transcript = self.query_one(Transcript)
        transcript.show(self.source, self.annotations)
        transcript.focus()

    def on_transcript_position_changed(self, message: Transcript.PositionChanged) -> None:
        self.positions.append(message)

    @on(Transcript.HighlightRequested)
    @on(Transcript.NoteRequested)
    @on(Transcript.CopyRequested)
    @on(Transcript.CitationFormatRequested)
    @on(Transcript.EditRequested)
    @on(Transcript.DeleteRequested)
    @on(Transcript.ReviewDecided)
    def record(self, message: Message) -> None:
        self.asked.append(message)


def asked_words(app: TranscriptApp) -> list[tuple[str, int, int]]:
    """Each request about words: its kind of intent (a note's kind for notes) and the words."""
    found = []
    for message in app.asked:
        assert isinstance(message, Transcript.SpanRequest)
        name = type(message).__name__
        if isinstance(message, Transcript.NoteRequested):
            name = f"{name}:{message.kind}"
        found.append((name, message.start, message.end))
    return found


def screen_lines(transcript: Transcript, count: int) -> list[str]:
    return [transcript.render_line(y).text.rstrip() for y in range(count)]


def sentence(transcript: Transcript) -> str:
    source = transcript.source
    assert source is not None
    start, end = transcript.selected_span() if not transcript.selecting else (0, 0)
    return source.text[start:end]


def segment_of_cursor(transcript: Transcript) -> int:
    source = transcript.source
    assert source is not None
    segment = source.segment_at_offset(transcript.cursor_offset)
    assert segment is not None
    return segment.index


def notifications(app: App[None]) -> list[str]:
    return [n.message for n in app._notifications]


async def test_renders_gutter_speakers_headings_and_text_as_text() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)):
        lines = screen_lines(app.query_one(Transcript), 16)
    assert lines[:8] == [
        "         Opening",
        "         Ines",
        "   0:00  Welcome to the night shift. Tonight we talk about heat.",
        "",
        "   0:30  Cities hold heat after dark. That is the whole problem.",
        "",
        "         Marco",
        "   1:00  I disagree. Shade matters more. Trees cool the streets.",
    ]
    assert lines[9:11] == [
        "         Roofs",
        "   4:00  Roofs can be painted white. It costs very little.",
    ]
    assert "   4:10  And the [bold]markup[/bold] in a quote stays text." in lines


async def test_wraps_to_the_width_and_rewraps_on_resize() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(40, 24)) as pilot:
        transcript = app.query_one(Transcript)
        assert screen_lines(transcript, 5)[2:5] == [
            "   0:00  Welcome to the night shift.",
            "         Tonight we talk about heat.",
            "",
        ]
        await pilot.resize_terminal(100, 24)
        assert screen_lines(transcript, 3)[2] == (
            "   0:00  Welcome to the night shift. Tonight we talk about heat."
        )


async def test_j_k_and_arrows_move_by_sentence_and_report_the_position() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        assert sentence(transcript) == "Welcome to the night shift."
        await pilot.press("j", "j")
        assert sentence(transcript) == "Cities hold heat after dark."
        await pilot.press("down")
        assert sentence(transcript) == "That is the whole problem."
        await pilot.press("k", "up")
        assert sentence(transcript) == "Tonight we talk about heat."
        await pilot.press("k", "k", "k")
        assert transcript.cursor == 0
        await pilot.pause()
        last = app.positions[-1]
        assert (last.offset, last.segment_index, last.seconds) == (0, 0, 0.0)


async def test_big_j_k_move_by_segment() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("J", "J")
        assert sentence(transcript) == "I disagree."
        await pilot.press("j", "K")
        assert sentence(transcript) == "I disagree."
        await pilot.press("K")
        assert sentence(transcript) == "Cities hold heat after dark."


async def test_braces_move_by_outline_entry() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("}")
        assert sentence(transcript) == "Roofs can be painted white."
        await pilot.press("}")
        assert sentence(transcript) == "Roofs can be painted white."
        await pilot.press("{")
        assert transcript.cursor == 0


async def test_g_and_end_keys_go_to_the_ends() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("G")
        assert sentence(transcript) == "And the [bold]markup[/bold] in a quote stays text."
        await pilot.press("g")
        assert transcript.cursor == 0
        await pilot.press("end")
        assert transcript.cursor == transcript.sentence_count - 1
        await pilot.press("home")
        assert transcript.cursor == 0


async def test_pages_move_cursor_and_view_together() -> None:
    app = TranscriptApp(article(200))
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("ctrl+d")
        # paragraphs take six lines; the cursor stays on the line it was on, 12 lines lower
        assert transcript.scroll_offset.y == 12
        assert (transcript.cursor, segment_of_cursor(transcript)) == (26, 2)
        await pilot.press("pagedown")
        assert transcript.scroll_offset.y == 36
        assert (transcript.cursor, segment_of_cursor(transcript)) == (78, 6)
        await pilot.press("pageup", "ctrl+u")
        assert transcript.scroll_offset.y == 0
        assert transcript.cursor == 0


async def test_end_of_a_long_article_is_painted() -> None:
    app = TranscriptApp(article(2000))
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("G")
        await pilot.pause()
        painted = screen_lines(transcript, 24)
        assert any(line.strip().endswith("Some words follow along.") for line in painted)
        assert transcript.cursor_offset >= transcript.source.text.rfind("Some words")  # type: ignore[union-attr]
        # only what was shown or reached is wrapped
        assert sum(transcript._exact) < 60


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4:04", "Roofs can be painted white."),
        ("0:04:08", "It costs very little."),
        ("244s", "Roofs can be painted white."),
        ("61", "I disagree."),
        ("[0:50]", "That is the whole problem."),
    ],
)
async def test_t_goes_to_the_sentence_spoken_at_a_time(typed: str, expected: str) -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("t")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*typed, "enter")
        assert sentence(transcript) == expected
        assert app.screen is not None and not isinstance(app.screen, PromptScreen)


async def test_t_accepts_relative_times_and_rejects_nonsense() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("t", *"+4m", "enter")
        assert sentence(transcript) == "Roofs can be painted white."
        await pilot.press("t", *"-3m", "enter")
        assert sentence(transcript) == "I disagree."
        await pilot.press("t", *"soon", "enter")
        assert sentence(transcript) == "I disagree."
        assert isinstance(app.screen, PromptScreen)  # still open, to fix what was typed
        assert app.screen.problem.startswith("Not a time: soon")
        await pilot.press("escape")
        assert not isinstance(app.screen, PromptScreen)
        assert sentence(transcript) == "I disagree."


async def test_a_wrong_time_keeps_the_prompt_open_to_fix_and_escape_closes_it(
    ferry_vault: Path,
) -> None:
    async with open_reader(ferry_vault) as run:
        await run.open("ferry")
        await run.press("t", *"junk", "enter")
        prompt = run.app.screen
        assert isinstance(prompt, PromptScreen)
        assert prompt.problem == "Not a time: junk — try 4:04, 1:02:03, 244s, +30, -1m"
        await run.press(*["backspace"] * 4, *"1:40", "enter")
        assert not isinstance(run.app.screen, PromptScreen)
        assert run.cursor_text() == "The last crossing leaves at midnight."
        await run.press("t", *"zz", "escape")
        assert not isinstance(run.app.screen, PromptScreen)
        assert run.cursor_text() == "The last crossing leaves at midnight."


async def test_brackets_seek_thirty_seconds() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("]")
        assert transcript.current_seconds == 30.0
        await pilot.press("]")
        assert sentence(transcript) == "I disagree."
        await pilot.press("[")
        assert sentence(transcript) == "Cities hold heat after dark."


async def test_untimed_source_says_so() -> None:
    app = TranscriptApp(article(3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        assert not isinstance(app.screen, PromptScreen)
        assert "This source has no times." in notifications(app)
        assert app.query_one(Transcript).current_seconds is None


async def test_find_marks_matches_and_n_steps_through_them() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("slash", *"HEAT", "enter")
        assert transcript.match_count == 2
        assert sentence(transcript) == "Tonight we talk about heat."
        match_style = transcript.get_component_rich_style("transcript--match")
        styled = [
            s.text
            for s in transcript.render_line(4)
            if s.style and match_style.bgcolor and s.style.bgcolor == match_style.bgcolor
        ]
        assert styled == ["heat"]
        await pilot.press("n")
        assert sentence(transcript) == "Cities hold heat after dark."
        await pilot.press("n")
        assert transcript.cursor == 1  # wrapped round to the first match
        await pilot.press("N")
        assert sentence(transcript) == "Cities hold heat after dark."
        await pilot.press("escape")
        assert transcript.match_count == 0
        await pilot.press("slash", *"glacier", "enter")
        assert "No match for 'glacier'." in notifications(app)


async def test_v_selects_and_extends_by_sentence_word_and_segment() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        text = interview().text
        await pilot.press("v", "j")
        start, end = transcript.selected_span()
        assert text[start:end] == "Welcome to the night shift. Tonight we talk about heat."
        await pilot.press("k", "w", "w")
        start, end = transcript.selected_span()
        assert text[start:end] == "Welcome to the night shift. Tonight we"
        await pilot.press("b")
        start, end = transcript.selected_span()
        assert text[start:end] == "Welcome to the night shift. Tonight"
        await pilot.press("J")  # to the end of the segment it is in
        start, end = transcript.selected_span()
        assert text[start:end] == "Welcome to the night shift. Tonight we talk about heat."
        await pilot.press("J")  # then to the end of the next one
        start, end = transcript.selected_span()
        assert text[start:end].endswith("That is the whole problem.")
        await pilot.press("escape")
        assert not transcript.selecting
        # the cursor stays where the selection's free end was
        assert sentence(transcript) == "That is the whole problem."


async def test_selection_is_drawn() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("v", "w")
        selection = transcript.get_component_rich_style("transcript--selection")
        selected = "".join(
            s.text
            for s in transcript.render_line(2)
            if s.style and s.style.bgcolor == selection.bgcolor
        )
        assert selected == "Welcome to the night shift. Tonight"


async def test_span_keys_post_one_message_per_intent_and_clear_the_selection() -> None:
    note = annotation(Kind.NOTE, 0, 27, "01note")
    app = TranscriptApp(interview(), [note])
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("v", "j", "h")
        assert not transcript.selecting
        await pilot.press(*"adyY")
        await pilot.pause()
        assert asked_words(app) == [
            ("HighlightRequested", 0, 55),
            ("NoteRequested:note", 28, 55),
            ("NoteRequested:dissent", 28, 55),
            ("CopyRequested", 28, 55),
            ("CitationFormatRequested", 28, 55),
        ]
        await pilot.press("v", "j", "Y")  # choosing a format keeps the selection
        assert transcript.selecting
        await pilot.press("escape")
        app.asked.clear()
        await pilot.press(*"exuo")  # u and o are the screen's keys: not about the words
        await pilot.pause()
    assert [(type(m).__name__, m.annotation_id) for m in app.asked] == [  # type: ignore[attr-defined]
        ("EditRequested", None),
        ("DeleteRequested", None),
    ]


async def test_annotation_under_the_cursor_goes_with_the_action() -> None:
    dissent = annotation(Kind.DISSENT, 0, 27, "02dissent")
    app = TranscriptApp(interview(), [dissent, annotation(Kind.HIGHLIGHT, 5, 10, "01old")])
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        assert transcript.annotation_at_cursor() == dissent
        await pilot.press("x", "e")
        await pilot.pause()
        asked = [(type(m).__name__, m.annotation_id) for m in app.asked]  # type: ignore[attr-defined]
        assert asked == [("DeleteRequested", "02dissent"), ("EditRequested", "02dissent")]
        await pilot.press("j")
        assert transcript.annotation_at_cursor() is None


async def test_annotations_are_styled_by_kind() -> None:
    text = interview().text
    start = text.index("I disagree.")
    marks = [
        annotation(Kind.HIGHLIGHT, text.index("Tonight"), text.index("Tonight") + 7, "a"),
        annotation(Kind.DISSENT, start, start + 11, "b"),
    ]
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        transcript.set_annotations(marks)
        await pilot.pause()

        def styled(y: int, name: str) -> list[str]:
            wanted: Style = transcript.get_component_rich_style(name)
            return [
                s.text
                for s in transcript.render_line(y)
                if s.style and s.style.bgcolor == wanted.bgcolor and s.text.strip()
            ]

        assert styled(2, "transcript--highlight") == ["Tonight"]
        assert styled(7, "transcript--dissent") == ["I disagree."]
        assert styled(2, "transcript--cursor") == ["Welcome to the night shift."]


async def test_show_opens_at_an_offset_and_go_to_helpers() -> None:
    source = article(300)
    app = TranscriptApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        offset = source.segments[150].char_start
        transcript.show(source, (), offset)
        await pilot.pause()
        assert sentence(transcript) == "Paragraph 149 starts here."
        assert any("Paragraph 149 starts here." in line for line in screen_lines(transcript, 24))
        transcript.go_to_segment(3)
        assert sentence(transcript) == "Paragraph 2 starts here."
        transcript.go_to_offset(source.segments[10].char_start + 30)
        assert sentence(transcript) == "Some words follow along."
        assert transcript.cursor_offset == source.segments[10].char_start + 25


async def test_mouse_drag_selects_words_and_a_click_moves_the_cursor() -> None:
    app = TranscriptApp(interview())
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        text = interview().text
        await pilot.mouse_down(transcript, offset=(12, 2))
        await pilot.hover(transcript, offset=(28, 2))
        await pilot.mouse_up(transcript, offset=(28, 2))
        start, end = transcript.selected_span()
        assert text[start:end] == "Welcome to the night"
        await pilot.click(transcript, offset=(12, 4))
        assert not transcript.selecting
        assert sentence(transcript) == "Cities hold heat after dark."


async def test_prompt_returns_text_or_none() -> None:
    answers: list[str | None] = []

    class PromptApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(PromptScreen("Name", placeholder="who"), answers.append)

    app = PromptApp()
    async with app.run_test() as pilot:
        await pilot.press(*"Ada", "enter")
        app.push_screen(PromptScreen("Again"), answers.append)
        await pilot.pause()
        await pilot.press("x", "escape")
    assert answers == ["Ada", None]


def test_wrap_spans_breaks_at_spaces_and_cuts_long_words() -> None:
    text = "one two three fourfivesixseven"
    assert [text[a:b] for a, b in wrap_spans(text, 9)] == [
        "one two",
        "three",
        "fourfives",
        "ixseven",
    ]
    wide = "東京の夜は 暑い です"
    assert [wide[a:b] for a, b in wrap_spans(wide, 10)] == ["東京の夜は", "暑い です"]


def test_line_index_finds_lines_and_updates_counts() -> None:
    index = LineIndex([3, 1, 4])
    assert index.total == 8
    assert [index.find(line) for line in range(8)] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (2, 0),
        (2, 1),
        (2, 2),
        (2, 3),
    ]
    index.set(0, 1)
    assert (index.total, index.prefix(2), index.find(1), index.find(2)) == (6, 2, (1, 0), (2, 0))


async def test_a_source_that_failed_to_read_shows_nothing_and_keys_do_no_harm() -> None:
    broken = Source(id="bad.srt", title="Bad", format="srt", error="no cues")
    app = TranscriptApp(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press(*"jkJKGgv]wbh", "ctrl+d", "pagedown", "}", "escape")
        await pilot.pause()
        assert transcript.cursor == 0
        assert transcript.selected_span() == (0, 0)
        assert screen_lines(transcript, 3) == ["", "", ""]
        assert app.asked == []


async def test_a_cursor_move_leaves_the_screen_as_a_whole_redraw_would_draw_it() -> None:
    """A move repaints only the lines the cursor left and reached. After moves, a rewrap at a
    new width, a scroll and moves back, what is on screen is what redrawing the pane shows:
    no highlight is left behind on a line the cursor has left."""
    app = TranscriptApp(article(40))
    async with app.run_test(size=(48, 16)) as pilot:
        transcript = app.query_one(Transcript)
        await pilot.press("j", "j", "j")
        await pilot.resize_terminal(72, 16)
        await pilot.pause()
        await pilot.press(*["j"] * 14, "k", "k", "k")
        await pilot.pause()
        shown = app.export_screenshot()
        transcript.refresh()
        await pilot.pause()
        assert app.export_screenshot() == shown
