"""Choices that stick: the theme, the citation format `Y` chose, the panes hidden and the
order of the sources are there again after a restart; `[citation] default` is what `y` copies
until `Y` chooses, and a newer default in the config wins over an older choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.copied import Copied
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.citing import Citing
from readmark.annotations.settings import Settings, UserSettings, load_settings
from readmark.library.layout import settings_path
from readmark.tui.widgets.source_list import SourceList


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


def configure(text: str) -> Path:
    path = Path(__import__("os").environ["READMARK_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


SHORT = '[citation]\ndefault = "short"\n[citation.templates]\nshort = "{quote} ({timestamp})"\n'


async def test_theme_format_panes_and_order_stick_across_restarts(vault: Path) -> None:
    with Copied() as copied:
        async with open_reader(vault, (120, 36)) as r:
            await r.open("tides")
            r.app.theme = "nord"
            await r.press("t", *"0:40", "enter", "Y", "2")  # plain
            await r.press("ctrl+e")
            r.screen.sort_sources("date")
            await r.settle()
        async with open_reader(vault, (120, 36)) as r:
            await r.until(lambda: r.transcript.source is not None)
            assert r.app.theme == "nord"
            assert r.screen.query_one("#sidebar").has_class("-hidden")
            assert not r.screen.query_one("#sources-pane").has_class("-hidden")
            assert r.screen.query_one(SourceList).order == "date"
            # newest first: the talk (2026) before the essay (2025)
            assert r.screen.query_one(SourceList).shown_ids[0] == "talks/tides-and-towns.md"
            await r.press("y")
    assert copied[0].startswith('"Thanks." — Ben Rowe, Tides and towns')  # plain, not markdown
    assert copied[1] == copied[0]


@pytest.mark.parametrize("size", SIZES)
async def test_y_copies_in_the_configured_default(vault: Path, size: tuple[int, int]) -> None:
    configure(SHORT)
    with Copied() as copied:
        async with open_reader(vault, size) as r:
            await r.open("tides")
            await r.press("t", *"0:40", "enter", "y")
    assert copied == ["Thanks. (0:40)"]


def test_a_default_changed_in_the_config_after_y_chose_wins(tmp_path: Path) -> None:
    configure('[citation]\ndefault = "plain"\n')
    citing = Citing()
    assert citing.format() == "plain"
    citing.choose("markdown")
    assert Citing().format() == "markdown"  # remembered: a new session, the command line
    configure(SHORT)  # edited since: the newer decision
    assert Citing().format() == "short"


def test_the_settings_file_is_per_user_and_damage_reads_as_defaults(tmp_path: Path) -> None:
    settings = UserSettings()
    assert settings.remember(theme="gruvbox", hidden_panes=("sidebar",), source_order="recent")
    assert settings_path().parent == Path(__import__("os").environ["READMARK_STATE_DIR"])
    raw = json.loads(settings_path().read_text(encoding="utf-8"))
    assert raw["theme"] == "gruvbox" and raw["hidden_panes"] == ["sidebar"]
    settings_path().write_text('{"theme": 3, "source_order": "sideways", "hidden_panes": "x"}')
    assert load_settings() == Settings()
    settings_path().write_text("not json")
    assert load_settings() == Settings()
