"""Figures for big inputs: a 100 MB transcript, 10 MB single lines, 100,000 files, 1,000 notes.

Run: `uv run python bench/bench_size.py [--big-mb 100] [--files 100000] [--line-mb 10]`.
Prints a table; not a test. Every parse runs in a fresh process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "the a garden soil compost river attention reading slow careful note quote model scaling "
    "friction argument evidence claim memory habit practice question answer idea market"
).split()
URL = "https://www.youtube.com/watch?v=bench0002"
Row = tuple[str, str, str]


def sentence(rng: random.Random, words: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def transcript(size: int, rng: random.Random) -> str:
    """A markdown transcript of about `size` bytes: a linked timestamp and a speaker per line."""
    parts = [f"---\ntitle: Big transcript\nurl: {URL}\n---\n\n# Big transcript\n\n"]
    written, at = 0, 0
    while written < size:
        stamp = f"{at // 3600}:{at // 60 % 60:02d}:{at % 60:02d}"
        line = f"[{stamp}]({URL}&t={at}s) Speaker {at % 3}: {sentence(rng, 15)}\n\n"
        parts.append(line)
        written += len(line)
        at += 4
    return "".join(parts)


def single_lines(size: int, rng: random.Random) -> dict[str, str]:
    """One file per format whose text is one line of `size` characters of prose."""
    pieces: list[str] = []
    total = 0
    while total < size:
        pieces.append(sentence(rng))
        total += len(pieces[-1]) + 1
    line = " ".join(pieces)
    cue = "00:00:01{0}000 --> 01:00:00{0}000"
    return {
        "line.md": f"# One line\n\n{line}\n",
        "line.txt": line + "\n",
        "line.srt": f"1\n{cue.format(',')}\n{line}\n",
        "line.vtt": f"WEBVTT\n\n{cue.format('.')}\n{line}\n",
        "line.json": json.dumps({"segments": [{"start": 1.0, "end": 3600.0, "text": line}]}),
    }


MEMORY = """
import resource


def reset_peak():
    # A child starts with its parent's peak RSS; Linux can reset the mark (clear_refs 5).
    try:
        with open("/proc/self/clear_refs", "w") as marks:
            marks.write("5")
    except OSError:
        pass


def memory(key):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
"""

PARSE_CHILD = (
    MEMORY
    + """
import sys, time
from pathlib import Path
from readmark.library.loading import load_path, readers
readers()
reset_peak()
before = memory("VmRSS")
started = time.perf_counter()
source = load_path(Path(sys.argv[1]), Path(sys.argv[1]).name)
elapsed = time.perf_counter() - started
peak = memory("VmHWM")
longest = max((len(s.text) for s in source.segments), default=0)
print(elapsed, before, peak, len(source.segments), longest, source.error)
"""
)


def parse_in_child(path: Path, timeout: float) -> tuple[float, int, int, int, int, str] | None:
    """(seconds, RSS before, peak RSS, segments, longest segment, error); None on timeout."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PARSE_CHILD, str(path)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    elapsed, before, peak, segments, longest, error = done.stdout.split(maxsplit=5)
    return float(elapsed), int(before), int(peak), int(segments), int(longest), error.strip()


CLI_CHILD = (
    MEMORY
    + """
import sys
reset_peak()
sys.argv = ["readmark", "sources", "--json", "--vault", sys.argv[1]]
from readmark.tui.cli import main
try:
    main()
except SystemExit:
    pass
finally:
    print(memory("VmHWM"), file=sys.stderr)
"""
)


