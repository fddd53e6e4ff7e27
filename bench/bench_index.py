"""Search index benchmark: readmark's Whoosh index next to SQLite FTS5 on the same generated data.

    uv run python bench/bench_index.py --scale 0.1      # a quick run
    uv run python bench/bench_index.py                  # 100,000 annotations, 1,000 sources

Prints one table of figures; `--levers` also measures the naive ways the index does not use.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from readmark.annotations.index import BULK_LIMIT_MB, INDEX_NAME, SearchIndex  # noqa: E402
from readmark.annotations.index_schema import (  # noqa: E402
    annotation_document,
    build_schema,
    passage_documents,
)
from readmark.annotations.model import (  # noqa: E402
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.library.builder import SourceBuilder  # noqa: E402
from readmark.library.layout import CACHE_DIR_VARIABLE, VaultLayout  # noqa: E402
from readmark.library.model import Source  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import STOP_WORDS  # noqa: E402
from whoosh.codec.whoosh3 import W3Codec  # noqa: E402

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
SUFFIXES = ["", "", "", "s", "ing", "ed", "er", "ation"]


# -- data ---------------------------------------------------------------------------------------


@dataclass
class Corpus:
    rng: random.Random
    words: list[str]
    weights: list[float]
    tags: list[str]
    speakers: list[str]

    def text(self, count: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=count))


def make_corpus(seed: int = 7, vocabulary: int = 20_000) -> Corpus:
    rng = random.Random(seed)
    stems: set[str] = set()
    while len(stems) < vocabulary // 2:
        stems.add("".join(rng.choices(SYLLABLES, k=rng.randint(1, 3))))
    words = [stem + rng.choice(SUFFIXES) for stem in sorted(stems) for _ in range(2)]
    rng.shuffle(words)
    # The most frequent words of English are stop words (~40% of text); the index drops them.
    words = sorted(STOP_WORDS) + words
    # Zipf's law, as in natural text: the n-th word is 1/n as frequent as the first.
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    tags = [f"topic{i}" for i in range(50)]
    speakers = [f"Speaker{i} {rng.choice(words).title()}" for i in range(30)]
    return Corpus(rng, words, cumulative, tags, speakers)


def make_sources(corpus: Corpus, count: int, passages: int = 30) -> Iterator[Source]:
    for n in range(count):
        builder = SourceBuilder(id=f"sources/s{n:05d}.md", title=corpus.text(4), format="text")
        for i in range(passages):
            builder.add_segment(
                corpus.text(60), start=i * 30.0, speaker=corpus.rng.choice(corpus.speakers)
            )
        yield builder.build()


def make_annotations(corpus: Corpus, count: int, sources: int) -> Iterator[Annotation]:
    rng = corpus.rng
    for n in range(count):
        quote = corpus.text(30)
        yield Annotation(
            id=f"ann{n:07d}",
            source=f"sources/s{rng.randrange(sources):05d}.md",
            kind=rng.choice([Kind.HIGHLIGHT, Kind.HIGHLIGHT, Kind.NOTE, Kind.DISSENT]),
            anchor=Anchor(TextQuoteSelector(quote), TextPositionSelector(0, len(quote)), "0" * 16),
            start=rng.random() * 3600,
            speaker=rng.choice(corpus.speakers) if rng.random() < 0.5 else None,
            note=corpus.text(20) if rng.random() < 0.6 else "",
            tags=tuple(rng.sample(corpus.tags, rng.randint(0, 3))),
            created=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
        )


def make_queries(corpus: Corpus, count: int, seed: int = 99) -> list[str]:
    rng = random.Random(seed)
    skip = len(STOP_WORDS)
    common, middle = corpus.words[skip : skip + 50], corpus.words[skip + 200 : skip + 5000]
    shapes: list[Callable[[], str]] = [
        lambda: rng.choice(common),
        lambda: rng.choice(middle),
        lambda: f"{rng.choice(middle)} {rng.choice(common)}",
        lambda: f'"{rng.choice(common)} {rng.choice(common)}"',
        lambda: f"kind:dissent {rng.choice(middle)}",
        lambda: f"tag:{rng.choice(corpus.tags)} {rng.choice(common)}",
        lambda: f"created:[2026-03-01 to 2026-04-01] {rng.choice(middle)}",
    ]
    return [shapes[i % len(shapes)]() for i in range(count)]


# -- measuring ------------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    return f"{p50:.1f} / {p95:.1f} ms"


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def peak_mb() -> str:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return f"{own} MB (workers {children} MB)"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, what: str, whoosh: str, fts5: str = "") -> None:
        self.rows.append((what, whoosh, fts5))
        print(f"  {what}: {whoosh}  {fts5}", file=sys.stderr, flush=True)

    def print(self) -> None:
        print("| measure | Whoosh (readmark) | SQLite FTS5 |")
        print("|---|---|---|")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")


# -- Whoosh ---------------------------------------------------------------------------------------


def whoosh_bulk(vault: Path, corpus: Corpus, n_ann: int, n_src: int) -> tuple[SearchIndex, int]:
    index = SearchIndex(vault)
    count = index.rebuild(make_annotations(corpus, n_ann, n_src), make_sources(corpus, n_src))
    return index, count


def whoosh_naive_bulk(vault: Path, corpus: Corpus, n_ann: int, n_src: int) -> None:
    """One plain writer and one commit, as Whoosh's tutorial does it."""
    folder = VaultLayout(vault).index
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer()
    for source in make_sources(corpus, n_src):
        for doc in passage_documents(source):
            writer.add_document(**doc)
    for annotation in make_annotations(corpus, n_ann, n_src):
        writer.add_document(**annotation_document(annotation))
    writer.commit()


