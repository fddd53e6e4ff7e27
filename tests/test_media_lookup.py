"""Finding a source's audio or video: front matter first, then a file beside it, then its
link only when asked; and when nothing is found, a message saying what to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from readmark.media.lookup import (
    MediaOrigin,
    find_media,
    media_beside,
    media_for_source,
    media_offset,
    read_front_matter,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shelf = tmp_path / "podcasts"
    shelf.mkdir()
    return shelf


def test_front_matter_media_is_relative_to_the_source(folder: Path) -> None:
    (folder / "audio").mkdir()
    (folder / "audio" / "ep12.mp3").write_bytes(b"ID3")
    (folder / "ep12.opus").write_bytes(b"OggS")  # beside, but the front matter wins
    found = find_media(folder / "ep12.md", {"media": "audio/ep12.mp3", "media_offset": "1:05"})
    assert found.media is not None
    assert found.media.location == str(folder / "audio" / "ep12.mp3")
    assert found.media.origin is MediaOrigin.FRONT_MATTER
    assert found.media.offset == 65.0
    assert found.media.path == folder / "audio" / "ep12.mp3" and not found.media.is_url


def test_front_matter_media_may_be_a_url(folder: Path) -> None:
    url = "https://cdn.example.org/shows/ep12.m4a"
    found = find_media(folder / "ep12.md", {"media": url})
    assert found.media is not None
    assert found.media.location == url and found.media.is_url and found.media.path is None


def test_front_matter_naming_a_missing_file_says_so(folder: Path) -> None:
    (folder / "ep12.opus").write_bytes(b"OggS")
    found = find_media(folder / "ep12.md", {"media": "old/ep12.mp3"})
    assert found.media is None
    assert "media: old/ep12.mp3" in found.message
    assert str(folder / "old" / "ep12.mp3") in found.message
    assert "relative to the source's folder" in found.message


def test_front_matter_media_that_is_not_text_is_refused(folder: Path) -> None:
    found = find_media(folder / "ep12.md", {"media": ["a.mp3", "b.mp3"]})
    assert found.media is None and "media: ep12.opus" in found.message


def test_the_file_beside_the_source_in_order_of_preference(folder: Path) -> None:
    for name in ("talk.mp4", "talk.mp3", "talk.opus", "talk.txt", "talk-2.opus"):
        (folder / name).write_bytes(b"x")
    found = find_media(folder / "talk.vtt", {})
    assert found.media is not None
    assert found.media.location == str(folder / "talk.opus")
    assert found.media.origin is MediaOrigin.BESIDE and found.media.offset == 0.0


def test_extensions_in_capitals_and_language_tags_are_matched(folder: Path) -> None:
    (folder / "Interview [x1].M4A").write_bytes(b"x")
    assert media_beside(folder / "Interview [x1].en.vtt") == folder / "Interview [x1].M4A"
    assert media_beside(folder / "Interview [x1].pt-BR.srt") == folder / "Interview [x1].M4A"
    # Only a language tag is dropped: another dotted name is a different file.
    assert media_beside(folder / "Interview [x1].2024 notes.md") is None


def test_a_folder_named_like_media_is_not_media(folder: Path) -> None:
    (folder / "talk.mp3").mkdir()
    assert media_beside(folder / "talk.md") is None


def test_the_link_is_played_only_when_asked(folder: Path) -> None:
    url = "https://www.youtube.com/watch?v=abc123&t=95s"
    offline = find_media(folder / "talk.md", {}, url=url)
    assert offline.media is None and offline.online_available
    assert "can also be played online" in offline.message
    online = find_media(folder / "talk.md", {}, url=url, online=True)
    assert online.media is not None
    assert online.media.origin is MediaOrigin.ONLINE
    # The moment the link points at is dropped: the player seeks to the reader's line.
    assert online.media.location == "https://www.youtube.com/watch?v=abc123"


def test_nothing_found_says_where_to_put_the_file(folder: Path) -> None:
    found = find_media(folder / "river-towns.vtt", {})
    assert found.media is None and not found.online_available
    assert str(folder) in found.message
    assert "river-towns.opus" in found.message and "river-towns.mp3" in found.message
    assert "media: path/or/url" in found.message
    assert "online" not in found.message


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(65, 65.0), (12.5, 12.5), ("1:05", 65.0), ("-2.5", -2.5), ("+0:03", 3.0), ("90s", 90.0)],
)
def test_media_offset_in_seconds_or_as_a_clock(value: object, seconds: float) -> None:
    warnings: list[str] = []
    assert media_offset({"media_offset": value}, warnings) == seconds
    assert warnings == []


@pytest.mark.parametrize("value", ["soon", True, [1, 2], float("nan"), "1:75"])
def test_an_unreadable_media_offset_is_zero_with_a_warning(value: object) -> None:
    warnings: list[str] = []
    assert media_offset({"media_offset": value}, warnings) == 0.0
    assert len(warnings) == 1 and "media_offset" in warnings[0] and "1:05" in warnings[0]


def test_an_unreadable_offset_still_finds_the_media(folder: Path) -> None:
    (folder / "talk.ogg").write_bytes(b"OggS")
    found = find_media(folder / "talk.md", {"media_offset": "later"})
    assert found.media is not None and found.media.offset == 0.0
    assert found.warnings and "later" in found.warnings[0]


def test_front_matter_is_read_from_the_source_file(folder: Path) -> None:
    note = folder / "talk.md"
    text = "\ufeff---\nTitle: Talk\nmedia: talk-audio.mp3\nmedia_offset: '0:07'\n---\n# Talk\n"
    note.write_bytes(text.encode())
    meta = read_front_matter(note)
    assert meta["media"] == "talk-audio.mp3" and meta["media_offset"] == "0:07"
    (folder / "talk-audio.mp3").write_bytes(b"ID3")
    found = media_for_source(note)
    assert found.media is not None and found.media.offset == 7.0
    assert found.media.location == str(folder / "talk-audio.mp3")


def test_sources_without_front_matter_give_none(folder: Path) -> None:
    subtitles = folder / "talk.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n")
    assert read_front_matter(subtitles) == {}
    broken = folder / "broken.md"
    broken.write_text("---\nmedia: [unclosed\n---\ntext\n")
    assert read_front_matter(broken) == {}
    assert read_front_matter(folder / "absent.md") == {}
    pipe = folder / "pipe.md"
    os.mkfifo(pipe)
    assert read_front_matter(pipe) == {}
