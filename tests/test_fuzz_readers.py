"""Property-based fuzzing of every format reader, the loader and the timecode parser.

Each property is a plain `prop_*` function, run here with a moderate number of examples and by
`scripts/fuzz_campaign.py` with many more. Strategies come in two kinds: arbitrary text or
bytes, and near-valid files (subtitles, front matter, timestamp lines, Whisper JSON) built from
pieces, so the fuzzer reaches deep into the parsers instead of stopping at the first line.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readmark.library.errors import SourceError
from readmark.library.loading import load_path, split_long_segments
from readmark.library.model import Role, Segment, Source
from readmark.library.readers import markdown, plaintext, srt, vtt, whisper_json
from readmark.library.readers.base import Reader
from readmark.library.sentences import index_sentences
from readmark.library.timecode import (
    TimecodeError,
    format_timecode,
    parse_timecode,
    time_from_url,
    url_at_time,
)

EXAMPLES = int(os.environ.get("READMARK_FUZZ_EXAMPLES", "100"))
"""Examples per property; the campaign script raises it."""
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SORTED_FORMATS = frozenset({"srt", "vtt", "whisper-json"})
"""Formats that promise timed segments in order of their start."""

# What a terminal acts on or hides, and what the builder must have taken out.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# --- invariants -------------------------------------------------------------------------------


def _clean(value: str) -> bool:
    return _UNSAFE.search(value) is None


def _time_ok(value: float | None) -> bool:
    return value is None or (math.isfinite(value) and value >= 0)


def check_segments(source: Source) -> None:
    """Offsets, order and text of the segments agree with `source.text`."""
    text = source.text
    previous_end = -2
    for i, segment in enumerate(source.segments):
        assert segment.index == i
        assert segment.text, f"segment {i} is empty"
        assert segment.text == " ".join(segment.text.split()), f"segment {i} not normalised"
        assert _clean(segment.text), f"segment {i} holds a control character"
        assert 0 <= segment.char_start <= segment.char_end <= len(text)
        assert text[segment.char_start : segment.char_end] == segment.text
        assert segment.char_start == previous_end + 2, f"segment {i} overlaps or leaves a gap"
        previous_end = segment.char_end
        assert _time_ok(segment.start) and _time_ok(segment.end), f"segment {i} time"
        if segment.start is not None and segment.end is not None:
            assert segment.end >= segment.start, f"segment {i} ends before it starts"
        assert segment.speaker is None or (segment.speaker and _clean(segment.speaker))
    assert text == "\n\n".join(s.text for s in source.segments)


def check_sorted(segments: list[Segment]) -> None:
    starts = [s.start for s in segments if s.start is not None]
    assert starts == sorted(starts), "timed segments are out of order"


def check_outline(source: Source) -> None:
    for entry in source.outline:
        assert 0 <= entry.segment_index < len(source.segments), "outline points nowhere"
        assert entry.title and _clean(entry.title)
        assert _time_ok(entry.start)


def check_metadata(source: Source) -> None:
    for value in (source.title, source.channel, source.url, source.date):
        assert value is None or _clean(value), f"metadata {value!r} holds a control character"
    for value in (*source.authors, *source.speakers, *source.tags):
        assert value and _clean(value)
    assert source.title
    assert _time_ok(source.duration)


def check_sentences(source: Source) -> None:
    """Sentences stay inside their segment, in order, and leave out no word of it."""
    index = index_sentences(source)
    assert len(index.first_of_segment) == len(source.segments)
    previous_end = 0
    covered = [False] * len(source.text)
    for sentence in index:
        segment = source.segments[sentence.segment_index]
        assert segment.char_start <= sentence.start < sentence.end <= segment.char_end
        assert sentence.start >= previous_end
        previous_end = sentence.end
        covered[sentence.start : sentence.end] = [True] * (sentence.end - sentence.start)
    for segment in source.segments:
        for offset in range(segment.char_start, segment.char_end):
            assert covered[offset] or source.text[offset] == " ", "a word is in no sentence"


def check_source(source: Source, *, sorted_times: bool) -> None:
    """Every invariant a parsed source keeps."""
    assert isinstance(source, Source)
    check_segments(source)
    if sorted_times:
        check_sorted(source.segments)
    check_outline(source)
    check_metadata(source)
    check_sentences(source)
    if source.error is not None:
        assert not source.segments


def read_checked(reader: Reader, text: str, stem: str = "fuzzed") -> Source | None:
    """Read `text`; None when the reader refused it with `SourceError` (allowed)."""
    try:
        source = reader.read(text, f"{stem}.{reader.FORMAT}", stem)
    except SourceError as error:
        assert str(error), "a SourceError without a message"
        return None
    check_source(source, sorted_times=reader.FORMAT in SORTED_FORMATS)
    return source


# --- strategies -------------------------------------------------------------------------------

_NASTY = st.sampled_from(
    [
        "\x1b[31m",
        "\x1b]0;title\x07",
        "\x1b]52;c;aGk=\x1b\\",
        "\x1bP1$r\x1b\\",
        "\x9b2J",
        "\u202e",
        "\u2066",
        "\x00",
        "\r",
        "\ufeff",
        "\u200b",
        "\x0c",
        "\u2028",
        "[bold]",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "<i>",
        "</b>",
        "{\\an8}",
        "<v Ana>",
        "<|en|>",
    ]
)
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
) | st.sampled_from(["the", "Dr.", "etc.", "WHY?", "…", "“so”", "a.", "e.g.", "-", ">>", "—"])
phrases = st.lists(words | _NASTY, max_size=10).map(" ".join)
digits = st.integers(0, 99).map(str) | st.integers(0, 10**6).map(str) | st.just("9" * 400)


@st.composite
def clocks(draw: st.DrawFn) -> str:
    """Clock times, mostly valid: `4:04`, `01:02:03,500`, sometimes out of range or odd."""
    hours = draw(st.none() | st.integers(0, 999))
    minutes = draw(st.integers(0, 99))
    seconds = draw(st.integers(0, 99))
    fraction = draw(st.none() | st.integers(0, 999).map(str) | st.sampled_from(["", "5", "0500"]))
    width = draw(st.sampled_from([1, 2]))
    text = f"{minutes:0{width}d}:{seconds:02d}"
    if hours is not None:
        text = f"{hours:0{width}d}:{text}"
    if fraction is not None:
        text += draw(st.sampled_from([",", "."])) + fraction
    return text


timecodes = st.one_of(
    clocks(),
    st.builds(
        lambda c, a, b: f"{a}{c}{b}", clocks(), st.sampled_from("[( "), st.sampled_from("]) ")
    ),
    st.builds(lambda n, u: f"{n}{u}", digits, st.sampled_from(["", "s", "m", "h", "S", "ms"])),
    st.builds(lambda h, m, s: f"{h}h{m}m{s}s", digits, digits, digits),
    st.builds(lambda h, m: f"{h}h{m}", digits, digits),
    st.from_regex(r"[\d:.,hms\[\]() -]{0,14}", fullmatch=True),
)


def _lines_to_file(lines: list[str], crlf: bool, bom: bool) -> str:
    text = ("\r\n" if crlf else "\n").join(lines)
    return ("\ufeff" if bom else "") + text


@st.composite
def timing_lines(draw: st.DrawFn) -> str:
    arrow = draw(st.sampled_from(["-->", "-->", "-->", "->", "--", "—>", " --> "]))
    settings_ = draw(st.sampled_from(["", " align:start position:10%", " line:0", "\t"]))
    return f"{draw(clocks())} {arrow} {draw(clocks())}{settings_}"


cue_text_lines = st.one_of(
    phrases,
    st.builds(lambda n, t: f"{n}: {t}", st.sampled_from(["ANA", "Ben Ode", "Note", "x"]), phrases),
    st.builds(lambda t: f"- {t}", phrases),
    st.builds(lambda v, t: f"<v {v}>{t}</v>", st.sampled_from(["Ana", "", "Ben  Ode"]), phrases),
    st.builds(lambda t: f"<00:00:01.000><c> {t}</c>", phrases),
    st.builds(lambda t: f"<ruby>{t}<rt>reading</rt></ruby>", phrases),
    st.sampled_from(["", " ", "1", "NOTE a note", "STYLE", "::cue { color: red }", "WEBVTT"]),
    timing_lines(),
)


@st.composite
def srt_files(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for number in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            lines.append(str(number + 1))
        lines.append(draw(timing_lines()))
        lines.extend(draw(st.lists(cue_text_lines, max_size=3)))
        if draw(st.integers(0, 4)):
            lines.append("")
    return _lines_to_file(lines, draw(st.booleans()), draw(st.booleans()))


@st.composite
def vtt_files(draw: st.DrawFn) -> str:
    lines = [draw(st.sampled_from(["WEBVTT", "WEBVTT - title", "WEBVTT\tx", "", "NOTE"])), ""]
    for _ in range(draw(st.integers(0, 8))):
        block = draw(st.sampled_from(["cue", "cue", "cue", "note", "style", "region"]))
        if block == "note":
            lines += ["NOTE", draw(phrases), ""]
        elif block == "style":
            lines += ["STYLE", "::cue { color: lime }", ""]
        elif block == "region":
            lines += ["REGION", "id:fred width:40%", ""]
        else:
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["1", "intro", " ", "a --> b"])))
            lines.append(draw(timing_lines()))
            lines.extend(draw(st.lists(cue_text_lines, max_size=3)))
            if draw(st.integers(0, 4)):
                lines.append("")
    return _lines_to_file(lines, draw(st.booleans()), draw(st.booleans()))


@st.composite
def rolling_vtt_files(draw: st.DrawFn) -> str:
    """YouTube-style auto captions: each cue repeats the last line of the one before."""
    texts = draw(st.lists(phrases, min_size=2, max_size=8))
    lines = ["WEBVTT", "Kind: captions", ""]
    start = 0
    for before, after in zip(texts, texts[1:], strict=False):
        step = draw(st.integers(0, 5000))
        lines += [
            f"00:00:{start // 1000 % 60:02d}.{start % 1000:03d} --> "
            f"00:00:{(start + step) // 1000 % 60:02d}.{(start + step) % 1000:03d} align:start",
            before,
            f"{after}<00:00:01.000><c> x</c>",
            "",
        ]
        start += step
    return "\n".join(lines)


_YAML_KEYS = [
    "title",
    "author",
    "authors",
    "channel",
    "uploader",
    "url",
    "source",
    "date",
    "upload_date",
    "published",
    "duration",
    "length",
    "tags",
    "keywords",
    "speakers",
    "chapters",
    "chapters_json",
    "Title",
    "1",
]
yaml_scalars = st.one_of(
    phrases.map(json.dumps),
    timecodes,
    digits,
    st.sampled_from(["", "~", "null", "-1", ".nan", ".inf", "-.inf", "true", "2024-02-30"]),
    st.sampled_from(["2026-03-14", "20240131", "1e400", "[", "{a: 1}", "*x", "&x a", "!!binary x"]),
)


@st.composite
def yaml_values(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return f" {draw(yaml_scalars)}"
    if kind == 1:
        items = draw(st.lists(yaml_scalars, max_size=4))
        return " [" + ", ".join(items) + "]"
    if kind == 2:
        chapters = draw(st.lists(st.tuples(timecodes, phrases), max_size=4))
        return "".join(f"\n  - start: {t}\n    title: {json.dumps(p)}" for t, p in chapters)
    chapters = draw(st.lists(st.tuples(timecodes, phrases), max_size=4))
    return "".join(f"\n  - {json.dumps(t + ' ' + p)}" for t, p in chapters)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 5)) == 0:
        return "---\n" + draw(st.text(max_size=60)) + "\n---\n"
    pairs = draw(st.lists(st.tuples(st.sampled_from(_YAML_KEYS), yaml_values()), max_size=6))
    close = draw(st.sampled_from(["---", "---", "...", "--- ", ""]))
    return "---\n" + "".join(f"{k}:{v}\n" for k, v in pairs) + close + "\n"


_URL = "https://www.youtube.com/watch?v=abc&t="
body_lines = st.one_of(
    phrases,
    st.builds(lambda t, p: f"[{t}]({_URL}{t}) {p}", timecodes, phrases),
    st.builds(lambda t, p: f"- [{t}]({_URL}{t}) {p}", timecodes, phrases),
    st.builds(lambda t, p: f"- [{t}] {p}", timecodes, phrases),
    st.builds(lambda t, p: f"{t} {p}", timecodes, phrases),
    st.builds(lambda n, t: f"**{n}** [{t}]", st.sampled_from(["Ana", "Ben Ode", ""]), timecodes),
    st.builds(lambda n, p: f"{n}: {p}", st.sampled_from(["Ana", "Ben Ode", "Q"]), phrases),
    st.builds(lambda h, p: f"{h} {p}", st.sampled_from(["#", "##", "######", "#######"]), phrases),
    st.builds(lambda p: f"> {p}", phrases),
    st.builds(lambda n, p: f"{n}. {p}", st.integers(0, 20), phrases),
    st.builds(lambda p: f"§ {p}", phrases),
    st.sampled_from(["", "", "```", "~~~", "<div>", "</div>", "<!-- x", "-->", "---", "***"]),
    st.sampled_from(["![alt](img.png)", "| a | b |", "|---|---|", "    code", "* * *", "\t"]),
    st.sampled_from(["2026-03-14 · The Weekly · #heat #cities", "Key points", "Transcript"]),
    timecodes,
)


@st.composite
def markdown_files(draw: st.DrawFn) -> str:
    head = draw(front_matter()) if draw(st.booleans()) else ""
    body = draw(st.lists(body_lines, max_size=25))
    return _lines_to_file([head + (body[0] if body else ""), *body[1:]], False, draw(st.booleans()))


_TIME_OR_RULE = re.compile(r"\d:\d|^\s*(?:---|===|\*\*\*|\* \* \*)")


@st.composite
def ordered_transcripts(draw: st.DrawFn) -> str:
    """A Markdown transcript whose timestamps are written in order, with other lines between."""
    times = sorted(draw(st.lists(st.integers(0, 20_000), min_size=2, max_size=20)))
    lines: list[str] = []
    for seconds in times:
        clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        shape = draw(st.integers(0, 3))
        text = f"{draw(st.sampled_from(['So', 'Well', 'Right']))} we said {draw(phrases)} today."
        if shape == 0:
            lines.append(f"[{clock}]({_URL}{seconds}s) {text}")
        elif shape == 1:
            lines.append(f"- [{clock}] {text}")
        elif shape == 2:
            lines += [f"**{draw(st.sampled_from(['Ana', 'Ben']))}** [{clock}]", text]
        else:
            lines.append(f"{clock} {text}")
        if draw(st.booleans()):
            # No times (they would join the timeline) and no `---` (it makes the line a heading).
            lines.append(draw(body_lines.filter(lambda line: not _TIME_OR_RULE.search(line))))
        lines.append("")
    return "\n".join(lines)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    phrases,
    timecodes,
)
json_any = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
times_json = st.one_of(st.floats(-5, 10_000), st.integers(-5, 10**13), timecodes, json_leaf)
whisper_words = st.fixed_dictionaries(
    {},
    optional={
        "word": phrases,
        "text": phrases,
        "start": times_json,
        "end": times_json,
        "speaker": st.sampled_from(["SPEAKER_00", "SPEAKER_01", " ", ""]) | json_leaf,
    },
)
whisper_segments = st.fixed_dictionaries(
    {},
    optional={
        "start": times_json,
        "end": times_json,
        "text": phrases | json_leaf,
        "speaker": st.sampled_from(["SPEAKER_00", "SPEAKER_01", "Ana:", " "]) | json_leaf,
        "words": st.lists(whisper_words, max_size=4) | json_leaf,
        "timestamp": st.lists(times_json, max_size=3) | json_leaf,
    },
)
whisper_meta = st.fixed_dictionaries(
    {},
    optional={
        "title": phrases | json_leaf,
        "url": phrases | json_leaf,
        "upload_date": st.sampled_from(["20240131", "2024-01-31", "x"]) | json_leaf,
        "tags": st.lists(phrases | json_leaf, max_size=3) | json_leaf,
        "authors": phrases | json_leaf,
        "duration": times_json,
        "text": phrases | json_leaf,
        "language": st.just("en"),
    },
)


@st.composite
def whisper_files(draw: st.DrawFn) -> str:
    segments = draw(st.lists(whisper_segments | json_any, max_size=8))
    shape = draw(st.integers(0, 4))
    if shape == 0:
        data: Any = segments
    elif shape == 1:
        data = {**draw(whisper_meta), "segments": segments}
    elif shape == 2:
        data = {"text": draw(phrases), "chunks": segments}
    elif shape == 3:
        data = {"metadata": draw(whisper_meta), "segments": draw(json_any)}
    else:
        data = draw(whisper_meta)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut]
    return text


any_text = st.text(max_size=400)


# --- properties -------------------------------------------------------------------------------


def prop_reader(reader_name: str, text: str) -> None:
    """A reader accepts any text (or refuses it with SourceError), and keeps the invariants."""
    read_checked(READERS[reader_name], text)


def prop_markdown_in_file_order(text: str) -> None:
    """Timestamps written in order stay in order on the timeline."""
    source = read_checked(markdown, text)
    assert source is not None
    check_sorted(source.segments)
    assert source.timed_segments, "a transcript of timed lines lost its times"


def prop_split_long_segments(text: str, limit: int) -> None:
    """Cutting long segments keeps every invariant, and times in order for subtitles."""
    source = read_checked(srt, text)
    assert source is not None
    split = split_long_segments(source, limit)
    check_source(split, sorted_times=True)
    assert "".join(split.text.split()) == "".join(source.text.split()), "text was lost"


_NAMES = ["talk.md", "talk.txt", "talk.srt", "talk.vtt", "talk.json", "talk", "TALK.SRT"]
_PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"---\n",
    b"WEBVTT\n\n",
    b"1\n00:00:01,000 --> 00:00:02,000\n",
    b'{"segments": [',
]
file_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda p, b: p + b, st.sampled_from(_PREFIXES), st.binary(max_size=300)),
    st.builds(
        lambda text, encoding: text.encode(encoding, errors="replace"),
        srt_files() | vtt_files() | markdown_files() | whisper_files(),
        st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "utf-8-sig"]),
    ),
    st.builds(lambda n, b: b"x" * n + b, st.integers(0, 20_000), st.binary(max_size=40)),
)


def prop_load_path(name: str, data: bytes) -> None:
    """Any bytes under any name load as a checked Source or are refused with SourceError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            source = load_path(path, name)
        except SourceError as error:
            assert str(error)
            return
    assert source.error is None or "bug in readmark" not in source.error, source.error
    check_source(source, sorted_times=source.format in SORTED_FORMATS)


