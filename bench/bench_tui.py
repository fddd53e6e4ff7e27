"""Figures for the transcript pane: open to first paint, `j` to repaint, memory.

Run: `uv run python bench/bench_tui.py [--big-mb 50] [--presses 200]`. Prints a table; not a test.
Each measurement runs in a child process of its own so memory figures are not mixed up.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import RenderableType
from textual import events
from textual.app import App
from textual.screen import Screen

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = (
    "the a city heat night roof shade tree street river model data claim evidence argument "
    "budget council summer asphalt wind cooling question answer idea people measure"
).split()
SPEAKERS = ("Ines", "Marco", "Priya")
SIZE = (120, 36)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice(".....?!")


def transcript(words: int, seconds: float, seed: int = 1) -> str:
    """A Markdown transcript: chapters, then timed speaker turns of about 60 words."""
    rng = random.Random(seed)
    turns = max(words // 60, 1)
    chapters = [f"- {clock(c * seconds / 10)} Chapter {c + 1}" for c in range(10)]
    parts = ["---\ntitle: Bench transcript\n---\n\n## Chapters\n", *chapters, "\n## Transcript\n"]
    for turn in range(turns):
        body, count = [], 0
        while count < 60:
            body.append(sentence(rng))
            count += body[-1].count(" ") + 1
        speaker = SPEAKERS[turn % len(SPEAKERS)]
        parts.append(f"{speaker} [{clock(turn * seconds / turns)}]\n{' '.join(body)}\n")
    return "\n".join(parts)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


async def measure_open(path: Path, repeats: int) -> dict[str, object]:
    from readmark.library.loading import load_path
    from readmark.tui.widgets.transcript import Transcript
    from textual.app import App, ComposeResult

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Transcript()

    parse_times, paint_times = [], []
    words = 0
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Transcript)
        clock = FrameClock(app)
        for _ in range(repeats):
            await pilot.pause()
            began = time.perf_counter()
            source = load_path(path, "bench.md")
            parsed = time.perf_counter()
            seen = len(clock.frames)
            widget.show(source)
            painted = await clock.next_frame(seen)
            parse_times.append(parsed - began)
            paint_times.append(painted - parsed)
            words = len(source.text.split())
    total = [p + q for p, q in zip(parse_times, paint_times, strict=True)]
    return {
        "words": words,
        "parse_ms": statistics.median(parse_times) * 1000,
        "show_paint_ms": statistics.median(paint_times) * 1000,
        "open_ms": statistics.median(total) * 1000,
    }


async def measure_big(path: Path, presses: int) -> dict[str, object]:
    from readmark.library.loading import load_path
    from readmark.tui.widgets.transcript import Transcript
    from textual.app import App, ComposeResult

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Transcript()

    gc.collect()
    baseline = rss_bytes()
    began = time.perf_counter()
    source = load_path(path, "bench.md")
    parse_s = time.perf_counter() - began
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        widget = app.query_one(Transcript)
        clock = FrameClock(app)
        await pilot.pause()
        began = time.perf_counter()
        seen = len(clock.frames)
        widget.show(source)
        show_s = await clock.next_frame(seen) - began
        widget.focus()
        widget.go_to_offset(len(source.text) // 2)
        await pilot.pause()
        press_times = await time_presses(app, clock, "j", presses)
        # The widget's own share: move the cursor and draw every line of the page.
        draw_times = []
        for _ in range(presses):
            began = time.perf_counter()
            widget.cursor += 1
            for y in range(widget.size.height):
                widget.render_line(y)
            draw_times.append(time.perf_counter() - began)
        gc.collect()
        open_rss = rss_bytes()
    return {
        "mb": path.stat().st_size / 1e6,
        "segments": len(source.segments),
        "sentences": widget.sentence_count,
        "parse_s": parse_s,
        "show_s": show_s,
        "press_median_ms": statistics.median(press_times) * 1000,
        "press_p95_ms": sorted(press_times)[int(len(press_times) * 0.95)] * 1000,
        "draw_median_ms": statistics.median(draw_times) * 1000,
        "rss_open_mb": open_rss / 1e6,
        "rss_before_mb": baseline / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }


class FrameClock:
    """Notes when each frame is written out, so a wait ends at the frame and not at idle.

    Pilot's `pause` and `press` wait for the CPU to go idle in 20 ms sleeps, which would swamp
    the figures, so keys go in as Pilot sends them and the clock stops at the next frame.
    """

    def __init__(self, app: App[None]) -> None:
        self.frames: list[float] = []
        self._display = app._display

        def spy(screen: Screen[object], renderable: RenderableType | None) -> None:
            self._display(screen, renderable)
            self.frames.append(time.perf_counter())

        setattr(app, "_display", spy)  # noqa: B010 - replaced on this instance only

    async def next_frame(self, seen: int) -> float:
        """The time of the first frame after the `seen` first ones."""
        while len(self.frames) <= seen:
            await asyncio.sleep(0)
        return self.frames[seen]


async def time_presses(app: App[None], clock: FrameClock, key: str, presses: int) -> list[float]:
    """Seconds from each key event reaching the app to the frame that shows its effect."""
    driver = app._driver
    assert driver is not None
    times = []
    for _ in range(presses):
        seen = len(clock.frames)
        began = time.perf_counter()
        driver.send_message(events.Key(key, key))
        times.append(await clock.next_frame(seen) - began)
        await asyncio.sleep(0.03)  # a human pace: each press starts from a quiet screen
    return times


def child(kind: str, path: Path, count: int) -> None:
    if kind == "open":
        result = asyncio.run(measure_open(path, count))
    else:
        result = asyncio.run(measure_big(path, count))
    print(json.dumps(result))


def run_child(kind: str, path: Path, count: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(count)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def big_transcript(megabytes: float) -> str:
    """Timed speaker turns (a pool of bodies, reused) until the file weighs `megabytes`."""
    rng = random.Random(2)
    pool = []
    for _ in range(2000):
        body: list[str] = []
        while sum(len(b) for b in body) < 360:
            body.append(sentence(rng))
        pool.append(" ".join(body))
    parts = ["---\ntitle: Big bench transcript\n---\n\n## Transcript\n"]
    size, turn = 0, 0
    while size < megabytes * 1e6:
        line = f"{SPEAKERS[turn % 3]} [{clock(turn * 12)}]\n{pool[turn % len(pool)]}\n"
        parts.append(line)
        size += len(line) + 1
        turn += 1
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=float, default=50.0)
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "COUNT"))
    args = parser.parse_args()
    if args.child:
        kind, path, count = args.child
        child(kind, Path(path), int(count))
        return
    with tempfile.TemporaryDirectory() as folder:
        os.environ["READMARK_CACHE_DIR"] = str(Path(folder) / "cache")
        os.environ["READMARK_STATE_DIR"] = str(Path(folder) / "state")
        hours3 = Path(folder) / "three-hours.md"
        hours3.write_text(transcript(30_000, 3 * 3600), encoding="utf-8")
        opened = run_child("open", hours3, 5)
        big = Path(folder) / "big.md"
        big.write_text(big_transcript(args.big_mb), encoding="utf-8")
        heavy = run_child("big", big, args.presses)
    rows = [
        ("open 3 h transcript, parse (median of 5)", f"{opened['parse_ms']:.1f} ms", ""),
        ("open 3 h transcript, show to first paint", f"{opened['show_paint_ms']:.1f} ms", ""),
        (
            f"open 3 h transcript ({opened['words']:,} words) to first paint",
            f"{opened['open_ms']:.1f} ms",
            "< 150 ms",
        ),
        (
            f"parse {heavy['mb']:.0f} MB transcript ({heavy['segments']:,} segments)",
            f"{heavy['parse_s']:.2f} s",
            "",
        ),
        (
            f"show it ({heavy['sentences']:,} sentences) to first paint",
            f"{heavy['show_s']:.2f} s",
            "",
        ),
        (
            "j to repaint, median (key event to frame)",
            f"{heavy['press_median_ms']:.2f} ms",
            "< 16 ms",
        ),
        ("j to repaint, 95th percentile", f"{heavy['press_p95_ms']:.2f} ms", ""),
        ("widget share: move + draw a page, median", f"{heavy['draw_median_ms']:.2f} ms", ""),
        ("memory with it open (RSS)", f"{heavy['rss_open_mb']:.0f} MB", "< 300 MB"),
        ("memory before loading (RSS)", f"{heavy['rss_before_mb']:.0f} MB", ""),
        ("peak memory, parsing included", f"{heavy['peak_rss_mb']:.0f} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>10}  {target}")


if __name__ == "__main__":
    main()