def whoosh_queries(index: SearchIndex, queries: list[str], limit: int = 20) -> list[float]:
    return [timed(lambda q=q: index.search(q, limit=limit)) for q in queries]  # type: ignore[misc]


def whoosh_fresh_searcher(index: SearchIndex, queries: list[str]) -> list[float]:
    """A new searcher per query, and no snippets: the naive way."""
    samples = []
    for q in queries:
        parsed = index.parse(q)
        began = time.perf_counter()
        with index._ix.searcher() as searcher:  # noqa: SLF001 - the lever being measured
            list(searcher.search(parsed, limit=20))
        samples.append(time.perf_counter() - began)
    return samples


def whoosh_saves(index: SearchIndex, corpus: Corpus, count: int, n_src: int) -> tuple[list, list]:
    """Save-then-search round trips: the commit, and the first search that sees the save."""
    commits, visible = [], []
    for annotation in make_annotations(corpus, count, n_src):
        marker = f"zzmarker{annotation.id}"
        saved = Annotation(
            id=f"new-{annotation.id}",
            source=annotation.source,
            kind=annotation.kind,
            anchor=annotation.anchor,
            note=marker,
        )
        commits.append(timed(lambda a=saved: index.add_or_update_annotation(a, "title")))  # type: ignore[misc]
        began = time.perf_counter()
        assert index.search(marker), "a saved annotation must be searchable"
        visible.append(time.perf_counter() - began)
    return commits, visible


# -- SQLite FTS5 ----------------------------------------------------------------------------------

