"""The vault: a folder of sources, listed (with a cache) and opened one at a time."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from readmark.library.cache import CacheEntry, read_cache, read_ids, write_cache, write_ids
from readmark.library.decoding import BINARY_EXTENSIONS, HEAD_SIZE, binary_reason
from readmark.library.durable import TEMP_PREFIX
from readmark.library.errors import SourceError
from readmark.library.formats import registry
from readmark.library.layout import DATA_FOLDER, VaultLayout
from readmark.library.model import Source

if TYPE_CHECKING:
    # Made from the listing's rows on first use: a search needs only the ids.
    from readmark.library.summary import SourceSummary

HIDDEN_FILE = "hidden file (readmark lists only files whose name does not start with a dot)"
NOT_REGULAR = "not a regular file (a pipe, socket or device)"
PARALLEL_THRESHOLD = 200
"""Below this many files to parse, starting worker processes costs more than it saves."""
PROGRESS_STEPS = 100
"""A scan reports progress about this many times, however many files the vault holds."""

_Result = tuple[dict[str, Any] | None, str | None, bool]
"""(summary JSON, None, cacheable) or (None, skip reason, cacheable): one file's scan result."""

ScanProgress = Callable[[int, int], None]
"""Called as `progress(done, total)` while a scan checks the files it found: `done` rises
from 0 to `total`, and the last call is always `(total, total)`. Called from the thread
that runs the scan."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder of the vault that is not listed, and why."""

    path: str
    """Vault-relative POSIX path; folders end with `/`."""
    reason: str


class Listing:
    """The sources of a vault, sorted by id, and the files left out.

    Rows stay in their JSON form (as cached and as printed); `sources` builds the typed
    summaries on first use, so a warm `sources --json` never converts ten thousand of them.
    """

    __slots__ = ("_rows", "_sources", "skipped")

    def __init__(self, rows: list[dict[str, Any]], skipped: list[Skipped]) -> None:
        self._rows = rows
        self._sources: list[SourceSummary] | None = None
        self.skipped = skipped

    @property
    def ids(self) -> list[str]:
        """The sources' ids, in order, without building their summaries."""
        return [row["id"] for row in self._rows]

    @property
    def sources(self) -> list[SourceSummary]:
        from readmark.library.summary import SourceSummary

        if self._sources is None:
            self._sources = [SourceSummary.from_json(row) for row in self._rows]
        return self._sources

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": self._rows,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Listing) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class _File:
    id: str
    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class _FromCache:
    """What the cached listing says of the files walked: the entries still true, their rows,
    the files to parse, and whether the cache changed (entries of files gone)."""

    entries: dict[str, CacheEntry] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    to_parse: list[_File] = field(default_factory=list)
    changed: bool = False


def _sorted_listing(rows: list[dict[str, Any]], skipped: list[Skipped]) -> Listing:
    rows.sort(key=lambda row: str(row["id"]))
    skipped.sort(key=lambda s: s.path)
    return Listing(rows, skipped)


