"""The reader's real path with a 50 MB transcript: open, `j`/`k` to repaint, memory; next to a
minimal Textual app pressing keys in the same run.

Run: `uv run python bench/bench_tui.py [--mb 50] [--presses 200]`. Prints a table; not a test.
Each measurement runs in a child process of its own, so memory figures are not mixed up:

- `reader`: the full reader screen (sources, outline, transcript, header, sidebar, footer) on a
  vault holding the transcript, opened as a user does (the source last read reopens at
  launch), its search index already built; `j`/`k` timed from the key event to the frame
  that shows it, and whether the header showed the new place in that same frame.
- `indexing`: the same, in a vault never indexed, so the search index is built in the
  background while the keys are pressed.
- `floor`: a one-Static Textual app answering a key by changing its text.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.screen import Screen

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.big_transcript import ensure_big_transcript  # noqa: E402

SIZE = (120, 36)
SOURCE_ID = "long-panel.md"


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


class FrameClock:
    """Notes when each frame is written out, so a wait ends at the frame and not at idle.

    Pilot's `pause` and `press` wait for the CPU to go idle in 20 ms sleeps, which would swamp
    the figures, so keys go in as Pilot sends them and the clock stops at the next frame.
    `look` runs at each frame (what the frame shows is judged then).
    """

    def __init__(self, app: App[Any]) -> None:
        self.frames: list[float] = []
        self.looks: list[object] = []
        self.look: Any = lambda: None
        self._display = app._display

        def spy(screen: Screen[object], renderable: RenderableType | None) -> None:
            self._display(screen, renderable)
            self.frames.append(time.perf_counter())
            self.looks.append(self.look())

        setattr(app, "_display", spy)  # noqa: B010 - replaced on this instance only

    async def next_frame(self, seen: int) -> int:
        """The index of the first frame after the `seen` first ones."""
        while len(self.frames) <= seen:
            await asyncio.sleep(0)
        return seen


async def time_presses(
    app: App[Any], clock: FrameClock, keys: list[str], changed: Any
) -> tuple[list[float], int]:
    """Seconds from each key event to the first frame where `changed()` is true, and how many
    frames came before it (0: the key's first frame showed everything)."""
    driver = app._driver
    assert driver is not None
    times, late = [], 0
    for key in keys:
        seen = len(clock.frames)
        began = time.perf_counter()
        driver.send_message(events.Key(key, key))
        while True:
            index = await clock.next_frame(seen)
            if clock.looks[index]:
                break
            late += 1
            seen = index + 1
            if time.perf_counter() - began > 2:
                break
        times.append(clock.frames[index] - began)
        await asyncio.sleep(0.03)  # a human pace: each press starts from a quiet screen
    return times, late


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * 0.95), len(ordered) - 1)]


