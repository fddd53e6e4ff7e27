from readmark.library.builder import SourceBuilder, normalise_space
from readmark.library.model import Role, Segment, Source, segment_at


def _interview() -> SourceBuilder:
    builder = SourceBuilder(id="talks/a.md", title="A talk", format="markdown")
    builder.add_outline("Opening", 0.0)
    builder.add_segment("Welcome  to the\nshow.", start=0.0, end=12.0, speaker="Ada")
    builder.add_segment("Thanks for having me.", start=12.0, end=30.0, speaker="Ben")
    builder.add_segment("   ")  # nothing to read: dropped
    builder.add_segment("Chapter two", role=Role.HEADING)
    builder.add_segment("So, tides.", start=95.5, end=120.0, speaker="Ada")
    return builder


def test_builder_normalises_text_and_keeps_offsets_exact() -> None:
    source = _interview().build(url="https://example.org/x")
    assert [s.text for s in source.segments] == [
        "Welcome to the show.",
        "Thanks for having me.",
        "Chapter two",
        "So, tides.",
    ]
    for segment in source.segments:
        assert source.text[segment.char_start : segment.char_end] == segment.text
    assert source.speakers == ["Ada", "Ben"]
    assert source.url == "https://example.org/x"
    assert [(e.title, e.start, e.segment_index) for e in source.outline] == [("Opening", 0.0, 0)]


def test_segment_at_bisects_timed_segments() -> None:
    source = _interview().build()
    assert source.segment_at(0).text == "Welcome to the show."  # type: ignore[union-attr]
    assert source.segment_at(29.9).speaker == "Ben"  # type: ignore[union-attr]
    assert source.segment_at(100).text == "So, tides."  # type: ignore[union-attr]
    assert source.segment_at(-5).index == 0  # type: ignore[union-attr]
    assert segment_at([], 10) is None


def test_segment_at_offset_finds_the_holding_segment() -> None:
    source = _interview().build()
    offset = source.text.index("having")
    assert source.segment_at_offset(offset).speaker == "Ben"  # type: ignore[union-attr]


def test_normalise_space() -> None:
    assert normalise_space("  a\t b\n\nc ") == "a b c"


def test_builder_keeps_no_terminal_controls_in_text_or_metadata() -> None:
    builder = SourceBuilder(id="x.md", title="Evil \x1b]0;pwned\x07 title", format="markdown")
    builder.add_segment("red \x1b[31mtext\x1b[0m and \u202eevil", speaker="Ann\x1b[1m")
    builder.add_outline("Part \x1b]8;;http://x\x1b\\one", None, 0)
    source = builder.build(channel="Chan\x9bnel", tags=["a\x1b[2Jb"], url="https://e.org/\x07")
    everything = repr(
        [source.title, source.text, source.channel, source.tags, source.url, source.speakers]
        + [e.title for e in source.outline]
    )
    assert "\\x1b" not in everything and "\\x9b" not in everything
    assert "\\u202e" not in everything
    assert source.title == "Evil title"
    assert source.segments[0].text == "red text and evil"
    assert source.segments[0].speaker == "Ann"
    assert source.text[source.segments[0].char_start : source.segments[0].char_end] == (
        source.segments[0].text
    )


def test_seconds_at_offset_interpolates_and_clamps() -> None:
    first = Segment(0, "abcdefghij", start=10.0, end=20.0, char_start=0, char_end=10)
    open_ended = Segment(1, "klmnopqrst", start=30.0, char_start=12, char_end=22)
    untimed = Segment(2, "uvwxyz", char_start=24, char_end=30)
    last = Segment(3, "0123456789", start=50.0, char_start=32, char_end=42)
    source = Source(id="s", title="s", format="text", segments=[first, open_ended, untimed, last])
    assert source.seconds_at_offset(0) == 10.0
    assert source.seconds_at_offset(5) == 15.0
    assert source.seconds_at_offset(10) == 20.0  # the end of the first segment
    assert source.seconds_at_offset(11) == 30.0  # between segments: the next one's start
    # No end: it lasts until the next timed segment begins (the untimed one is skipped).
    assert source.seconds_at_offset(17) == 40.0
    assert source.seconds_at_offset(26) is None
    assert source.seconds_at_offset(37) == 50.0  # nothing follows: its own start
    assert source.seconds_at_offset(999) == 50.0
    assert Source(id="e", title="e", format="text").seconds_at_offset(3) is None
