"""What the search index has seen of the vault, kept in SQLite beside the index.

One row per annotation folder (its stamp: a folder's times move when a file is added, removed or
renamed in it), per annotation file (size, time, content hash, and the annotation ids it held so
they can be taken out with it), per source (stamp and title) and per source title learnt. A
search reads the folder rows, and the file rows of the folders whose stamp moved only; a write
changes only the rows it touches. (It was one JSON file, read whole by every search: 18.6 MB
for a vault of 100,000 notes.)

SQLite is in the standard library and never runs what it reads, unlike pickle. The file lives in
the index folder, private to the user. A `state.json` left by an older readmark is taken over
once when it is whole and of this index's version, and ignored otherwise (the index is then
rewritten from the files); it is never read again.

The rows never claim more than the index holds: the ids a write is about to add are recorded
before the index commit, the stamps that say "nothing to re-read" only after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

STATE_NAME = "state.sqlite"
STATE_FILES = (STATE_NAME, f"{STATE_NAME}-journal")
"""The state and the journal SQLite keeps beside it while it writes."""
LEGACY_STATE_NAME = "state.json"
"""The state as readmark 0.2 kept it: migrated once, then removed."""
SAVES_DIR = "saves"
"""One small file per annotation indexed outside a reconcile (a save in the reader, `readmark
annotate`), naming its file: the next reconcile learns of it, so that if the file is deleted
by another program before then, the annotation is taken out of the index too."""
FORMAT = 2
"""The layout of the tables below; another one is started afresh."""
BUSY_WAIT = 2.0
"""Seconds a write waits for another readmark's write to the state to finish."""

StrPath = str | os.PathLike[str]
"""A file's path, as text or a Path (plain text is cheaper by the hundred thousand)."""

