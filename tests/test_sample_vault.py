"""The bundled sample library: present, well-formed, and internally consistent.

These checks read the files directly (not through the format readers) so that a broken
sample is reported as a content problem, not as a parser problem.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import frontmatter
import pytest
import readmark.library

VAULT = Path(readmark.library.__file__).parent / "sample_vault"
SOURCE_SUFFIXES = {".md", ".txt", ".vtt", ".srt", ".json"}
TURN = re.compile(r"^\*\*(?P<name>[^*]+)\*\* \[(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})\]$", re.M)
# A clock time in prose: "4:40", "23:10" or "1:02:33".
PROSE_TIME = re.compile(r"(?<![\d:])(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?![\d:])")

# Front matter and body of one Markdown source.
Loaded = tuple[dict[str, Any], str]


def _only(folder: str, suffix: str) -> Path:
    found = sorted((VAULT / folder).glob(f"*{suffix}"))
    assert len(found) == 1, f"expected one {suffix} file in {folder}/, found {found}"
    return found[0]


def _turn_times(text: str) -> list[int]:
    return [int(m["h"]) * 3600 + int(m["m"]) * 60 + int(m["s"]) for m in TURN.finditer(text)]


def _load(path: Path) -> Loaded:
    post = frontmatter.load(path)
    return dict(post.metadata), post.content


@pytest.fixture(scope="module")
def interview() -> Loaded:
    return _load(_only("interviews", ".md"))


def test_vault_ships_inside_the_library_package() -> None:
    sources = [p for p in VAULT.rglob("*") if p.suffix in SOURCE_SUFFIXES]
    assert len(sources) >= 7
    kinds = {(p.parent.name, p.suffix) for p in sources}
    assert kinds >= {
        ("interviews", ".md"),
        ("articles", ".md"),
        ("articles", ".txt"),
        ("notes", ".md"),
        ("lectures", ".vtt"),
        ("clips", ".srt"),
        ("transcripts", ".json"),
    }


def test_vault_holds_nothing_but_sources() -> None:
    files = [p for p in VAULT.rglob("*") if p.is_file()]
    assert [p for p in files if p.suffix not in SOURCE_SUFFIXES] == []
    assert [p for p in files if p.stem.lower() == "readme"] == []
    assert [p for p in files if p.stat().st_size >= 200_000] == []


def test_interview_front_matter_has_every_key(interview: Loaded) -> None:
    meta, text = interview
    for key in ("title", "channel", "url", "upload_date", "duration", "speakers", "tags"):
        assert meta.get(key), key
    assert re.fullmatch(r"https://www\.youtube\.com/watch\?v=[\w-]{11}", meta["url"])
    assert len(meta["speakers"]) == 2
    assert isinstance(meta["duration"], int)


def test_interview_runs_past_62_minutes_with_two_speakers(interview: Loaded) -> None:
    meta, text = interview
    times = _turn_times(text)
    assert 100 <= len(times) <= 160
    assert times[0] == 0
    assert times == sorted(times)
    assert times[-1] >= 3720
    assert meta["duration"] >= times[-1]
    names = {m["name"] for m in TURN.finditer(text)}
    assert names == set(meta["speakers"])


def test_interview_chapters_start_on_a_turn(interview: Loaded) -> None:
    meta, text = interview
    chapters = meta["chapters"]
    assert 8 <= len(chapters) <= 12
    starts = [c["start_time"] for c in chapters]
    assert starts == sorted(starts)
    assert set(starts) <= set(_turn_times(text))
    assert all(c["title"] for c in chapters)


def test_interview_keeps_bracketed_asides_and_quotes(interview: Loaded) -> None:
    meta, text = interview
    assert "[laughs]" in text
    assert '"we are measuring the wrong place at the wrong time."' in text


def test_notes_cite_times_that_exist_in_the_interview(interview: Loaded) -> None:
    meta, text = interview
    notes_meta, notes = _load(_only("notes", ".md"))
    assert {"title", "date", "tags"} <= set(notes_meta)
    cited = {int(h or 0) * 3600 + int(m) * 60 + int(s) for h, m, s in PROSE_TIME.findall(notes)}
    assert len(cited & set(_turn_times(text))) >= 3


def test_article_has_front_matter_and_a_blockquote() -> None:
    meta, article = _load(_only("articles", ".md"))
    assert {"title", "author", "url", "date", "tags"} <= set(meta)
    assert meta["url"].startswith("https://example.org/")
    assert re.search(r"^> ", article, re.M)
    assert re.search(r"^- ", article, re.M)


def test_plain_essay_has_numbered_headings_and_no_title_line() -> None:
    lines = _only("articles", ".txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "1. A wooden answer to a modern problem"
    assert len([ln for ln in lines if re.match(r"^\d\. [A-Z]", ln)]) == 5


def test_subtitle_files_have_their_headers_and_cue_counts() -> None:
    vtt = _only("lectures", ".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    assert "\nNOTE\n" in vtt
    assert vtt.count(" --> ") == 40
    assert "<v Amara Nkemelu>" in vtt
    srt = _only("clips", ".srt").read_text(encoding="utf-8")
    assert srt.count(" --> ") == 26
    assert {"LENA:", "OSCAR:"} <= set(re.findall(r"^([A-Z]+:)", srt, re.M))


def test_whisper_transcript_segments_are_ordered_and_attributed() -> None:
    doc = json.loads(_only("transcripts", ".json").read_text(encoding="utf-8"))
    assert doc["language"] == "en"
    segments = doc["segments"]
    assert 15 <= len(segments) <= 25
    assert all(s["start"] < s["end"] for s in segments)
    assert [s["start"] for s in segments] == sorted(s["start"] for s in segments)
    assert all(s["speaker"] and s["text"].strip() for s in segments)
    assert segments[-1]["end"] >= 150
