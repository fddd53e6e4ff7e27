"""Where the reader was: saved per vault, per user (never inside the vault), a damaged file is
a fresh start, never an error; and a reloaded source keeps the reader on its sentence."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.small_vaults import night_ferry
from readmark.annotations.reading import (
    MAX_SOURCES,
    ReadingState,
    follow_span,
    load_reading_state,
    save_reading_state,
    state_path,
)
from readmark.library.builder import SourceBuilder


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


def test_the_file_lives_in_the_users_state_folder_not_in_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_STATE_DIR", str(tmp_path / "state"))
    vault = tmp_path / "vault"
    vault.mkdir()
    state = ReadingState()
    state.remember("a.md", 7)
    save_reading_state(vault, state)

    assert list(vault.iterdir()) == []  # a synced vault carries no one's reading position
    assert state_path(vault).parent == tmp_path / "state" / "vaults"
    assert state_path(vault).name.startswith("vault-")
    assert [p.name for p in state_path(vault).parent.iterdir()] == [state_path(vault).name]
    assert state_path(vault).parent.stat().st_mode & 0o777 == 0o700
    assert json.loads(state_path(vault).read_text("utf-8")) == {
        "version": 1,
        "open": "a.md",
        "offsets": {"a.md": 7},
        "progress": {},
    }


def test_each_vault_has_its_own_state_and_a_link_to_a_vault_shares_it(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (tmp_path / "link").symlink_to(first)
    state = ReadingState()
    state.remember("a.md", 7)
    save_reading_state(first, state)

    assert load_reading_state(second) == ReadingState()
    assert load_reading_state(tmp_path / "link").offsets == {"a.md": 7}


def test_a_position_kept_in_the_vault_by_an_older_readmark_is_read_once_and_left(
    tmp_path: Path,
) -> None:
    old = tmp_path / ".readmark" / "state.json"
    old.parent.mkdir()
    old.write_text(json.dumps({"version": 1, "open": "a.md", "offsets": {"a.md": 40}}), "utf-8")

    assert load_reading_state(tmp_path).offsets == {"a.md": 40}
    state = load_reading_state(tmp_path)
    state.remember("b.md", 3)
    assert save_reading_state(tmp_path, state) is True

    assert load_reading_state(tmp_path).offsets == {"a.md": 40, "b.md": 3}
    assert json.loads(old.read_text("utf-8"))["offsets"] == {"a.md": 40}  # never deleted
    old.write_text(json.dumps({"version": 1, "open": "c.md", "offsets": {"c.md": 9}}), "utf-8")
    assert load_reading_state(tmp_path).open_source == "b.md"  # the new file wins from now on


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
    state_path(tmp_path).parent.mkdir(parents=True)
    state_path(tmp_path).write_text('{"open": "a.md", "offs', "utf-8")

    assert load_reading_state(tmp_path) == ReadingState()


def test_a_file_that_is_not_utf8_is_a_fresh_start(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir(parents=True)
    state_path(tmp_path).write_bytes(b"\xff\xfe\x00{")

    assert load_reading_state(tmp_path) == ReadingState()


def test_malformed_entries_are_skipped_and_good_ones_kept(tmp_path: Path) -> None:
    state_path(tmp_path).parent.mkdir(parents=True)
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
    state_path(tmp_path).parent.mkdir(parents=True)
    state_path(tmp_path).write_text("[1, 2]", "utf-8")

    assert load_reading_state(tmp_path) == ReadingState()


def test_an_unwritable_state_folder_reports_false_instead_of_raising(tmp_path: Path) -> None:
    # A file where the folder should be: no folder can be made there, whoever runs the test.
    folder = Path(os.environ["READMARK_STATE_DIR"])
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("in the way", "utf-8")
    state = ReadingState()
    state.remember("a.md", 3)

    assert save_reading_state(tmp_path, state) is False
    assert folder.read_text("utf-8") == "in the way"


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


def test_a_sentence_that_is_gone_falls_back_to_the_nearest_offset() -> None:
    old = night_ferry()
    start = old.text.index("Tickets")
    end = start + len("Tickets are sold on board.")
    builder = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    builder.add_segment("Entirely different words now.", start=0.0)
    new = builder.build()
    assert follow_span(old, start, end, new) == len(new.text) - 1
    moved = SourceBuilder(id="ferry.md", title="Ferry", format="markdown")
    moved.add_segment("A new opening line. Tickets are sold on board. Bring coins.", start=0.0)
    again = moved.build()
    assert follow_span(old, start, end, again) == again.text.index("Tickets")
