"""The annotation store on disk next to its peers: saves, `readmark reindex`, a fresh search.

    uv run python bench/bench_store.py --scale 0.1      # a quick run
    uv run python bench/bench_store.py                  # 100,000 annotation files, 1,000 sources

Unlike bench_index.py (which feeds the index from memory), this writes real annotation files
and source transcripts, and times what a user waits for, each in a process of its own as a user
starts it, next to a peer measured in the same run (this machine is shared and noisy: read the
ratios):

- a durable save (one fsync of the file and one of its folder);
- `readmark reindex`, in CPU seconds (its worker processes included), next to an SQLite FTS5
  table built from the same files (read, parsed by readmark's own reader, inserted), the two
  in turns, `--reindex-rounds` times (3 by default);
- a fresh `readmark search`, next to `rg -uu` reading every annotation file for the same word
  (skipped with a note when rg is not installed) and a fresh process querying that FTS5 table;
- the catch-up a search starts after it answers (in the background: nobody waits for it).

Python's bytecode is compiled first, as an installed readmark has it. Prints a table; not a
test. `--keep DIR` keeps the vault (and its index) there; `--reuse DIR` measures one kept;
`--vault-copy DIR` writes the generated vault to DIR once and measures a fresh copy of it on each
run (the same files for a before/after pair, without generating them again).
"""

from __future__ import annotations

import argparse
import dataclasses
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
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import make_annotations, make_corpus, percentiles  # noqa: E402
from readmark.annotations.markdown_format import parse, render  # noqa: E402
from readmark.annotations.model import new_annotation_id  # noqa: E402
from readmark.annotations.store import AnnotationStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PASSAGES = 30
"""Speaker turns per source transcript."""
QUERIES = ["{rare}", "{common}", "{rare} {common}", "kind:dissent {common}", '"{common} {next}"']
"""Query shapes for the fresh searches: the words are drawn from the corpus."""


# -- the vault ------------------------------------------------------------------------------------


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


def write_sources(vault: Path, count: int) -> None:
    """`count` Markdown transcripts (front matter, then timed speaker turns), as the annotations
    name them (`sources/s00000.md`, ...)."""
    corpus = make_corpus(seed=11)
    folder = vault / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        turns = []
        for i in range(PASSAGES):
            speaker = corpus.rng.choice(corpus.speakers)
            clock = time.strftime("%H:%M:%S", time.gmtime(i * 30))
            turns.append(f"**{speaker}** [{clock}]\n\n{corpus.text(60)}.\n")
        title = corpus.text(4)
        text = f"---\ntitle: {title}\n---\n\n" + "\n".join(turns)
        (folder / f"s{n:05d}.md").write_text(text, encoding="utf-8")


def annotation_files(vault: Path) -> Iterator[Path]:
    root = AnnotationStore(vault).root
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.name.startswith("."):
            yield from sorted(folder.glob("*.md"))


# -- measuring ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    wall: float
    cpu: float
    """User and system seconds of the process and every process it waited for."""
    out: str


def run(argv: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):  # rg says 1 when it finds nothing
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")
    return Run(wall, cpu, done.stdout)


def readmark(vault: Path, *args: str) -> Run:
    return run([sys.executable, "-m", "readmark", *args, "--vault", str(vault)])


