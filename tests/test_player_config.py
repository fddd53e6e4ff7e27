"""The `[player]` settings: defaults without a config file, every key read, and a message
naming the key when a value cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest
from readmark.annotations.config import ConfigError
from readmark.media.config import (
    DEFAULT_CAPTURE_BACK,
    DEFAULT_RESUME_BACK,
    PlayerConfig,
    load_player_config,
)
from readmark.media.remote import remote_audio_notice


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("READMARK_CONFIG", str(path))
    return path


def test_defaults_without_a_config_file(config_file: Path) -> None:
    settings = load_player_config()
    assert settings == PlayerConfig()
    assert settings.mpv == "mpv" and settings.socket is None and not settings.video
    assert settings.extra_args == ()
    assert (settings.capture_back, settings.resume_back) == (
        DEFAULT_CAPTURE_BACK,
        DEFAULT_RESUME_BACK,
    )


def test_every_setting_is_read(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/reader")
    config_file.write_text(
        "[citation]\ndefault = 'apa'\n\n"
        "[player]\n"
        'mpv = "/opt/mpv/bin/mpv"\n'
        'socket = "~/.cache/mpv.sock"\n'
        "video = true\n"
        'extra_args = ["--ao=null", "--speed=1.25"]\n'
        "capture_back = 4\n"
        "resume_back = 1.5\n"
    )
    assert load_player_config() == PlayerConfig(
        mpv="/opt/mpv/bin/mpv",
        socket=Path("/home/reader/.cache/mpv.sock"),
        video=True,
        extra_args=("--ao=null", "--speed=1.25"),
        capture_back=4.0,
        resume_back=1.5,
    )


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ("player = 3", "`player` must be a table"),
        ("[player]\nmpv = 3", "player.mpv"),
        ('[player]\nmpv = "  "', "player.mpv"),
        ("[player]\nsocket = 7", "player.socket"),
        ('[player]\nvideo = "yes"', "player.video"),
        ('[player]\nextra_args = "--ao=null"', "player.extra_args"),
        ("[player]\nextra_args = [1]", "player.extra_args"),
        ('[player]\ncapture_back = "2s"', "player.capture_back"),
        ("[player]\nresume_back = -1", "player.resume_back"),
        ("[player]\nresume_back = true", "player.resume_back"),
        ("[player]\ncapture-back = 2", "no setting 'capture-back'"),
    ],
)
def test_bad_values_name_the_key(config_file: Path, table: str, named: str) -> None:
    config_file.write_text(table + "\n")
    with pytest.raises(ConfigError) as bad:
        load_player_config()
    assert named in str(bad.value) and str(config_file) in str(bad.value)


def test_over_ssh_the_first_play_says_where_the_sound_goes() -> None:
    remote = {"SSH_CONNECTION": "10.0.0.2 51000 10.0.0.9 22", "TERM": "xterm"}
    notice = remote_audio_notice(PlayerConfig(), remote)
    assert notice is not None
    assert "not on your computer" in notice and "[player] socket" in notice
    assert "ssh -R" in notice and "--input-ipc-server=" in notice
    # A socket set up already, or a local terminal: nothing to say.
    assert remote_audio_notice(PlayerConfig(socket=Path("/tmp/readmark-mpv.sock")), remote) is None
    assert remote_audio_notice(PlayerConfig(), {"TERM": "xterm"}) is None
