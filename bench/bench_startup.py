"""Start to first paint: a fresh `readmark` process on the sample library, next to a minimal
one-Static Textual app started the same way, both timed from spawn.

Run: `uv run python bench/bench_startup.py [--runs 7]`. Prints the medians and their ratio.
Linux's monotonic clock is shared between processes, so a child can tell how long ago the
parent spawned it. Runs of the two alternate, so a busy machine weighs on both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

READMARK = """
import os, sys, time
from readmark.library.sample import ensure_user_sample_vault
from readmark.tui.app import ReadmarkApp
from readmark.tui.widgets.source_list import SourceList
from textual.css.query import NoMatches

spawned = float(os.environ["BENCH_SPAWNED"])


class Timed(ReadmarkApp):
    def on_mount(self) -> None:
        # Textual calls ReadmarkApp.on_mount as well (handlers run up the class tree):
        # calling it here too would push a second reader screen.
        self.set_interval(0.005, self._check)

    def _check(self) -> None:
        # First paint with the sources listed: what a user waits for. The list's own parts
        # are composed after it is: until then there is nothing to ask.
        try:
            listed = bool(self.screen.query_one(SourceList).shown_ids)
        except NoMatches:
            return
        if listed:
            self.call_after_refresh(self._done)

    def _done(self) -> None:
        print(f"{(time.monotonic() - spawned) * 1000:.1f} {time.process_time() * 1000:.1f}")
        self.exit()


Timed(ensure_user_sample_vault()).run(headless=True)
"""

MINIMAL = """
import os, time
from textual.app import App, ComposeResult
from textual.widgets import Static

spawned = float(os.environ["BENCH_SPAWNED"])


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")

    def on_mount(self) -> None:
        self.call_after_refresh(self._done)

    def _done(self) -> None:
        print(f"{(time.monotonic() - spawned) * 1000:.1f} {time.process_time() * 1000:.1f}")
        self.exit()


Minimal().run(headless=True)
"""


def timed_run(program: str, env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from spawn to first paint, and the CPU the process used by then."""
    env["BENCH_SPAWNED"] = str(time.monotonic())
    out = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
    )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data = tempfile.mkdtemp()
    env = {
        **os.environ,
        "READMARK_DATA_DIR": data,
        "READMARK_CACHE_DIR": os.path.join(data, "cache"),
        "READMARK_STATE_DIR": os.path.join(data, "state"),
    }
    # A user's Python caches bytecode; without that every run would compile Textual again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # The first runs write the bytecode cache and the source-list cache.
    timed_run(READMARK, env)
    timed_run(MINIMAL, env)
    ours, floor = [], []
    for _ in range(args.runs):
        ours.append(timed_run(READMARK, env))
        floor.append(timed_run(MINIMAL, env))
    mine, theirs = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in floor)
    # CPU time by first paint: steadier than the clock on a shared machine, where the clock
    # of one app can vary by a third between runs.
    mine_cpu = statistics.median(c for _, c in ours)
    theirs_cpu = statistics.median(c for _, c in floor)
    print(f"start to first paint, median of {args.runs} runs: wall (CPU by then)")
    print(
        f"  readmark, sample library listed  {mine:6.0f} ms ({mine_cpu:.0f} ms)"
        f"  (max {max(w for w, _ in ours):.0f} ms)"
    )
    print(
        f"  one-Static Textual app           {theirs:6.0f} ms ({theirs_cpu:.0f} ms)"
        f"  (max {max(w for w, _ in floor):.0f} ms)"
    )
    ratio, cpu_ratio = mine / theirs, mine_cpu / theirs_cpu
    print(f"  ratio                            {ratio:6.2f}x ({cpu_ratio:.2f}x CPU)  (goal: 1.5x)")


if __name__ == "__main__":
    main()
