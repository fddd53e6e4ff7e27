"""The player against the real mpv, on a silent WAV: start, seek, play, pause, close."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest
from helpers.mpv_processes import gone, gone_within, run_and_kill
from readmark.media.config import PlayerConfig
from readmark.media.errors import PlayerStopped
from readmark.media.lookup import find_media
from readmark.media.player import Player

pytestmark = pytest.mark.skipif(shutil.which("mpv") is None, reason="mpv is not installed")

SECONDS = 20
RATE = 8000
QUIET = PlayerConfig(extra_args=("--ao=null",))


def silent_wav(path: Path, seconds: int = SECONDS) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(RATE)
        audio.writeframes(b"\x00\x00" * RATE * seconds)
    return path


async def test_real_mpv_plays_the_file_beside_a_transcript(tmp_path: Path) -> None:
    transcript = tmp_path / "harbour-talk.md"
    transcript.write_text("---\nmedia_offset: 2\n---\n**Ana** [0:05] The tide turns.\n")
    silent_wav(tmp_path / "harbour-talk.wav")
    found = find_media(transcript, {"media_offset": 2})
    assert found.media is not None
    player = await Player.launch(found.media, QUIET)
    pid = player.pid
    assert pid is not None
    try:
        assert player.state.duration == pytest.approx(SECONDS - 2, abs=0.05)
        await player.seek(5.0)
        assert await player.position() == pytest.approx(5.0, abs=0.05)
        await player.play()
        moving = await player.wait_until(lambda s: (s.position or 0) > 5.2, timeout=10)
        assert not moving.paused
        await player.pause()
        await player.wait_until(lambda s: s.paused, timeout=10)
        held = await player.position()
        assert held is not None and held > 5.2
        assert await player.position() == held  # paused: the clock stands still
        await player.nudge(-3.0)
        # After playing, mpv counts its audio buffer (a fifth of a second with --ao=null)
        # into time-pos, so a paused seek reads back a little early.
        assert await player.position() == pytest.approx(held - 3, abs=0.25)
    finally:
        await player.close()
    assert gone(pid)
    assert player.state.closed and player.state.error is None


async def test_real_mpv_refusing_a_file_reports_its_error(tmp_path: Path) -> None:
    fake = tmp_path / "not-audio.wav"
    fake.write_text("these are words, not sound\n" * 100)
    found = find_media(tmp_path / "not-audio.md", {})
    assert found.media is not None
    with pytest.raises(PlayerStopped, match="^mpv stopped: ") as stopped:
        await Player.launch(found.media, QUIET)
    assert "exit status" not in str(stopped.value)  # the words come from mpv's log


def test_real_mpv_quits_when_readmark_is_killed(tmp_path: Path) -> None:
    audio = silent_wav(tmp_path / "harbour-talk.wav")
    pid = run_and_kill(str(audio), "mpv")
    # mpv reads the end of its lifeline connection and quits (mpv 0.33 and later).
    assert gone_within(pid, 5.0)
