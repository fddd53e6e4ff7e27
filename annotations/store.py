"""The durable annotation store: one Markdown file per annotation inside the vault.

Layout::

    <vault>/.readmark/annotations/<source-slug>/<id>.md   one file per annotation
    <vault>/.readmark/trash/<id>.md                        deleted annotations, restorable

Every write goes through `durable.write_atomic`, so a crash leaves the old file or the new
one, never a torn one. Saving touches only the annotation's own file (no scan of the store).

Another program (an editor, a sync tool) may change a file at any time, so the store remembers
the version of every file it read or wrote (`version`), and a save, delete or move goes ahead
only while the file on disk is still that version: another program's edit is never
overwritten (`ChangedOnDiskError` hands back what is there instead).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from readmark.annotations.gitignore import ensure_gitignore
from readmark.annotations.model import Annotation, LoadProblem, LoadResult
from readmark.annotations.slug import MAX_ID_CHARS, is_valid_annotation_id, source_slug
from readmark.library import durable
from readmark.library.layout import VaultLayout

SUFFIX = ".md"
ENCODING = "utf-8"
ENCODING_ERRORS = "surrogatepass"
"""Keeps even a lone surrogate (from a badly decoded source) instead of refusing to save."""

_KEEP_BOTH_ATTEMPTS = 5
"""Versions kept beside a note while saving it before giving up (each one is another edit
landing between two looks at the file)."""


class StoreError(Exception):
    """The store cannot do what was asked; the message names the file and what to do."""


class AnnotationNotFoundError(StoreError, KeyError):
    """No annotation has the id asked for."""

    def __str__(self) -> str:
        # KeyError would show the message in quotes.
        return str(self.args[0]) if self.args else ""


class InvalidAnnotationIdError(StoreError, ValueError):
    """Text given as an annotation id is not one (and so is never used as a file name)."""


class ChangedOnDiskError(StoreError):
    """The annotation's file is not the version that was read: nothing was written over it.

    `current` holds the file's bytes now (None when it was deleted), `kept` a conflict copy
    made of a version that arrived in the instant of the swap, if any.
    """

    def __init__(
        self,
        message: str,
        annotation_id: str,
        path: Path,
        current: bytes | None,
        kept: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.annotation_id = annotation_id
        self.path = path
        self.current = current
        self.kept = kept


class WrittenNotSyncedError(StoreError):
    """The file was written and is readable, but the disk did not confirm the rename, so it may
    not survive a power cut. The store counts it as saved: saving again makes no second one."""

    def __init__(self, message: str, version: FileVersion) -> None:
        super().__init__(message)
        self.path = version.path
        self.version = version


@dataclass(frozen=True, slots=True)
class FileVersion:
    """An annotation file as the store last read or wrote it: a hash of its bytes, and its
    size and modification time then (what a folder listing shows of it)."""

    path: Path
    digest: bytes
    size: int
    mtime_ns: int

    def matches(self, data: bytes | None) -> bool:
        return data is not None and _digest(data) == self.digest


class _Remembered(enum.Enum):
    VERSION = enum.auto()


REMEMBERED = _Remembered.VERSION
"""`save`/`delete`: compare with the version this store last read or wrote of the annotation
(none known: the annotation is new, and its file must not exist yet)."""

Expected = FileVersion | None | _Remembered


@dataclass(frozen=True, slots=True)
class Saved:
    """What was saved (the annotation may be another program's version with the new note on
    it, see `save_keeping_both`), the file's version now, and the conflict copies kept beside
    it on the way (another program's versions, when the file changed since it was read)."""

    annotation: Annotation
    version: FileVersion
    conflict_copies: tuple[Path, ...] = ()

    @property
    def path(self) -> Path:
        return self.version.path


@dataclass(slots=True)
class Loaded(LoadResult):
    """Annotations and the files that failed, with the version of each annotation's file as
    read: pass it to `write` to save an annotation only over what was read."""

    versions: dict[str, FileVersion] = field(default_factory=dict)


Rebase = Callable[[Annotation], Annotation]
"""Applies a person's change (a note) to a newer version of the annotation."""


class AnnotationStore:
    """Annotations of one vault, saved as human-editable Markdown files."""

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        layout = VaultLayout(vault)
        self.data = layout.data
        """readmark's folder in the vault."""
        self.root = layout.annotations
        """The folder holding one sub-folder per source."""
        self.trash = layout.trash
        self._paths: dict[str, Path] = {}
        """Where each annotation seen by this store lives, so a changed source moves its file."""
        self._versions: dict[str, FileVersion] = {}
        """The version of each annotation file this store last read or wrote, by id."""
        self._written: dict[str, bytes] = {}
        """The digest of what this store itself last wrote, by id: not another program's edit."""
        self._ready_dirs: set[Path] = set()

    def path_for(self, annotation: Annotation) -> Path:
        """The file `annotation` is saved to (it may not exist yet)."""
        _check_id(annotation.id)
        return self.folder_for(annotation.source) / f"{annotation.id}{SUFFIX}"

    def folder_for(self, source_id: str) -> Path:
        """The folder holding the annotation files of a source."""
        return self.root / _slug(source_id)

    def version(self, annotation_id: str) -> FileVersion | None:
        """The version of the annotation's file this store last read or wrote, if any."""
        return self._versions.get(annotation_id)

    def save(
        self, annotation: Annotation, expected: Expected = REMEMBERED, *, recreate: bool = True
    ) -> Path:
        """`write`, returning the file's path."""
        return self.write(annotation, expected, recreate=recreate).path

    def write(
        self, annotation: Annotation, expected: Expected = REMEMBERED, *, recreate: bool = True
    ) -> FileVersion:
        """Create or replace the annotation's file, durably; return the version written.

        The file on disk must still be `expected`, the version the caller read (`REMEMBERED`:
        the one this store last read or wrote; None: the annotation is new, so there is no
        file yet). A file holding exactly the new text already is fine (a retry). When the
        file was deleted meanwhile it is written again, unless `recreate` is False. Else
        nothing is written and `ChangedOnDiskError` gives what is there now.

        Nothing is changed on the annotation (callers set `updated`). On failure the previous
        file is untouched and `StoreError` says why; `WrittenNotSyncedError` means the file was
        written but the disk did not confirm it.
        """
        path = self.path_for(annotation)
        data = self._encode(annotation, path)
        if expected is REMEMBERED:
            expected = self._versions.get(annotation.id)
        moving = expected is not None and expected.path != path
        if expected is not None and moving:
            # The source changed: the file to move must still be the version read.
            current = self._look(expected.path, annotation.id)
            if not expected.matches(current) and (current is not None or not recreate):
                raise self._changed(annotation.id, expected.path, current)
        accepts = _accepts(None if moving else expected, data, recreate)
        version = self._write(annotation.id, path, data, accepts)
        if expected is not None and moving:
            self._remove_stale_copy(expected.path, expected)
        return version

    def save_keeping_both(
        self, annotation: Annotation, expected: Expected = REMEMBERED, rebase: Rebase | None = None
    ) -> Saved:
        """Save the annotation; when its file changed since `expected` (another program edited
        it), first keep that other version beside it as a conflict copy, so both are on disk.

        For a note a person wrote: their text wins the annotation's file, the other program's
        text stays in `<id> (conflicted copy ...).md`, which `check` and the reader point to.
        When the change is this store's own later write (a re-anchor while the note was being
        written), `rebase` puts the person's change on that version instead: nothing to keep.
        """
        copies: list[Path] = []
        for _ in range(_KEEP_BOTH_ATTEMPTS):
            try:
                version = self.write(annotation, expected)
            except ChangedOnDiskError as changed:
                if changed.kept is not None:
                    copies.append(changed.kept)
                if changed.current is None:
                    expected = None
                    continue
                expected = FileVersion(changed.path, _digest(changed.current), 0, 0)
                own = self._own_write(annotation.id, changed.current)
                if own is not None and rebase is not None:
                    annotation = rebase(own)
                    continue
                copies.append(self._keep_conflict_copy(changed.path, changed.current))
                continue
            return Saved(annotation, version, tuple(copies))
        raise StoreError(
            f"cannot save annotation {annotation.id}: its file keeps being changed by another "
            f"program while readmark saves it (the versions are kept in {copies[0].parent}); "
            "your note was not lost: save again when the other program is done"
        )

    def _encode(self, annotation: Annotation, path: Path) -> bytes:
        from readmark.annotations.markdown_format import render

        try:
            return render(annotation).encode(ENCODING, ENCODING_ERRORS)
        except UnicodeError as error:
            # YAML cannot write a lone surrogate, and only a file name's bytes are kept.
            raise StoreError(
                f"cannot save annotation to {path}: it holds text that is not valid Unicode "
                "(a lone surrogate that is not a file name's byte); your note was not lost: "
                "nothing was written. Fix the source file's text and annotate it again."
            ) from error

    def _own_write(self, annotation_id: str, data: bytes) -> Annotation | None:
        """The annotation in `data` when it is what this store itself last wrote for the id."""
        if self._written.get(annotation_id) != _digest(data):
            return None
        from readmark.annotations.markdown_format import AnnotationFormatError, parse

        try:
            return parse(data.decode(ENCODING, ENCODING_ERRORS))
        except (UnicodeDecodeError, AnnotationFormatError):
            return None

    def _write(
        self, annotation_id: str, path: Path, data: bytes, accepts: durable.Unchanged
    ) -> FileVersion:
        """Write the file if `accepts` what is there; remember and return the version written."""
        try:
            try:
                self._ensure_dir(path.parent)
                written = durable.write_atomic(path, data, unchanged=accepts)
            except FileNotFoundError:
                # The folder was removed since we made it; make it again, once.
                self._ready_dirs.discard(path.parent)
                self._ensure_dir(path.parent)
                written = durable.write_atomic(path, data, unchanged=accepts)
        except durable.FileChangedError as changed:
            raise self._changed(annotation_id, path, changed.current, changed.kept) from None
        except durable.NotDurableError as error:
            version = _version_on_disk(path, data)
            self._remember(annotation_id, version, written=True)
            reason, advice = durable.describe_os_error(error)
            raise WrittenNotSyncedError(
                f"annotation {annotation_id} was written to {path}, but the disk did not "
                f"confirm it ({reason}), so it may not survive a power cut. Saving it again "
                f"keeps this one annotation (no second copy is made). {advice}",
                version,
            ) from error
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot save annotation to {path}: {reason}; your note was not lost: nothing "
                f"was written and the file on disk was left as it was. {advice}"
            ) from error
        version = FileVersion(path, _digest(data), written.size, written.mtime_ns)
        self._remember(annotation_id, version, written=True)
        return version

    def _look(self, path: Path, annotation_id: str) -> bytes | None:
        try:
            return durable.read_or_none(path)
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot save annotation {annotation_id}: {path} cannot be read ({reason}); "
                f"nothing was written. {advice}"
            ) from error

    def _changed(
        self, annotation_id: str, path: Path, current: bytes | None, kept: Path | None = None
    ) -> ChangedOnDiskError:
        how = "deleted" if current is None else "changed"
        message = (
            f"annotation {annotation_id} was not saved: {path} was {how} by another program "
            "since readmark read it, and readmark never writes over another program's edit; "
            "nothing was written"
        )
        if kept is not None:
            message += f" (a version written in that instant is kept in {kept})"
        return ChangedOnDiskError(message, annotation_id, path, current, kept)

    def _keep_conflict_copy(self, path: Path, data: bytes) -> Path:
        """Write `data` beside `path` under a conflict-copy name that is free."""
        for name in durable.conflict_copy_names(path):
            copy = path.with_name(name)
            try:
                durable.write_atomic(copy, data, unchanged=lambda now: now is None)
            except durable.FileChangedError:
                continue
            except durable.NotDurableError:
                return copy  # it is there; the save that follows says if the disk is failing
            except OSError as error:
                reason, advice = durable.describe_os_error(error)
                raise StoreError(
                    f"cannot save annotation {path.stem}: {path} was changed by another program "
                    f"and its version cannot be kept beside it ({reason}); nothing was "
                    f"written over it. {advice}"
                ) from error
            return copy
        raise StoreError(f"cannot keep another version of {path}: no free name beside it")

    def _remember(self, annotation_id: str, version: FileVersion, *, written: bool = False) -> None:
        self._versions[annotation_id] = version
        self._paths[annotation_id] = version.path
        if written:
            self._written[annotation_id] = version.digest

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id; `AnnotationNotFoundError` if there is none."""
        return self.read(annotation_id)[0]

    def read(self, annotation_id: str) -> tuple[Annotation, FileVersion]:
        """The annotation with this id and the version of its file as read."""
        key = normalise_id(annotation_id)
        path = self._find(key)
        if path is None:
            raise AnnotationNotFoundError(f"there is no annotation {key} in {self.root}")
        annotation, version = self._read_or_raise(path)
        self._remember(annotation.id, version)
        return annotation, version

    def load_all(self) -> Loaded:
        """Every annotation in the store, in id (creation) order, and every file that failed.

        A file that does not parse is reported with the reason and skipped. When two files hold
        the same id (a copy left in another folder), the most recently updated one wins and the
        other is reported.
        """
        result = Loaded()
        kept: dict[str, tuple[Annotation, FileVersion]] = {}
        files, unreadable = self._annotation_files()
        result.problems += unreadable
        for path in files:
            try:
                read = self._read(path)
            except _FileProblem as problem:
                result.problems.append(LoadProblem(str(path), problem.reason, problem.conflict_of))
                continue
            annotation = read[0]
            other = kept.get(annotation.id)
            if other is not None:
                read, stale = self._newer_first(read, other)
                result.problems.append(
                    LoadProblem(
                        str(stale[1].path),
                        f"an older copy of annotation {annotation.id}, ignored (the newer one is "
                        f"{read[1].path}); delete this file if you do not need it",
                    )
                )
            kept[annotation.id] = read
        for _, (annotation, version) in sorted(kept.items()):
            self._remember(annotation.id, version)
            result.versions[annotation.id] = version
            result.annotations.append(annotation)
        result.problems.sort(key=lambda problem: problem.path)
        return result

    def for_source(self, source_id: str) -> list[Annotation]:
        """The annotations of one source in document order; files that do not parse are skipped."""
        return self.load_source(source_id).annotations

    def load_source(self, source_id: str) -> Loaded:
        """The annotations of one source in document order, and the files of its folder that
        cannot be loaded (unreadable, conflict copies, conflict markers), with the reasons."""
        result = Loaded()
        folder = self.folder_for(source_id)
        files, failure = _files_in(folder)
        if failure is not None:
            result.problems.append(_folder_problem(folder, failure))
        for path in files:
            try:
                annotation, version = self._read(path)
            except _FileProblem as problem:
                result.problems.append(LoadProblem(str(path), problem.reason))
                continue
            if annotation.source == source_id:
                self._remember(annotation.id, version)
                result.versions[annotation.id] = version
                result.annotations.append(annotation)
        result.annotations.sort(key=_document_order)
        return result

    def conflict_copies(self) -> list[LoadProblem]:
        """Files a sync tool left beside an annotation file (`<id> (conflicted copy).md`,
        `<id>.sync-conflict-....md`), found from names alone: one folder listing per source."""
        found: list[LoadProblem] = []
        for folder in _subfolders(self.root):
            try:
                with os.scandir(folder.path) as entries:
                    names = {e.name for e in entries if e.name.endswith(SUFFIX)}
            except OSError:
                continue  # `load_all` reports a folder it cannot read
            for name in names:
                copy_of = _copy_of(name)
                if copy_of is not None and f"{copy_of}{SUFFIX}" in names:
                    path = os.path.join(folder.path, name)
                    found.append(LoadProblem(path, conflict_copy_reason(copy_of)))
        return sorted(found, key=lambda problem: problem.path)

    def delete(self, annotation_id: str, expected: Expected = REMEMBERED) -> Path:
        """Move the annotation's file to the trash (durably); return where it now is.

        The file must still be `expected` (`REMEMBERED`: the version this store last read, if
        it read one; None: whatever is there): an edit made since by another program is never
        thrown away unseen. A file of the same id already in the trash is kept under another
        name.
        """
        key = normalise_id(annotation_id)
        path = self._find(key)
        if path is None:
            raise AnnotationNotFoundError(f"there is no annotation {key} to delete in {self.root}")
        if expected is REMEMBERED:
            remembered = self._versions.get(key)
            expected = remembered if remembered is not None and remembered.path == path else None
        # Taken out under a hidden name first, then checked: see `durable.take_out`.
        aside = path.with_name(f".{key}.deleting-{_token()}{SUFFIX}")
        target = self.trash / f"{key}{SUFFIX}"
        try:
            self._ensure_dir(self.trash)
            durable.take_out(path, aside, _still(expected))
        except durable.FileChangedError as changed:
            how = "deleted" if changed.current is None else "changed"
            raise ChangedOnDiskError(
                f"annotation {key} was not deleted: {path} was {how} by another program since "
                "readmark read it; look at it again before deleting it",
                key,
                path,
                changed.current,
                changed.kept,
            ) from None
        except durable.NotDurableError:
            pass  # taken out; the move to the trash fsyncs the folders again
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot move annotation {key} from {path} to the trash: {reason}; "
                f"the annotation is unchanged. {advice}"
            ) from error
        try:
            self._make_room(target)
            durable.move_durably(aside, target, replace=False)
        except OSError as error:
            if aside.exists() or not target.exists():
                reason, advice = durable.describe_os_error(error)
                raise StoreError(
                    f"cannot move annotation {key} from {path} to the trash: {reason}; "
                    f"{_put_back(aside, path)}. {advice}"
                ) from error
            # Moved; only the folder fsync failed: at worst a power cut brings it back.
        self._paths.pop(key, None)
        self._versions.pop(key, None)
        return target

    def restore(self, annotation_id: str) -> Annotation:
        """Bring a deleted annotation back from the trash to its place; return it.

        A file that exists at that place (made again since, by readmark or another program) is
        never replaced.
        """
        key = normalise_id(annotation_id)
        trashed = self.trash / f"{key}{SUFFIX}"
        if not trashed.is_file():
            message = f"there is no annotation {key} in the trash ({self.trash})"
            raise AnnotationNotFoundError(message)
        annotation, version = self._read_or_raise(trashed)
        target = self.path_for(annotation)
        exists = StoreError(
            f"cannot restore annotation {key}: {target} already exists; "
            f"delete or move that file first"
        )
        if target.exists():
            raise exists
        restored = FileVersion(target, version.digest, version.size, version.mtime_ns)
        try:
            self._ensure_dir(target.parent)
            durable.move_durably(trashed, target, replace=False)
        except FileExistsError:
            raise exists from None
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            if target.exists() and not trashed.exists():
                self._remember(key, restored)
                raise WrittenNotSyncedError(
                    f"annotation {key} was restored to {target}, but the disk did not confirm "
                    f"it ({reason}), so it may not survive a power cut. {advice}",
                    restored,
                ) from error
            raise StoreError(
                f"cannot restore annotation {key} to {target}: {reason}; "
                f"it is still in the trash at {trashed}. {advice}"
            ) from error
        self._remember(key, restored)
        return annotation

    def folder_stamp(self, source_id: str) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime_ns) of each annotation file of a source: one folder listing, cheap.

        Compare two stamps to tell whether another program added, changed or removed a file of
        this source since you last called `for_source`.
        """
        stamps: list[tuple[str, int, int]] = []
        for path in _files_in(self.folder_for(source_id))[0]:
            try:
                info = path.stat()
            except OSError:
                continue  # removed since the listing: the stamp differs anyway
            stamps.append((path.name, info.st_size, info.st_mtime_ns))
        return tuple(stamps)

    def cleanup_temp_files(self, *, older_than: float = 0.0) -> list[Path]:
        """Remove the `.tmp-*` files a crash left behind; return them.

        Pass `older_than` (seconds) to spare files another running readmark may be writing.
        """
        folders = [self.data, self.root, self.trash]
        folders += [Path(entry.path) for entry in _subfolders(self.root)]
        removed: list[Path] = []
        for folder in folders:
            removed += durable.remove_temp_files(folder, older_than=older_than)
        return sorted(removed)

    def _ensure_dir(self, folder: Path) -> None:
        if folder not in self._ready_dirs:
            durable.ensure_dir(folder)
            ensure_gitignore(self.vault)  # the first write into a vault says what git shares
            self._ready_dirs.add(folder)

    def _find(self, key: str) -> Path | None:
        cached = self._paths.get(key)
        if cached is not None and cached.is_file():
            return cached
        name = f"{key}{SUFFIX}"
        for entry in _subfolders(self.root):
            candidate = Path(entry.path) / name
            if candidate.is_file():
                self._paths[key] = candidate
                return candidate
        return None

    def _make_room(self, target: Path) -> None:
        """Move an earlier deletion of the same id to `<id>.<n>.md` in the trash."""
        number = 1
        while os.path.lexists(target):
            older = target.with_name(f"{target.stem}.{number}{SUFFIX}")
            try:
                durable.move_durably(target, older, replace=False)
            except FileExistsError:
                number += 1
            except FileNotFoundError:
                return  # restored meanwhile

    def _annotation_files(self) -> tuple[list[Path], list[LoadProblem]]:
        """Every annotation file, and the folders that cannot be listed (skipped with a reason)."""
        files: list[Path] = []
        problems: list[LoadProblem] = []
        try:
            folders = _subfolders(self.root, strict=True)
        except OSError as error:
            return [], [_folder_problem(self.root, error)]
        for entry in sorted(folders, key=lambda e: e.name):
            found, failure = _files_in(Path(entry.path))
            files += found
            if failure is not None:
                problems.append(_folder_problem(Path(entry.path), failure))
        return files, problems

    def _read(self, path: Path) -> tuple[Annotation, FileVersion]:
        # Loaded when a file is first read: a search that reads none does without it.
        from readmark.annotations.markdown_format import AnnotationFormatError, parse

        try:
            # Stat first: a change in between only makes the stamp look older than the text.
            info = os.stat(path)
            data = path.read_bytes()
        except OSError as error:
            raise _FileProblem(f"cannot be read: {durable.describe_os_error(error)[0]}") from None
        try:
            text = data.decode(ENCODING, ENCODING_ERRORS)
        except UnicodeDecodeError as error:
            raise _FileProblem(f"not UTF-8 text (byte {error.start})") from None
        try:
            annotation = parse(text)
        except AnnotationFormatError as error:
            raise _FileProblem(str(error)) from None
        if f"{annotation.id}{SUFFIX}" != path.name:
            if path.name.startswith(annotation.id):
                raise _FileProblem(conflict_copy_reason(annotation.id), annotation.id)
            raise _FileProblem(
                f"the file name does not match `id: {annotation.id}`; "
                f"rename the file to {annotation.id}{SUFFIX} or fix the id"
            )
        return annotation, FileVersion(path, _digest(data), len(data), info.st_mtime_ns)

    def _read_or_raise(self, path: Path) -> tuple[Annotation, FileVersion]:
        try:
            return self._read(path)
        except _FileProblem as problem:
            raise StoreError(f"cannot read annotation file {path}: {problem.reason}") from None

    def _newer_first(
        self, one: tuple[Annotation, FileVersion], other: tuple[Annotation, FileVersion]
    ) -> tuple[tuple[Annotation, FileVersion], tuple[Annotation, FileVersion]]:
        def rank(item: tuple[Annotation, FileVersion]) -> tuple[str, bool]:
            annotation, version = item
            return annotation.updated, version.path == self.path_for(annotation)

        return (one, other) if rank(one) >= rank(other) else (other, one)

    def _remove_stale_copy(self, path: Path, expected: FileVersion | None) -> None:
        """Remove the file an annotation moved from, if it is still the version read."""
        aside = path.with_name(f".{path.stem}.moved-{_token()}{SUFFIX}")
        try:
            durable.take_out(path, aside, _still(expected))
            durable.remove_durably(aside)
        except (OSError, durable.FileChangedError):
            # The new file is saved; a copy left behind (or edited meanwhile by another
            # program) is reported by `load_all`, never loaded twice.
            pass