def prop_parse_timecode(text: str) -> None:
    """Any text is a finite, non-negative time or a TimecodeError."""
    try:
        seconds = parse_timecode(text)
    except TimecodeError as error:
        assert str(error)
        return
    assert math.isfinite(seconds) and seconds >= 0
    assert format_timecode(seconds)


def prop_time_from_url(url: str) -> None:
    seconds = time_from_url(url)
    assert seconds is None or (math.isfinite(seconds) and seconds >= 0)


def prop_url_at_time(url: str, seconds: float) -> None:
    """Any URL and time give a URL whose time reads back as the whole seconds, or the URL."""
    linked = url_at_time(url, seconds)
    assert isinstance(linked, str)
    if linked != url and math.isfinite(seconds):
        assert time_from_url(linked) == max(int(seconds), 0)


READERS: dict[str, Reader] = {
    "markdown": markdown,
    "text": plaintext,
    "srt": srt,
    "vtt": vtt,
    "whisper-json": whisper_json,
}

urls = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda host, query, fragment: f"https://{host}/watch?{query}#{fragment}",
        st.sampled_from(["www.youtube.com", "youtu.be", "vimeo.com", "example.org", "[::1", ""]),
        st.lists(
            st.tuples(st.sampled_from(["v", "t", "start", "time_continue", "x"]), timecodes),
            max_size=3,
        ).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
        st.sampled_from(["", "t=10", "t=10,20", "t=1:02", "x"]),
    ),
)

