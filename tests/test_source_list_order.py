"""The source list a person can scan: folders in natural order, titles as read (case,
accents and numbers by value), `S` for another order, long titles on two lines, `g`/`G`, and
a mark of how far each source was read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.workspace import Workspace
from readmark.library.ordering import arrange, natural_key
from readmark.library.summary import SourceSummary
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.widgets.source_list import SourceList, source_label


def summary(source_id: str, title: str, date: str | None = None) -> SourceSummary:
    return SourceSummary(id=source_id, title=title, format="text", date=date)


LISTING = [
    summary("talks/ep10.md", "Episode 10: Tides", "2026-03-01"),
    summary("talks/ep2.md", "episode 2: Salt", "2026-01-05"),
    summary("readme.txt", "Read me first"),
    summary("Archive/old.txt", "Écluses et canaux", "2024-06-30"),
    summary("talks/ep9.md", "Épisode 9: Locks"),
]


def test_titles_sort_as_read_numbers_by_value_case_and_accents_aside() -> None:
    titles = ["Episode 10", "episode 2", "Épisode 9", "Episode 1b"]
    assert sorted(titles, key=natural_key) == ["Episode 1b", "episode 2", "Épisode 9", "Episode 10"]


def test_by_title_the_vaults_files_first_then_each_folder() -> None:
    lines = [e.summary.id if e.summary else f"{e.folder}/" for e in arrange(LISTING)]
    assert lines == [
        "readme.txt",
        "Archive/",
        "Archive/old.txt",
        "talks/",
        "talks/ep2.md",
        "talks/ep9.md",
        "talks/ep10.md",
    ]


def test_other_orders_are_one_run() -> None:
    by_date = [e.summary.id for e in arrange(LISTING, "date") if e.summary]
    assert by_date == [
        "talks/ep10.md",
        "talks/ep2.md",
        "Archive/old.txt",
        "talks/ep9.md",  # undated last, by title: Épisode before Read
        "readme.txt",
    ]
    last_read = arrange(LISTING, "recent", recent=["talks/ep9.md"])
    recent = [e.summary.id for e in last_read if e.summary]
    assert recent[0] == "talks/ep9.md"
    counts = {"readme.txt": 4, "talks/ep2.md": 1}
    annotated = [e.summary.id for e in arrange(LISTING, "annotated", counts=counts) if e.summary]
    assert annotated[:2] == ["readme.txt", "talks/ep2.md"]


def test_a_long_title_takes_two_lines_instead_of_being_cut_short() -> None:
    long = summary(
        "n.md", "Reading notes: The Long Hot Night, or Why City Heat Kills After Dark, part two"
    )
    lines = source_label(long, width=30).plain.splitlines()
    assert lines[0] == "¶ Reading notes: The Long Hot"
    assert lines[1] == "  Night, or… Dark, part two"  # cut in the middle: the end tells parts apart
    assert len(lines) == 2
    assert source_label(summary("a.md", "Short"), width=30).plain == "¶ Short"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    folder = make_vault(HARBOUR_VAULT)
    (folder / "talks" / "episode-10.md").write_text("# Episode 10\n\nTen.\n", encoding="utf-8")
    (folder / "talks" / "episode-2.md").write_text("# Episode 2\n\nTwo.\n", encoding="utf-8")
    with Workspace(folder) as workspace:
        workspace.annotate("essays/why-harbours-silt-up.md", "When the truce breaks")
    return folder


def _prompts(listed: SourceList) -> list[str]:
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


@pytest.mark.parametrize("size", SIZES)
async def test_the_list_in_folders_g_G_and_S(vault: Path, size: tuple[int, int]) -> None:
    async with open_reader(vault, size) as r:
        listed = r.screen.query_one(SourceList)
        assert listed.shown_ids == [
            "essays/why-harbours-silt-up.md",
            "talks/episode-2.md",
            "talks/episode-10.md",
            "talks/tides-and-towns.md",
        ]
        prompts = _prompts(listed)
        assert prompts[0] == "essays/" and "talks/" in prompts
        listed.focus()
        await r.press("G")
        assert listed.highlighted_id == "talks/tides-and-towns.md"
        await r.press("g")
        assert listed.highlighted_id == "essays/why-harbours-silt-up.md"  # not the folder
        await r.press("S")
        assert isinstance(r.app.screen, ChoiceScreen)
        await r.press("4")  # most annotated, one run: the essay, then the others by title
        assert listed.order == "annotated"
        assert listed.shown_ids == [
            "essays/why-harbours-silt-up.md",
            "talks/episode-2.md",
            "talks/episode-10.md",
            "talks/tides-and-towns.md",
        ]
        prompts = _prompts(listed)
        assert "talks/" not in prompts and "essays/" not in prompts  # no folder lines...
        assert prompts[1] == "¶ Episode 2\n  talks/"  # ...the folder is said with each source


async def test_a_read_mark_shows_how_far_each_source_was_read(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        listed = r.screen.query_one(SourceList)
        label = str(listed.get_option_at_index(listed._list.highlighted or 0).prompt)
        assert "\n  ◔ 5:00" in label
        await r.press("G")
        label = str(listed.get_option_at_index(listed._list.highlighted or 0).prompt)
        assert "\n  ● 5:00" in label
        await r.press("q")
    async with open_reader(vault) as r:
        listed = r.screen.query_one(SourceList)
        labels = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(label.startswith("▶ Tides and towns\n  ● ") for label in labels)
        assert not any("◔" in label or "●" in label for label in labels if "Episode" in label)


@pytest.mark.parametrize("size", SIZES)
async def test_three_similar_long_titles_stay_told_apart_on_screen(
    make_vault: MakeVault, size: tuple[int, int]
) -> None:
    common = "Reading notes: The Long Hot Night, chapter"  # longer than a line of the list
    parts = ("one", "two", "six")
    vault = make_vault({f"notes/{part}.md": f"# {common} {part}\n\nNotes.\n" for part in parts})
    async with open_reader(vault, size) as r:
        assert r.screen.panes.shown("sources-pane")  # no source open yet: the list shows
        listing = r.sources.query_one("_Options")
        drawn = [listing.render_line(y).text.rstrip() for y in range(listing.size.height)]
        shown = " ".join(" ".join(drawn).split())
        for part in parts:  # the words that tell them apart are on screen, not cut away
            assert re.search(rf"(chapter|…) {part}\b", shown), drawn


@pytest.mark.parametrize("size", SIZES)
async def test_a_list_long_enough_to_scroll_wraps_titles_beside_its_scrollbar(
    make_vault: MakeVault, size: tuple[int, int]
) -> None:
    vault = make_vault(
        {
            f"n{n:02}.md": f"# The Shade Deficit: Why Cities Should Ration {n}\n\nA.\n"
            for n in range(40)
        }
    )
    async with open_reader(vault, size) as r:
        listing = r.sources.query_one("_Options")
        assert listing.show_vertical_scrollbar
        drawn = [listing.render_line(y).text.rstrip() for y in range(listing.size.height)]
        first_lines = [line for line in drawn if line.startswith("¶ ")]
        assert first_lines and not any(line.endswith("…") for line in first_lines), drawn
