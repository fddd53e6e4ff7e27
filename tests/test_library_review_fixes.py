"""Fixes from a user review: clipped tags, transcript urls, file errors, front-matter values."""

from __future__ import annotations

from pathlib import Path

import pytest
from readmark.library.loading import load_path
from readmark.library.model import Source
from readmark.library.readers import markdown, plaintext
from readmark.library.readers.text.clipped import read_clipped_header
from readmark.library.readers.text.dates import parse_date
from readmark.library.readers.text.front_matter import read_metadata
from readmark.library.timecode import url_without_time
from readmark.tui.cli import main


def note(text: str, stem: str = "clip") -> Source:
    return plaintext.read(text, f"{stem}.txt", stem)


def md(text: str, stem: str = "talk") -> Source:
    return markdown.read(text, f"talks/{stem}.md", stem)


# 1. Clipped notes list several tags in one part.


@pytest.mark.parametrize("tags", ["#energy #batteries", "energy, batteries", "#energy, #batteries"])
def test_clipped_note_tags_in_one_part_are_separate(tags: str) -> None:
    source = note(
        f"Heat pumps in old houses\n2026-01-12 · The Atlantic · {tags}\n\nThe first paragraph.\n"
    )
    assert (source.title, source.date, source.channel, source.tags) == (
        "Heat pumps in old houses",
        "2026-01-12",
        "The Atlantic",
        ["energy", "batteries"],
    )


def test_clipped_header_keeps_a_tag_with_a_space_whole() -> None:
    header = read_clipped_header(["Kilns", "2026-01-12 · Clay Weekly · wood firing · #kilns"])
    assert header is not None
    assert header.tags == ["wood firing", "kilns"]


# 2. A transcript without a url takes it from its timestamp links.


@pytest.mark.parametrize(
    ("first", "second", "url"),
    [
        ("https://youtu.be/ABC?t=5", "https://youtu.be/ABC?t=12", "https://youtu.be/ABC"),
        (
            "https://www.youtube.com/watch?v=ABC&t=5s",
            "https://www.youtube.com/watch?v=ABC&t=244s",
            "https://www.youtube.com/watch?v=ABC",
        ),
    ],
)
def test_timestamp_links_give_the_source_url(first: str, second: str, url: str) -> None:
    source = md(f"# Pond life\n\n[0:05]({first}) Welcome back.\n\n[4:04]({second}) Frogs next.\n")
    assert source.url == url
    assert [s.start for s in source.timed_segments] == [5.0, 244.0]


def test_front_matter_url_wins_over_timestamp_links() -> None:
    source = md(
        "---\nurl: https://example.org/pond\n---\n\n"
        "[0:05](https://youtu.be/ABC?t=5) Welcome back.\n\n"
        "[0:09](https://youtu.be/ABC?t=9) Frogs next.\n"
    )
    assert source.url == "https://example.org/pond"


def test_links_to_different_videos_give_no_url() -> None:
    source = md(
        "[0:05](https://youtu.be/ABC?t=5) Welcome back.\n\n"
        "[0:09](https://youtu.be/XYZ?t=9) Another talk.\n"
    )
    assert source.url is None


def test_url_without_time_keeps_the_rest_of_the_link() -> None:
    assert url_without_time("https://example.org/a?t=4&lang=en#t=4") == (
        "https://example.org/a?lang=en"
    )


# 3. Errors name the file once; failed and empty sources get titles like the rest.


def test_error_about_a_file_names_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READMARK_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "badwhisper.json"
    path.write_text('{"segments": "oops"}', encoding="utf-8")
    source = load_path(path, "badwhisper.json")
    assert source.error == '"segments" is a string, not a list of segments.'
    assert main(["show", str(path), "--vault", str(tmp_path)]) != 0
    assert capsys.readouterr().err.count("badwhisper.json") == 1


def test_invalid_json_error_does_not_start_with_the_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"segments": [', encoding="utf-8")
    error = load_path(path, "broken.json").error
    assert error is not None and error.startswith("not valid JSON")


def test_failed_and_empty_sources_get_capitalised_titles(tmp_path: Path) -> None:
    (tmp_path / "badwhisper.json").write_text('{"segments": "oops"}', encoding="utf-8")
    (tmp_path / "empty_notes.md").write_text("", encoding="utf-8")
    (tmp_path / "talk.en.srt").write_text("\n", encoding="utf-8")
    titles = [
        load_path(tmp_path / name, name).title
        for name in ("badwhisper.json", "empty_notes.md", "talk.en.srt")
    ]
    assert titles == ["Badwhisper", "Empty notes", "Talk"]


# 4. Front-matter values that cannot be read say so.


def test_iso_8601_duration_is_read() -> None:
    assert read_metadata({"duration": "PT1H2M3S"}).duration == 3723.0
    assert read_metadata({"duration": "PT45S"}).duration == 45.0


@pytest.mark.parametrize("value", [-5, "abc", "PT", "P"])
def test_unreadable_duration_is_left_out_with_a_warning(value: object) -> None:
    meta = read_metadata({"duration": value})
    assert meta.duration is None
    assert meta.warnings == [f"front matter: duration '{value}' is not a length of time; left out"]


def test_day_first_date_is_read_when_the_day_is_over_12() -> None:
    meta = read_metadata({"upload_date": "16/02/2026"})
    assert (meta.date, meta.warnings) == ("2026-02-16", [])
    assert parse_date("31.12.2025") == "2025-12-31"


def test_ambiguous_or_unreadable_date_is_left_out_with_a_warning() -> None:
    ambiguous = read_metadata({"upload_date": "05/02/2026"})
    assert ambiguous.date is None
    assert ambiguous.warnings == [
        "front matter: upload_date '05/02/2026' could be day or month first; "
        "left out (write it as 2026-02-16)"
    ]
    assert read_metadata({"date": "someday"}).warnings == [
        "front matter: date 'someday' is not a date; left out"
    ]


def test_front_matter_warnings_reach_the_source() -> None:
    source = md("---\ntitle: Moss\nduration: -5\n---\n\nMoss grows slowly.\n")
    assert source.warnings == ["front matter: duration '-5' is not a length of time; left out"]


def test_readable_front_matter_gives_no_warning() -> None:
    source = md("---\nduration: 1:02:03\ndate: 2026-02-16\n---\n\nMoss grows slowly.\n")
    assert (source.duration, source.date, source.warnings) == (3723.0, "2026-02-16", [])


def test_lines_end_only_at_line_ends() -> None:
    from readmark.library.readers.text.lines import split_lines

    # \x1e and NEL (a Latin-1 `…`) are not line ends; a lone CR is.
    assert split_lines("a\x1eb\x85c\r\nd\re\n") == ["a\x1eb\x85c", "d", "e"]
    assert split_lines("") == []