FTS_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    id UNINDEXED, type UNINDEXED, source_id UNINDEXED, kind, tag, speaker, quote, note, text,
    created UNINDEXED, start UNINDEXED, tokenize = 'porter unicode61'
);
"""


def fts_rows(corpus: Corpus, n_ann: int, n_src: int) -> Iterator[tuple[object, ...]]:
    for source in make_sources(corpus, n_src):
        for seg in source.segments:
            yield (f"{source.id}#{seg.index}", "passage", source.id, None, None, seg.speaker,
                   None, None, seg.text, None, seg.start)  # fmt: skip
    for a in make_annotations(corpus, n_ann, n_src):
        yield (a.id, "annotation", a.source, str(a.kind), " ".join(a.tags), a.speaker,
               a.quote, a.note, None, a.created, a.start)  # fmt: skip


def fts_build(path: Path, corpus: Corpus, n_ann: int, n_src: int) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(FTS_SCHEMA)
    with db:
        db.executemany(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", fts_rows(corpus, n_ann, n_src)
        )
    return db


def fts_query(query: str) -> tuple[str, tuple[str, ...]]:
    """The FTS5 spelling of the benchmark's query shapes."""
    where, args = "docs MATCH ?", []
    words = []
    for part in query.split(" "):
        if part.startswith("kind:"):
            words.append(f"kind:{part[5:]}")
        elif part.startswith("tag:"):
            words.append(f"tag:{part[4:]}")
        elif part.startswith("created:[") or part in ("to",) or part.endswith("]"):
            continue
        else:
            words.append(part)
    if "created:[" in query:
        where += " AND created >= ? AND created < ?"
        args = ["2026-03-01", "2026-04-01"]
    match = " ".join(
        w if w.startswith('"') or ":" in w else f"{{quote note text}}: {w}" for w in words
    )
    sql = (
        "SELECT id, snippet(docs, -1, '**', '**', '…', 24), bm25(docs) FROM docs "
        f"WHERE {where} ORDER BY rank LIMIT 20"
    )
    return sql, (match, *args)


def fts_queries(db: sqlite3.Connection, queries: list[str]) -> list[float]:
    samples = []
    for q in queries:
        sql, args = fts_query(q)
        samples.append(timed(lambda: db.execute(sql, args).fetchall()))  # noqa: B023
    return samples


# -- reindex levers: each configuration in a process of its own, over the same documents -------

WHOOSH_AS_IS = {"fields": "generic", "codec": "whoosh", "writer": "whoosh"}
REINDEX_LEVERS: dict[str, dict[str, object]] = {
    "Whoosh as is: its field indexing, postings writer and segment writer": WHOOSH_AS_IS,
    "+ stemmed fields indexed in one loop (StemmedText)": {"codec": "whoosh", "writer": "whoosh"},
    "+ IndexCodec: terms of up to 15 postings inlined, no zlib on posting blocks": {
        "writer": "whoosh"
    },
    "+ lean writer: repeats indexed once, postings gathered per term, terms written (now)": {},
    "now, with posting blocks at zlib level 3 (Whoosh's default)": {"compression": 3},
    "now, with posting blocks at zlib level 1, small window (before)": {"compression": 1},
    "now, with only a term's single posting inlined (inlinelimit 2, before)": {"inlinelimit": 2},
    "now, with stored fields through zlib, level 3, small window (before)": {"stored_zlib": True},
    "now, with the sort keys indexed as numbers (schema 9)": {"numeric_sort_keys": True},
    "now, with the cyclic collector off (as a reindex's workers run)": {"gc": False},
    "now, with segment files not joined into one": {"compound": False},
    "now, with limitmb=64 (not 256)": {"limitmb": 64},
    "now, with limitmb=1024": {"limitmb": 1024},
    "now, with procs=2, multisegment (Whoosh's writer)": {"procs": 2},
    "now, with procs=2, multisegment, lean workers (IndexMpWriter, what a reindex uses)": {
        "procs": 2,
        "writer": "lean",
    },
    "now, with passages without their source's words": {"no_source_words": True},
    "now, with passage text not stored (snippets read from the source)": {"unstored_text": True},
}


class WhooshCodec(W3Codec):
    """The codec before the lean writer: Whoosh's own, without per-block length bounds."""

    length_stats = False


def lever_documents(n_ann: int, n_src: int, lever: dict[str, object]) -> list[dict[str, Any]]:
    corpus = make_corpus()
    docs = []
    for source in make_sources(corpus, n_src):
        for doc in passage_documents(source):
            if lever.get("no_source_words"):
                doc.pop("source")
            docs.append(doc)
    docs += [annotation_document(a) for a in make_annotations(corpus, n_ann, n_src)]
    return docs