_NAMES = "surrogatepass"
"""Keys and ids are stored as bytes: a file name that is not UTF-8 holds lone surrogates."""

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folders (
    id INTEGER PRIMARY KEY, name BLOB NOT NULL UNIQUE,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    folder INTEGER NOT NULL, name BLOB NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, digest BLOB NOT NULL, ids BLOB NOT NULL,
    PRIMARY KEY (folder, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ids (
    id BLOB NOT NULL, folder INTEGER NOT NULL, name BLOB NOT NULL,
    PRIMARY KEY (id, folder, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    id BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    digest BLOB NOT NULL, title BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS titles (id BLOB PRIMARY KEY, title BLOB NOT NULL) WITHOUT ROWID;
"""
"""A folder is a row of `folders` (its stamp unknown, -1, until it is listed); a file is its
folder's number and its name, with the annotation ids it held (`ids` finds a file by one)."""
_DATA_TABLES = ("folders", "files", "ids", "sources", "titles")


class FileStamp(NamedTuple):
    """Enough about a file to tell, cheaply, whether it changed since it was indexed.

    A tuple: a thorough reconcile compares a hundred thousand of them, taken as SQLite returns
    its rows, without making one each."""

    size: int
    mtime_ns: int
    digest: bytes
    """Content hash, compared only when size or mtime moved (a touched file is no change)."""


_PUT_FILE = "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)"
_PUT_ID = "INSERT OR IGNORE INTO ids VALUES (?, ?, ?)"

StampRow = tuple[int, int, bytes]
"""A `FileStamp`'s fields as SQLite returns them (a `FileStamp` is one too)."""


def same_stat(stamp: StampRow, size: int, mtime_ns: int) -> bool:
    """Whether a file of this size and time is the one `stamp` recorded, as far as a stat tells."""
    return stamp[0] == size and stamp[1] == mtime_ns


UNREAD_STAMP = FileStamp(size=-1, mtime_ns=-1, digest=b"")
"""The stamp of a file whose content the index may not hold: it matches no file, so the file
is read again."""


class FolderStamp(NamedTuple):
    """A folder's times and inode: any file added, removed or renamed in it moves them.

    The change time too, because a sync tool may set a folder's modification time back; no
    program can set the change time. A tuple: a search compares a thousand of them with the
    folders' times as stat'ed, and tuples compare without a call."""

    mtime_ns: int
    ctime_ns: int
    inode: int


UNSURE_FOLDER = FolderStamp(-1, -1, -1)
"""Recorded for a folder listed within `RACY_NS` of its last change: a file added in that same
tick of the file system's clock would not move its times, so it is listed again next time."""
RACY_NS = 2_000_000_000
"""How recent a change must be to leave a stamp unsure: two seconds covers the coarsest clock
of a common file system (FAT's)."""


def folder_stamp(info: os.stat_result, now_ns: int) -> FolderStamp:
    """The stamp to record for a folder stat'ed (before it was listed) at `now_ns`."""
    if now_ns - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_NS:
        return UNSURE_FOLDER
    return FolderStamp(info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def file_digest(path: StrPath) -> bytes:
    with open(path, "rb") as file:
        return content_digest(file.read())


def stamp_of(path: StrPath, size: int, mtime_ns: int) -> FileStamp:
    return FileStamp(size=size, mtime_ns=mtime_ns, digest=file_digest(path))


def stamp_to_keep(size: int, mtime_ns: int, digest: bytes, now_ns: int) -> FileStamp:
    """The stamp to record for a file read at `now_ns`: one changed within `RACY_NS` could
    change again in the same tick of the clock, unseen, so its time is left unknown and its
    content hash decides next time."""
    if now_ns - mtime_ns < RACY_NS:
        return FileStamp(size, -1, digest)
    return FileStamp(size, mtime_ns, digest)


class IndexState:
    """The state of one index: in `folder` (None: in memory, for an index kept in memory).

    Each use opens the file anew (a few tens of microseconds), so another process replacing it
    (a repair, a rewrite) is seen at once. Reads outside `writing()` see the last commit.
    """

    def __init__(self, folder: Path | None, version: int, *, fresh: bool) -> None:
        self.folder = folder
        self.version = version
        self._memory: sqlite3.Connection | None = None
        self._conn: sqlite3.Connection | None = None
        self.writable = True
        """False when the state cannot be written (a read-only disk): it is then kept in
        memory for this run, starting from what the file said."""
        if folder is None:
            self._memory = self._open(":memory:")
            self._reset(complete=True)
        else:
            self._prepare(fresh)

    # -- connections ------------------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[None]:
        """Keep one connection open for the calls made inside (a reconcile's many reads)."""
        if self._conn is not None or self._memory is not None:
            yield
            return
        self._conn = self._connect()
        try:
            yield
        finally:
            self._conn.close()
            self._conn = None

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction: every change inside lands together or not at all. It waits up to
        `BUSY_WAIT` for another readmark's write (`sqlite3.OperationalError` past that)."""
        with self.session():
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise

    def _db(self) -> sqlite3.Connection:
        db = self._memory or self._conn
        if db is None:
            raise RuntimeError("the index state is used outside a session")
        return db

    @contextmanager
    def _use(self) -> Iterator[sqlite3.Connection]:
        if self._memory is not None or self._conn is not None:
            yield self._db()
            return
        with self.session():
            yield self._db()

    def _connect(self) -> sqlite3.Connection:
        assert self.folder is not None
        return self._open(str(self.folder / STATE_NAME))

    def _open(self, name: str) -> sqlite3.Connection:
        db = sqlite3.connect(name, timeout=BUSY_WAIT, isolation_level=None)
        db.executescript(_TABLES)
        return db

    def _make_tables(self) -> None:
        """The tables of this layout, made anew (one statement at a time: inside a
        transaction, which `executescript` would commit)."""
        db = self._db()
        for table in _DATA_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _TABLES.split(";"):
            if statement.strip():
                db.execute(statement)

    def _prepare(self, fresh: bool) -> None:
        """Create the tables, start afresh (a new index, another layout or version), or take
        over a state left by an older readmark. On a disk that cannot be written, the rows
        are copied into memory for this run."""
        assert self.folder is not None
        legacy = (self.folder / LEGACY_STATE_NAME).exists()
        try:
            with self.session():
                if legacy or fresh or not self._current():
                    with self.writing():
                        self._start(fresh)
        except (sqlite3.Error, OSError):
            self.writable = False
            self._memory = self._memory_copy(self.folder / STATE_NAME)
            if fresh or not self._current():
                self._reset(complete=fresh)

    def _current(self) -> bool:
        return self._meta("format") == FORMAT and self._meta("version") == self.version

    def _start(self, fresh: bool) -> None:
        if fresh or not self._current():
            self._reset(complete=fresh)
        if fresh:
            self._drop_legacy()  # a new index holds nothing, whatever an old state says
        else:
            self._take_over_legacy()

    def _memory_copy(self, path: Path) -> sqlite3.Connection:
        """The state file's rows in memory (none when it cannot be read)."""
        memory = self._open(":memory:")
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                source.backup(memory)
            finally:
                source.close()
        except sqlite3.Error:
            pass
        return memory

    def _reset(self, *, complete: bool) -> None:
        if self._meta("format") == FORMAT:
            self.clear()
        else:
            self._make_tables()  # another layout: its tables go whole
        self._set_meta("format", FORMAT)
        self._set_meta("version", self.version)
        self._set_meta("generation", -1)
        self.set_complete(complete)

    # -- meta -------------------------------------------------------------------------------

    def _meta(self, name: str) -> int | None:
        with self._use() as db:
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else int(row[0])

    def _set_meta(self, name: str, value: int) -> None:
        with self._use() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @property
    def complete(self) -> bool:
        """False when what the index holds is unknown (a rewrite stopped half-way, a lost or
        distrusted state): the next reconcile rewrites it whole."""
        return self._meta("complete") == 1

    def set_complete(self, complete: bool) -> None:
        self._set_meta("complete", int(complete))

    @property
    def generation(self) -> int:
        """The index generation the rows were last written with (-1 before any write)."""
        found = self._meta("generation")
        return -1 if found is None else found

    def set_generation(self, generation: int) -> None:
        self._set_meta("generation", generation)

    # -- reading ----------------------------------------------------------------------------

    def folder_stamps(self) -> dict[str, tuple[int, int, int]]:
        """Every folder some file was indexed in or whose stamp was recorded, with the fields
        of its `FolderStamp` (equal to it, and cheaper to make); an unknown stamp is
        `UNSURE_FOLDER`."""
        with self._use() as db:
            rows = db.execute("SELECT name, mtime_ns, ctime_ns, inode FROM folders").fetchall()
        return {_text(row[0]): row[1:] for row in rows}

    def files_in(self, folders: Iterable[str] | None = None) -> dict[str, StampRow]:
        """The stamps of the files indexed in these folders (all of them with None), by key,
        as the fields of a `FileStamp` (equal to it)."""
        query = (
            "SELECT d.name, f.name, f.size, f.mtime_ns, f.digest "
            "FROM files f JOIN folders d ON d.id = f.folder"
        )
        with self._use() as db:
            if folders is None:
                rows = db.execute(query).fetchall()
            else:
                rows = []
                for folder in folders:
                    rows += db.execute(f"{query} WHERE d.name = ?", (_raw(folder),)).fetchall()
        return {_text(row[0] + b"/" + row[1]): row[2:] for row in rows}

    def file_stamps(self, keys: Iterable[str]) -> dict[str, FileStamp]:
        found: dict[str, FileStamp] = {}
        with self._use() as db:
            for key in keys:
                row = db.execute(
                    "SELECT f.size, f.mtime_ns, f.digest FROM files f JOIN folders d "
                    "ON d.id = f.folder WHERE d.name = ? AND f.name = ?",
                    _split(key),
                ).fetchone()
                if row is not None:
                    found[key] = FileStamp(*row)
        return found

    def ids_of(self, key: str) -> list[str]:
        """The annotation ids the file held when it was indexed."""
        with self._use() as db:
            row = db.execute(
                "SELECT f.ids FROM files f JOIN folders d ON d.id = f.folder "
                "WHERE d.name = ? AND f.name = ?",
                _split(key),
            ).fetchone()
        return _ids(row[0]) if row is not None else []

    def keys_holding(self, ids: Iterable[str]) -> list[str]:
        """The files whose indexed annotations include one of `ids`."""
        keys: set[str] = set()
        with self._use() as db:
            for annotation_id in ids:
                rows = db.execute(
                    "SELECT d.name, i.name FROM ids i JOIN folders d ON d.id = i.folder "
                    "WHERE i.id = ?",
                    (_raw(annotation_id),),
                )
                keys.update(_text(folder + b"/" + name) for folder, name in rows)
        return sorted(keys)

    def source_stamps(self) -> dict[str, StampRow]:
        """The size, time and hash recorded for each source (a `FileStamp`'s fields), without
        the titles: what a reconcile compares with the files."""
        with self._use() as db:
            rows = db.execute("SELECT id, size, mtime_ns, digest FROM sources").fetchall()
        return {_text(row[0]): row[1:] for row in rows}

    def titles(self) -> dict[str, str]:
        with self._use() as db:
            rows = db.execute("SELECT id, title FROM titles").fetchall()
        return {_text(sid): _text(title) for sid, title in rows}

    # -- writing (inside `writing()`) -------------------------------------------------------

    def clear(self) -> None:
        """Forget every folder, file, source and title (the index is being rewritten whole)."""
        db = self._db()
        for table in _DATA_TABLES:
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants

    def put_file(self, key: str, stamp: FileStamp, ids: Iterable[str]) -> None:
        self._set_file(key, stamp, sorted(set(ids)))

    def put_new_files(self, files: Iterable[tuple[str, FileStamp, list[str]]]) -> None:
        """`put_file` for each of many files the state has no record of (it was just cleared,
        for a rewrite): no old ids to look up or drop, a statement for all of them."""
        db = self._db()
        numbers: dict[bytes, int] = {}
        rows: list[tuple[int, bytes, int, int, bytes, bytes]] = []
        ids: list[tuple[bytes, int, bytes]] = []
        for key, stamp, kept in files:
            folder, name = _split(key)
            number = numbers.get(folder)
            if number is None:
                number = numbers[folder] = self._folder_number(folder)
            unique = sorted(set(kept))
            rows.append((number, name, stamp.size, stamp.mtime_ns, stamp.digest, _joined(unique)))
            ids.extend((_raw(i), number, name) for i in unique)
        db.executemany(_PUT_FILE, rows)
        db.executemany(_PUT_ID, ids)

    def add_ids(self, key: str, ids: Iterable[str]) -> None:
        """Record that the index is about to hold `ids` from `key`, whose content it may not
        hold yet (a write in progress, a save outside a reconcile): it is read again."""
        self._set_file(key, UNREAD_STAMP, sorted({*self.ids_of(key), *ids}))

    def _set_file(self, key: str, stamp: FileStamp, ids: list[str]) -> None:
        db = self._db()
        folder, name = _split(key)
        number = self._folder_number(folder)
        old = self.ids_of(key)
        db.execute(
            _PUT_FILE,
            (number, name, stamp.size, stamp.mtime_ns, stamp.digest, _joined(ids)),
        )
        if old != ids:
            db.executemany(
                "DELETE FROM ids WHERE id = ? AND folder = ? AND name = ?",
                ((_raw(i), number, name) for i in old),
            )
            db.executemany(
                _PUT_ID,
                ((_raw(i), number, name) for i in ids),
            )

    def drop_file(self, key: str) -> None:
        db = self._db()
        folder, name = _split(key)
        row = db.execute("SELECT id FROM folders WHERE name = ?", (folder,)).fetchone()
        if row is None:
            return
        for annotation_id in self.ids_of(key):
            db.execute(
                "DELETE FROM ids WHERE id = ? AND folder = ? AND name = ?",
                (_raw(annotation_id), row[0], name),
            )
        db.execute("DELETE FROM files WHERE folder = ? AND name = ?", (row[0], name))

    def touch_file(self, key: str, stamp: FileStamp) -> None:
        """A file's new size and time, its content unchanged: only while its hash is the one
        recorded (another readmark may have indexed a newer content meanwhile)."""
        folder, name = _split(key)
        self._db().execute(
            "UPDATE files SET size = ?, mtime_ns = ? WHERE name = ? AND digest = ? "
            "AND folder = (SELECT id FROM folders WHERE name = ?)",
            (stamp.size, stamp.mtime_ns, name, stamp.digest, folder),
        )

    def put_folder(self, name: str, stamp: FolderStamp) -> None:
        raw = _raw(name)
        self._folder_number(raw)
        self._db().execute(
            "UPDATE folders SET mtime_ns = ?, ctime_ns = ?, inode = ? WHERE name = ?",
            (stamp.mtime_ns, stamp.ctime_ns, stamp.inode, raw),
        )

    def drop_folder(self, name: str) -> None:
        """Forget a folder that is gone, once no file is recorded in it (the files' removal
        from the index is what drops their rows)."""
        self._db().execute(
            "DELETE FROM folders WHERE name = ? "
            "AND NOT EXISTS (SELECT 1 FROM files WHERE files.folder = folders.id)",
            (_raw(name),),
        )

    def _folder_number(self, folder: bytes) -> int:
        db = self._db()
        row = db.execute("SELECT id FROM folders WHERE name = ?", (folder,)).fetchone()
        if row is not None:
            return int(row[0])
        unsure = UNSURE_FOLDER
        cursor = db.execute(
            "INSERT INTO folders (name, mtime_ns, ctime_ns, inode) VALUES (?, ?, ?, ?)",
            (folder, unsure.mtime_ns, unsure.ctime_ns, unsure.inode),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def put_source(self, source_id: str, stamp: FileStamp, title: str) -> None:
        self._db().execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?)",
            (_raw(source_id), stamp.size, stamp.mtime_ns, stamp.digest, _raw(title)),
        )

    def touch_source(self, source_id: str, stamp: FileStamp) -> None:
        self._db().execute(
            "UPDATE sources SET size = ?, mtime_ns = ? WHERE id = ? AND digest = ?",
            (stamp.size, stamp.mtime_ns, _raw(source_id), stamp.digest),
        )

    def drop_source(self, source_id: str) -> None:
        self._db().execute("DELETE FROM sources WHERE id = ?", (_raw(source_id),))

    def put_titles(self, titles: dict[str, str]) -> None:
        self._db().executemany(
            "INSERT OR REPLACE INTO titles VALUES (?, ?)",
            ((_raw(sid), _raw(title)) for sid, title in titles.items()),
        )

    def drop_title(self, source_id: str) -> None:
        self._db().execute("DELETE FROM titles WHERE id = ?", (_raw(source_id),))

    # -- the state of readmark 0.2 ----------------------------------------------------------

    def _take_over_legacy(self) -> None:
        """Migrate a `state.json` once (it is removed after): its stamps, ids and titles when
        it is whole and of this version and no state of this kind was there already; else
        mark what the index holds as unknown, so the next reconcile rewrites it."""
        assert self.folder is not None
        legacy = self.folder / LEGACY_STATE_NAME
        try:
            text = legacy.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            text = ""  # unreadable: not trusted
        db = self._db()
        known = db.execute("SELECT 1 FROM files UNION SELECT 1 FROM sources LIMIT 1").fetchone()
        taken = known is None and self._migrate(text)
        if not taken:
            # Written by an older readmark after this state, or damaged: trust neither.
            self.set_complete(False)
        self._drop_legacy()

    def _drop_legacy(self) -> None:
        assert self.folder is not None
        # An error here rolls the whole take-over back, to be tried again next time.
        (self.folder / LEGACY_STATE_NAME).unlink(missing_ok=True)

    def _migrate(self, text: str) -> bool:
        try:
            raw = json.loads(text)
            if raw.get("version") != self.version or raw.get("complete", True) is not True:
                return False
            for key, entry in raw["annotation_files"].items():
                self.put_file(key, _legacy_stamp(entry["stamp"]), [str(i) for i in entry["ids"]])
            for sid, entry in raw["source_files"].items():
                self.put_source(sid, _legacy_stamp(entry["stamp"]), str(entry["title"]))
            self.put_titles({str(k): str(v) for k, v in raw["titles"].items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            self.clear()
            return False
        # No folder was stamped then: the first reconcile lists every folder once.
        self.set_complete(True)
        return True


def describe_state_error(error: sqlite3.Error) -> str:
    """Why the state could not be written, in the words used for the index itself."""
    code = getattr(error, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return "the disk is full"
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return "the disk is read-only"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return "another readmark is writing to it"
    return f"its state cannot be written ({error})"


def _legacy_stamp(raw: dict[str, object]) -> FileStamp:
    size, mtime_ns, digest = raw["size"], raw["mtime_ns"], raw["digest"]
    if not (isinstance(size, int) and isinstance(mtime_ns, int) and isinstance(digest, str)):
        raise TypeError("a stamp of another shape")
    return FileStamp(size, mtime_ns, bytes.fromhex(digest))


def _split(key: str) -> tuple[bytes, bytes]:
    """A file's key as (folder, name): the folder is everything before the last `/`."""
    folder, _, name = key.rpartition("/")
    return _raw(folder), _raw(name)


def _joined(ids: list[str]) -> bytes:
    """A file's annotation ids as one value: JSON, which keeps any character an id may hold
    (a separator would split an id that contains it)."""
    return json.dumps(ids).encode("ascii") if ids else b""


def _ids(raw: bytes) -> list[str]:
    return [str(i) for i in json.loads(raw)] if raw else []


def _raw(text: str) -> bytes:
    return text.encode("utf-8", _NAMES)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", _NAMES)


# -- annotations indexed outside a reconcile ------------------------------------------------------


def note_save(folder: Path, key: str, annotation_id: str) -> None:
    """Remember that `annotation_id`, from the file `key`, is being indexed outside a reconcile.

    Best effort: a folder that cannot be written cannot take the index change either.
    """
    try:
        saves = folder / SAVES_DIR
        if not saves.is_dir():
            saves.mkdir(mode=0o700)
        (saves / annotation_id).write_text(key, encoding="utf-8")
    except OSError:
        pass


def read_saves(folder: Path) -> dict[str, str]:
    """Annotation id -> file key of every annotation indexed outside a reconcile so far."""
    found: dict[str, str] = {}
    try:
        with os.scandir(folder / SAVES_DIR) as entries:
            for entry in entries:
                try:
                    with open(entry.path, encoding="utf-8") as file:
                        key = file.read()
                except (OSError, ValueError):
                    continue
                if key:  # empty while another process writes it: the next reconcile reads it
                    found[entry.name] = key
    except OSError:
        pass
    return found


def clear_saves(folder: Path, saves: dict[str, str]) -> None:
    """Forget the notes the state now holds (once it is saved)."""
    for annotation_id in saves:
        try:
            (folder / SAVES_DIR / annotation_id).unlink()
        except OSError:
            pass
