"""Shared test settings."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same examples every run, so a red build always means a change broke something;
# a local run draws new examples each time (and `scripts/fuzz_campaign.py` many more).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test gets its own per-user folders (cache, state, data, config), in a temporary
    folder of its own: none reads or writes the real ones, and no test sees another's index."""
    base = tmp_path_factory.mktemp("user")
    names = {
        "READMARK_CACHE_DIR": base / "cache",
        "READMARK_STATE_DIR": base / "state",
        "READMARK_DATA_DIR": base / "data",
        "READMARK_CONFIG": base / "config" / "config.toml",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, path in names.items():
            patch.setenv(name, str(path))
        yield base


@pytest.fixture(autouse=True)
def catch_up_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index's catch-up after a quick search runs at once, in the test's own process, so
    a test sees its effect when the command returns (one test runs the real background one)."""
    from readmark.annotations import index_catch_up

    def inline(vault: Path, _index_folder: Path) -> None:
        index_catch_up.catch_up(vault)

    monkeypatch.setattr(index_catch_up, "start", inline)