TARGETS: dict[str, tuple[Callable[..., None], st.SearchStrategy[tuple[Any, ...]]]] = {
    "markdown-any": (lambda t: prop_reader("markdown", t), st.tuples(any_text)),
    "markdown-shaped": (lambda t: prop_reader("markdown", t), st.tuples(markdown_files())),
    "markdown-ordered": (prop_markdown_in_file_order, st.tuples(ordered_transcripts())),
    "text-any": (lambda t: prop_reader("text", t), st.tuples(any_text)),
    "text-shaped": (lambda t: prop_reader("text", t), st.tuples(markdown_files())),
    "srt-any": (lambda t: prop_reader("srt", t), st.tuples(any_text)),
    "srt-shaped": (lambda t: prop_reader("srt", t), st.tuples(srt_files() | vtt_files())),
    "vtt-any": (lambda t: prop_reader("vtt", t), st.tuples(any_text)),
    "vtt-shaped": (lambda t: prop_reader("vtt", t), st.tuples(vtt_files() | srt_files())),
    "vtt-rolling": (lambda t: prop_reader("vtt", t), st.tuples(rolling_vtt_files())),
    "whisper-any": (lambda t: prop_reader("whisper-json", t), st.tuples(any_text)),
    "whisper-shaped": (lambda t: prop_reader("whisper-json", t), st.tuples(whisper_files())),
    "split-long": (prop_split_long_segments, st.tuples(srt_files(), st.integers(1, 40))),
    "load-path": (prop_load_path, st.tuples(st.sampled_from(_NAMES), file_bytes)),
    "parse-timecode": (prop_parse_timecode, st.tuples(timecodes | st.text(max_size=30))),
    "time-from-url": (prop_time_from_url, st.tuples(urls)),
    "url-at-time": (prop_url_at_time, st.tuples(urls, st.floats() | st.integers(0, 10**6))),
}
"""Every fuzz target: a property and the strategy of its arguments (shared with the campaign)."""


def run_target(name: str, args: tuple[Any, ...]) -> None:
    TARGETS[name][0](*args)


def _test_for(name: str) -> Callable[[], None]:
    @FUZZ
    @given(TARGETS[name][1])
    def test(args: tuple[Any, ...]) -> None:
        run_target(name, args)

    test.__name__ = f"test_fuzz_{name.replace('-', '_')}"
    return test


for _name in TARGETS:
    globals()[f"test_fuzz_{_name.replace('-', '_')}"] = _test_for(_name)


def test_markdown_keeps_a_quote_time_off_the_timeline() -> None:
    """A sanity check that the invariants above see what a reader builds."""
    text = "[00:00:05] First.\n\n[00:00:09] Second.\n"
    source = read_checked(markdown, text)
    assert source is not None
    assert [s.start for s in source.segments] == [5.0, 9.0]
    assert [s.role for s in source.segments] == [Role.PARAGRAPH, Role.PARAGRAPH]
