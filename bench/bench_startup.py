"""Start to first paint: `readmark` on the sample library, next to a minimal one-Static Textual
app, both started as a user starts them: a fresh process in a terminal (a 120x36 pty).

Run: `uv run python bench/bench_startup.py [--runs 15]`. Each program is timed from spawn until
its words are on screen (see `terminal_run`): the list's title with the count of the sample
library's sources for readmark, "Hello" for the one-Static app. The CPU each used by then is
printed beside the clock; it is steadier on a shared machine. Runs of the two alternate, so a
busy machine weighs on both alike. `--checkout DIR` times another checkout of readmark (figures
before a change).

Why a terminal and not Textual's headless mode: there, with no size given, the screen is told
25 rows and then 24, back and forth, and lays itself out for each before it settles. That costs
an app in proportion to what it draws, and never happens in a terminal.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.terminal_run import seconds_until_text  # noqa: E402

MINIMAL = """
from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


Minimal().run()
"""

COUNT_SOURCES = """
from readmark.library.sample import ensure_user_sample_vault
from readmark.library.vault import Vault

print(len(Vault(ensure_user_sample_vault()).scan().sources))
"""


def timed_run(
    command: Sequence[str], words: str, env: dict[str, str], cwd: Path
) -> tuple[float, float]:
    """Milliseconds from spawn until `words` are on screen, and the CPU the process used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = seconds_until_text(command, words, env=env, cwd=cwd) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--checkout", type=Path, default=ROOT, help="the readmark checkout to time (uv synced)"
    )
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    # Run in the checkout: `python -m readmark` finds the package in the folder it runs in.
    python = str(checkout / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "READMARK_DATA_DIR": data,
            "READMARK_CACHE_DIR": os.path.join(data, "cache"),
            "READMARK_STATE_DIR": os.path.join(data, "state"),
        }
        # A user's Python caches bytecode; without that every run would compile Textual again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        count = subprocess.run(
            [python, "-c", COUNT_SOURCES],
            env=env,
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
        readmark = ([python, "-m", "readmark"], f"Sources ({count})", env, checkout)
        minimal = ([python, "-c", MINIMAL], "Hello", env, checkout)
        # The first runs write the bytecode cache and the sample library's listing cache.
        timed_run(*readmark)
        timed_run(*minimal)
        ours, floor = [], []
        for _ in range(args.runs):
            ours.append(timed_run(*readmark))
            floor.append(timed_run(*minimal))
    mine, theirs = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in floor)
    mine_cpu = statistics.median(c for _, c in ours)
    theirs_cpu = statistics.median(c for _, c in floor)
    print(f"start to first paint (120x36 pty), median of {args.runs} runs: wall (CPU by then)")
    print(
        f"  readmark, sample library listed  {mine:6.0f} ms ({mine_cpu:.0f} ms)"
        f"  (min {min(w for w, _ in ours):.0f}, max {max(w for w, _ in ours):.0f})"
    )
    print(
        f"  one-Static Textual app           {theirs:6.0f} ms ({theirs_cpu:.0f} ms)"
        f"  (min {min(w for w, _ in floor):.0f}, max {max(w for w, _ in floor):.0f})"
    )
    ratio, cpu_ratio = mine / theirs, mine_cpu / theirs_cpu
    print(f"  ratio of the medians             {ratio:6.2f}x ({cpu_ratio:.2f}x CPU)  (goal: 1.5x)")
    # The machine's speed can change between runs a minute apart: each readmark run against the
    # one-Static run right after it compares two runs at the same speed.
    paired = statistics.median(a / b for (a, _), (b, _) in zip(ours, floor, strict=True))
    paired_cpu = statistics.median(a / b for (_, a), (_, b) in zip(ours, floor, strict=True))
    print(f"  median of the paired ratios      {paired:6.2f}x ({paired_cpu:.2f}x CPU)")


if __name__ == "__main__":
    main()