class Vault:
    """A folder of sources. Listing never raises; what cannot be read is reported, not thrown."""

    def __init__(self, root: Path, *, workers: int | None = None) -> None:
        self.root = Path(os.path.abspath(root))
        """The vault folder, absolute but with links kept as the user named them."""
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        """Processes used to parse many changed files at once; 1 parses in this process."""
        self._real_root = Path(os.path.realpath(self.root))
        self.layout = VaultLayout(self.root)
        """Where this vault's files live, inside it and in this machine's cache."""

    @property
    def cache_path(self) -> Path:
        """The listing cache: per machine, outside the vault (a synced one is never trusted)."""
        return self.layout.source_cache

    def scan(self, progress: ScanProgress | None = None) -> Listing:
        """List every source of the vault, parsing only files changed since the cached listing.

        `progress` hears how many of the files found are checked; parsing is the slow part,
        so files taken from the cache count in one step.
        """
        files, skipped = self._walk()
        return self._list(files, skipped, progress)[0]

    def source_ids(self) -> list[str]:
        """The ids `scan` lists, in order. The vault is walked all the same, but while no file
        was added, removed or changed since the last time, the ids come from a short record of
        them instead of the listing cache (a search needs no summary)."""
        files, skipped = self._walk()
        stamps = sorted([file.id, file.size, file.mtime_ns] for file in files)
        known = read_ids(self.layout.source_ids, stamps)
        if known is not None:
            return known
        listing, settled = self._list(files, skipped, None)
        ids = listing.ids
        if settled:
            write_ids(self.layout.source_ids, stamps, ids)
        return ids

    def cached_scan(self) -> Listing | None:
        """`scan`'s listing when every file is as the cached listing has it, with nothing to
        parse and nothing to forget (a few milliseconds for a few hundred sources); None when
        a file was added, removed or changed since."""
        files, skipped = self._walk()
        found = self._from_cache(files, skipped)
        if found.to_parse or found.changed:
            return None
        return _sorted_listing(found.rows, skipped)

    def _from_cache(self, files: list[_File], skipped: list[Skipped]) -> _FromCache:
        """What the cached listing still says of the files walked (their skipped entries are
        added to `skipped`), and which files need parsing."""
        cached = read_cache(self.cache_path)
        found = _FromCache()
        for file in files:
            entry = cached.get(file.id)
            if entry is None or not entry.matches(file.size, file.mtime_ns):
                found.to_parse.append(file)
            elif entry.skipped is not None:
                found.entries[file.id] = entry
                skipped.append(Skipped(file.id, entry.skipped))
            elif isinstance(entry.summary, dict) and entry.summary.get("id") == file.id:
                found.entries[file.id] = entry
                found.rows.append(entry.summary)
            else:
                found.to_parse.append(file)
        found.changed = found.entries.keys() != cached.keys()
        return found

    def _list(
        self, files: list[_File], skipped: list[Skipped], progress: ScanProgress | None
    ) -> tuple[Listing, bool]:
        """The listing of the files walked, and whether every one of them is now in the cache
        (a file that could not be opened is not: it is tried again next time)."""
        report = _Reporter(progress, len(files))
        # The cache's entries not kept are gone before parsing: only `found` holds on.
        found = self._from_cache(files, skipped)
        entries, rows, to_parse, changed = found.entries, found.rows, found.to_parse, found.changed
        report.advance(len(files) - len(to_parse))
        for index, (row, reason, cacheable) in self._parse_all(to_parse):
            file = to_parse[index]
            if cacheable:
                entries[file.id] = CacheEntry(file.size, file.mtime_ns, row, reason)
                changed = True
            if row is not None:
                rows.append(row)
            else:
                skipped.append(Skipped(file.id, reason or ""))
            report.advance(1)
        report.finish()
        if changed:
            write_cache(self.cache_path, entries)
        return _sorted_listing(rows, skipped), len(entries) == len(files)

    def load(self, source_id: str) -> Source:
        """Parse one source fully; `SourceError` for an id that is not a file of the vault.

        A large file, listed from a quick scan, gets its exact list entry cached here.
        """
        from readmark.library.loading import QUICK_SCAN_BYTES, load_path

        path = self.path_of(source_id)
        before = _stat_key(path)
        source = load_path(path, source_id)
        if before is not None and before[0] > QUICK_SCAN_BYTES and _stat_key(path) == before:
            self._remember(source_id, before, source)
        return source

    def first_page(self, source_id: str) -> Source | None:
        """The head of a large source, parsed alone to read while `load` reads the whole (see
        `library.loading.first_page`); None for a small file or one whose head cannot say."""
        from readmark.library.loading import first_page

        return first_page(self.path_of(source_id), source_id)

    def _remember(self, source_id: str, key: tuple[int, int], source: Source) -> None:
        from readmark.library.summary import summarise

        entries = read_cache(self.cache_path)
        if not entries and not self.cache_path.parent.is_dir():
            return  # never listed: no cache to correct
        entries[source_id] = CacheEntry(key[0], key[1], summarise(source).to_json())
        write_cache(self.cache_path, entries)

    def peek(self, source_id: str) -> tuple[str, str]:
        """(title, format) from the head of a file, cheap even for huge files."""
        from readmark.library.loading import peek_path

        glance = peek_path(self.path_of(source_id))
        return glance.title, glance.format

    def path_of(self, source_id: str) -> Path:
        """The file behind `source_id`; refuses ids that lead outside the vault."""
        pure = PurePosixPath(source_id)
        if not source_id or pure.is_absolute() or ".." in pure.parts or "\\" in source_id:
            raise SourceError(
                f"{source_id!r} is not a source id: ids are paths inside the vault {self.root}, "
                "like 'talks/episode-1.md'"
            )
        if pure.parts[0] == DATA_FOLDER:
            raise SourceError(f"{source_id}: readmark's own data, not a source of {self.root}")
        path = self.root.joinpath(*pure.parts)
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self._real_root):
            raise SourceError(
                f"{source_id}: the link points outside the vault {self.root}; "
                "readmark only opens files inside it"
            )
        if not real.is_file():
            raise SourceError(f"{source_id}: no such source in {self.root}")
        return path

    def id_of(self, path: Path) -> str | None:
        """The id of a file path inside the vault, or None when it lies outside."""
        absolute = Path(os.path.abspath(path))
        for base, candidate in ((self.root, absolute), (self._real_root, absolute.resolve())):
            if candidate.is_relative_to(base):
                return candidate.relative_to(base).as_posix()
        return None

    def _walk(self) -> tuple[list[_File], list[Skipped]]:
        """Every candidate file, and the entries skipped on the way; never raises."""
        files: list[_File] = []
        skipped: list[Skipped] = []
        seen_dirs: set[tuple[int, int]] = set()
        try:
            info = os.stat(self.root)
            seen_dirs.add((info.st_dev, info.st_ino))
        except OSError as error:
            return files, [Skipped("./", _reason(error))]
        folders: list[tuple[str, str]] = [(str(self.root), "")]
        # Linked folders wait until every real folder is walked, so files keep their real path.
        linked: list[tuple[str, str, tuple[int, int]]] = []
        while folders or linked:
            if folders:
                folder, prefix = folders.pop()
            else:
                folder, prefix, key = linked.pop()
                if key in seen_dirs:
                    skipped.append(Skipped(prefix, "link to a folder already listed"))
                    continue
                seen_dirs.add(key)
            try:
                with os.scandir(folder) as entries:
                    children = list(entries)
            except OSError as error:
                skipped.append(Skipped(prefix or "./", _reason(error)))
                continue
            for entry in children:
                name = entry.name
                rel = prefix + name
                if name.startswith(".") and _silently_hidden(entry):
                    continue
                try:
                    is_link = entry.is_symlink()
                    if is_link and not self._inside(entry.path):
                        skipped.append(Skipped(rel, "link points outside the vault"))
                        continue
                    info = entry.stat()
                except OSError as error:
                    skipped.append(Skipped(rel, _reason(error)))
                    continue
                if name.startswith("."):
                    skipped.append(Skipped(rel, _hidden_file_reason(entry.path, info.st_mode)))
                elif stat.S_ISDIR(info.st_mode):
                    key = (info.st_dev, info.st_ino)
                    if is_link:
                        linked.append((entry.path, rel + "/", key))
                    elif key not in seen_dirs:
                        seen_dirs.add(key)
                        folders.append((entry.path, rel + "/"))
                elif stat.S_ISREG(info.st_mode):
                    reason = _unlisted_reason(name)
                    if reason is None:
                        files.append(_File(rel, entry.path, info.st_size, info.st_mtime_ns))
                    else:
                        skipped.append(Skipped(rel, reason))
                else:
                    # FIFOs, sockets and devices: opening a FIFO would block the listing.
                    skipped.append(Skipped(rel, NOT_REGULAR))
        return files, skipped

    def _inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        if not os.path.exists(real):
            raise FileNotFoundError(2, "broken link", path)
        return Path(real).is_relative_to(self._real_root)

    def _parse_all(self, files: list[_File]) -> Iterator[tuple[int, _Result]]:
        """(index in `files`, result) for every file, as they come, so progress can follow."""
        jobs = [(f.path, f.id, f.size) for f in files]
        # Forking a process that runs other threads (the TUI) can deadlock, so only fork alone.
        if self.workers > 1 and len(jobs) >= PARALLEL_THRESHOLD and threading.active_count() == 1:
            return _parse_in_processes(jobs, self.workers)
        return enumerate(map(summarise_file, jobs))


