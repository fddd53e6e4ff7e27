"""Starting mpv: the command line, a private socket folder, errors with mpv's last words, and
no mpv left behind, whether closed, hung, crashed, or forgotten at exit."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.mpv_processes import gone, gone_within, run_and_kill
from readmark.media.config import PlayerConfig
from readmark.media.errors import MpvNotInstalled, NoMedia, PlayerStopped
from readmark.media.lookup import MediaOrigin, MediaTarget
from readmark.media.player import Player

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "helpers" / "fake_mpv_program.py"


@pytest.fixture
def fake_mpv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An executable standing in for mpv; returns the file it records its start in."""
    program = tmp_path / "mpv"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{PROGRAM}" "$@"\n')
    program.chmod(0o755)
    record = tmp_path / "started.json"
    monkeypatch.setenv("READMARK_FAKE_MPV_RECORD", str(record))
    yield record


@pytest.fixture
def media(tmp_path: Path) -> MediaTarget:
    audio = tmp_path / "river-towns.opus"
    audio.write_bytes(b"OggS not really audio")
    return MediaTarget(str(audio), MediaOrigin.BESIDE, 0.0)


def config(tmp_path: Path, **settings: object) -> PlayerConfig:
    return PlayerConfig(mpv=str(tmp_path / "mpv"), **settings)  # type: ignore[arg-type]


