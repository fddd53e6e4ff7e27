"""One registry declares every format: a new one is a reader module plus one entry."""

from __future__ import annotations

import importlib
import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
import readmark.library.loading
from readmark.library import formats
from readmark.library.formats import FORMATS, TIMED_MARK, Format, registry
from readmark.library.loading import choose_reader, load_path
from readmark.library.vault import Vault
from readmark.tui.widgets.source_list import source_label

CHAT_READER = '''
"""Chat logs: a `CHATLOG` line, then one `12:00:05 <Ana> words` line per message."""

from readmark.library.builder import SourceBuilder
from readmark.library.model import Source
from readmark.library.timecode import parse_timecode

FORMAT = "chat-log"


def sniff(name: str, head: str) -> float:
    return 0.95 if head.startswith("CHATLOG") else 0.0


def read(text: str, source_id: str, stem: str) -> Source:
    builder = SourceBuilder(id=source_id, title=stem.replace("-", " ").title(), format=FORMAT)
    speakers: list[str] = []
    for line in text.splitlines()[1:]:
        clock, _, rest = line.partition(" <")
        name, _, said = rest.partition("> ")
        builder.add_segment(said, start=parse_timecode(clock), speaker=name)
        if name not in speakers:
            speakers.append(name)
    return builder.build(speakers=speakers)
'''

EVENING = """CHATLOG
19:00:05 <Ana> Did the tide tables come through?
19:00:41 <Tomas> They did, high water at nine.
19:02:10 <Ana> Then we launch at eight.
"""

CHAT = Format(
    "chat-log",
    "chat_reader",
    (".chat",),
    decided_by_extension=True,
    timed=True,
    quick_times=re.compile(rb"\n(\d{2}:\d{2}:\d{2}) <"),
    mark="☏",
)


@pytest.fixture
def chat_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "evening.chat").write_text(EVENING, encoding="utf-8")
    (vault / "morning").write_text(EVENING.replace("19:", "07:"), encoding="utf-8")
    (vault / "quiet.chat").write_text("", encoding="utf-8")
    (vault / "notes.md").write_text("# Harbour notes\n\nThe tide turns twice.\n", "utf-8")
    return vault


def register_chat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole of adding a format: its reader module, and its entry in the registry."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "chat_reader.py").write_text(textwrap.dedent(CHAT_READER), encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, CHAT))


def test_a_new_format_is_listed_sniffed_loaded_and_marked(
    chat_vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Vault(chat_vault).scan()
    assert [s.id for s in before.sources] == ["morning", "notes.md"]
    assert {s.path: s.reason for s in before.skipped} == {
        "evening.chat": "not a format readmark reads (.chat)",
        "quiet.chat": "not a format readmark reads (.chat)",
    }

    register_chat(tmp_path, monkeypatch)
    # The listing cached above is made again: a file skipped before may be a source now.
    listing = {s.id: s for s in Vault(chat_vault).scan().sources}

    assert listing.keys() == {"evening.chat", "morning", "notes.md", "quiet.chat"}
    evening = listing["evening.chat"]
    assert (evening.format, evening.timed_segments, evening.speakers) == (
        "chat-log",
        3,
        ["Ana", "Tomas"],
    )
    assert (evening.first_time, evening.last_time) == (68405.0, 68530.0)
    assert listing["morning"].format == "chat-log"  # no extension: its reader sniffed it
    assert listing["notes.md"].format == "markdown"
    assert listing["quiet.chat"].warnings == ["file is empty"]

    source = Vault(chat_vault).load("evening.chat")
    assert source.title == "Evening"
    assert [(s.start, s.speaker, s.text) for s in source.segments][1] == (
        68441.0,
        "Tomas",
        "They did, high water at nine.",
    )

    assert source_label(evening).plain.startswith(f"{TIMED_MARK} Evening")
    assert source_label(listing["quiet.chat"]).plain.startswith("☏ Quiet")


def test_a_new_format_decided_by_its_extension_is_never_sniffed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_chat(tmp_path, monkeypatch)
    assert choose_reader("log.chat", "# Looks like Markdown\n").FORMAT == "chat-log"
    assert choose_reader("log.txt", EVENING).FORMAT == "chat-log"
    assert choose_reader("log.txt", "plain words\n").FORMAT == "text"


def test_a_large_file_of_a_new_format_is_counted_by_its_quick_scan_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_chat(tmp_path, monkeypatch)
    monkeypatch.setattr(readmark.library.loading, "QUICK_SCAN_BYTES", 2_000)
    lines = [
        f"{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d} <Ana> Still here." for i in range(200)
    ]
    (tmp_path / "long.chat").write_text("CHATLOG\n" + "\n".join(lines) + "\n", encoding="utf-8")

    quick = Vault(tmp_path).scan().sources[0]

    assert quick.warnings[0].startswith("large file (")
    assert (quick.timed_segments, quick.last_time) == (200, 199.0)
    assert len(load_path(tmp_path / "long.chat", "long.chat").timed_segments) == 200


def test_every_format_names_a_reader_of_that_format() -> None:
    for fmt in FORMATS:
        reader = importlib.import_module(fmt.reader)
        assert reader.FORMAT == fmt.name
        assert callable(reader.sniff) and callable(reader.read)
        assert all(suffix == suffix.lower() and suffix.startswith(".") for suffix in fmt.extensions)
    assert registry().fallback.name == "text"
    assert len(registry().by_extension) == sum(len(f.extensions) for f in FORMATS)


def test_changing_what_a_format_reads_changes_the_listing_cache_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from readmark.library.cache import cache_version

    before = cache_version()
    newer = tuple(replace(f, version=f.version + 1) if f.name == "vtt" else f for f in FORMATS)
    monkeypatch.setattr(formats, "FORMATS", newer)
    assert cache_version() != before
    # The list mark is drawn, never cached: changing it keeps the cache.
    marked = tuple(replace(f, mark="♪") if f.name == "vtt" else f for f in FORMATS)
    monkeypatch.setattr(formats, "FORMATS", marked)
    assert cache_version() == before
