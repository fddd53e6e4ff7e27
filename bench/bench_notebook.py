"""Notebook benchmark: every annotation of the vault listed from the search index, filtered and
sorted, next to the peer it replaces (reading every annotation file, as an export does).

    uv run python bench/bench_notebook.py --count 10000      # a quick run
    uv run python bench/bench_notebook.py                    # 100,000 annotations

Prints one table: opening the notebook (the first page of rows on screen) and each filter
keystroke, median and 95th percentile, with the file walk for the same list beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the index benchmark's generated data

from bench_index import make_annotations, make_corpus, make_sources  # noqa: E402
from readmark.annotations.index import SearchIndex  # noqa: E402
from readmark.annotations.model import Kind  # noqa: E402
from readmark.annotations.notebook import NotebookFilter, NotebookSort, Status  # noqa: E402
from readmark.annotations.store import AnnotationStore  # noqa: E402
from readmark.library.layout import CACHE_DIR_VARIABLE  # noqa: E402

PAGE = 34
"""Rows the notebook shows at 120x36."""


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    worst = ordered[-1]
    return f"{statistics.median(ordered) * 1000:.1f} / {p95 * 1000:.1f} / {worst * 1000:.1f} ms"


def page(index: SearchIndex, wanted: NotebookFilter) -> int:
    """What one keystroke costs: the query, and the rows on screen read."""
    listing = index.list_annotations(wanted)
    listing.rows(0, PAGE)
    count = len(listing)
    listing.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="annotations (100,000)")
    parser.add_argument("--sources", type=int, default=1_000)
    parser.add_argument("--walk", type=int, default=5_000, help="files the peer walk reads")
    parser.add_argument(
        "--keep", type=Path, help="build the index in this folder once, and reuse it after"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = args.keep or Path(folder)
        os.environ[CACHE_DIR_VARIABLE] = str(root / "cache")
        vault = root / "vault"
        built = vault.exists()
        vault.mkdir(parents=True, exist_ok=True)
        corpus = make_corpus()
        index = SearchIndex(vault)
        if not built or not index.doc_count():
            print(f"building an index of {args.count:,} annotations…", file=sys.stderr)
            index.rebuild(
                make_annotations(corpus, args.count, args.sources),
                make_sources(corpus, args.sources, passages=10),
            )
            index.optimize()
        rows: list[tuple[str, str, str]] = []
        cold = timed(lambda: page(index, NotebookFilter()))
        rows.append(("first open after a change (orders worked out)", f"{cold * 1000:.1f} ms", ""))
        opened = [timed(lambda: page(index, NotebookFilter())) for _ in range(7)]
        total = page(index, NotebookFilter())
        rows.append((f"open: all {total:,}, newest first", figures(opened), ""))
        middle = [w for w in corpus.words[300:3000] if len(w) >= 5]
        word = f"{middle[0]} {middle[7]}"
        keystrokes = [word[: n + 1] for n in range(len(word))]
        samples = [timed(lambda t=t: page(index, NotebookFilter(t))) for t in keystrokes * 3]
        rows.append((f"filter keystroke (typing {word!r})", figures(samples), ""))
        for label, wanted in (
            ("kind: dissent", NotebookFilter(kind=Kind.DISSENT)),
            ("kind: dissent, typed words", NotebookFilter(middle[3], kind=Kind.DISSENT)),
            ("tag: topic3", NotebookFilter("tag:topic3")),
            ("status: needs review", NotebookFilter(status=Status.NEEDS_REVIEW)),
            ("sort: by source", NotebookFilter(sort=NotebookSort.SOURCE)),
            ("sort: confidence", NotebookFilter(sort=NotebookSort.CONFIDENCE)),
        ):
            samples = [timed(lambda w=wanted: page(index, w)) for _ in range(5)]
            rows.append((label, figures(samples), ""))
        peer = walk_peer(root / "walk", corpus, min(args.walk, args.count), args.sources)
        rows.append((f"peer: read {min(args.walk, args.count):,} annotation files", "", peer))
        index.close()
    print(f"| notebook, {args.count:,} annotations | index (median / p95 / worst) | file walk |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def walk_peer(vault: Path, corpus: object, count: int, sources: int) -> str:
    """The walk the index saves: load every annotation file (extrapolated per 100,000)."""
    store = AnnotationStore(vault)
    for annotation in make_annotations(make_corpus(), count, sources):
        store.save(annotation)
    seconds = timed(store.load_all)
    per_100k = seconds * 100_000 / max(count, 1)
    return f"{seconds * 1000:.0f} ms ({per_100k:.1f} s per 100,000)"


if __name__ == "__main__":
    main()
