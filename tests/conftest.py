"""Shared test settings and fixtures: per-user folders of its own for every test, a vault
factory and the small vaults several reader tests open. A running reader for Pilot tests is in
helpers/running_reader.py."""

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.small_vaults import FERRY_VAULT, HARBOUR_VAULT, OWLS_VAULT, RIVERS_VAULT
from helpers.vaults import MakeVault, VaultFiles, write_vault
from hypothesis import settings

# CI replays the same examples every run, so a red build always means a change broke something;
# a local run draws new examples each time (and `scripts/fuzz_campaign.py` many more).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Workers for `-n auto`: one per core this process may run on, at most four (a
    container may report the host's cores, and each worker holds a running app)."""
    usable = getattr(os, "sched_getaffinity", None)
    cores = len(usable(0)) if usable else (os.cpu_count() or 1)
    return max(1, min(cores, 4))


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
def collector_back_on() -> Iterator[None]:
    """`readmark` keeps the collector off until the reader paints its first frame. A test that
    starts the command with a stand-in for the reader never paints one: the collector is turned
    back on after it, as start-up would have."""
    yield
    from readmark.library.collector import start_done

    if start_done():
        gc.unfreeze()


@pytest.fixture(autouse=True)
def catch_up_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index's catch-up after a quick search runs at once, in the test's own process, so
    a test sees its effect when the command returns (one test runs the real background one)."""
    from readmark.annotations import index_catch_up

    def inline(vault: Path, _index_folder: Path) -> None:
        index_catch_up.catch_up(vault)

    monkeypatch.setattr(index_catch_up, "start", inline)


@pytest.fixture
def make_vault(tmp_path: Path) -> MakeVault:
    """Write a vault of the given files (path inside the vault: text or bytes) in the test's
    temporary folder, as `tmp_path / "vault"`, and return its folder."""

    def make(files: VaultFiles) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make


@pytest.fixture
def ferry_vault(make_vault: MakeVault) -> Path:
    """The night ferry (a timed Markdown transcript) beside a plain-text note."""
    return make_vault(FERRY_VAULT)


@pytest.fixture
def rivers_vault(make_vault: MakeVault) -> Path:
    """A long talk (an accented speaker, a long chapter) beside two short notes."""
    return make_vault(RIVERS_VAULT)


@pytest.fixture
def owls_vault(make_vault: MakeVault) -> Path:
    """A two-cue WebVTT talk (owls.vtt) with one speaker."""
    return make_vault(OWLS_VAULT)


@pytest.fixture
def harbour_vault(make_vault: MakeVault) -> Path:
    """A timed interview (tags, chapters) in talks/ and an untimed essay in essays/."""
    return make_vault(HARBOUR_VAULT)
