"""The player on an mpv it attaches to: it waits until the file is ready, seeks on the
source's clock, reports position, pause and the end, and says how mpv went away."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_mpv import FakeMpv
from readmark.media.errors import NoMedia, PlayerClosed, PlayerStopped
from readmark.media.ipc import MpvIpcClient
from readmark.media.lookup import MediaOrigin, MediaTarget
from readmark.media.player import Player, PlayerState

EPISODE = "/media/episode.opus"


@pytest.fixture
def socket_path() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rm-player-"))
    yield folder / "ipc"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def mpv(socket_path: Path) -> AsyncIterator[FakeMpv]:
    async with FakeMpv(socket_path, duration=348.0, path=EPISODE) as fake:
        yield fake


def episode(offset: float = 0.0, location: str = EPISODE) -> MediaTarget:
    return MediaTarget(location, MediaOrigin.BESIDE, offset)


@pytest.fixture
async def player(mpv: FakeMpv) -> AsyncIterator[Player]:
    attached = await Player.attach(mpv.socket_path, episode())
    yield attached
    await attached.close()


async def test_attaching_reads_position_pause_and_duration(player: Player, mpv: FakeMpv) -> None:
    assert player.state == PlayerState(position=0.0, duration=348.0, paused=True)
    assert player.attached and player.pid is None
    assert not any(c[0] == "loadfile" for c in mpv.commands)


async def test_attaching_loads_the_media_when_mpv_plays_something_else(mpv: FakeMpv) -> None:
    other = episode(location="/media/other-talk.mp3")
    player = await Player.attach(mpv.socket_path, other)
    try:
        assert ["loadfile", "/media/other-talk.mp3", "replace"] in mpv.commands
        assert mpv.path == "/media/other-talk.mp3"
        assert player.state.position == 0.0 and player.state.paused
    finally:
        await player.close()


async def test_start_waits_for_time_pos_though_duration_comes_first(mpv: FakeMpv) -> None:
    mpv.ready = False
    starting = asyncio.ensure_future(Player.attach(mpv.socket_path, episode()))
    await mpv.wait_for_commands(5)  # path, then the four observed properties
    assert not starting.done()
    assert await duration_seen_by_another_client(mpv) == 348.0
    mpv.become_ready()
    player = await asyncio.wait_for(starting, 5)
    try:
        await player.seek(61.0)
        assert mpv.position == 61.0
    finally:
        await player.close()


async def duration_seen_by_another_client(mpv: FakeMpv) -> object:
    """What another client reads as the duration while the file loads."""
    client = await MpvIpcClient.connect(mpv.socket_path)
    try:
        return await client.get_property("duration")
    finally:
        await client.close()


async def test_seek_is_on_the_source_clock(mpv: FakeMpv) -> None:
    player = await Player.attach(mpv.socket_path, episode(offset=65.0))
    try:
        await player.seek(10.0)
        assert mpv.seeks[-1] == ["seek", 75.0, "absolute+exact"]
        assert player.state.position == 10.0
        assert player.state.duration == 348.0 - 65.0
        await player.seek(-100.0)  # before the media starts: its first moment
        assert mpv.seeks[-1] == ["seek", 0.0, "absolute+exact"]
        assert player.state.position == -65.0
        assert await player.position() == -65.0
    finally:
        await player.close()


async def test_play_from_then_follow_the_clock(player: Player, mpv: FakeMpv) -> None:
    await player.play_from(120.0)
    assert not mpv.paused
    seen: list[float | None] = []
    states = player.states()
    first = await anext(states)
    assert (first.position, first.paused) == (120.0, False)
    for step in (0.5, 0.5, 2.0):
        mpv.advance(step)
        state = await anext(states)
        seen.append(state.position)
    await states.aclose()
    assert seen == [120.5, 121.0, 123.0]


async def test_pause_toggle_and_nudges(player: Player, mpv: FakeMpv) -> None:
    await player.seek(30.0)
    assert await player.toggle_pause() is False
    assert (await player.wait_until(lambda s: not s.paused)).paused is False
    assert await player.toggle_pause() is True
    await player.nudge(-5.0)
    assert mpv.seeks[-1] == ["seek", -5.0, "relative+exact"]
    assert player.state.position == 25.0
    await player.nudge(5.0)
    assert player.state.position == 30.0
    await player.play()
    await player.pause()
    assert mpv.paused and player.state.paused


async def test_the_end_of_the_media_is_reported(player: Player, mpv: FakeMpv) -> None:
    await player.play_from(346.0)
    mpv.advance(5.0)
    state = await player.wait_until(lambda s: s.ended)
    assert (state.position, state.paused, state.ended) == (348.0, True, True)
    await player.seek(10.0)  # mpv keeps the file open, so a seek brings it back
    assert not player.state.ended


async def test_a_crash_closes_the_player_with_an_error(player: Player, mpv: FakeMpv) -> None:
    await mpv.stop()
    state = await player.wait_until(lambda s: s.closed)
    assert state.error is not None and "stopped or closed the connection" in state.error
    with pytest.raises(PlayerStopped, match="stopped"):
        await player.seek(10.0)


async def test_a_crash_fails_a_command_that_was_waiting(player: Player, mpv: FakeMpv) -> None:
    mpv.silent = True
    seeking = asyncio.ensure_future(player.seek(10.0))
    await mpv.wait_for_commands(len(mpv.commands) + 1)
    await mpv.stop()
    with pytest.raises(PlayerStopped):
        await seeking
    assert player.state.closed


async def test_mpv_quit_by_its_user_closes_without_error(player: Player, mpv: FakeMpv) -> None:
    mpv.emit({"event": "end-file", "reason": "quit", "playlist_entry_id": 1})
    await mpv.stop()
    state = await player.wait_until(lambda s: s.closed)
    assert state.error is None
    with pytest.raises(PlayerClosed, match="start the player again"):
        await player.play()


async def test_closing_leaves_an_attached_mpv_running(player: Player, mpv: FakeMpv) -> None:
    updates: list[PlayerState] = []
    player.subscribe(updates.append)
    await player.close()
    await player.close()
    assert player.state.closed and updates[-1].closed
    assert not any(c[0] == "quit" for c in mpv.commands)
    assert await duration_seen_by_another_client(mpv) == 348.0
    with pytest.raises(PlayerClosed):
        await player.seek(1.0)


async def test_an_idle_mpv_without_media_has_nothing_to_play(mpv: FakeMpv) -> None:
    mpv.path = None
    mpv.ready = False
    with pytest.raises(NoMedia, match="has no file loaded"):
        await Player.attach(mpv.socket_path, None, ready_timeout=0.3)
    assert mpv.connections == [] or all(c.writer.is_closing() for c in mpv.connections)


async def test_media_mpv_cannot_open_is_reported(mpv: FakeMpv) -> None:
    mpv.unplayable.add("/media/broken.opus")
    with pytest.raises(PlayerStopped, match="could not play /media/broken.opus: loading failed"):
        await Player.attach(mpv.socket_path, episode(location="/media/broken.opus"))


async def test_a_seek_while_mpv_reloads_waits_for_the_file(player: Player, mpv: FakeMpv) -> None:
    mpv.ready = False
    mpv.emit({"event": "start-file", "playlist_entry_id": 2})
    mpv.emit({"event": "property-change", "id": 1, "name": "time-pos"})
    await player.wait_until(lambda s: s.position is None)
    sent = len(mpv.commands)
    seeking = asyncio.ensure_future(player.seek(42.0))
    await mpv.wait_for_commands(sent + 1)
    assert mpv.commands[-1][0] == "seek" and mpv.position == 0.0  # refused: not ready
    assert not seeking.done()
    mpv.become_ready()
    await asyncio.wait_for(seeking, 5)
    assert mpv.position == 42.0 and player.state.position == 42.0
