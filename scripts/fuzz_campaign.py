"""A long fuzz campaign over the readers, the loader and the timecode parser (not run in CI).

Runs every target of `tests/test_fuzz_readers.py` with many more examples than the test suite,
sharing the time out evenly, and saves each falsifying input (shrunk) as JSON under
`tests/data/fuzz/`, where `tests/test_fuzz_regressions.py` replays it. An example that runs
longer than `--hang` seconds counts as a failure too (a parser stuck in a loop).

    uv run python scripts/fuzz_campaign.py --minutes 15
    uv run python scripts/fuzz_campaign.py --minutes 2 --target srt-shaped --target load-path
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sys
import time
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import test_fuzz_readers as fuzz  # noqa: E402

OUT = ROOT / "tests" / "data" / "fuzz"
BATCH = 2_000
"""Examples per hypothesis run; runs repeat with fresh seeds until a target's time is up."""


class Hang(Exception):
    """An example ran longer than the hang limit."""


def encode_args(args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """JSON for a target's arguments (text, bytes, numbers), exact enough to replay."""
    encoded: list[dict[str, Any]] = []
    for arg in args:
        if isinstance(arg, bytes):
            encoded.append({"bytes_hex": arg.hex()})
        elif isinstance(arg, str):
            encoded.append({"str": arg})
        elif isinstance(arg, bool | int):
            encoded.append({"int": int(arg)})
        elif isinstance(arg, float):
            encoded.append({"float": repr(arg)})
        else:
            raise TypeError(f"cannot save an argument of type {type(arg).__name__}")
    return encoded


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang("the example ran past the hang limit")


def run_target(name: str, seconds: float, hang: float) -> tuple[int, Path | None]:
    """Fuzz one target for about `seconds`; (examples run, saved failure or None)."""
    prop, strategy = fuzz.TARGETS[name]
    count = 0
    failing: list[tuple[tuple[Any, ...], str]] = []

    def check(args: tuple[Any, ...]) -> None:
        nonlocal count
        count += 1
        signal.setitimer(signal.ITIMER_REAL, hang)
        try:
            prop(*args)
        except BaseException as error:
            # The last failing call is the shrunk example hypothesis replays at the end.
            failing.append((args, "".join(traceback.format_exception_only(error)).strip()))
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    run = settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )(given(strategy)(check))
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            run()
        except Exception:  # noqa: BLE001 - any failure is what a campaign looks for
            args, error = failing[-1]
            return count, save(name, args, error)
    return count, None


def save(name: str, args: tuple[Any, ...], error: str) -> Path:
    record = {"target": name, "args": encode_args(args), "error": error.splitlines()[-1][:300]}
    text = json.dumps(record, ensure_ascii=True, indent=1)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{digest}.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0, help="total time (default 15)")
    parser.add_argument("--target", action="append", choices=sorted(fuzz.TARGETS))
    parser.add_argument("--hang", type=float, default=20.0, help="seconds before a hang")
    options = parser.parse_args(argv)
    targets = options.target or list(fuzz.TARGETS)
    share = options.minutes * 60 / len(targets)
    signal.signal(signal.SIGALRM, _on_alarm)
    began = time.monotonic()
    total = 0
    found: list[Path] = []
    for name in targets:
        start = time.monotonic()
        count, saved = run_target(name, share, options.hang)
        total += count
        took = time.monotonic() - start
        outcome = f"FAILED, saved {saved.relative_to(ROOT)}" if saved else "ok"
        print(f"{name:18} {count:8,} examples {took:6.0f} s  {outcome}", flush=True)
        if saved:
            found.append(saved)
            print("    " + json.loads(saved.read_text())["error"], flush=True)
    minutes = (time.monotonic() - began) / 60
    print(
        f"{total:,} examples over {len(targets)} targets in {minutes:.1f} min; {len(found)} found"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