def one_lever(n_ann: int, n_src: int, lever: dict[str, object]) -> None:
    """Index the documents with one configuration; print CPU seconds (workers included), wall
    seconds and the index's size in MB."""
    from readmark.annotations.index import IndexCodec
    from readmark.annotations.index_parallel import IndexMpWriter
    from readmark.annotations.index_schema import STEMMING
    from readmark.annotations.index_writer import IndexSegmentWriter
    from whoosh.fields import NUMERIC, TEXT
    from whoosh.filedb.filestore import FileStorage

    docs = lever_documents(n_ann, n_src, lever)
    schema = build_schema()
    if lever.get("numeric_sort_keys"):
        for name, bits in (("when", 64), ("place", 64), ("sure", 8)):
            schema.remove(name)
            schema.add(name, NUMERIC(sortable=True, bits=bits, signed=False, default=0))
    if lever.get("gc") is False:
        gc.disable()
    for name in ("quote", "note", "text"):
        stored = not (name == "text" and lever.get("unstored_text"))
        if lever.get("fields") == "generic" or not stored:
            schema.remove(name)
            schema.add(name, TEXT(analyzer=STEMMING, stored=stored))
    folder = Path(tempfile.mkdtemp(prefix="bench-lever-"))
    try:
        ix = FileStorage(str(folder), supports_mmap=False).create_index(schema, indexname="x")
        codec_args = {k: lever[k] for k in ("inlinelimit", "compression") if k in lever}
        procs = int(str(lever.get("procs", 1)))
        options: dict[str, Any] = {"limitmb": lever.get("limitmb", BULK_LIMIT_MB)}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        if "compound" in lever:
            options["compound"] = lever["compound"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, wall = time.process_time(), time.perf_counter()
        plain_stored = not lever.get("stored_zlib")  # as a reindex's workers write them
        codec = (
            WhooshCodec()
            if lever.get("codec") == "whoosh"
            else IndexCodec(**codec_args, plain_stored=plain_stored)
        )
        if procs > 1 and lever.get("writer") == "lean":
            writer = IndexMpWriter(ix, codec=codec, **options)
        elif procs > 1 or lever.get("writer") == "whoosh":
            writer = ix.writer(codec=codec, **options)
        else:
            writer = IndexSegmentWriter(ix, codec=codec, **options)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu = time.process_time() - cpu + children
        wall = time.perf_counter() - wall
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
        print(json.dumps({"cpu": cpu, "wall": wall, "mb": size, "docs": len(docs)}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fts_lever(n_ann: int, n_src: int) -> None:
    """The same documents into an FTS5 table, for the peer column."""
    docs = lever_documents(n_ann, n_src, {})
    rows = [
        (d["id"], d["type"], d["source_id"], d.get("kind"), d.get("tag"), d.get("speaker"),
         d.get("quote"), d.get("note"), d.get("text"), d.get("created"), d.get("start"))
        for d in docs
    ]  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="bench-lever-"))
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        db = sqlite3.connect(folder / "fts.db")
        db.executescript(FTS_SCHEMA)
        with db:
            db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.close()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        size = (folder / "fts.db").stat().st_size / 2**20
        print(json.dumps({"cpu": cpu, "wall": wall, "mb": size, "docs": len(docs)}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def reindex_levers(scale: float) -> None:
    """What each lever buys for a full index, next to FTS5 on the same documents."""
    args = [sys.executable, __file__, "--scale", str(scale)]
    peer = json.loads(subprocess.run([*args, "--one-lever", "fts5"], capture_output=True,
                                     text=True, check=True).stdout)  # fmt: skip
    print(
        f"| lever (the first four add up; each row after changes one thing of the fourth) | "
        f"CPU s | wall s | MB | CPU / FTS5 ({peer['cpu']:.1f} s, {peer['mb']:.0f} MB) |"
    )
    print("|---|---|---|---|---|")
    for name, lever in REINDEX_LEVERS.items():
        done = subprocess.run([*args, "--one-lever", json.dumps(lever)], capture_output=True,
                              text=True, check=True)  # fmt: skip
        got = json.loads(done.stdout)
        print(
            f"| {name} | {got['cpu']:.1f} | {got['wall']:.1f} | {got['mb']:.0f} | "
            f"{got['cpu'] / peer['cpu']:.1f}x |",
            flush=True,
        )


# -- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 annotations")
    parser.add_argument("--queries", type=int, default=210)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--levers", action="store_true", help="also measure the naive ways")
    parser.add_argument(
        "--reindex-levers", action="store_true", help="only what each reindex lever buys"
    )
    parser.add_argument("--one-lever", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_lever or args.reindex_levers:
        n_ann, n_src = int(100_000 * args.scale), max(int(1_000 * args.scale), 1)
        if args.one_lever == "fts5":
            fts_lever(n_ann, n_src)
        elif args.one_lever:
            one_lever(n_ann, n_src, json.loads(args.one_lever))
        else:
            reindex_levers(args.scale)
        return
    n_ann, n_src = int(100_000 * args.scale), max(int(1_000 * args.scale), 1)
    work = Path(tempfile.mkdtemp(prefix="bench-index-"))
    os.environ[CACHE_DIR_VARIABLE] = str(work / "cache")  # the index goes with the rest
    table = Table()
    table.add("data", f"{n_ann:,} annotations + {n_src * 30:,} passages ({n_src:,} sources)")
    try:
        queries = make_queries(make_corpus(), args.queries)

        elapsed = timed(lambda: fts_build(work / "fts.db", make_corpus(), n_ann, n_src))
        fts_index_time = f"{elapsed:.1f} s"
        db = sqlite3.connect(work / "fts.db")

        began = time.perf_counter()
        index, count = whoosh_bulk(work / "vault", make_corpus(), n_ann, n_src)
        table.add(
            f"full index, procs=2 multisegment limitmb={BULK_LIMIT_MB}",
            f"{time.perf_counter() - began:.1f} s ({count:,} docs)",
            fts_index_time,
        )
        table.add("peak memory after bulk load", peak_mb())
        size = sum(p.stat().st_size for p in VaultLayout(work / "vault").index.iterdir()) >> 20
        table.add("index size", f"{size} MB", f"{(work / 'fts.db').stat().st_size >> 20} MB")

        index.search(queries[0])  # open the searcher once, as the app does
        fts = fts_queries(db, queries)
        table.add("search p50 / p95, kept searcher, limit 20, snippets",
                  percentiles(whoosh_queries(index, queries)), percentiles(fts))  # fmt: skip
        if args.levers:
            table.add("search p50 / p95, fresh searcher per query, no snippets",
                      percentiles(whoosh_fresh_searcher(index, queries)))  # fmt: skip
            table.add("search p50 / p95, kept searcher, limit 200",
                      percentiles(whoosh_queries(index, queries, limit=200)))  # fmt: skip
        commits, visible = whoosh_saves(index, make_corpus(seed=5), args.saves, n_src)
        table.add("one save: commit p50 / p95 (merge small segments)", percentiles(commits))
        table.add("one save: first search that finds it p50 / p95", percentiles(visible))
        table.add("search p50 / p95 after those saves", percentiles(whoosh_queries(index, queries)))
        if args.levers:
            SearchIndex.merge_on_save = False
            commits, _ = whoosh_saves(index, make_corpus(seed=6), args.saves, n_src)
            SearchIndex.merge_on_save = True
            table.add("one save: commit p50 / p95, merge=False", percentiles(commits))
            table.add("search p50 / p95 after merge=False saves",
                      percentiles(whoosh_queries(index, queries)))  # fmt: skip
            elapsed = timed(index.optimize)
            table.add("optimize (merge to one segment)", f"{elapsed:.1f} s")
            table.add("search p50 / p95, one segment",
                      percentiles(whoosh_queries(index, queries)))  # fmt: skip
        index.close()

        began = time.perf_counter()
        only = SearchIndex(work / "annotations-only")
        only.rebuild(make_annotations(make_corpus(), n_ann, n_src), [])
        table.add("full reindex, annotations only", f"{time.perf_counter() - began:.1f} s")
        elapsed = timed(lambda: sum(1 for _ in make_annotations(make_corpus(), n_ann, n_src)))
        table.add("of which generating the annotations", f"{elapsed:.1f} s")

        if args.levers:
            shutil.rmtree(work / "naive", ignore_errors=True)
            elapsed = timed(lambda: whoosh_naive_bulk(work / "naive", make_corpus(), n_ann, n_src))
            table.add("full index, one plain writer (naive)", f"{elapsed:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table.print()


if __name__ == "__main__":
    main()