def started(record: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(record.read_text())
    return data


async def test_launch_runs_mpv_quietly_on_a_private_socket(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    settings = config(tmp_path, extra_args=("--ao=null", "--volume=50"))
    player = await Player.launch(media, settings)
    try:
        assert player.state.position == 0.0 and player.state.paused
        run = started(fake_mpv)
        argv = run["argv"]
        assert isinstance(argv, list)
        socket = next(a.split("=", 1)[1] for a in argv if a.startswith("--input-ipc-server="))
        folder = Path(socket).parent
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        lifeline = next(a for a in argv if a.startswith("--input-ipc-client=fd://"))
        assert argv == [
            "--no-config",
            "--no-terminal",
            "--pause",
            "--keep-open=yes",
            "--idle=once",
            f"--input-ipc-server={folder / 'ipc'}",
            f"--log-file={folder / 'mpv.log'}",
            lifeline,
            "--no-video",
            "--ao=null",
            "--volume=50",
            "--",
            media.location,
        ]
        assert run["stdio_devnull"] is True
        assert player.pid == run["pid"] and not player.attached
        await player.seek(12.0)
        assert player.state.position == 12.0
    finally:
        await player.close()
    assert gone(player.pid or 0)
    assert not folder.exists()
    assert player.state.closed and player.state.error is None


async def test_video_is_shown_when_asked(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    player = await Player.launch(media, config(tmp_path, video=True))
    await player.close()
    assert "--no-video" not in started(fake_mpv)["argv"]  # type: ignore[operator]


async def test_missing_mpv_says_how_to_install_it(media: MediaTarget) -> None:
    with pytest.raises(MpvNotInstalled) as missing:
        await Player.launch(media, PlayerConfig(mpv="readmark-test-no-such-mpv"))
    message = str(missing.value)
    assert "readmark-test-no-such-mpv" in message and "not found on PATH" in message
    assert "install mpv" in message and "[player] mpv" in message


async def test_a_missing_media_file_is_no_media(tmp_path: Path, fake_mpv: Path) -> None:
    gone_file = MediaTarget(str(tmp_path / "moved-away.mp3"), MediaOrigin.BESIDE)
    with pytest.raises(NoMedia, match="moved-away.mp3"):
        await Player.launch(gone_file, config(tmp_path))
    assert not fake_mpv.exists()  # mpv was not even started


async def test_mpv_failing_to_load_reports_its_last_error(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "fail-load")
    with pytest.raises(PlayerStopped) as stopped:
        await Player.launch(media, config(tmp_path))
    assert str(stopped.value) == f"mpv stopped: Failed to open {media.location}."
    run = started(fake_mpv)
    assert gone(int(str(run["pid"])))
    assert not list(Path(tempfile_root(run)).glob("*"))


def tempfile_root(run: dict[str, object]) -> Path:
    """The socket folder mpv was given (removed after it stops)."""
    argv = run["argv"]
    assert isinstance(argv, list)
    socket = next(a.split("=", 1)[1] for a in argv if a.startswith("--input-ipc-server="))
    return Path(socket).parent


async def test_an_option_mpv_rejects_points_at_extra_args(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "bad-option")
    with pytest.raises(PlayerStopped, match=r"exit status 1.*\[player\] extra_args"):
        await Player.launch(media, config(tmp_path, extra_args=("--no-such-option",)))
    assert not tempfile_root(started(fake_mpv)).exists()


async def test_a_crash_while_playing_fails_the_command_with_mpvs_words(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "crash-on-play")
    player = await Player.launch(media, config(tmp_path))
    with pytest.raises(PlayerStopped, match="mpv stopped: The audio device went away."):
        await player.play_from(30.0)
    assert player.state.closed
    assert player.state.error == "mpv stopped: The audio device went away."
    assert gone(player.pid or 0)
    assert not tempfile_root(started(fake_mpv)).exists()
    # A new player starts as the first did.
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "play")
    again = await Player.launch(media, config(tmp_path))
    await again.close()


async def test_mpv_killed_from_outside_is_told_as_such_with_its_last_logged_error(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    player = await Player.launch(media, config(tmp_path))
    argv = started(fake_mpv)["argv"]
    assert isinstance(argv, list)
    log = Path(next(a for a in argv if a.startswith("--log-file=")).split("=", 1)[1])
    with log.open("a", encoding="utf-8") as file:
        file.write("[   1.250][e][ao/null] illegal state: start() while paused\n")
    os.kill(player.pid or 0, signal.SIGKILL)
    state = await player.wait_until(lambda s: s.closed)
    # An error logged earlier may have nothing to do with the end: the signal comes first.
    assert state.error == (
        "mpv was ended by signal 9; the last error it logged: illegal state: start() while paused."
    )


async def test_closing_kills_an_mpv_that_will_not_quit(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "hang")
    player = await Player.launch(media, config(tmp_path))
    pid = player.pid or 0
    await player.close(grace=0.2)
    assert gone(pid)
    assert not tempfile_root(started(fake_mpv)).exists()


def test_no_mpv_outlives_the_program_that_started_it(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio
        from readmark.media.config import PlayerConfig
        from readmark.media.lookup import MediaOrigin, MediaTarget
        from readmark.media.player import Player

        async def main():
            media = MediaTarget({media.location!r}, MediaOrigin.BESIDE)
            player = await Player.launch(media, PlayerConfig(mpv={str(tmp_path / "mpv")!r}))
            await player.play()
            print(player.pid, flush=True)

        asyncio.run(main())
        """
    )
    environment = dict(os.environ, READMARK_FAKE_MPV_MODE="hang")
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    pid = int(done.stdout.strip())
    assert pid == started(fake_mpv)["pid"]
    assert gone(pid)
    assert not tempfile_root(started(fake_mpv)).exists()


def test_mpv_quits_when_the_program_that_started_it_is_killed(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    pid = run_and_kill(media.location, str(tmp_path / "mpv"))
    assert pid == started(fake_mpv)["pid"]
    assert gone_within(pid, 5.0)


async def test_an_mpv_older_than_0_33_is_started_without_the_lifeline(
    tmp_path: Path, fake_mpv: Path, media: MediaTarget
) -> None:
    old = tmp_path / "mpv-0.32"
    old.write_text(
        '#!/bin/sh\nif [ "$1" = "--no-config" ] && [ "$2" = "--version" ]; then\n'
        '  echo "mpv 0.32.0 Copyright"; exit 0\nfi\n'
        f'exec "{tmp_path / "mpv"}" "$@"\n'
    )
    old.chmod(0o755)
    player = await Player.launch(media, PlayerConfig(mpv=str(old)))
    try:
        argv = started(fake_mpv)["argv"]
        assert isinstance(argv, list)
        assert not any(a.startswith("--input-ipc-client") for a in argv)  # it would refuse it
        assert player.state.position == 0.0
    finally:
        await player.close()
