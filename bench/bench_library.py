"""Figures for the library layer: listing a big vault, parsing long transcripts.

Run: `uv run python bench/bench_library.py [--files 10000]`. Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "the a garden soil compost river attention reading slow careful note quote model scaling "
    "friction argument evidence claim memory habit practice question answer idea market"
).split()
URL = "https://www.youtube.com/watch?v=bench0001"


def sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def clock(seconds: float, sep: str = ",") -> str:
    whole = int(seconds)
    millis = int((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}{sep}{millis:03d}"


def small_file(rng: random.Random, n: int) -> tuple[str, str]:
    kind = n % 5
    if kind == 0:
        body = "\n\n".join(sentence(rng, 30) for _ in range(5))
        return (
            f"note-{n}.md",
            f"---\ntitle: Note {n}\ndate: 2025-01-02\n---\n\n# Note {n}\n\n{body}\n",
        )
    if kind == 1:
        return f"article-{n}.txt", "\n\n".join(sentence(rng, 40) for _ in range(4)) + "\n"
    if kind == 2:
        cues = [
            f"{i + 1}\n{clock(i * 4)} --> {clock(i * 4 + 3.5)}\n{sentence(rng)}\n"
            for i in range(20)
        ]
        return f"talk-{n}.srt", "\n".join(cues)
    if kind == 3:
        cues = [
            f"{clock(i * 4, '.')} --> {clock(i * 4 + 3.5, '.')}\n{sentence(rng)}\n"
            for i in range(20)
        ]
        return f"captions-{n}.vtt", "WEBVTT\n\n" + "\n".join(cues)
    segments = [{"start": i * 4.0, "end": i * 4 + 3.5, "text": sentence(rng)} for i in range(20)]
    return f"whisper-{n}.json", json.dumps({"text": "", "segments": segments})


def make_vault(folder: Path, count: int) -> None:
    rng = random.Random(1)
    for n in range(count):
        name, text = small_file(rng, n)
        sub = folder / f"shelf-{n // 100:03d}"
        sub.mkdir(exist_ok=True)
        (sub / name).write_text(text, encoding="utf-8")


def timestamped_transcript(words: int, seconds: float, rng: random.Random) -> str:
    """A markdown transcript with one linked timestamp per ~15-word line."""
    lines = [
        f"---\ntitle: Bench transcript\nurl: {URL}\n---\n\n# Bench transcript\n\n## Transcript\n"
    ]
    count = words // 15
    for i in range(count):
        at = int(i * seconds / count)
        stamp = f"{at // 3600}:{at // 60 % 60:02d}:{at % 60:02d}"
        lines.append(f"[{stamp}]({URL}&t={at}s) {sentence(rng, 15)}\n")
    return "\n".join(lines)


def run_cli(vault: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "readmark", "sources", "--json", "--vault", str(vault)],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    return time.perf_counter() - started


PARSE_CHILD = """
import resource, sys, time
from pathlib import Path
from readmark.library.loading import load_path, readers
readers()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
source = load_path(Path(sys.argv[1]), "big.md")
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, before * 1024, peak * 1024, len(source.segments), source.error)
"""


def parse_in_child(path: Path) -> tuple[float, int, int, int, str]:
    done = subprocess.run(
        [sys.executable, "-c", PARSE_CHILD, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    elapsed, before, peak, segments, error = done.stdout.split(maxsplit=4)
    return float(elapsed), int(before), int(peak), int(segments), error.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--big-mb", type=int, default=50)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from readmark.library.loading import load_path, readers

    rows: list[tuple[str, str, str]] = []
    from readmark.library.layout import CACHE_DIR_VARIABLE, VaultLayout

    with tempfile.TemporaryDirectory() as temp:
        os.environ[CACHE_DIR_VARIABLE] = str(Path(temp) / "cache")
        vault = Path(temp) / "vault"
        vault.mkdir()
        make_vault(vault, args.files)
        # The machine may be shared: the minimum and median of three cold runs, cache removed.
        colds = []
        for _ in range(3):
            shutil.rmtree(VaultLayout(vault).machine, ignore_errors=True)
            colds.append(run_cli(vault))
        cold = f"{min(colds):.2f} / {statistics.median(colds):.2f} s"
        warm = statistics.median(run_cli(vault) for _ in range(5))
        rows.append((f"sources --json, {args.files:,} files, cold (min / median)", cold, "< 2 s"))
        rows.append((f"sources --json, {args.files:,} files, warm", f"{warm:.3f} s", "< 0.5 s"))

        rng = random.Random(2)
        three_hours = Path(temp) / "three-hours.md"
        three_hours.write_text(timestamped_transcript(30_000, 3 * 3600, rng), encoding="utf-8")
        readers()
        times = []
        for _ in range(5):
            started = time.perf_counter()
            source = load_path(three_hours, "three-hours.md")
            times.append(time.perf_counter() - started)
        assert source.error is None and source.timed_segments, "3-hour transcript did not parse"
        rows.append(
            (
                f"parse 3-hour transcript (30k words, {len(source.segments):,} segments)",
                f"{statistics.median(times) * 1000:.0f} ms",
                "< 100 ms",
            )
        )

        big = Path(temp) / "big.md"
        words = args.big_mb * 1024 * 1024 // 11  # ~11 bytes of file per word with the timestamps
        big.write_text(timestamped_transcript(words, words / 2.5, rng), encoding="utf-8")
        size = big.stat().st_size
        big_vault = Path(temp) / "big-vault"
        big_vault.mkdir()
        os.link(big, big_vault / "big.md")
        rows.append(
            (
                f"sources --json, folder with the {size / 2**20:.0f} MB transcript, cold",
                f"{run_cli(big_vault):.2f} s",
                "< 2 s",
            )
        )
        elapsed, before, peak, segments, error = parse_in_child(big)
        assert error == "None", error
        label = f"parse {size / 2**20:.0f} MB transcript ({segments:,} segments)"
        rows.append((label, f"{elapsed:.2f} s", "< 5 s"))
        growth = (peak - before) / size
        rows.append(
            (
                "  peak RSS growth while parsing",
                f"{(peak - before) / 2**20:.0f} MB = {growth:.1f}x",
                "< 10x",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>16}  target")
    for name, result, target in rows:
        print(f"{name:<{width}}  {result:>16}  {target}")
    print(f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