def compile_bytecode() -> None:
    """Compile readmark and its libraries once, as installing them does (a checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module in every process)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    targets = [str(ROOT / part) for part in ("readmark", "library", "annotations", "tui", "media")]
    import sysconfig

    targets.append(sysconfig.get_paths()["purelib"])
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *targets],
        env=env,
        check=False,
        capture_output=True,
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratio(mine: float, peer: float) -> str:
    return f"{mine / peer:.2f}x" if peer > 0 else "-"


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, mine: str, peer: str = "", times: str = "") -> None:
        self.rows.append((what, mine, peer, times))
        print(f"  {what}: {mine} | {peer} | {times}", file=sys.stderr, flush=True)

    def print(self) -> None:
        print("| what | readmark | peer, same run | ratio |")
        print("|---|---|---|---|")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")


# -- the FTS5 peer (run in a process of its own: `--peer-build VAULT DB`, `--peer-query DB Q`) ----

FTS_SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, type UNINDEXED, source_id UNINDEXED, "
    "kind, tag, speaker, quote, note, text, created UNINDEXED, start UNINDEXED, "
    "tokenize = 'porter unicode61')"
)


def peer_build(vault: Path, db_path: Path) -> None:
    """The same annotation files, read and parsed by readmark's own reader, and the same source
    texts, in an FTS5 table: one transaction, as a bulk load is."""
    from readmark.library.vault import Vault

    db = sqlite3.connect(db_path)
    db.execute(FTS_SCHEMA)

    def rows() -> Iterator[tuple[object, ...]]:
        library = Vault(vault)
        for summary in library.scan().sources:
            source = library.load(summary.id)
            for seg in source.segments:
                yield (f"{source.id}#{seg.index}", "passage", source.id, None, None,
                       seg.speaker, None, None, seg.text, None, seg.start)  # fmt: skip
        for path in annotation_files(vault):
            a = parse(path.read_bytes().decode("utf-8", "surrogatepass"))
            yield (a.id, "annotation", a.source, str(a.kind), " ".join(a.tags), a.speaker,
                   a.quote, a.note, None, a.created, a.start)  # fmt: skip

    with db:
        db.executemany("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows())
    db.close()


def peer_query(db_path: Path, query: str) -> None:
    db = sqlite3.connect(db_path)
    words = " ".join(part.split(":")[-1] for part in query.split())
    match = f"{{quote note text}}: {words}" if not words.startswith('"') else words
    sql = (
        "SELECT id, snippet(docs, -1, '**', '**', '…', 24) FROM docs WHERE docs MATCH ? "
        "ORDER BY rank LIMIT 20"
    )
    for row in db.execute(sql, (match,)):
        print(*row)


# -- the figures ----------------------------------------------------------------------------------


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


def reindex_figures(vault: Path, work: Path, table: Table, rounds: int) -> None:
    """`readmark reindex` and the FTS5 build in turns, `rounds` times: the median of each, and
    the median of the ratios of each pair (the machine's speed drifts from minute to minute;
    a pair run back to back shares it)."""
    files = sum(1 for _ in annotation_files(vault))
    index = work / "cache"
    db_path = work / "peer.db"
    mine: list[Run] = []
    peer: list[Run] = []
    for _ in range(rounds):
        shutil.rmtree(index, ignore_errors=True)  # every round writes the index from nothing
        mine.append(readmark(vault, "reindex"))
        print(f"  ({mine[-1].out.strip()})", file=sys.stderr)
        db_path.unlink(missing_ok=True)
        peer.append(run([sys.executable, __file__, "--peer-build", str(vault), str(db_path)]))
    size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) / 2**20
    paired = median([m.cpu / p.cpu for m, p in zip(mine, peer, strict=True)])
    cpu, wall = median([m.cpu for m in mine]), median([m.wall for m in mine])
    peer_cpu, peer_wall = median([p.cpu for p in peer]), median([p.wall for p in peer])
    table.add(
        f"readmark reindex, {files:,} annotation files, CPU (wall), median of {rounds}; "
        "goal: at most 3x FTS5",
        f"{cpu:.1f} s ({wall:.1f} s), {size:.0f} MB",
        f"FTS5 from the same files: {peer_cpu:.1f} s ({peer_wall:.1f} s), "
        f"{db_path.stat().st_size / 2**20:.0f} MB",
        f"{ratio(cpu, peer_cpu)}; paired {paired:.2f}x "
        f"({', '.join(f'{m.cpu / p.cpu:.2f}' for m, p in zip(mine, peer, strict=True))})",
    )


def search_words(seed: int = 5) -> list[str]:
    """Queries in the shapes of `QUERIES`, with words of the corpus."""
    corpus = make_corpus()
    rng = random.Random(seed)
    skip = 200  # past the stop words
    common = corpus.words[skip : skip + 40]
    rare = corpus.words[skip + 3000 : skip + 6000]
    return [
        shape.format(rare=rng.choice(rare), common=rng.choice(common), next=rng.choice(common))
        for shape in QUERIES
    ]


def search_figures(vault: Path, work: Path, table: Table, runs: int) -> None:
    queries = search_words()
    rg = shutil.which("rg")
    annotations = AnnotationStore(vault).root
    readmark(vault, "search", "warm up the page cache", "--limit", "5")
    mine: list[Run] = []
    grep: list[Run] = []
    fts: list[Run] = []
    for _ in range(runs):
        for query in queries:
            mine.append(readmark(vault, "search", query))
            time.sleep(0.2)  # let the catch-up the search started begin, as it would
            word = query.split()[-1].strip('"').split(":")[-1]
            if rg:
                grep.append(run([rg, "-uu", "--count-matches", word, str(annotations)]))
            fts.append(
                run([sys.executable, __file__, "--peer-query", str(work / "peer.db"), query])
            )
    wall, cpu = median([r.wall for r in mine]), median([r.cpu for r in mine])
    if rg:
        rg_wall, rg_cpu = median([r.wall for r in grep]), median([r.cpu for r in grep])
        table.add(
            f"fresh readmark search, median of {len(mine)}: wall (CPU); goal: half of rg",
            f"{wall * 1000:.0f} ms ({cpu * 1000:.0f} ms)",
            f"rg -uu over every annotation file: {rg_wall * 1000:.0f} ms ({rg_cpu * 1000:.0f} ms)",
            f"{ratio(wall, rg_wall)} wall, {ratio(cpu, rg_cpu)} CPU",
        )
    else:
        table.add(
            f"fresh readmark search, median of {len(mine)}: wall (CPU)",
            f"{wall * 1000:.0f} ms ({cpu * 1000:.0f} ms)",
            "rg is not installed (apt-get install ripgrep): no rg column",
        )
    fts_wall, fts_cpu = median([r.wall for r in fts]), median([r.cpu for r in fts])
    table.add(
        "  the same queries, a fresh Python process on the FTS5 table",
        "",
        f"{fts_wall * 1000:.0f} ms ({fts_cpu * 1000:.0f} ms)",
        f"{ratio(wall, fts_wall)} wall",
    )
    quiet = [r.wall for r in mine]
    table.add("  fresh readmark search p50 / p95 (wall)", percentiles(quiet), "target: <= 1.7 s")


def outside_change_figures(vault: Path, table: Table) -> None:
    """What a search costs after other programs changed files: some added by rename, one edited
    in place (found after the catch-up), and what the catch-up costs."""
    paths = list(annotation_files(vault))
    rng = random.Random(3)
    for path in rng.sample(paths, 100):
        temp = path.with_name(f".tmp-{path.name}")
        text = path.read_text(encoding="utf-8").replace("\n\n> ", "\n\n> edited ", 1)
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)  # as an editor saving by rename does
    in_place = rng.choice(paths)
    text = in_place.read_text(encoding="utf-8")
    with open(in_place, "w", encoding="utf-8") as file:
        file.write(text.rstrip("\n") + "\n\nzeppelinmarker\n")  # as an editor writing in place
    after = readmark(vault, "search", "edited")
    table.add(
        "fresh search after 100 files saved by rename in 100 folders (wall (CPU))",
        f"{after.wall * 1000:.0f} ms ({after.cpu * 1000:.0f} ms)",
    )
    time.sleep(2)
    if (ROOT / "annotations" / "index_catch_up.py").exists():
        catch_up = run([sys.executable, "-m", "readmark.annotations.index_catch_up", str(vault)])
    else:  # a readmark without a catch-up: its search did all the work
        catch_up = Run(0.0, 0.0, "")
    found = readmark(vault, "search", "zeppelinmarker", "--json")
    table.add(
        "the catch-up a search leaves behind (background, low priority): wall (CPU)",
        f"{catch_up.wall * 1000:.0f} ms ({catch_up.cpu * 1000:.0f} ms)",
        "edit in place found after it: " + ("yes" if in_place.stem in found.out else "NO"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100,000 annotations")
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=4, help="rounds of the search queries")
    parser.add_argument("--keep", type=Path, help="make the vault here and keep it")
    parser.add_argument("--reuse", type=Path, help="measure a vault kept with --keep")
    parser.add_argument("--vault-copy", type=Path, help="generate the vault here once, copy it")
    parser.add_argument("--skip-reindex", action="store_true")
    parser.add_argument(
        "--reindex-rounds", type=int, default=3, help="reindex and FTS5 build pairs to run"
    )
    parser.add_argument(
        "--reindex-only", action="store_true", help="only reindex next to FTS5 (no saves, searches)"
    )
    parser.add_argument("--peer-build", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer-query", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer_build:
        peer_build(*args.peer_build)
        return
    if args.peer_query:
        peer_query(Path(args.peer_query[0]), args.peer_query[1])
        return
    count, sources = int(100_000 * args.scale), max(int(1_000 * args.scale), 1)
    work = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="bench-store-"))
    os.environ["READMARK_CACHE_DIR"] = str(work / "cache")  # kept or removed with the rest
    vault = work / "vault"
    table = Table()
    try:
        compile_bytecode()
        if not args.reuse:
            began = time.perf_counter()
            if args.vault_copy:
                if not args.vault_copy.exists():
                    args.vault_copy.mkdir(parents=True)
                    fill(args.vault_copy, count, sources)
                    write_sources(args.vault_copy, sources)
                shutil.copytree(args.vault_copy, vault, symlinks=True)
            else:
                vault.mkdir(parents=True)
                fill(vault, count, sources)
                write_sources(vault, sources)
            if hasattr(os, "sync"):
                # The setup's writes would otherwise still be flushing during the timed fsyncs.
                os.sync()
            table.add(f"write {count:,} annotation files and {sources:,} sources (setup)",
                      f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        if args.reindex_only:
            reindex_figures(vault, work, table, args.reindex_rounds)
            table.print()
            return
        if not args.reuse:
            saves, edits = durable_saves(vault, args.saves, sources)
            table.add(f"durable save p50 / p95, {count:,} files there", percentiles(saves),
                      "target: p95 < 20 ms")  # fmt: skip
            table.add("durable save of an edit over the version read", percentiles(edits),
                      "target: p95 < 20 ms")  # fmt: skip
        if not args.skip_reindex:
            reindex_figures(vault, work, table, args.reindex_rounds)
        elif not (work / "peer.db").exists():
            run([sys.executable, __file__, "--peer-build", str(vault), str(work / "peer.db")])
        search_figures(vault, work, table, args.runs)
        outside_change_figures(vault, table)
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(work, ignore_errors=True)
    table.print()


if __name__ == "__main__":
    main()
