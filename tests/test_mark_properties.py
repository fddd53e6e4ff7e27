"""Properties of the times the file gives (marks), for transcripts made up in every shape.

Whatever the shape and however lines are joined: each timed line's time survives as a mark at
its first word, marks stand inside their segment's text in order, the times run forward on the
media timeline when the file's do, a citation of a line's words starts at that line's time, and
a chapter listed at a line's time begins at that line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readmark.library.loading import split_long_segments
from readmark.library.model import Source
from readmark.library.readers import markdown, plaintext, srt, vtt, whisper_json
from readmark.library.timecode import format_timecode

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = (
    "the river bends slowly around old stones and carries silt down to a wide flat delta".split()
)
SPEAKERS = ("Ana Ruiz", "Bo Lindqvist", "Chidi Obi")
SHAPES = (
    "markdown-links",
    "markdown-bare",
    "bracket-names",
    "bold-names",
    "plain-text",
    "vtt",
    "srt",
    "json",
)


@dataclass(frozen=True)
class Line:
    time: float
    words: str
    """Unique in the file: it begins with a word made for this line."""
    speaker: str


@st.composite
def transcripts(draw: st.DrawFn) -> tuple[str, list[Line]]:
    count = draw(st.integers(3, 30))
    gaps = draw(st.lists(st.integers(0, 9), min_size=count, max_size=count))
    lines: list[Line] = []
    at = draw(st.integers(0, 120))
    speaker = 0
    for n, gap in enumerate(gaps):
        at += gap
        size = draw(st.integers(1, 9))
        words = [f"line{n}word"] + [draw(st.sampled_from(WORDS)) for _ in range(size)]
        if draw(st.booleans()):
            words[-1] += draw(st.sampled_from(".?!"))  # some lines end sentences, most do not
        if draw(st.integers(0, 4)) == 0:
            speaker = (speaker + 1) % len(SPEAKERS)
        lines.append(Line(float(at), " ".join(words), SPEAKERS[speaker]))
    return draw(st.sampled_from(SHAPES)), lines


def _noisy(words: str, draw_spaces: bool) -> str:
    """Markup and spacing a reader must look through without losing where words begin."""
    first, _, rest = words.partition(" ")
    rest = rest.replace(" ", "  ", 1) if draw_spaces else rest
    return f"{first} *{rest}*" if rest else first


def _written(shape: str, lines: list[Line], noisy: bool) -> Source:
    if shape == "vtt":
        cues = [
            f"{_clock(n.time)}.000 --> {_clock(n.time + 0.5)}.000\n{n.speaker}: {n.words}\n"
            for n in lines
        ]
        return vtt.read("WEBVTT\n\n" + "\n".join(cues), "t.vtt", "t")
    if shape == "srt":
        cues = [
            f"{k + 1}\n{_clock(n.time)},000 --> {_clock(n.time + 0.5)},000\n{n.words}\n"
            for k, n in enumerate(lines)
        ]
        return srt.read("\n".join(cues), "t.srt", "t")
    if shape == "json":
        segments = [
            {"start": n.time, "end": n.time + 0.5, "text": n.words, "speaker": n.speaker}
            for n in lines
        ]
        return whisper_json.read(json.dumps({"segments": segments}), "t.json", "t")
    rows = []
    for n in lines:
        stamp, said = format_timecode(n.time), _noisy(n.words, noisy) if noisy else n.words
        rows.append(
            {
                "markdown-links": f"[{stamp}](https://youtu.be/abc?t={int(n.time)}) {said}",
                "markdown-bare": f"{stamp} {said}",
                "bracket-names": f"[{n.speaker}] [{stamp}] {said}",
                "bold-names": f"**{n.speaker}:** [{stamp}](https://youtu.be/abc) {said}",
                "plain-text": f"{stamp}\n{n.words}",
            }[shape]
        )
    if shape == "plain-text":
        return plaintext.read("\n".join(rows) + "\n", "t.txt", "t")
    return markdown.read("## Transcript\n\n" + "\n".join(rows) + "\n", "t.md", "t")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _marks(source: Source) -> list[tuple[int, float]]:
    return [(s.char_start + m.offset, m.time) for s in source.segments for m in s.marks]


def check_marks(source: Source) -> None:
    """Marks stand inside their segment's text, in order, and agree with the segment's start."""
    for segment in source.segments:
        offsets = [m.offset for m in segment.marks]
        assert offsets == sorted(set(offsets)), "marks out of order"
        assert all(0 <= o < len(segment.text) for o in offsets), "a mark outside its text"
        if segment.given_start:
            assert segment.start == segment.marks[0].time
        if segment.marks and segment.start is not None:
            assert segment.start <= segment.marks[0].time
    given = source.given_times
    assert list(given.offsets) == [o for o, _ in _marks(source)]


@PROPERTIES
@given(transcripts(), st.booleans())
def test_each_lines_time_survives_joining_as_a_mark_at_its_first_word(
    written: tuple[str, list[Line]], noisy: bool
) -> None:
    shape, lines = written
    source = _written(shape, lines, noisy)
    check_marks(source)
    marks = _marks(source)
    assert [t for _, t in marks] == [n.time for n in lines]
    times = [t for _, t in marks]
    assert times == sorted(times), "the timeline runs backwards"
    for (offset, time), line in zip(marks, lines, strict=True):
        first_word = line.words.split()[0]
        assert source.text.startswith(first_word, offset)
        assert source.time_given_at(offset) == time
        end = source.text.find(line.words.split()[-1].strip("*.?!"), offset)
        assert source.time_given_at(max(end, offset)) == time  # its last word, the same line


@PROPERTIES
@given(transcripts(), st.integers(40, 160))
def test_splitting_long_paragraphs_keeps_every_mark_at_its_word(
    written: tuple[str, list[Line]], limit: int
) -> None:
    shape, lines = written
    source = _written(shape, lines, noisy=False)
    split = split_long_segments(source, limit)
    check_marks(split)
    before = [(source.text[o:].split()[0], t) for o, t in _marks(source)]
    after = [(split.text[o:].split()[0], t) for o, t in _marks(split)]
    assert after == before


@PROPERTIES
@given(transcripts(), st.data())
def test_a_listed_chapter_begins_at_the_line_the_file_times_then(
    written: tuple[str, list[Line]], data: st.DataObject
) -> None:
    _, lines = written
    distinct = sorted({n.time for n in lines})
    chosen = sorted(data.draw(st.sets(st.sampled_from(distinct), min_size=1, max_size=4)))
    listed = "\n".join(f"{format_timecode(t)} Part {k}" for k, t in enumerate(chosen))
    rows = "\n".join(
        f"[{format_timecode(n.time)}](https://youtu.be/abc?t={int(n.time)}) {n.words}"
        for n in lines
    )
    source = markdown.read(f"Chapters:\n{listed}\n\n## Transcript\n\n{rows}\n", "c.md", "c")
    check_marks(source)
    assert [t for _, t in _marks(source)] == [n.time for n in lines]  # the list is no mark
    entries = [e for e in source.outline if e.title.startswith("Part")]
    assert [e.start for e in entries] == chosen
    for entry in entries:
        segment = source.segments[entry.segment_index]
        assert segment.marks[0].offset == 0 and segment.marks[0].time == entry.start
