import pytest
from hypothesis import given
from hypothesis import strategies as st
from readmark.library.timecode import (
    TimecodeError,
    format_compact,
    format_timecode,
    parse_timecode,
    time_from_url,
    try_parse_timecode,
    url_at_time,
    url_without_time,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("4:04", 244),
        ("04:04", 244),
        ("1:02:03", 3723),
        ("00:00:05,500", 5.5),
        ("00:00:05.500", 5.5),
        ("[12:34]", 754),
        ("(12:34)", 754),
        ("244s", 244),
        ("244", 244),
        ("1h2m3s", 3723),
        ("1h2m3", 3723),
        ("2m", 120),
        ("1m30s", 90),
        (" 0:00 ", 0),
    ],
)
def test_parses_the_ways_files_write_a_moment(text: str, seconds: float) -> None:
    assert parse_timecode(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "4:61", "1:60:00", "-5", "4::04", "[]", "12:3"])
def test_rejects_what_is_not_a_time(text: str) -> None:
    with pytest.raises(TimecodeError):
        parse_timecode(text)
    assert try_parse_timecode(text) is None


def test_formats_minutes_and_hours() -> None:
    assert format_timecode(244) == "4:04"
    assert format_timecode(3723) == "1:02:03"
    assert format_timecode(59.9) == "0:59"
    assert format_timecode(244, hours=True) == "0:04:04"
    assert format_compact(3723) == "1h2m3s"
    assert format_compact(0) == "0s"


@pytest.mark.parametrize(
    ("url", "seconds"),
    [
        ("https://www.youtube.com/watch?v=abc&t=244s", 244),
        ("https://youtu.be/abc?t=1h2m3", 3723),
        ("https://example.org/talk.mp4#t=244", 244),
        ("https://example.org/talk.mp4#t=10,20", 10),
        ("https://www.youtube.com/watch?v=abc&start=12", 12),
        ("https://www.youtube.com/watch?v=abc", None),
        ("not a url", None),
    ],
)
def test_reads_the_time_in_a_url(url: str, seconds: float | None) -> None:
    assert time_from_url(url) == seconds


def test_links_to_a_moment_per_site() -> None:
    assert (
        url_at_time("https://www.youtube.com/watch?v=abc&t=10s", 244)
        == "https://www.youtube.com/watch?v=abc&t=244s"
    )
    assert url_at_time("https://youtu.be/abc", 244) == "https://youtu.be/abc?t=244s"
    assert url_at_time("https://vimeo.com/12345", 61) == "https://vimeo.com/12345#t=61s"
    assert url_at_time("https://example.org/a.mp3#t=5", 7.9) == "https://example.org/a.mp3#t=7"


@given(st.integers(min_value=0, max_value=99 * 3600))
def test_format_then_parse_round_trips(seconds: int) -> None:
    assert parse_timecode(format_timecode(seconds)) == seconds
    assert parse_timecode(format_compact(seconds)) == seconds
    assert parse_timecode(format_timecode(seconds, hours=True)) == seconds


@given(st.integers(min_value=0, max_value=99 * 3600))
def test_url_round_trips(seconds: int) -> None:
    for base in ("https://www.youtube.com/watch?v=abc", "https://vimeo.com/1", "https://e.org/x"):
        assert time_from_url(url_at_time(base, seconds)) == seconds


@given(st.text(max_size=40))
def test_parse_never_raises_anything_but_its_own_error(text: str) -> None:
    try:
        value = parse_timecode(text)
    except TimecodeError:
        return
    assert value >= 0


def test_a_clock_reads_as_the_same_seconds_in_every_format() -> None:
    from readmark.library.readers import markdown, srt

    cue = srt.read("1\n00:01:32,123 --> 00:01:35,000\nThe tide turns.\n", "a.srt", "a")
    ranged = markdown.read("[01:30.000 - 01:32.123] The tide turns.\n", "b.md", "b")
    named = markdown.read("**Ana** [01:32.123]\n\nThe tide turns.\n", "c.md", "c")
    written = parse_timecode("1:32.123")
    # A range end once read as 92.12299999999999, and `show --json` printed it so.
    assert written == 92.123
    assert cue.segments[0].start == written
    assert ranged.segments[0].end == written
    assert named.segments[0].start == written


def test_url_without_time_keeps_the_rest_of_the_link() -> None:
    assert url_without_time("https://example.org/a?t=4&lang=en#t=4") == (
        "https://example.org/a?lang=en"
    )
