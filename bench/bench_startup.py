"""Start to first paint: a fresh `readmark` process on the sample library, timed from spawn.

Prints the median of several runs. Linux's monotonic clock is shared between processes, so
the child can tell how long ago the parent spawned it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import os, sys, time
from pathlib import Path
from readmark.library.sample import ensure_user_sample_vault
from readmark.tui.app import ReadmarkApp
from readmark.tui.widgets.source_list import SourceList

spawned = float(os.environ["BENCH_SPAWNED"])


class Timed(ReadmarkApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(0.005, self._check)

    def _check(self) -> None:
        # First paint with the sources listed: what a user waits for.
        lists = self.screen.query(SourceList)
        if lists and lists.first().shown_ids:
            self.call_after_refresh(self._done)

    def _done(self) -> None:
        print(f"{(time.monotonic() - spawned) * 1000:.1f}")
        self.exit()


Timed(ensure_user_sample_vault()).run(headless=True)
"""


def main(runs: int = 7) -> None:
    data = tempfile.mkdtemp()
    env = {
        **os.environ,
        "READMARK_DATA_DIR": data,
        "READMARK_CACHE_DIR": os.path.join(data, "cache"),
        "READMARK_STATE_DIR": os.path.join(data, "state"),
    }
    # A user's Python caches bytecode; without that every run would compile Textual again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: list[float] = []
    for run in range(runs + 1):
        env["BENCH_SPAWNED"] = str(time.monotonic())
        out = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
        )
        if run:  # the first run writes the bytecode cache and the source-list cache
            times.append(float(out.stdout.strip().splitlines()[-1]))
    print(f"start to first paint with sources listed (sample library), {runs} runs")
    median, worst = statistics.median(times), max(times)
    print(f"  median {median:.0f} ms, max {worst:.0f} ms  (target < 1000 ms)")


if __name__ == "__main__":
    main()
