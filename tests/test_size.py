"""Size limits: deep trees, files over the limit, one-line files, progress, big listings."""

import json
from pathlib import Path

import pytest
import readmark.library.loading
from readmark.library.decoding import Decoded
from readmark.library.loading import MAX_SEGMENT_CHARS, load_path, split_long_segments, split_text
from readmark.library.model import OutlineEntry, Role, Segment, Source
from readmark.library.vault import Vault

SENTENCE = "Slow reading rewards the patient listener who returns to a passage twice. "
"""74 characters; repeated, it makes a paragraph-free wall of prose."""


def one_line(size: int) -> str:
    return (SENTENCE * (size // len(SENTENCE) + 1))[:size].rstrip()


def assert_offsets_hold(source: Source) -> None:
    """Every segment's text stands at its offsets, and the text is the segments joined."""
    assert source.text == "\n\n".join(s.text for s in source.segments)
    for index, segment in enumerate(source.segments):
        assert segment.index == index
        assert source.text[segment.char_start : segment.char_end] == segment.text


def test_a_twenty_level_tree_is_listed_with_full_path_ids(tmp_path: Path) -> None:
    folder = tmp_path
    for level in range(1, 21):
        folder = folder / f"level-{level:02d}"
        folder.mkdir()
        (folder / f"note-{level:02d}.md").write_text(f"# Note at depth {level}\n\nText.\n")
    by_id = {s.id: s for s in Vault(tmp_path, workers=1).scan().sources}
    deepest = "/".join(f"level-{n:02d}" for n in range(1, 21)) + "/note-20.md"
    assert len(by_id) == 20
    assert by_id[deepest].title == "Note at depth 20"
    assert "level-01/note-01.md" in by_id
    assert Vault(tmp_path).load(deepest).title == "Note at depth 20"


def test_a_file_over_the_limit_is_listed_as_too_large_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.loading, "MAX_SOURCE_BYTES", 3 * 1024 * 1024)
    (tmp_path / "huge.md").write_text(one_line(3 * 1024 * 1024 + 1))
    (tmp_path / "fits.md").write_text("# Fits\n\nShort.\n")

    real_decode = readmark.library.loading.decode

    def decode_small(data: bytes) -> Decoded:
        assert len(data) < 1024, "a file over the limit was read and decoded"
        return real_decode(data)

    monkeypatch.setattr(readmark.library.loading, "decode", decode_small)
    monkeypatch.setattr(readmark.library.loading, "quick_summary", lambda *_: None)
    vault = Vault(tmp_path, workers=1)
    by_id = {s.id: s for s in vault.scan().sources}
    expected = "file is too large to open (3 MB; readmark opens files up to 3 MB)"
    assert by_id["huge.md"].error == expected
    assert by_id["huge.md"].segments == 0
    assert by_id["fits.md"].error is None
    assert vault.load("huge.md").error == expected


def test_the_too_large_message_names_the_real_limit() -> None:
    assert readmark.library.loading._too_large(250 * 1024 * 1024) == (
        "file is too large to open (250 MB; readmark opens files up to 200 MB)"
    )


@pytest.mark.parametrize(
    ("name", "wrap"),
    [
        ("wall.md", lambda text: f"# A wall of text\n\n{text}\n"),
        ("wall.txt", lambda text: text + "\n"),
        ("wall.srt", lambda text: f"1\n00:00:01,000 --> 00:01:41,000\n{text}\n"),
        ("wall.vtt", lambda text: f"WEBVTT\n\n00:00:01.000 --> 00:01:41.000\n{text}\n"),
        (
            "wall.json",
            lambda text: json.dumps({"segments": [{"start": 1.0, "end": 101.0, "text": text}]}),
        ),
    ],
)
def test_a_two_megabyte_line_opens_as_paragraph_sized_segments(
    tmp_path: Path, name: str, wrap: object
) -> None:
    line = one_line(2 * 1024 * 1024)
    path = tmp_path / name
    path.write_text(wrap(line))  # type: ignore[operator]
    source = load_path(path, name)
    assert source.error is None
    pieces = [s for s in source.segments if s.role is not Role.HEADING]
    assert len(pieces) >= len(line) // MAX_SEGMENT_CHARS
    assert max(len(s.text) for s in source.segments) <= MAX_SEGMENT_CHARS
    # Nothing lost: the pieces put back together are the line.
    assert " ".join(s.text for s in pieces) == line
    assert any("split into pieces" in w for w in source.warnings)
    assert_offsets_hold(source)


def test_pieces_of_a_timed_cue_share_its_time_in_order(tmp_path: Path) -> None:
    path = tmp_path / "talk.srt"
    path.write_text(f"1\n00:00:10,000 --> 00:00:30,000\n{one_line(20_000)}\n")
    source = load_path(path, "talk.srt")
    starts = [s.start for s in source.segments]
    assert len(starts) >= 4
    assert starts[0] == 10.0
    assert source.segments[-1].end == 30.0
    assert None not in starts
    assert starts == sorted(set(starts))  # type: ignore[type-var]
    assert source.segment_at(11.0) is source.segments[0]
    assert source.segment_at(29.95) is source.segments[-1]


def test_a_line_is_cut_after_a_sentence_when_one_ends_in_reach() -> None:
    text = "First sentence is here. Second one follows it."
    assert split_text(text, 30) == ["First sentence is here.", "Second one follows it."]


def test_a_line_without_sentences_is_cut_at_spaces_then_anywhere() -> None:
    assert split_text("aaaa bbbb cccc dddd", 10) == ["aaaa bbbb", "cccc dddd"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_splitting_moves_outline_entries_to_the_first_piece_of_their_segment() -> None:
    long_text = "word " * 30
    texts = ["Heading", long_text.strip(), "After"]
    segments, offset = [], 0
    for index, text in enumerate(texts):
        segments.append(Segment(index, text, char_start=offset, char_end=offset + len(text)))
        offset += len(text) + 2
    source = Source(
        id="s.md",
        title="S",
        format="markdown",
        segments=segments,
        outline=[OutlineEntry("Heading", None, 0), OutlineEntry("After", None, 2)],
        text="\n\n".join(texts),
    )
    split = split_long_segments(source, limit=50)
    assert [s.text for s in split.segments][-1] == "After"
    assert len(split.segments) == 5
    assert [e.segment_index for e in split.outline] == [0, 4]
    assert_offsets_hold(split)
    assert split_long_segments(split, limit=50) is split  # nothing left to split


def test_scan_progress_rises_and_ends_at_the_total(tmp_path: Path) -> None:
    for n in range(250):
        (tmp_path / f"note-{n:03d}.md").write_text(f"# Note {n}\n\nText.\n")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped: not counted
    for attempt in ("cold", "warm"):
        calls: list[tuple[int, int]] = []
        Vault(tmp_path, workers=1).scan(progress=lambda *call, into=calls: into.append(call))
        assert calls[0] == (0, 250), attempt
        assert calls[-1] == (250, 250), attempt
        assert all(total == 250 for _, total in calls)
        dones = [done for done, _ in calls]
        assert dones == sorted(set(dones)), attempt
        assert len(calls) <= 102, attempt


def test_scan_progress_of_an_empty_vault_ends_at_zero(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    Vault(tmp_path).scan(progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 0)]


def test_two_thousand_files_list_the_same_cold_and_warm(tmp_path: Path) -> None:
    for n in range(2000):
        shelf = tmp_path / f"shelf-{n // 100:02d}"
        shelf.mkdir(exist_ok=True)
        if n % 2:
            (shelf / f"note-{n}.md").write_text(f"---\ntitle: Note {n}\n---\n\nBody {n}.\n")
        else:
            cue = f"1\n00:00:0{n % 10},000 --> 00:00:10,000\nLine {n}.\n"
            (shelf / f"cue-{n}.srt").write_text(cue)
    cold = Vault(tmp_path, workers=2).scan()
    assert Vault(tmp_path).cache_path.is_file()
    assert not (tmp_path / ".readmark").exists()  # listing writes nothing into the vault
    warm_calls: list[tuple[int, int]] = []
    warm = Vault(tmp_path, workers=2).scan(progress=lambda *call: warm_calls.append(call))
    assert warm == cold
    assert len(cold.sources) == 2000
    assert cold.sources[0].id == "shelf-00/cue-0.srt"
    assert cold.sources[0].first_time == 0.0
    by_id = {s.id: s for s in warm.sources}
    assert by_id["shelf-19/note-1999.md"].title == "Note 1999"
    assert warm_calls[-1] == (2000, 2000)
