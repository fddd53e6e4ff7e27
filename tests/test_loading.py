import codecs
import json
from pathlib import Path

import pytest
from readmark.library.loading import NotASource, choose_reader, load_path, peek_path, quick_summary
from readmark.library.summary import summarise

SUBTITLES = (
    "1\n00:00:01,000 --> 00:00:03,000\nFirst line.\n\n2\n00:00:03,500 --> 00:00:06,000\nSecond.\n"
)


@pytest.mark.parametrize(
    ("name", "head", "format_name"),
    [
        ("notes.md", "# Heading\n\nBody\n", "markdown"),
        ("talk.srt", SUBTITLES, "srt"),
        ("captions.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", "vtt"),
        ("no-extension", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", "vtt"),
        ("subs.txt", SUBTITLES, "srt"),
        ("whisper.json", json.dumps({"segments": [{"start": 0, "text": "a"}]}), "whisper-json"),
        ("article.txt", "Just some prose.\n\nAnother paragraph.\n", "text"),
        ("mystery.log", "nothing any reader claims\n", "text"),
    ],
)
def test_the_surest_reader_wins_and_plain_text_catches_the_rest(
    name: str, head: str, format_name: str
) -> None:
    assert choose_reader(name, head).FORMAT == format_name


def test_utf16_subtitles_load_with_their_times(tmp_path: Path) -> None:
    path = tmp_path / "talk.srt"
    path.write_bytes(codecs.BOM_UTF16_LE + SUBTITLES.encode("utf-16-le"))
    source = load_path(path, "talk.srt")
    # Whether cues are merged into sentences is the reader's business; decoding is the point.
    assert (source.format, source.text.split(), source.segments[0].start) == (
        "srt",
        ["First", "line.", "Second."],
        1.0,
    )
    assert source.warnings == []


def test_decoding_warning_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Na\u00efve caf\u00e9.\n".encode("cp1252"))
    source = load_path(path, "old.txt")
    assert source.text == "Na\u00efve caf\u00e9."
    assert source.warnings[0] == "not valid UTF-8; read as Windows-1252"


def test_blank_file_is_a_source_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("\n  \n", encoding="utf-8")
    source = load_path(path, "blank.md")
    assert (source.title, source.format, source.segments) == ("Blank", "markdown", [])
    assert source.warnings == ["file is empty"]


def test_broken_transcript_json_is_a_source_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"segments": [{"start": 0, "text": "cut off', encoding="utf-8")
    source = load_path(path, "broken.json")
    assert source.format == "whisper-json"
    assert source.error is not None
    assert source.segments == []


def test_json_that_is_not_a_transcript_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark"}', encoding="utf-8")
    with pytest.raises(NotASource, match="JSON file that is not a transcript") as caught:
        load_path(path, "settings.json")
    assert caught.value.reason == "JSON file that is not a transcript"


def test_peek_reads_only_the_head_of_a_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    body = "A long paragraph of words that goes on.\n\n" * 50_000
    path.write_text(f'---\ntitle: "Huge: a test"\n---\n\n# Other heading\n\n{body}', "utf-8")
    peek = peek_path(path)
    assert (peek.title, peek.format) == ("Huge: a test", "markdown")


def test_peek_falls_back_to_heading_then_file_name(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("intro\n\n# The heading\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("no heading here\n", encoding="utf-8")
    assert peek_path(tmp_path / "a.md").title == "The heading"
    assert peek_path(tmp_path / "b.txt").title == "b"


def many_cues(count: int, *, sep: str = ",") -> str:
    return "\n".join(
        f"{i + 1}\n00:{i // 60:02d}:{i % 60:02d}{sep}000 --> "
        f"00:{i // 60:02d}:{i % 60:02d}{sep}900\n"
        f"<v Ana>Cue number {i}.\n"
        for i in range(count)
    )


def test_quick_summary_counts_cues_and_keeps_types_of_a_full_summary(tmp_path: Path) -> None:
    path = tmp_path / "long.srt"
    path.write_text(many_cues(600), encoding="utf-8")
    quick = quick_summary(path, "long.srt")
    exact = summarise(load_path(path, "long.srt"))
    assert quick is not None
    assert (quick.format, quick.segments, quick.timed_segments) == ("srt", 600, 600)
    assert (quick.first_time, quick.last_time) == (exact.first_time, exact.last_time)
    assert quick.title == exact.title
    assert quick.warnings == [
        "large file (34 KB): listed from a quick scan; open it to read it fully"
    ]


def test_quick_summary_of_whisper_json_counts_start_times(tmp_path: Path) -> None:
    path = tmp_path / "talk.json"
    segments = [{"start": i * 2.5, "end": i * 2.5 + 2, "text": f"Part {i}."} for i in range(500)]
    path.write_text(json.dumps({"segments": segments}, indent=1), encoding="utf-8")
    quick = quick_summary(path, "talk.json")
    assert quick is not None
    assert (quick.format, quick.timed_segments, quick.last_time) == ("whisper-json", 500, 1247.5)
    assert quick.title == "Talk"


def test_quick_summary_leaves_utf16_to_the_full_parse(tmp_path: Path) -> None:
    path = tmp_path / "subs.srt"
    path.write_bytes(codecs.BOM_UTF16_LE + many_cues(50).encode("utf-16-le"))
    assert quick_summary(path, "subs.srt") is None


def test_quick_summary_refuses_binary_files_like_a_full_load(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01" * 5000)
    with pytest.raises(NotASource, match="binary file"):
        quick_summary(path, "blob.txt")


def test_quick_summary_of_long_reading_notes_is_not_a_timed_transcript(tmp_path: Path) -> None:
    paragraphs = [
        f"Paragraph {i} weighs the argument about harbour walls and who pays for them."
        for i in range(400)
    ]
    paragraphs[10] = "[12:30] She says the walls only move the problem down the coast."
    paragraphs[200] = "41:05 The host pushes back on the cost figures."
    path = tmp_path / "notes.md"
    path.write_text("# Notes on the harbour talk\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    quick = quick_summary(path, "notes.md")
    exact = summarise(load_path(path, "notes.md"))
    assert quick is not None
    assert quick.timed_segments == exact.timed_segments == 0
    assert quick.duration is None


def test_failed_and_empty_sources_get_capitalised_titles(tmp_path: Path) -> None:
    (tmp_path / "badwhisper.json").write_text('{"segments": "oops"}', encoding="utf-8")
    (tmp_path / "empty_notes.md").write_text("", encoding="utf-8")
    (tmp_path / "talk.en.srt").write_text("\n", encoding="utf-8")
    titles = [
        load_path(tmp_path / name, name).title
        for name in ("badwhisper.json", "empty_notes.md", "talk.en.srt")
    ]
    assert titles == ["Badwhisper", "Empty notes", "Talk"]
