"""The durable annotation store: one Markdown file per annotation inside the vault.

Layout::

    <vault>/.readmark/annotations/<source-slug>/<id>.md   one file per annotation
    <vault>/.readmark/trash/<id>.md                        deleted annotations, restorable

Every write goes through `durable.write_atomic`, so a crash leaves the old file or the new
one, never a torn one. Saving touches only the annotation's own file (no scan of the store).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from annotations import durable
from annotations.gitignore import ensure_gitignore
from annotations.markdown_format import AnnotationFormatError, parse, render
from annotations.model import Annotation, LoadProblem, LoadResult
from annotations.slug import MAX_ID_CHARS, is_valid_annotation_id, source_slug
from library.layout import VaultLayout

SUFFIX = ".md"
ENCODING = "utf-8"
ENCODING_ERRORS = "surrogatepass"
"""Keeps even a lone surrogate (from a badly decoded source) instead of refusing to save."""


class StoreError(Exception):
    """The store cannot do what was asked; the message names the file and what to do."""


class AnnotationNotFoundError(StoreError, KeyError):
    """No annotation has the id asked for."""

    def __str__(self) -> str:
        # KeyError would show the message in quotes.
        return str(self.args[0]) if self.args else ""


class InvalidAnnotationIdError(StoreError, ValueError):
    """Text given as an annotation id is not one (and so is never used as a file name)."""


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
        self._ready_dirs: set[Path] = set()

    def path_for(self, annotation: Annotation) -> Path:
        """The file `annotation` is saved to (it may not exist yet)."""
        _check_id(annotation.id)
        return self.root / _slug(annotation.source) / f"{annotation.id}{SUFFIX}"

    def save(self, annotation: Annotation) -> Path:
        """Create or replace the annotation's file, durably; return its path.

        Nothing is changed on the annotation (callers set `updated`). On failure the previous
        file is untouched and `StoreError` says why.
        """
        path = self.path_for(annotation)
        try:
            data = render(annotation).encode(ENCODING, ENCODING_ERRORS)
        except UnicodeError as error:
            # YAML cannot write a lone surrogate (a file name that is not UTF-8).
            raise StoreError(
                f"cannot save annotation to {path}: its source name {annotation.source!r} is not "
                "valid UTF-8; your note was not lost: nothing was written. Rename the source "
                "file to a UTF-8 name and annotate it again."
            ) from error
        try:
            try:
                self._ensure_dir(path.parent)
                durable.write_atomic(path, data)
            except FileNotFoundError:
                # The folder was removed since we made it; make it again, once.
                self._ready_dirs.discard(path.parent)
                self._ensure_dir(path.parent)
                durable.write_atomic(path, data)
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot save annotation to {path}: {reason}; your note was not lost: nothing "
                f"was written and the file on disk was left as it was. {advice}"
            ) from error
        previous = self._paths.get(annotation.id)
        if previous is not None and previous != path:
            self._remove_stale_copy(previous)
        self._paths[annotation.id] = path
        return path

    def get(self, annotation_id: str) -> Annotation:
        """The annotation with this id; `AnnotationNotFoundError` if there is none."""
        key = normalise_id(annotation_id)
        path = self._find(key)
        if path is None:
            raise AnnotationNotFoundError(f"there is no annotation {key} in {self.root}")
        return self._read_or_raise(path)

    def load_all(self) -> LoadResult:
        """Every annotation in the store, in id (creation) order, and every file that failed.

        A file that does not parse is reported with the reason and skipped. When two files hold
        the same id (a copy left in another folder), the most recently updated one wins and the
        other is reported.
        """
        result = LoadResult()
        kept: dict[str, tuple[Annotation, Path]] = {}
        files, unreadable = self._annotation_files()
        result.problems += unreadable
        for path in files:
            try:
                annotation = self._read(path)
            except _FileProblem as problem:
                result.problems.append(LoadProblem(str(path), problem.reason, problem.conflict_of))
                continue
            other = kept.get(annotation.id)
            if other is not None:
                (annotation, path), (_, stale) = self._newer_first((annotation, path), other)
                result.problems.append(
                    LoadProblem(
                        str(stale),
                        f"an older copy of annotation {annotation.id}, ignored (the newer one is "
                        f"{path}); delete this file if you do not need it",
                    )
                )
            kept[annotation.id] = (annotation, path)
        for annotation_id, (annotation, path) in sorted(kept.items()):
            self._paths[annotation_id] = path
            result.annotations.append(annotation)
        result.problems.sort(key=lambda problem: problem.path)
        return result

    def for_source(self, source_id: str) -> list[Annotation]:
        """The annotations of one source in document order; files that do not parse are skipped."""
        found: list[Annotation] = []
        for path in _files_in(self.root / _slug(source_id))[0]:
            try:
                annotation = self._read(path)
            except _FileProblem:
                continue  # `load_all` reports it; a reading view should still open.
            if annotation.source == source_id:
                self._paths[annotation.id] = path
                found.append(annotation)
        return sorted(found, key=_document_order)

    def delete(self, annotation_id: str) -> Path:
        """Move the annotation's file to the trash (durably); return where it now is."""
        key = normalise_id(annotation_id)
        path = self._find(key)
        if path is None:
            raise AnnotationNotFoundError(f"there is no annotation {key} to delete in {self.root}")
        target = self.trash / f"{key}{SUFFIX}"
        try:
            self._ensure_dir(self.trash)
            durable.move_durably(path, target)
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot move annotation {key} from {path} to the trash: {reason}; "
                f"the annotation is unchanged. {advice}"
            ) from error
        self._paths.pop(key, None)
        return target

    def restore(self, annotation_id: str) -> Annotation:
        """Bring a deleted annotation back from the trash to its place; return it."""
        key = normalise_id(annotation_id)
        trashed = self.trash / f"{key}{SUFFIX}"
        if not trashed.is_file():
            message = f"there is no annotation {key} in the trash ({self.trash})"
            raise AnnotationNotFoundError(message)
        annotation = self._read_or_raise(trashed)
        target = self.path_for(annotation)
        if target.exists():
            raise StoreError(
                f"cannot restore annotation {key}: {target} already exists; "
                f"delete or move that file first"
            )
        try:
            self._ensure_dir(target.parent)
            durable.move_durably(trashed, target)
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise StoreError(
                f"cannot restore annotation {key} to {target}: {reason}; "
                f"it is still in the trash at {trashed}. {advice}"
            ) from error
        self._paths[key] = target
        return annotation

    def folder_stamp(self, source_id: str) -> tuple[tuple[str, int, int], ...]:
        """(name, size, mtime_ns) of each annotation file of a source: one folder listing, cheap.

        Compare two stamps to tell whether another program added, changed or removed a file of
        this source since you last called `for_source`.
        """
        stamps: list[tuple[str, int, int]] = []
        for path in _files_in(self.root / _slug(source_id))[0]:
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

    def _read(self, path: Path) -> Annotation:
        try:
            text = path.read_bytes().decode(ENCODING, ENCODING_ERRORS)
        except UnicodeDecodeError as error:
            raise _FileProblem(f"not UTF-8 text (byte {error.start})") from None
        except OSError as error:
            raise _FileProblem(f"cannot be read: {durable.describe_os_error(error)[0]}") from None
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
        return annotation

    def _read_or_raise(self, path: Path) -> Annotation:
        try:
            return self._read(path)
        except _FileProblem as problem:
            raise StoreError(f"cannot read annotation file {path}: {problem.reason}") from None

    def _newer_first(
        self, one: tuple[Annotation, Path], other: tuple[Annotation, Path]
    ) -> tuple[tuple[Annotation, Path], tuple[Annotation, Path]]:
        def rank(item: tuple[Annotation, Path]) -> tuple[str, bool]:
            annotation, path = item
            return annotation.updated, path == self.path_for(annotation)

        return (one, other) if rank(one) >= rank(other) else (other, one)

    def _remove_stale_copy(self, path: Path) -> None:
        try:
            durable.remove_durably(path)
        except OSError:
            # The new file is saved; a leftover copy is reported by `load_all`, never loaded twice.
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
        f"a second copy of annotation {annotation_id}, probably made by a sync tool when two "
        f"edits clashed; compare it with {annotation_id}{SUFFIX}, keep the text you want in "
        f"{annotation_id}{SUFFIX} and delete this file"
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
