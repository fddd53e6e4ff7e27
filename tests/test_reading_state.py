"""Where the reader was: saved per vault, and a damaged file is a fresh start, never an error."""

from __future__ import annotations

import json
from pathlib import Path

from tui.reading_state import (
    MAX_SOURCES,
    ReadingState,
    load_reading_state,
    save_reading_state,
    state_path,
)


def test_a_saved_state_reads_back(tmp_path: Path) -> None:
    state = ReadingState()
    state.remember("talks/heat.md", 1200)
    state.remember("lectures/night.vtt", 45)

    assert save_reading_state(tmp_path, state) is True

    again = load_reading_state(tmp_path)
    assert again.open_source == "lectures/night.vtt"
    assert again.offset_of("talks/heat.md") == 1200
    assert again.offset_of("lectures/night.vtt") == 45
    assert again.offset_of("never/opened.md") == 0


def test_the_file_lives_in_the_vaults_readmark_folder_with_no_litter(tmp_path: Path) -> None:
    state = ReadingState()
    state.remember("a.md", 7)
    save_reading_state(tmp_path, state)

    assert state_path(tmp_path) == tmp_path / ".readmark" / "state.json"
    assert [p.name for p in (tmp_path / ".readmark").iterdir()] == ["state.json"]
    assert json.loads(state_path(tmp_path).read_text("utf-8")) == {
        "version": 1,
        "open": "a.md",
        "offsets": {"a.md": 7},
    }


def test_saving_twice_replaces_the_state(tmp_path: Path) -> None:
    state = ReadingState()
    state.remember("a.md", 7)
    save_reading_state(tmp_path, state)
    state.remember("a.md", 90)
    save_reading_state(tmp_path, state)

    assert load_reading_state(tmp_path).offsets == {"a.md": 90}


def test_a_missing_file_is_a_fresh_start(tmp_path: Path) -> None:
    state = load_reading_state(tmp_path)
    assert state.open_source is None
    assert state.offsets == {}


def test_a_file_that_is_not_json_is_a_fresh_start(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_text('{"open": "a.md", "offs', "utf-8")

    assert load_reading_state(tmp_path) == ReadingState()


def test_a_file_that_is_not_utf8_is_a_fresh_start(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_bytes(b"\xff\xfe\x00{")

    assert load_reading_state(tmp_path) == ReadingState()


def test_malformed_entries_are_skipped_and_good_ones_kept(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_text(
        json.dumps(
            {
                "open": 42,
                "offsets": {"good.md": 10, "neg.md": -5, "text.md": "12", "flag.md": True},
            }
        ),
        "utf-8",
    )

    state = load_reading_state(tmp_path)
    assert state.open_source is None
    assert state.offsets == {"good.md": 10}


def test_a_json_list_is_a_fresh_start(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir()
    state_path(tmp_path).write_text("[1, 2]", "utf-8")

    assert load_reading_state(tmp_path) == ReadingState()


def test_an_unwritable_vault_reports_false_instead_of_raising(tmp_path: Path) -> None:
    # A file where the folder should be: no folder can be made there, whoever runs the test.
    (tmp_path / ".readmark").write_text("in the way", "utf-8")
    state = ReadingState()
    state.remember("a.md", 3)

    assert save_reading_state(tmp_path, state) is False
    assert (tmp_path / ".readmark").read_text("utf-8") == "in the way"


def test_remember_makes_the_source_the_most_recent_and_clamps_negatives() -> None:
    state = ReadingState()
    state.remember("a.md", 1)
    state.remember("b.md", 2)
    state.remember("a.md", -4)

    assert list(state.offsets) == ["b.md", "a.md"]
    assert state.offsets["a.md"] == 0
    assert state.open_source == "a.md"


def test_the_least_recently_read_sources_are_forgotten_past_the_limit() -> None:
    state = ReadingState()
    for number in range(MAX_SOURCES + 2):
        state.remember(f"s{number}.md", number)

    assert len(state.offsets) == MAX_SOURCES
    assert "s0.md" not in state.offsets
    assert "s1.md" not in state.offsets
    assert state.offset_of(f"s{MAX_SOURCES + 1}.md") == MAX_SOURCES + 1


def test_forget_drops_the_source_and_closes_it() -> None:
    state = ReadingState()
    state.remember("a.md", 5)
    state.forget("a.md")

    assert state == ReadingState()