def list_in_child(vault: Path) -> tuple[float, int]:
    """(seconds, peak RSS of the listing process, workers not counted)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CLI_CHILD, str(vault)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    return elapsed, int(done.stderr.strip().splitlines()[-1])


def mb(size: float) -> str:
    return f"{size / 2**20:.0f} MB"


def bench_big_transcript(folder: Path, size_mb: int) -> list[Row]:
    path = folder / "big.md"
    path.write_text(transcript(size_mb * 2**20, random.Random(1)), encoding="utf-8")
    size = path.stat().st_size
    result = parse_in_child(path, timeout=600)
    assert result is not None, "the big transcript did not parse in 10 minutes"
    elapsed, before, peak, segments, _, error = result
    assert error == "None", error
    return [
        (f"parse {mb(size)} transcript ({segments:,} segments)", f"{elapsed:.1f} s", "< 10 s"),
        (
            "  peak RSS growth while parsing",
            f"{mb(peak - before)} = {(peak - before) / size:.1f}x",
            "< 10x",
        ),
    ]


def bench_single_lines(folder: Path, size_mb: int) -> list[Row]:
    rows: list[Row] = []
    folder = folder / "lines"
    folder.mkdir()
    files = single_lines(size_mb * 2**20, random.Random(2))
    # Pathological: a colon after every word makes a speaker-label pattern backtrack per line.
    files["colons.md"] = ": " * (2**20 // 2)
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
    del files, text  # the children's memory figures should not include the parent's
    for path in sorted(folder.glob("*.*"), key=lambda p: (p.stem == "colons", p.suffix)):
        name = path.name
        label = "1 MB line of ': ' (markdown)" if name == "colons.md" else f"{size_mb} MB line"
        result = parse_in_child(path, timeout=120)
        if result is None:
            rows.append((f"{label}, {name.split('.')[1]}", "> 120 s", "< 2 s"))
            continue
        elapsed, before, peak, segments, longest, error = result
        assert error == "None", error
        rows.append(
            (
                f"{label}, {name.split('.')[1]} ({segments:,} segs, longest {longest:,})",
                f"{elapsed:.2f} s, +{mb(peak - before)}",
                "< 2 s",
            )
        )
    return rows


def tiny_file(n: int) -> tuple[str, str]:
    if n % 3 == 0:
        return f"note-{n}.md", f"---\ntitle: Note {n}\n---\n\nA short note, number {n}.\n"
    if n % 3 == 1:
        return f"cue-{n}.srt", f"1\n00:00:01,000 --> 00:00:04,000\nCue number {n}.\n"
    return f"text-{n}.txt", f"A line of plain text, number {n}.\n"


def bench_many_files(folder: Path, count: int) -> list[Row]:
    vault = folder / "many"
    for n in range(count):
        shelf = vault / f"shelf-{n // 1000:03d}" / f"box-{n // 100 % 10}"
        shelf.mkdir(parents=True, exist_ok=True)
        name, text = tiny_file(n)
        (shelf / name).write_text(text, encoding="utf-8")
    cold, cold_peak = list_in_child(vault)
    warm_runs = [list_in_child(vault) for _ in range(3)]
    warm = statistics.median(run[0] for run in warm_runs)
    warm_peak = max(run[1] for run in warm_runs)
    from readmark.library.layout import VaultLayout

    cache = VaultLayout(vault).source_cache
    return [
        (f"sources --json, {count:,} tiny files, cold", f"{cold:.1f} s, {mb(cold_peak)}", ""),
        (f"sources --json, {count:,} tiny files, warm", f"{warm:.2f} s, {mb(warm_peak)}", ""),
        ("  cache file", mb(cache.stat().st_size), ""),
    ]


def timed(call: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_annotations(folder: Path, count: int) -> list[Row]:
    from readmark.annotations.anchoring import new_annotation
    from readmark.annotations.model import Kind
    from readmark.annotations.store import AnnotationStore
    from readmark.annotations.workspace import Workspace

    vault = folder / "notes"
    vault.mkdir()
    rng = random.Random(3)
    paragraphs = [sentence(rng, 20) + f" Paragraph {n}." for n in range(count)]
    (vault / "talk.md").write_text("# Talk\n\n" + "\n\n".join(paragraphs) + "\n")
    with Workspace(vault) as workspace:
        source = workspace.source("talk.md")
        for segment in source.segments[1 : count + 1]:
            note = new_annotation(
                source, segment.char_start, segment.char_start + 40, Kind.HIGHLIGHT, note="why"
            )
            workspace.store.save(note)
    store = AnnotationStore(vault)
    assert len(store.for_source("talk.md")) == count
    for_source = timed(lambda: AnnotationStore(vault).for_source("talk.md"))
    with Workspace(vault) as workspace:
        first = timed(lambda: workspace.annotations_for("talk.md"), repeat=1)
        again = timed(lambda: workspace.annotations_for("talk.md"))
    fresh = timed(lambda: Workspace(vault).annotations_for("talk.md"))
    return [
        (f"AnnotationStore.for_source, {count:,} annotations", f"{for_source * 1000:.0f} ms", ""),
        (f"Workspace.annotations_for, {count:,}, first call", f"{first * 1000:.0f} ms", ""),
        (f"Workspace.annotations_for, {count:,}, again", f"{again * 1000:.0f} ms", ""),
        (f"Workspace.annotations_for, {count:,}, new workspace", f"{fresh * 1000:.0f} ms", ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big-mb", type=int, default=100)
    parser.add_argument("--line-mb", type=int, default=10)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--annotations", type=int, default=1_000)
    parser.add_argument("--only", choices=("big", "lines", "files", "annotations"), action="append")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    parts = args.only or ["big", "lines", "files", "annotations"]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        os.environ["READMARK_CACHE_DIR"] = str(folder / "cache")
        if "big" in parts:
            rows += bench_big_transcript(folder, args.big_mb)
        if "lines" in parts:
            rows += bench_single_lines(folder, args.line_mb)
        if "files" in parts:
            rows += bench_many_files(folder, args.files)
        if "annotations" in parts:
            rows += bench_annotations(folder, args.annotations)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>18}  target")
    for name, result, target in rows:
        print(f"{name:<{width}}  {result:>18}  {target}")
    print(f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
