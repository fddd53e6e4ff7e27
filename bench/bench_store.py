"""The annotation store on disk: durable saves beside many files, and `readmark reindex` from files.

    uv run python bench/bench_store.py --scale 0.1      # a quick run
    uv run python bench/bench_store.py                  # 100,000 annotation files

Unlike bench_index.py (which feeds the index from memory), this writes real annotation files
and times what a user waits for: one durable save, and a full `readmark reindex` that reads
and parses every file. Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import make_annotations, make_corpus, percentiles  # noqa: E402
from readmark.annotations.markdown_format import render  # noqa: E402
from readmark.annotations.model import new_annotation_id  # noqa: E402
from readmark.annotations.store import AnnotationStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def fill(vault: Path, count: int, sources: int) -> AnnotationStore:
    """`count` annotation files, written plainly (how they got there does not matter here)."""
    store = AnnotationStore(vault)
    made: set[Path] = set()
    for annotation in make_annotations(make_corpus(), count, sources):
        path = store.path_for(annotation)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(render(annotation), encoding="utf-8")
    return store


def durable_saves(vault: Path, saves: int, sources: int) -> tuple[list[float], list[float]]:
    """Each save a new annotation in an existing source's folder, through a fresh store (as
    one `readmark annotate` does) or the reader's long-lived one: both pay the same fsyncs.
    Then each of them edited and saved again over the version saved (the note editor's `e`)."""
    store = AnnotationStore(vault)
    samples, made = [], []
    for n, annotation in enumerate(make_annotations(make_corpus(seed=3), saves, sources)):
        fresh = dataclasses.replace(annotation, id=new_annotation_id())
        began = time.perf_counter()
        store.save(fresh)
        samples.append(time.perf_counter() - began)
        assert store.path_for(fresh).is_file(), n
        made.append(fresh)
    edits = []
    for annotation in made:
        edited = dataclasses.replace(annotation, note=annotation.note + " (edited)")
        began = time.perf_counter()
        store.save(edited)
        edits.append(time.perf_counter() - began)
    return samples, edits


def cli(vault: Path, *args: str) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "readmark", *args, "--vault", str(vault)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return time.perf_counter() - began, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 annotations")
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    count, sources = int(100_000 * args.scale), max(int(1_000 * args.scale), 1)
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    os.environ["READMARK_CACHE_DIR"] = str(work / "cache")  # removed with the rest
    vault = work / "vault"
    vault.mkdir()
    rows: list[tuple[str, str, str]] = []
    try:
        began = time.perf_counter()
        fill(vault, count, sources)
        if hasattr(os, "sync"):
            # The setup's writes would otherwise still be flushing during the timed fsyncs.
            os.sync()
        rows.append((f"write {count:,} annotation files (setup)",
                     f"{time.perf_counter() - began:.1f} s", ""))  # fmt: skip
        saves, edits = durable_saves(vault, args.saves, sources)
        rows.append((f"durable save p50 / p95, {count:,} files there", percentiles(saves),
                     "p95 < 20 ms"))  # fmt: skip
        rows.append(("durable save of an edit over the version read", percentiles(edits),
                     "p95 < 20 ms"))  # fmt: skip
        seconds, said = cli(vault, "reindex")
        files = count + args.saves
        rows.append((f"readmark reindex, {files:,} files, no index", f"{seconds:.1f} s", "< 60 s"))
        print(f"  ({said})", file=sys.stderr)
        seconds, _ = cli(vault, "search", "kind:dissent", "--limit", "5")
        rows.append(("readmark search after it (a fresh process)", f"{seconds * 1000:.0f} ms", ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    for what, figure, target in rows:
        print(f"{what:<{width}}  {figure:>16}  {target}")


if __name__ == "__main__":
    main()
