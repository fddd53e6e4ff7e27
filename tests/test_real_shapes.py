"""Every shape real transcripts and notes come in, read as a reader of the file expects.

`tests/data/shapes/` holds one fixture per shape (written for the project) and `EXPECTED.json`
what `readmark show --json` must give for each: speakers, the times the file gives (marks),
the time a citation of given words starts at, the outline, metadata. Its `conventions` list
explains each key.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from readmark.annotations.workspace import Workspace
from readmark.library.errors import SourceError
from readmark.library.loading import load_path
from readmark.tui.cli.show import source_json

SHAPES = Path(__file__).parent / "data" / "shapes"
EXPECTED: list[dict[str, Any]] = json.loads((SHAPES / "EXPECTED.json").read_text("utf-8"))[
    "fixtures"
]
TOLERANCE = 1e-3
METADATA = (
    "title",
    "date",
    "url",
    "channel",
    "duration",
    "authors",
    "tags",
    "speakers",
    "first_time",
    "last_time",
)


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= TOLERANCE
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _shown(name: str) -> dict[str, Any]:
    """What `readmark show --json` prints for a fixture."""
    source = load_path(SHAPES / name, name)
    assert source.error is None, source.error
    return source_json(source)


def _marks(segment: dict[str, Any]) -> list[tuple[int, float]]:
    return [(m["offset"], m["time"]) for m in segment["marks"]]


def _cite(segments: list[dict[str, Any]], index: int, offset: int) -> float | None:
    """The time a citation of the words at `offset` of segment `index` starts at, by the marks
    alone: the last one at or before them, in their segment or an earlier one."""
    for i in range(index, -1, -1):
        before = [t for o, t in _marks(segments[i]) if i < index or o <= offset]
        if before:
            return before[-1]
    return None


def _by_file(key: str) -> list[Any]:
    return [pytest.param(e, id=e["file"]) for e in EXPECTED if key in e]


SOURCES = [pytest.param(e, id=e["file"]) for e in EXPECTED if "error_mentions" not in e]
"""Fixtures that are sources (one is a JSON file that is not a transcript)."""


@pytest.mark.parametrize("expected", SOURCES)
def test_metadata_and_speakers(expected: dict[str, Any]) -> None:
    shown = _shown(expected["file"])
    for key in METADATA:
        if key in expected:
            assert _same(shown[key], expected[key]), (key, shown[key])
    said = {s["speaker"] for s in shown["segments"]}
    for name in expected.get("not_speakers", []):
        assert name not in shown["speakers"] and name not in said


@pytest.mark.parametrize("expected", _by_file("marks"))
def test_every_time_the_file_gives_is_a_mark(expected: dict[str, Any]) -> None:
    segments = _shown(expected["file"])["segments"]
    optional = expected.get("marks_optional", [])
    given = [
        time
        for segment in segments
        for _, time in _marks(segment)
        if not any(_same(time, o) for o in optional)
    ]
    assert _same(given, expected["marks"]), given
    for segment in segments:
        offsets = [offset for offset, _ in _marks(segment)]
        assert offsets == sorted(set(offsets))
        assert all(0 <= offset < len(segment["text"]) for offset in offsets)


@pytest.mark.parametrize("expected", _by_file("quotes"))
def test_quotes_have_their_speaker_and_the_time_of_their_line(expected: dict[str, Any]) -> None:
    segments = _shown(expected["file"])["segments"]
    for quote in expected["quotes"]:
        words = quote["text"]
        holding = [(i, s["text"].find(words)) for i, s in enumerate(segments) if words in s["text"]]
        assert sum(s["text"].count(words) for s in segments) == 1, words
        index, offset = holding[0]
        assert segments[index]["speaker"] == quote["speaker"], words
        assert _same(_cite(segments, index, offset), quote["time"]), words


@pytest.mark.parametrize("expected", _by_file("segments"))
def test_segments_begin_with_their_own_time_or_cite_the_turns(expected: dict[str, Any]) -> None:
    segments = _shown(expected["file"])["segments"]
    for wanted in expected["segments"]:
        begins = wanted["text_startswith"]
        found = [i for i, s in enumerate(segments) if s["text"].startswith(begins)]
        assert found, wanted["text_startswith"]
        segment = segments[found[0]]
        for key in ("speaker", "role"):
            if key in wanted:
                assert segment[key] == wanted[key], (wanted["text_startswith"], key)
        if "marks" in wanted:
            at, marks = 0, []
            for prefix, time in wanted["marks"]:
                at = segment["text"].find(prefix, at)
                marks.append((at, time))
            assert _same([list(m) for m in _marks(segment)], [list(m) for m in marks])
        if "cite" in wanted:
            assert _same(_cite(segments, found[0], 0), wanted["cite"])


@pytest.mark.parametrize(
    "expected",
    [pytest.param(e, id=e["file"]) for e in EXPECTED if any(k.startswith("outline") for k in e)],
)
def test_outline(expected: dict[str, Any]) -> None:
    shown = _shown(expected["file"])
    outline = [(o["title"], o["start"]) for o in shown["outline"]]
    contains = expected.get("outline_match") == "contains"

    def matches(title: str, actual: str) -> bool:
        return title in actual if contains else title == actual

    if "outline" in expected:
        assert _same([list(o) for o in outline], expected["outline"])
    at = 0
    for title, start in expected.get("outline_includes", []):
        while at < len(outline) and not (
            matches(title, outline[at][0]) and _same(outline[at][1], start)
        ):
            at += 1
        assert at < len(outline), (title, start, outline)
        at += 1
    for title in expected.get("outline_once", []):
        assert sum(matches(title, o[0]) for o in outline) == 1, title
    for word in expected.get("outline_excludes", []):
        assert not any(word in o[0] for o in outline), word


@pytest.mark.parametrize("expected", _by_file("chapters_at"))
def test_a_chapter_starting_inside_a_paragraph_splits_it(expected: dict[str, Any]) -> None:
    shown = _shown(expected["file"])
    segments = shown["segments"]
    for chapter in expected["chapters_at"]:
        begins = [i for i, s in enumerate(segments) if s["text"].startswith(chapter["at"])]
        assert begins, chapter["at"]
        assert _marks(segments[begins[0]])[0] == (0, chapter["start"])
        entry = next(o for o in shown["outline"] if o["title"] == chapter["title"])
        assert (entry["start"], entry["segment"]) == (chapter["start"], begins[0])


@pytest.mark.parametrize("expected", SOURCES)
def test_no_label_time_or_escape_stays_in_the_text(expected: dict[str, Any]) -> None:
    shown = _shown(expected["file"])
    segments = shown["segments"]
    for written in expected.get("text_excludes", []):
        assert not any(written in s["text"] for s in segments), written
    for text in expected.get("not_headings", []):
        assert not any(s["role"] == "heading" and s["text"].strip() == text for s in segments)
    for word in expected.get("warnings_exclude", []):
        assert not any(word in w for w in shown["warnings"]), word


@pytest.mark.parametrize("expected", _by_file("annotate"))
def test_a_quote_found_twice_is_annotated_where_the_speaker_says_it(
    expected: dict[str, Any], tmp_path: Path
) -> None:
    shutil.copy(SHAPES / expected["file"], tmp_path / expected["file"])
    with Workspace(tmp_path) as workspace:
        for wanted in expected["annotate"]:
            source, start, end = workspace.find_quote(expected["file"], wanted["quote"])
            made = workspace.annotate(expected["file"], wanted["quote"])
            assert (made.speaker, made.start) == (wanted["speaker"], wanted["time"])
            assert made.anchor.position.start == start
            assert source.time_given_at(start) == wanted["time"]
            workspace.delete(made.id)


@pytest.mark.parametrize("expected", _by_file("error_mentions"))
def test_an_unknown_json_names_the_keys_it_needs(expected: dict[str, Any]) -> None:
    with pytest.raises(SourceError) as refused:
        load_path(SHAPES / expected["file"], expected["file"])
    for key in expected["error_mentions"]:
        assert key in str(refused.value)