class _Reporter:
    """Calls a `ScanProgress` at most about `PROGRESS_STEPS` times, rising, ending at the total."""

    __slots__ = ("_callback", "_done", "_reported", "_step", "_total")

    def __init__(self, callback: ScanProgress | None, total: int) -> None:
        self._callback = callback
        self._total = total
        self._done = 0
        self._reported = -1
        self._step = max(1, -(-total // PROGRESS_STEPS))  # rounded up: at most the steps
        self._call(0)

    def advance(self, count: int) -> None:
        self._done = min(self._total, self._done + count)
        if self._done - self._reported >= self._step:
            self._call(self._done)

    def finish(self) -> None:
        if self._reported != self._total:
            self._call(self._total)

    def _call(self, done: int) -> None:
        if self._callback is not None:
            self._reported = done
            self._callback(done, self._total)


def summarise_file(job: tuple[str, str, int]) -> _Result:
    """Parse one file into (summary JSON, None, cacheable) or (None, skip reason, cacheable).

    Module-level so worker processes can run it; a failure to open is not cached, so it is
    tried again next time.
    """
    from readmark.library.loading import NotASource, summarise_path

    path, source_id, size = job
    try:
        summary = summarise_path(Path(path), source_id, size)
    except NotASource as error:
        cacheable = not isinstance(error.__cause__, OSError)
        return None, error.reason, cacheable
    except SourceError as error:
        return None, str(error), True
    return summary.to_json(), None, True


def _parse_in_processes(
    jobs: list[tuple[str, str, int]], workers: int
) -> Iterator[tuple[int, _Result]]:
    """`summarise_file` over `jobs` in this process and `workers - 1` forked ones.

    Every process takes the next chunk from a shared counter, so a slow one takes fewer;
    this one parses too (no idle parent, no pickling of its own results) and reads what the
    others send between its chunks. Chunks a child does not deliver are parsed here.
    """
    import multiprocessing

    from readmark.library.loading import readers

    # Small chunks keep every process busy to the end; files differ a lot in cost.
    size = max(1, min(64, len(jobs) // (workers * 4)))
    starts = range(0, len(jobs), size)
    done: set[int] = set()
    if "fork" in multiprocessing.get_all_start_methods():
        readers()  # imported once here, so the forked children inherit them
        context = multiprocessing.get_context("fork")
        counter = context.RawValue("l", 0)
        lock = context.Lock()

        def claim() -> int | None:
            with lock:
                index = counter.value
                counter.value = index + 1
            return starts[index] if index < len(starts) else None

        children = []
        try:
            for _ in range(workers - 1):
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(
                    target=_child_scan, args=(claim, jobs, size, sender), daemon=True
                )
                child.start()
                sender.close()
                _widen_pipe(receiver.fileno())
                children.append((child, receiver))
        except OSError:
            pass  # no processes to be had (a sandbox): this one parses what they do not
        while (start := claim()) is not None:
            yield from enumerate(map(summarise_file, jobs[start : start + size]), start)
            done.add(start)
            for _, receiver in children:
                yield from _received(receiver, done, block=False)
        for child, receiver in children:
            yield from _received(receiver, done, block=True)
            receiver.close()
            child.join()
    for start in starts:
        if start not in done:
            yield from enumerate(map(summarise_file, jobs[start : start + size]), start)


def _child_scan(
    claim: Callable[[], int | None], jobs: list[tuple[str, str, int]], size: int, sender: Any
) -> None:
    """A forked child: parse claimed chunks and send `(start, results)` for each."""
    while (start := claim()) is not None:
        sender.send((start, [summarise_file(job) for job in jobs[start : start + size]]))
    sender.close()


def _received(receiver: Any, done: set[int], *, block: bool) -> Iterator[tuple[int, _Result]]:
    """Results a child has sent; all of them until it ends when `block`."""
    try:
        while block or receiver.poll():
            start, results = receiver.recv()
            done.add(start)
            yield from enumerate(results, start)
    except (EOFError, OSError):
        pass  # the child ended (or died): what it did not send is parsed by the caller


def _widen_pipe(fd: int) -> None:
    # A child blocks when the pipe is full; a wider pipe lets it run on while this one parses.
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


def _silently_hidden(entry: os.DirEntry[str]) -> bool:
    """Hidden folders, readmark's data and temp files are left out without a word."""
    if entry.name == DATA_FOLDER or entry.name.startswith(TEMP_PREFIX):
        return True
    try:
        return entry.is_dir()
    except OSError:
        return True


def _hidden_file_reason(path: str, mode: int) -> str:
    """Why a dot-file is not listed: what it is when binary, else that it is hidden."""
    if not stat.S_ISREG(mode):
        return NOT_REGULAR
    try:
        with open(path, "rb", opener=_nonblocking) as file:
            head = file.read(HEAD_SIZE)
    except OSError as error:
        return _reason(error)
    return binary_reason(os.path.basename(path), head) or HIDDEN_FILE


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _unlisted_reason(name: str) -> str | None:
    """Why a file is left out, by its name; None when a format lists its extension (a file
    without one is listed when it turns out to be text)."""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot > 0 else ""
    if not suffix or suffix in registry().listed:
        return None
    if suffix in BINARY_EXTENSIONS:
        return BINARY_EXTENSIONS[suffix]
    return f"not a format readmark reads ({suffix})"


def _stat_key(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns), the key of a cache entry; None when the file cannot be stat'ed."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (check its permissions)"
    if isinstance(error, FileNotFoundError) and error.strerror == "broken link":
        return "broken link"
    if error.errno == errno.ELOOP:
        return "link loop"
    return error.strerror or str(error)
