"""The mpv IPC client: replies find their commands, mpv's errors surface, a vanished mpv
fails what was waiting, and nothing mpv (or a broken line) sends can derail it."""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_mpv import FakeMpv
from readmark.media.errors import MpvCommandError, MpvDisconnected, PlayerTimeout, SocketUnavailable
from readmark.media.ipc import LINE_LIMIT, MpvEvent, MpvIpcClient


@pytest.fixture
def socket_path() -> Iterator[Path]:
    # A short folder: a Unix socket path must stay under about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="rm-ipc-"))
    yield folder / "ipc"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def mpv(socket_path: Path) -> AsyncIterator[FakeMpv]:
    async with FakeMpv(socket_path, duration=120.0) as fake:
        yield fake


@pytest.fixture
async def client(mpv: FakeMpv) -> AsyncIterator[MpvIpcClient]:
    connected = await MpvIpcClient.connect(mpv.socket_path)
    yield connected
    await connected.close()


def recorder(client: MpvIpcClient) -> list[MpvEvent]:
    events: list[MpvEvent] = []
    client.subscribe(events.append)
    return events


async def test_replies_find_their_commands_between_events_and_out_of_order(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    events = recorder(client)
    mpv.position = 42.5
    mpv.holding = True
    asked = [
        asyncio.ensure_future(client.get_property(name))
        for name in ("time-pos", "duration", "pause")
    ]
    await mpv.wait_for_commands(3)
    mpv.emit({"event": "playback-restart"})
    mpv.emit({"event": "property-change", "id": 9, "name": "volume", "data": 80})
    mpv.release_replies(reverse=True)
    assert await asyncio.gather(*asked) == [42.5, 120.0, True]
    assert [e.name for e in events] == ["playback-restart", "property-change"]
    assert (events[1].property, events[1].value, events[1].observer_id) == ("volume", 80, 9)


async def test_mpv_refusal_raises_its_own_words(mpv: FakeMpv, client: MpvIpcClient) -> None:
    with pytest.raises(MpvCommandError) as refused:
        await client.get_property("no-such-property")
    assert refused.value.error == "property not found"
    assert "get_property" in str(refused.value) and "property not found" in str(refused.value)
    # The connection is still good for the next command.
    assert await client.get_property("duration") == 120.0


async def test_seek_before_the_file_is_ready_fails_as_in_mpv(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    mpv.ready = False
    assert await client.get_property("duration") == 120.0
    with pytest.raises(MpvCommandError) as refused:
        await client.command("seek", 10, "absolute")
    assert refused.value.error == "error running command"
    mpv.become_ready()
    assert await client.command("seek", 10, "absolute") is None
    assert await client.get_property("time-pos") == 10.0


async def test_observing_gives_the_value_at_once_then_each_change(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    changes: list[object] = []
    arrived = asyncio.Event()

    def on_event(event: MpvEvent) -> None:
        if event.name == "property-change" and event.property == "time-pos":
            changes.append(event.value)
            arrived.set()

    client.subscribe(on_event)
    observer = await client.observe_property("time-pos")
    await asyncio.wait_for(arrived.wait(), 5)
    await client.set_property("pause", False)
    for _ in range(2):
        arrived.clear()
        mpv.advance(1.5)
        await asyncio.wait_for(arrived.wait(), 5)
    assert changes == [0.0, 1.5, 3.0]
    assert mpv.connections[0].observers == {observer: "time-pos"}


async def test_mpv_going_away_fails_every_pending_command(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    mpv.silent = True
    pending = [asyncio.ensure_future(client.get_property("time-pos")) for _ in range(3)]
    await mpv.wait_for_commands(3)
    await mpv.stop()
    for task in pending:
        with pytest.raises(MpvDisconnected, match="quit or crashed"):
            await task
    await asyncio.wait_for(client.wait_closed(), 5)
    assert client.closed
    with pytest.raises(MpvDisconnected):
        await client.get_property("time-pos")


async def test_lines_that_are_not_messages_are_skipped(mpv: FakeMpv, client: MpvIpcClient) -> None:
    events = recorder(client)
    mpv.send_raw(b"not json at all\n")
    mpv.send_raw(b"[1, 2, 3]\n")
    mpv.send_raw(b"\xff\xfe\x00 bytes\n\n")
    mpv.send_raw(b'{"request_id": 999, "error": "success", "data": 1}\n')
    mpv.send_raw(b'{"truncated": \n')
    mpv.send_raw(b'{"event": "file-loaded", "name": "caf\xe9.opus"}\n')
    mpv.send_raw(b'"' + b"x" * (LINE_LIMIT + 10) + b'"\n')
    mpv.send_raw(b'{"event": "playback-restart"}\n')
    assert await client.get_property("duration") == 120.0
    assert [e.name for e in events] == ["file-loaded", "playback-restart"]
    assert events[0].property == "caf\ufffd.opus"


async def test_a_failing_listener_does_not_stop_the_others(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    loop = asyncio.get_running_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))

    def broken(event: MpvEvent) -> None:
        raise RuntimeError("listener bug")

    client.subscribe(broken)
    events = recorder(client)
    mpv.emit({"event": "playback-restart"})
    assert await client.get_property("pause") is True
    assert [e.name for e in events] == ["playback-restart"]
    assert reported == ["mpv event listener failed on playback-restart"]


async def test_a_hung_mpv_times_out_instead_of_hanging_the_caller(
    mpv: FakeMpv, client: MpvIpcClient
) -> None:
    mpv.silent = True
    with pytest.raises(PlayerTimeout, match="did not answer 'get_property'"):
        await client.get_property("time-pos", timeout=0.2)
    mpv.silent = False
    assert await client.get_property("duration") == 120.0


async def test_missing_and_stale_sockets_say_what_to_do(socket_path: Path) -> None:
    with pytest.raises(SocketUnavailable, match="No mpv socket") as missing:
        await MpvIpcClient.connect(socket_path)
    assert f"--input-ipc-server={socket_path}" in str(missing.value)
    # A socket file left behind by an mpv that has quit refuses connections.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(socket_path))
    stale.close()
    with pytest.raises(SocketUnavailable, match="has quit"):
        await MpvIpcClient.connect(socket_path)