def normalise_id(text: str) -> str:
    """An annotation id typed by a user, checked; `InvalidAnnotationIdError` if it is not one."""
    key = text.strip().lower()
    _check_id(key)
    return key


class _FileProblem(Exception):
    def __init__(self, reason: str, conflict_of: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.conflict_of = conflict_of


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _accepts(expected: FileVersion | None, data: bytes, recreate: bool) -> durable.Unchanged:
    """What a save may replace: the version read (`expected`; None: no file at all), a file
    already holding `data` (a retry), and no file when `recreate` allows."""

    def accepts(now: bytes | None) -> bool:
        if now is None:
            return expected is None or recreate
        return now == data or (expected is not None and expected.matches(now))

    return accepts


def _put_back(aside: Path, path: Path) -> str:
    """Move a file taken out for deletion back to its place (never over a file made there
    meanwhile); say where it is now."""
    try:
        durable.move_durably(aside, path, replace=False)
    except FileExistsError:
        try:
            kept = durable.keep_beside(aside, path)
        except OSError:
            return f"it is kept as {aside}"
        return f"it is kept beside the file made meanwhile, as {kept}"
    except OSError:
        return f"it is kept as {aside}"
    return "the annotation is unchanged"


def _still(expected: FileVersion | None) -> durable.Unchanged:
    """A file is there, and it is `expected` (any file when no version is known)."""
    return lambda now: now is not None and (expected is None or expected.matches(now))


def _version_on_disk(path: Path, data: bytes) -> FileVersion:
    try:
        info = path.stat()
    except OSError:
        return FileVersion(path, _digest(data), len(data), 0)
    return FileVersion(path, _digest(data), info.st_size, info.st_mtime_ns)


_COPY_NAME = re.compile(rf"([0-9a-z]{{1,{MAX_ID_CHARS}}})[ ._~(-].*")


def _copy_of(name: str) -> str | None:
    """The annotation id a file name is a sync tool's copy of, if it has that shape."""
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
    if is_valid_annotation_id(stem):
        return None
    match = _COPY_NAME.fullmatch(stem)
    return match.group(1) if match else None


def _check_id(annotation_id: str) -> None:
    if not is_valid_annotation_id(annotation_id):
        raise InvalidAnnotationIdError(
            f"{annotation_id!r} is not an annotation id: ids are 1 to {MAX_ID_CHARS} "
            f"lowercase letters and digits, like 01jd3k4m5n6p7q8r9s"
        )


@functools.lru_cache(maxsize=4096)
def _slug(source_id: str) -> str:
    return source_slug(source_id)


def _document_order(annotation: Annotation) -> tuple[int, int, str]:
    position = annotation.anchor.position
    return position.start, position.end, annotation.id


def conflict_copy_reason(annotation_id: str) -> str:
    """Why a file named like `<id> (conflicted copy).md` is not loaded, and what to do."""
    return (
        f"a second copy of annotation {annotation_id}, kept when two edits clashed (by a sync "
        f"tool, or by readmark keeping another program's version beside yours); compare it with "
        f"{annotation_id}{SUFFIX}, keep the text you want in {annotation_id}{SUFFIX} and delete "
        "this file"
    )


def _folder_problem(folder: Path, error: OSError) -> LoadProblem:
    reason, _ = durable.describe_os_error(error)
    return LoadProblem(
        str(folder),
        f"this folder cannot be read ({reason}), so its annotations were skipped; "
        "make it readable for you",
    )


def _subfolders(folder: Path, *, strict: bool = False) -> list[os.DirEntry[str]]:
    """The source folders of the store; `strict` raises when `folder` exists but is unreadable."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        if strict:
            raise
        return []
    return [e for e in entries if not e.name.startswith(".") and _is_dir(e)]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _files_in(folder: Path) -> tuple[list[Path], OSError | None]:
    """Annotation files of one folder (skipping temporary and hidden files), and the error that
    kept the folder from being listed, if any."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return [], None
    except OSError as error:
        return [], error
    files = sorted(
        Path(e.path)
        for e in entries
        if e.name.endswith(SUFFIX) and not e.name.startswith(".") and _is_file(e)
    )
    return files, None


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _token() -> str:
    """A random part for a name set aside (`secrets` loads on first use: a search needs none)."""
    import secrets

    return secrets.token_hex(4)
