"""Colours: the transcript's marks, cursor, selection and found words stay readable on light
and dark themes, and stay distinct from each other when the terminal has only 256 colours."""

from __future__ import annotations

import pytest
from helpers.small_vaults import night_ferry
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.library.model import Source
from readmark.tui.widgets.transcript import Transcript
from rich.color import Color, ColorSystem
from rich.style import Style
from textual.app import App, ComposeResult


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(style: Style) -> float:
    """WCAG contrast of a drawn style's text on its background (reverse taken into account)."""
    assert style.color is not None and style.bgcolor is not None
    fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def background(style: Style) -> Color | None:
    return style.color if style.reverse else style.bgcolor


def mark(source: Source, kind: Kind, word: str) -> Annotation:
    start = source.text.index(word)
    anchor = Anchor(TextQuoteSelector(word), TextPositionSelector(start, start + len(word)), "x")
    return Annotation(id=f"id-{word}", source=source.id, kind=kind, anchor=anchor)


class FerryApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Transcript()

    def on_mount(self) -> None:
        source = night_ferry()
        marks = [
            mark(source, Kind.HIGHLIGHT, "Lanterns"),
            mark(source, Kind.NOTE, "canal"),
            mark(source, Kind.DISSENT, "Nobody"),
        ]
        self.query_one(Transcript).show(source, marks)
        self.query_one(Transcript).focus()


def drawn(transcript: Transcript, text: str) -> Style:
    """The style a piece of text is drawn with on screen."""
    for y in range(transcript.size.height):
        for piece in transcript.render_line(y):
            if piece.text.strip() == text and piece.style is not None:
                return piece.style
    raise AssertionError(f"{text!r} is not on screen")


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_marks_cursor_selection_and_matches_stay_readable_on_light_and_dark(
    theme: str,
) -> None:
    app = FerryApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        transcript = app.query_one(Transcript)
        transcript.find("board")  # the cursor follows to "Tickets are sold on board."
        await pilot.pause()
        page = transcript.rich_style.bgcolor
        pieces = {
            "highlight": drawn(transcript, "Lanterns"),
            "note": drawn(transcript, "canal"),
            "dissent": drawn(transcript, "Nobody"),
            "cursor": drawn(transcript, "Tickets are sold on"),
            "match": drawn(transcript, "board"),
        }
        await pilot.press("v", "w")
        pieces["selection"] = drawn(transcript, "Bring")
        for name, style in pieces.items():
            assert contrast(style) >= 4.5, (theme, name, style)
            assert background(style) != page, (theme, name, "looks like plain text")
        assert pieces["match"] != pieces["cursor"]  # the found word shows inside the cursor
        assert contrast(drawn(transcript, "Tom")) >= 3.0  # speaker names, bold
        assert contrast(drawn(transcript, "0:30")) >= 4.5  # the time gutter


# -- distinct in 256 colours --------------------------------------------------------------------


class MarksApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Transcript()


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_cursor_note_highlight_dissent_and_match_differ_in_256_colours(theme: str) -> None:
    app = MarksApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        transcript = app.query_one(Transcript)
        names = ["cursor", "note", "highlight", "dissent", "match"]
        looks: dict[str, tuple[object, ...]] = {}
        for name in names:
            style: Style = transcript.get_component_rich_style(f"transcript--{name}")
            assert style.bgcolor is not None
            looks[name] = (style.bgcolor.downgrade(ColorSystem.EIGHT_BIT).number,)
        assert len(set(looks.values())) == len(names), looks
