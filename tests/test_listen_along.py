"""Listening along in the reader: p plays from the cursor, the cursor follows what is said, a
move of the reader's own detaches and f follows again, the player bar, failures told once.

The reader attaches (`[player] socket`) to a fake mpv whose clock the test moves; the failures
of a launched mpv use the fake mpv program.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import wave
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fake_mpv import FakeMpv
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.media.ipc import MpvIpcClient
from readmark.tui.app import ReadmarkApp
from readmark.tui.player_service import PlayerService
from readmark.tui.widgets.player_bar import PlayerBar
from textual import events
from textual.pilot import Pilot

LOCKS = """---
title: The lock keeper
channel: Canal Hour
media_offset: 3
---

[0:00] The gates open at dawn. Barges wait
[0:05] in a line below the weir.
[0:10] Water climbs slowly in the chamber.
[0:20] A lock takes nine minutes to fill.
[0:30] The keeper logs every boat by hand and
[0:35] knows each pilot by name.
[0:40] At dusk the paddles are chained shut.
[0:50] Then the towpath goes quiet.
"""
"""A timed transcript whose media starts 3 s before its clock (`media_offset: 3`)."""

UNTIMED = "A note on sluices.\n\nThey are older than the locks.\n"
PROGRAM = Path(__file__).resolve().parent / "helpers" / "fake_mpv_program.py"


@pytest.fixture
def socket_path() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rm-listen-"))
    yield folder / "ipc"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def mpv(socket_path: Path) -> AsyncIterator[FakeMpv]:
    async with FakeMpv(socket_path, duration=63.0, path=None) as fake:
        yield fake


def write_config(text: str) -> None:
    config = Path(os.environ["READMARK_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


@pytest.fixture
def vault(make_vault: MakeVault, socket_path: Path) -> Path:
    write_config(f'[player]\nsocket = "{socket_path}"\ncapture_back = 2\nresume_back = 3\n')
    return make_vault({"locks.md": LOCKS, "locks.opus": b"OggS", "sluices.txt": UNTIMED})


def bar(r: RunningReader) -> str:
    widget = r.screen.query_one(PlayerBar)
    return str(widget.render()) if widget.display else ""


async def play_at(r: RunningReader, mpv: FakeMpv, words: str) -> None:
    """Put the cursor on the sentence starting with `words`, press p, wait until it plays."""
    await r.press("slash", *words, "enter", "escape")
    assert r.cursor_text().startswith(words)
    await r.press("p")
    await r.until(lambda: not mpv.paused and "following" in bar(r))


async def clock_to(r: RunningReader, mpv: FakeMpv, media_seconds: float) -> None:
    mpv.advance(media_seconds - mpv.position)
    await r.until(lambda: r.screen.listening.service.state is not None)
    await r.until(lambda: f"{_clock(media_seconds - 3)} /" in bar(r))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


async def test_p_plays_from_the_cursor_sentence_on_the_media_clock(
    vault: Path, mpv: FakeMpv
) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "A lock takes")
        # The sentence's time is 0:20 on the transcript; the media runs 3 s ahead of it.
        assert mpv.seeks[-1] == ["seek", 23.0, "absolute+exact"]
        assert ["loadfile", str(vault / "locks.opus"), "replace"] in mpv.commands
        assert bar(r) == "▶ 0:20 / 1:00 · following"
        # A sentence that starts between two times: placed by its share of the words.
        await r.press("slash", *"Barges", "enter", "escape", "p")
        await r.until(lambda: mpv.seeks[-1][1] != 23.0)
        seek = mpv.seeks[-1]
        assert 3 + 3.0 < float(str(seek[1])) < 3 + 4.0
        assert r.cursor_text() == "Barges wait"


async def test_the_cursor_follows_what_is_said(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "The gates")
        for media_seconds, said in [
            (8.5, "in a line below the weir."),
            (14.0, "Water climbs slowly in the chamber."),
            (33.5, "The keeper logs every boat by hand and"),
            (47.0, "At dusk the paddles are chained shut."),
        ]:
            await clock_to(r, mpv, media_seconds)
            assert r.cursor_text() == said
        # The view keeps the followed sentence in sight.
        transcript = r.transcript
        line = transcript._line_of_sentence(transcript.cursor)
        top = transcript.scroll_offset.y
        assert top <= line < top + transcript.scrollable_content_region.height
        assert r.toasts == []


async def test_a_reader_move_detaches_and_f_follows_again(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "The gates")
        await clock_to(r, mpv, 14.0)
        before = r.screen.listening.service.listening()
        assert before is not None and before.following
        await r.press("g")
        assert r.cursor_text() == "The gates open at dawn."
        assert bar(r) == "▶ detached (f)"
        assert r.toasts == ["Stopped following: f follows the audio again."]
        # A state the player sent just before the move, handled after it, does not pull back.
        r.screen.post_message(PlayerService.Changed(before))
        await r.settle()
        assert r.cursor_text() == "The gates open at dawn."
        assert bar(r) == "▶ detached (f)"
        await clock_to_detached(r, mpv, 24.0)
        assert r.cursor_text() == "The gates open at dawn."  # it stays where the reader is
        await r.press("j", "j")
        assert len(r.toasts) == 1  # said once
        await r.press("f")
        await r.until(lambda: r.cursor_text() == "A lock takes nine minutes to fill.")
        assert bar(r) == "▶ 0:21 / 1:00 · following"


async def test_scrolling_the_text_detaches_too(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "The gates")
        transcript = r.transcript
        wheel = events.MouseScrollDown(transcript, 5, 5, 0, 1, 0, False, False, False)
        transcript.post_message(wheel)
        await r.settle()
        assert bar(r) == "▶ detached (f)"
        assert r.toasts == ["Stopped following: f follows the audio again."]
        await clock_to_detached(r, mpv, 24.0)
        assert r.cursor_text() == "The gates open at dawn."  # the view stays the reader's


async def clock_to_detached(r: RunningReader, mpv: FakeMpv, media_seconds: float) -> None:
    mpv.advance(media_seconds - mpv.position)
    state = r.screen.listening.service

    await r.until(lambda: state.state is not None and state.state.position == media_seconds - 3)


async def test_space_pauses_and_nudges_move_playback(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        await r.press("space")
        await r.until(lambda: mpv.paused and bar(r).startswith("⏸ "))
        assert bar(r) == "⏸ 0:10 / 1:00 · following"
        await r.press("full_stop")
        await r.until(lambda: mpv.position == 18.0)
        assert r.cursor_text() == "Water climbs slowly in the chamber."
        await r.press("full_stop", "full_stop")
        await r.until(lambda: r.cursor_text() == "A lock takes nine minutes to fill.")
        await r.press("comma")
        await r.until(lambda: mpv.position == 23.0)
        await r.press("space")
        await r.until(lambda: not mpv.paused)


async def test_enter_moves_a_running_player_to_the_cursor(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("enter")  # nothing plays: enter leaves the player alone
        assert mpv.seeks == [] and r.toasts == []
        await play_at(r, mpv, "The gates")
        await r.press("G")
        await r.press("enter")
        await r.until(lambda: mpv.seeks[-1] == ["seek", 53.0, "absolute+exact"])
        assert bar(r) == "▶ detached (f)"


async def test_h_while_following_takes_the_sentence_said_capture_back_earlier(
    vault: Path, mpv: FakeMpv
) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        await clock_to(r, mpv, 24.0)  # 0:21 said now: "A lock takes…"; 2 s ago, "Water climbs…"
        assert r.cursor_text() == "A lock takes nine minutes to fill."
        await r.press("h")
        quotes = [a.quote for a in r.sidebar.annotations]
        assert quotes == ["Water climbs slowly in the chamber."]
        assert "following" in bar(r)  # an annotation key is not a move


async def test_a_note_editor_pauses_and_resumes_a_little_earlier(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        await clock_to(r, mpv, 30.0)
        await r.press("a")
        await r.until(lambda: mpv.paused)
        await r.press(*"Slow on purpose.", "escape")
        await r.until(lambda: not mpv.paused)
        # Resumed 3 s before where it paused (27 s on the transcript's clock, 30 on the media's).
        assert mpv.seeks[-1] == ["seek", 27.0, "absolute+exact"]
        assert "following" in bar(r)


async def test_a_crash_is_told_once_and_the_next_p_connects_again(
    vault: Path, mpv: FakeMpv
) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        await mpv.stop()
        await r.until(lambda: bar(r) == "")
        await r.press("f")
        told = r.toasts
        assert len(told) == 2
        assert "stopped or closed the connection" in told[0] and "p starts it again" in told[0]
        assert told[1] == "The player was closed: p starts a new one."
        await r.press("j")  # other keys keep working
        assert r.cursor_text() == "A lock takes nine minutes to fill."
        await mpv.start()
        await r.press("p")
        await r.until(lambda: not mpv.paused and "following" in bar(r))
        assert mpv.seeks[-1] == ["seek", 23.0, "absolute+exact"]


async def test_mpv_closed_by_its_user_is_told_and_the_next_p_starts_again(
    vault: Path, mpv: FakeMpv, socket_path: Path
) -> None:
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        outside = await MpvIpcClient.connect(socket_path)  # as mpv's own q key would
        await outside.command("quit")
        await outside.close()
        await r.until(lambda: bar(r) == "")
        assert r.toasts == ["The player was closed: p starts a new one."]
        await mpv.stop()
        await mpv.start()
        await r.press("p")
        await r.until(lambda: not mpv.paused and "following" in bar(r))


async def test_a_source_without_times_says_so(vault: Path, mpv: FakeMpv) -> None:
    async with open_reader(vault) as r:
        await r.open("sluices")
        await r.press("p")
        assert len(r.toasts) == 1 and "no times" in r.toasts[0]
        assert mpv.commands == []


async def test_no_media_says_where_to_put_it(make_vault: MakeVault, socket_path: Path) -> None:
    write_config(f'[player]\nsocket = "{socket_path}"\n')
    vault = make_vault({"locks.md": LOCKS})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: bool(r.toasts))
        (told,) = r.toasts
        assert told.startswith("No media for locks.md: put the audio or video beside it")
        assert "media: path/or/url" in told


async def test_without_a_media_file_capital_p_plays_the_sources_url(
    make_vault: MakeVault, socket_path: Path, mpv: FakeMpv
) -> None:
    write_config(f'[player]\nsocket = "{socket_path}"\n')
    linked = LOCKS.replace(
        "channel:", "url: https://www.youtube.com/watch?v=lockkeeper1&t=20\nchannel:"
    )
    vault = make_vault({"locks.md": linked})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: bool(r.toasts))
        (told,) = r.toasts
        assert told.startswith("No media for locks.md") and told.endswith("P plays it from there.")
        assert mpv.commands == []
        await r.press("P")
        await r.until(lambda: "following" in bar(r))
        # The link's own time is left off: readmark seeks to the cursor's.
        page = "https://www.youtube.com/watch?v=lockkeeper1"
        assert ["loadfile", page, "replace"] in mpv.commands
        assert mpv.seeks[-1] == ["seek", 3.0, "absolute+exact"]


async def test_another_source_stops_following_quietly_and_keeps_the_audio_until_it_plays(
    make_vault: MakeVault, socket_path: Path, mpv: FakeMpv
) -> None:
    write_config(f'[player]\nsocket = "{socket_path}"\n')
    weirs = LOCKS.replace("The lock keeper", "Weirs at night")
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS", "weirs.md": weirs})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await play_at(r, mpv, "Water climbs")
        await r.press("shift+tab", "shift+tab")
        await r.press("escape", "slash", *"weirs", "enter")
        await r.until(
            lambda: r.transcript.source is not None and r.transcript.source.id == "weirs.md"
        )
        assert bar(r) == "▶ detached (f)" and r.toasts == []  # the audio plays on
        await r.press("f")
        assert (
            r.toasts[-1]
            == "The player is playing another source: p plays this one from the cursor."
        )
        await r.press("p")  # weirs.md has no media: the lock keeper goes on playing
        await r.until(lambda: len(r.toasts) == 2)
        assert r.toasts[-1].startswith("No media for weirs.md")
        assert bar(r) == "▶ detached (f)" and not mpv.paused


async def test_missing_mpv_says_how_to_install_it(make_vault: MakeVault, tmp_path: Path) -> None:
    write_config(f'[player]\nmpv = "{tmp_path / "no-such-mpv"}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: bool(r.toasts))
        (told,) = r.toasts
        assert told.startswith("mpv is not installed")
        assert "sudo apt install mpv" in told
        await r.press("j")
        assert r.cursor_text() == "Barges wait"


@pytest.fixture
def fake_mpv_program(tmp_path: Path) -> Path:
    program = tmp_path / "mpv"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{PROGRAM}" "$@"\n')
    program.chmod(0o755)
    return program


async def test_mpv_dying_is_told_with_its_last_error_line(
    make_vault: MakeVault, fake_mpv_program: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READMARK_FAKE_MPV_MODE", "crash-on-play")
    write_config(f'[player]\nmpv = "{fake_mpv_program}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: bool(r.toasts))
        assert r.toasts == ["mpv stopped: The audio device went away. p starts it again."]
        assert bar(r) == ""


async def test_quitting_leaves_no_mpv_running(
    make_vault: MakeVault, fake_mpv_program: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "started.json"
    monkeypatch.setenv("READMARK_FAKE_MPV_RECORD", str(record))
    write_config(f'[player]\nmpv = "{fake_mpv_program}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: "following" in bar(r))
        pid = r.screen.listening.service._player.pid  # type: ignore[union-attr]
        assert pid is not None and running(pid)
        await r.press("q")
    assert not running(pid)


async def test_a_crash_of_the_reader_leaves_no_mpv_running(
    make_vault: MakeVault, fake_mpv_program: Path
) -> None:
    write_config(f'[player]\nmpv = "{fake_mpv_program}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})

    def broken() -> None:
        raise RuntimeError("a bug in the reader")

    pid = None
    with pytest.raises(RuntimeError, match="a bug in the reader"):
        async with open_reader(vault) as r:
            await r.open("keeper")
            await r.press("p")
            await r.until(lambda: "following" in bar(r))
            pid = r.screen.listening.service._player.pid  # type: ignore[union-attr]
            r.app.call_later(broken)
            await r.pilot.pause()
    assert pid is not None and not running(pid)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_over_ssh_the_first_p_says_where_the_audio_plays(
    make_vault: MakeVault, fake_mpv_program: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(f'[player]\nmpv = "{fake_mpv_program}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.7 51000 192.0.2.1 22")
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("p")
        await r.until(lambda: "following" in bar(r))
        await r.press("j", "p")
        told = [t for t in r.toasts if "audio plays on" in t]
        assert len(told) == 1 and "[player] socket" in told[0]


def test_header_with_the_player_bar(  # type: ignore[no-untyped-def]
    snap_compare, make_vault: MakeVault, socket_path: Path
) -> None:
    write_config(f'[player]\nsocket = "{socket_path}"\n')
    vault = make_vault({"locks.md": LOCKS, "locks.opus": b"OggS"})
    fakes: list[FakeMpv] = []

    async def run_before(pilot: Pilot[None]) -> None:
        fake = FakeMpv(socket_path, duration=63.0, path=None)
        fakes.append(fake)
        await fake.start()
        r = RunningReader(pilot.app, pilot)  # type: ignore[arg-type]
        await r.settle()
        await r.until(lambda: bool(r.sources.shown_ids))
        await r.open("keeper")
        await play_at(r, fake, "Water climbs")
        await clock_to(r, fake, 24.0)
        await r.press("space")
        await r.until(lambda: bar(r).startswith("⏸"))

    assert snap_compare(ReadmarkApp(vault), terminal_size=(80, 24), run_before=run_before)
    assert fakes and fakes[0].paused


@pytest.mark.skipif(shutil.which("mpv") is None, reason="mpv is not installed")
async def test_with_a_real_mpv_the_cursor_follows_a_silent_wav(make_vault: MakeVault) -> None:
    write_config('[player]\nextra_args = ["--ao=null"]\n')
    vault = make_vault({"locks.md": LOCKS})
    with wave.open(str(vault / "locks.wav"), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * 8000 * 60)
    async with open_reader(vault) as r:
        await r.open("keeper")
        await r.press("slash", *"in a line", "enter", "escape", "p")
        await r.until(lambda: "following" in bar(r))
        player = r.screen.listening.service.state
        assert player is not None and not player.paused
        pid = r.screen.listening.service._player.pid  # type: ignore[union-attr]
        assert pid is not None and running(pid)
        # 0:05 on the transcript (8 s into the WAV); within 5 s of playing the next line comes.
        await r.until(lambda: r.cursor_text() == "Water climbs slowly in the chamber.", seconds=10)
        # (It moves a quarter second early, FOLLOW_LEAD; the WAV lasts 0:57 on this clock.)
        assert re.fullmatch(r"▶ 0:(09|1\d) / 0:57 · following", bar(r))
        await r.press("q")
    assert not running(pid)