async def measure_reader(vault: Path, presses: int, indexing: bool) -> dict[str, Any]:
    from readmark.library.timecode import format_timecode
    from readmark.tui.app import ReadmarkApp
    from readmark.tui.widgets.transcript import Transcript
    from readmark.tui.widgets.transcript_header import TranscriptHeader

    gc.collect()
    before = rss_mb()
    app = ReadmarkApp(vault)
    began = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)

        def transcript() -> Transcript | None:
            found = app.screen.query(Transcript)
            return found.first() if found else None

        def shown() -> bool:
            t = transcript()
            return t is not None and t.source is not None and t.source.id == SOURCE_ID

        while not shown():
            await asyncio.sleep(0.005)
        first_text = time.perf_counter() - began
        widget = transcript()
        assert widget is not None
        while widget.reading or app.screen.query_one(TranscriptHeader).parts is None:
            await asyncio.sleep(0.02)
        whole = time.perf_counter() - began
        await pilot.pause()
        widget.focus()
        widget.go_to_offset(len(widget.source.text) // 2 if widget.source else 0)
        if not indexing:
            await app.workers.wait_for_complete()
        await pilot.pause()
        header = app.screen.query_one(TranscriptHeader)

        def in_step() -> bool:
            """The frame shows the header of the cursor's place (time and speaker)."""
            source = widget.source
            parts = header.parts
            if source is None or parts is None:
                return False
            seconds = widget.current_seconds
            segment = source.segment_at_offset(widget.cursor_offset)
            speaker = (segment.speaker or "") if segment else ""
            time_ok = seconds is None or parts.time.startswith(format_timecode(seconds))
            return time_ok and parts.speaker == speaker

        clock.look = in_step
        keys = ["j"] * (presses // 2) + ["k"] * (presses - presses // 2)
        press_times, late = await time_presses(app, clock, keys, in_step)
        still_indexing = any(w.group == "index" and not w.is_finished for w in app.workers)
        gc.collect()
        open_rss = rss_mb()
    return {
        "first_text_s": first_text,
        "whole_s": whole,
        "press_median_ms": statistics.median(press_times) * 1000,
        "press_p95_ms": p95(press_times) * 1000,
        "header_late": late,
        "presses": len(press_times),
        "rss_open_mb": open_rss,
        "rss_before_mb": before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        "indexing_throughout": still_indexing,
    }


async def measure_floor(presses: int) -> dict[str, Any]:
    from textual.app import ComposeResult
    from textual.widgets import Static

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("0", id="count")

        def on_key(self, event: events.Key) -> None:
            self.count = getattr(self, "count", 0) + 1
            self.query_one(Static).update(str(self.count))

    app = Floor()
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        clock.look = lambda: True
        press_times, _ = await time_presses(app, clock, ["j"] * presses, lambda: True)
    return {
        "press_median_ms": statistics.median(press_times) * 1000,
        "press_p95_ms": p95(press_times) * 1000,
    }


def child(kind: str, vault: str, presses: int) -> None:
    if kind == "floor":
        result = asyncio.run(measure_floor(presses))
    else:
        result = asyncio.run(measure_reader(Path(vault), presses, kind == "indexing"))
    print(json.dumps(result), flush=True)
    # An index still being built would keep the process until it is done: the figures are in.
    os._exit(0)


def run_child(kind: str, vault: Path, presses: int, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(vault), str(presses)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def make_vault(folder: Path, transcript: Path) -> tuple[Path, dict[str, str]]:
    """A vault with the transcript as the source last read; its own cache and state."""
    from readmark.annotations.reading import ReadingState, save_reading_state

    vault = folder / "vault"
    vault.mkdir(parents=True)
    shutil.copy(transcript, vault / SOURCE_ID)
    env = {
        **os.environ,
        "READMARK_CACHE_DIR": str(folder / "cache"),
        "READMARK_STATE_DIR": str(folder / "state"),
    }
    os.environ.update(env)
    state = ReadingState()
    state.remember(SOURCE_ID, 0)
    save_reading_state(vault, state)
    return vault, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "VAULT", "PRESSES"))
    args = parser.parse_args()
    if args.child:
        kind, vault, presses = args.child
        child(kind, vault, int(presses))
        return
    transcript = ensure_big_transcript(args.mb)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        vault, env = make_vault(folder / "indexed", transcript)
        subprocess.run(
            [sys.executable, "-m", "readmark", "reindex", "--vault", str(vault)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=env,
        )
        reader = run_child("reader", vault, args.presses, env)
        fresh, fresh_env = make_vault(folder / "fresh", transcript)
        indexing = run_child("indexing", fresh, args.presses, fresh_env)
        floor = run_child("floor", vault, args.presses, env)
    n = reader["presses"]
    rows = [
        ("open: launch to first text (in process)", f"{reader['first_text_s']:.2f} s", ""),
        ("open: launch to the whole file shown", f"{reader['whole_s']:.2f} s", ""),
        (f"j/k to repaint, median ({n} keys)", f"{reader['press_median_ms']:.1f} ms", ""),
        (
            "j/k to repaint, p95",
            f"{reader['press_p95_ms']:.1f} ms",
            f"floor app p95 {floor['press_p95_ms']:.1f} ms (goal < 16 ms)",
        ),
        ("frames where the header lagged the text", f"{reader['header_late']}", "goal 0"),
        (
            "j/k p95 while the index is built" + ("" if indexing["indexing_throughout"] else "*"),
            f"{indexing['press_p95_ms']:.1f} ms",
            "goal < 50 ms",
        ),
        ("memory with it open (RSS)", f"{reader['rss_open_mb']:.0f} MB", "goal < 300 MB"),
        ("memory before opening (RSS)", f"{reader['rss_before_mb']:.0f} MB", ""),
        ("peak memory, parsing included", f"{reader['peak_rss_mb']:.0f} MB", ""),
        ("floor app: key to repaint, median", f"{floor['press_median_ms']:.1f} ms", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"reader with a {transcript.stat().st_size / 1e6:.0f} MB transcript, {SIZE[0]}x{SIZE[1]}")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>9}  {note}")
    p95_ratio = reader["press_p95_ms"] / max(floor["press_p95_ms"], 0.01)
    print(f"  j/k p95 / floor p95: {p95_ratio:.1f}x")
    if not indexing["indexing_throughout"]:
        print("  * the index was built before the keys ended")


if __name__ == "__main__":
    main()
