import json
import os
from pathlib import Path
from typing import Any

import pytest
import readmark.library.loading
import readmark.library.vault
from helpers.vaults import write_file as write
from readmark.library.cache import cache_version
from readmark.library.errors import SourceError
from readmark.library.sample import ensure_user_sample_vault, sample_vault_source
from readmark.library.summary import summarise
from readmark.library.vault import HIDDEN_FILE, NOT_REGULAR, Skipped, Vault

NOTES = """---
title: Field notes on attention
date: 2024-05-02
---

# Field notes on attention

Reading is a skill that rewards slowness.
"""

SUBTITLES = """1
00:00:01,000 --> 00:00:04,000
Welcome back to the show.

2
00:00:04,500 --> 00:00:09,000
Today we talk about gardens.
"""

WHISPER = json.dumps(
    {
        "text": "Hello there. Good to see you.",
        "segments": [
            {"start": 0.0, "end": 2.0, "text": "Hello there."},
            {"start": 2.0, "end": 4.5, "text": "Good to see you."},
        ],
    }
)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A vault with the kinds of clutter real folders have."""
    vault = tmp_path / "vault"
    write(vault / "notes.md", NOTES)
    write(vault / "talk.srt", SUBTITLES)
    write(vault / "whisper.json", WHISPER)
    write(vault / "package.json", '{"name": "not-a-transcript", "version": "1.0.0"}')
    write(vault / "sub" / "deeper" / "episode.md", "# Episode one\n\nA short paragraph.\n")
    write(vault / "README", "Plain words in a file without an extension.\n")
    write(vault / "empty.md", "")
    write(vault / "bad-yaml.md", "---\ntitle: [unclosed\n---\n\nThe body still reads.\n")
    write(vault / "latin1.txt", "Caf\u00e9 society, \u201cquoted\u201d.\n".encode("cp1252"))
    write(vault / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(vault / "paper.pdf", b"%PDF-1.4\n")
    write(vault / "disguised.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    write(vault / "blob", b"\x01\x02\x00\x00binary")
    write(vault / "script.py", "print('hi')\n")
    write(vault / ".DS_Store", b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00")
    write(vault / ".hidden" / "secret.md", "# Secret\n")
    write(vault / ".gitignore", "*.tmp\n")
    write(vault / ".tmp-draft.md", "# Half-written\n")
    write(vault / ".readmark" / "annotations" / "notes.md", "# Not a source\n")
    (vault / "loop").symlink_to(vault, target_is_directory=True)
    write(tmp_path / "outside.md", "# Outside\n")
    (vault / "escape.md").symlink_to(tmp_path / "outside.md")
    return vault


def test_scan_lists_sources_and_says_why_others_are_skipped(messy: Path) -> None:
    listing = Vault(messy).scan()

    assert [s.id for s in listing.sources] == [
        "README",
        "bad-yaml.md",
        "empty.md",
        "latin1.txt",
        "notes.md",
        "sub/deeper/episode.md",
        "talk.srt",
        "whisper.json",
    ]
    assert listing.skipped == [
        Skipped(".DS_Store", "macOS .DS_Store file"),
        Skipped(".gitignore", HIDDEN_FILE),
        Skipped("blob", "binary file"),
        Skipped("disguised.txt", "PDF document"),
        Skipped("escape.md", "link points outside the vault"),
        Skipped("loop/", "link to a folder already listed"),
        Skipped("package.json", "JSON file that is not a transcript"),
        Skipped("paper.pdf", "PDF document"),
        Skipped("photo.png", "image"),
        Skipped("script.py", "not a format readmark reads (.py)"),
    ]


def test_scan_summaries_carry_metadata_warnings_and_formats(messy: Path) -> None:
    by_id = {s.id: s for s in Vault(messy).scan().sources}

    notes = by_id["notes.md"]
    assert (notes.title, notes.format, notes.date) == (
        "Field notes on attention",
        "markdown",
        "2024-05-02",
    )
    assert by_id["empty.md"].warnings == ["file is empty"]
    assert by_id["latin1.txt"].warnings[0] == "not valid UTF-8; read as Windows-1252"
    assert by_id["bad-yaml.md"].error is None
    assert by_id["bad-yaml.md"].warnings != []
    talk = by_id["talk.srt"]
    assert (talk.format, talk.timed_segments, talk.first_time) == ("srt", talk.segments, 1.0)
    assert by_id["whisper.json"].format == "whisper-json"
    assert by_id["whisper.json"].duration == 4.5


def test_unreadable_file_and_folder_are_skipped_not_raised(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open
    real_scandir = os.scandir

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "notes.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    def refusing_scandir(path: Any = ".") -> Any:
        if str(path).endswith("deeper"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", refusing_open)
    monkeypatch.setattr(os, "scandir", refusing_scandir)
    listing = Vault(messy).scan()

    skipped = {s.path: s.reason for s in listing.skipped}
    assert skipped["notes.md"] == "permission denied (check the file's permissions)"
    assert skipped["sub/deeper/"] == "permission denied (check its permissions)"
    assert "talk.srt" in {s.id for s in listing.sources}


def test_file_over_the_size_limit_is_listed_with_an_error(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.loading, "MAX_SOURCE_BYTES", 100)
    by_id = {s.id: s for s in Vault(messy).scan().sources}
    assert (
        by_id["notes.md"].error
        == "file is too large to open (128 bytes; readmark opens files up to 100 bytes)"
    )
    assert by_id["notes.md"].segments == 0
    assert by_id["README"].error is None


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = readmark.library.loading.load_path

    def counting(path: Path, source_id: str) -> Any:
        parsed.append(source_id)
        return real(path, source_id)

    monkeypatch.setattr(readmark.library.loading, "load_path", counting)
    return parsed


def test_second_scan_reads_the_cache_and_reparses_only_changed_files(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Vault(messy).scan()
    parsed = count_parses(monkeypatch)

    assert Vault(messy).scan() == first
    assert parsed == []

    notes = messy / "notes.md"
    notes.write_text(NOTES.replace("Field notes on attention", "Revised notes"), encoding="utf-8")
    stat = notes.stat()
    os.utime(notes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = Vault(messy).scan()

    assert parsed == ["notes.md"]
    assert [s.title for s in third.sources if s.id == "notes.md"] == ["Revised notes"]


def test_a_listing_from_the_cache_alone_is_given_only_while_no_file_changed(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Vault(messy).cached_scan() is None  # nothing listed yet
    first = Vault(messy).scan()
    parsed = count_parses(monkeypatch)
    assert Vault(messy).cached_scan() == first
    notes = messy / "notes.md"
    stat = notes.stat()
    os.utime(notes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert Vault(messy).cached_scan() is None  # changed: to be parsed
    Vault(messy).scan()
    (messy / "talk.srt").unlink()
    assert Vault(messy).cached_scan() is None  # gone: the cache must forget it
    assert parsed == ["notes.md"]  # never by the listing from the cache


def test_cache_forgets_deleted_files(messy: Path) -> None:
    Vault(messy).scan()
    (messy / "talk.srt").unlink()
    Vault(messy).scan()
    cache = json.loads(Vault(messy).cache_path.read_text())
    assert "talk.srt" not in cache["entries"]
    assert "notes.md" in cache["entries"]


def test_corrupt_cache_is_ignored_and_replaced(messy: Path) -> None:
    expected = Vault(messy).scan()
    cache = Vault(messy).cache_path
    cache.write_text('{"version": 2, "entries": {"notes.md": [1, 2, {"id": 3}]', encoding="utf-8")

    assert Vault(messy).scan() == expected
    assert json.loads(cache.read_text())["version"] == cache_version()
    assert [p.name for p in cache.parent.iterdir()] == ["sources.json"]


def test_unwritable_cache_still_lists(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = Vault(messy).scan()
    cache = Vault(messy).cache_path
    cache.unlink()
    cache.parent.rmdir()
    # A file where the cache folder should be: every write fails, as on a read-only disk.
    write(cache.parent, "in the way")
    assert Vault(messy).scan() == expected
    assert cache.parent.read_text(encoding="utf-8") == "in the way"


def test_parallel_scan_gives_the_same_listing(messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = Vault(messy, workers=1).scan()
    Vault(messy).cache_path.unlink()
    monkeypatch.setattr(readmark.library.vault, "PARALLEL_THRESHOLD", 1)
    assert Vault(messy, workers=2).scan() == serial


def test_load_parses_a_whole_source(messy: Path) -> None:
    source = Vault(messy).load("sub/deeper/episode.md")
    assert source.title == "Episode one"
    assert source.text.endswith("A short paragraph.")


@pytest.mark.parametrize(
    ("source_id", "message"),
    [
        ("../outside.md", "is not a source id"),
        ("sub/../../outside.md", "is not a source id"),
        ("/etc/hostname", "is not a source id"),
        ("", "is not a source id"),
        ("escape.md", "the link points outside the vault"),
        ("missing.md", "no such source"),
        ("sub", "no such source"),
    ],
)
def test_load_refuses_ids_outside_the_vault(messy: Path, source_id: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        Vault(messy).load(source_id)


def test_load_of_a_binary_file_names_it(messy: Path) -> None:
    with pytest.raises(SourceError, match=r"^photo\.png: image$"):
        Vault(messy).load("photo.png")


def test_peek_reads_title_and_format_from_the_head(messy: Path) -> None:
    vault = Vault(messy)
    assert vault.peek("notes.md") == ("Field notes on attention", "markdown")
    assert vault.peek("sub/deeper/episode.md") == ("Episode one", "markdown")
    assert vault.peek("talk.srt") == ("talk", "srt")


def test_id_of_maps_paths_inside_the_vault(messy: Path, tmp_path: Path) -> None:
    vault = Vault(messy)
    assert vault.id_of(messy / "sub" / "deeper" / "episode.md") == "sub/deeper/episode.md"
    assert vault.id_of(tmp_path / "outside.md") is None


def test_sample_library_is_copied_once_and_then_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_DATA_DIR", str(tmp_path / "data"))
    copy = ensure_user_sample_vault()

    assert copy == tmp_path / "data" / "sample-library"
    bundled = sorted(p.relative_to(sample_vault_source()) for p in sample_vault_source().rglob("*"))
    assert sorted(p.relative_to(copy) for p in copy.rglob("*")) == bundled
    assert bundled != []
    write(copy / "mine.md", "# My own note\n")
    assert ensure_user_sample_vault() == copy
    assert (copy / "mine.md").exists()


def test_fifo_is_skipped_without_being_opened(messy: Path) -> None:
    # Opening a FIFO for reading waits for a writer: the scan would hang if it tried.
    os.mkfifo(messy / "pipe.md")
    os.mkfifo(messy / ".hidden-pipe")
    skipped = {s.path: s.reason for s in Vault(messy).scan().skipped}
    assert skipped["pipe.md"] == NOT_REGULAR
    assert skipped[".hidden-pipe"] == NOT_REGULAR
    with pytest.raises(SourceError, match="no such source"):
        Vault(messy).load("pipe.md")


def test_load_refuses_readmark_data_as_a_source(messy: Path) -> None:
    with pytest.raises(SourceError, match="readmark's own data"):
        Vault(messy).load(".readmark/annotations/notes.md")


def big_transcript(lines: int) -> str:
    head = (
        "---\ntitle: A very long talk\nchannel: Night Shift\n"
        "url: https://www.youtube.com/watch?v=long0001\ntags: [heat, sleep]\n---\n\n"
        "# A very long talk\n\n## Chapters\n\n- [0:00] Opening\n- [1:00:00] Second hour\n\n"
        "## Transcript\n\n"
    )
    body = "".join(
        f"[{i // 3600}:{i // 60 % 60:02d}:{i % 60:02d}] Words spoken at second {i} of the talk.\n\n"
        for i in range(0, lines * 2, 2)
    )
    return head + body


def test_large_file_is_listed_from_a_quick_scan_then_exactly_once_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.loading, "QUICK_SCAN_BYTES", 20_000)
    root = tmp_path / "vault"
    write(root / "long.md", big_transcript(2_000))
    assert (root / "long.md").stat().st_size > 20_000
    parsed = count_parses(monkeypatch)

    quick = Vault(root).scan().sources[0]

    assert parsed == []  # listed without a full parse
    assert (quick.title, quick.channel, quick.tags) == (
        "A very long talk",
        "Night Shift",
        ["heat", "sleep"],
    )
    assert quick.url == "https://www.youtube.com/watch?v=long0001"
    assert (quick.timed_segments, quick.first_time, quick.last_time) == (2_002, 0.0, 3998.0)
    assert [(o.title, o.start) for o in quick.outline][-2:] == [
        ("Opening", 0.0),
        ("Second hour", 3600.0),
    ]
    assert quick.warnings[0].startswith("large file (")
    assert quick.warnings[0].endswith("listed from a quick scan; open it to read it fully")

    loaded = summarise(Vault(root).load("long.md"))
    exact = Vault(root).scan().sources[0]

    assert parsed == ["long.md"]  # only the explicit load parsed it
    assert exact == loaded
    assert exact.warnings == []
    assert exact.last_time == 3998.0


def test_quick_scan_counts_a_time_on_the_very_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.loading, "QUICK_SCAN_BYTES", 20_000)
    lines = (
        f"[{i // 3600}:{i // 60 % 60:02d}:{i % 60:02d}] Said at {i} s.\n\n"
        for i in range(0, 3000, 3)
    )
    write(tmp_path / "talk.txt", "".join(lines))

    quick = Vault(tmp_path).scan().sources[0]
    exact = summarise(Vault(tmp_path).load("talk.txt"))

    assert quick.warnings[0].startswith("large file (")
    assert (quick.timed_segments, quick.first_time) == (exact.timed_segments, exact.first_time)
    assert (exact.timed_segments, exact.first_time) == (1000, 0.0)


def test_load_of_a_large_file_never_listed_creates_no_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.loading, "QUICK_SCAN_BYTES", 20_000)
    write(tmp_path / "long.md", big_transcript(2_000))
    assert Vault(tmp_path).load("long.md").title == "A very long talk"
    assert not (tmp_path / ".readmark").exists()
