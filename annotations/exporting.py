"""Exporting: annotations as Markdown (one file per source), W3C JSON or Readwise CSV, written
to files or made ready for a terminal — the same for the reader's export and `readmark export`.

Files are written atomically (a crash leaves the old file or the new one) and keep every
character as stored, since they are data for other tools. Text for a terminal carries nothing a
terminal would act on: JSON writes DEL, C1 and bidi controls as `\\uXXXX` escapes (the same
data), Markdown and CSV go through `printable` (escape sequences and bidi controls removed,
other controls shown as symbols).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from readmark.annotations.export import SourceLookup, lookup
from readmark.annotations.export_markdown import (
    export_markdown,
    export_markdown_files,
    markdown_file_names,
)
from readmark.annotations.gitignore import ensure_gitignore
from readmark.annotations.model import Annotation, LoadProblem
from readmark.annotations.workspace import Workspace
from readmark.library import durable
from readmark.library.layout import DATA_FOLDER, VaultLayout
from readmark.library.model import Source
from readmark.library.safe_text import escape_json_controls, printable

FORMATS = ("markdown", "json", "csv")


class ExportError(Exception):
    """An export cannot be written where asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Export:
    """What an export holds: file name -> text (one entry for JSON and CSV)."""

    format: str
    files: dict[str, str]
    skipped: list[LoadProblem] = field(default_factory=list)
    """Annotation files left out because they cannot be read."""


def export_annotations(workspace: Workspace, fmt: str, source_id: str | None = None) -> Export:
    """The export of every annotation of the vault, or of one source's (re-anchored first).

    One source is exported even without annotations (its file then holds only its details);
    an unknown source is a `SourceError`, not an empty export.
    """
    skipped: list[LoadProblem] = []
    if source_id is None:
        annotations, skipped = workspace.all_annotations()
    else:
        workspace.vault.path_of(source_id)
        annotations = workspace.annotations_for(source_id)
    cache: dict[str, Source | None] = {}

    def source_of(sid: str) -> Source | None:
        if sid not in cache:
            cache[sid] = workspace.source_or_none(sid)
        return cache[sid]

    return Export(fmt, render(fmt, annotations, source_of, source_id), skipped)


def render(
    fmt: str,
    annotations: list[Annotation],
    source_of: SourceLookup,
    source_id: str | None = None,
) -> dict[str, str]:
    """File name -> text of an export; with `source_id`, Markdown is that source's one file."""
    # JSON and CSV are imported when asked for: the reader, which starts with this module,
    # only ever exports Markdown.
    if fmt == "json":
        from readmark.annotations.export_json import export_json

        return {"annotations.json": export_json(annotations, source_of)}
    if fmt == "csv":
        from readmark.annotations.export_csv import export_readwise_csv

        return {"annotations.csv": export_readwise_csv(annotations, source_of)}
    if fmt != "markdown":
        raise ExportError(f"there is no export format {fmt!r}; known: {', '.join(FORMATS)}")
    if source_id is not None:
        name = markdown_file_names([source_id])[source_id]
        return {name: export_markdown(annotations, lookup(source_of, source_id), source_id)}
    return export_markdown_files(annotations, source_of)


def write_export(export: Export, out: Path) -> list[Path]:
    """Write the export's files under `out`, atomically; return their paths.

    Markdown is one file per source, into the folder `out` (made when missing); a single
    source's file may be named instead (`out` ending in `.md`). JSON and CSV are one file:
    `out` itself, or `annotations.json|csv` inside `out` when it is a folder.
    """
    files = export.files
    if export.format == "markdown" and (
        len(files) != 1 or out.is_dir() or out.suffix.lower() != ".md"
    ):
        if out.exists() and not out.is_dir():
            raise ExportError(
                f"{out} is a file: Markdown export writes one file per source "
                "into a folder; give --out a folder"
            )
        targets = {out / name: text for name, text in files.items()}
    elif out.is_dir():
        targets = {out / name: text for name, text in files.items()}
    else:
        targets = {out: next(iter(files.values()))} if files else {}
    written: list[Path] = []
    for path, text in targets.items():
        try:
            durable.ensure_dir(path.parent)  # Markdown names keep the source's folders
            durable.write_atomic(path, text.encode("utf-8", "surrogatepass"))
        except OSError as error:
            reason, advice = durable.describe_os_error(error)
            raise ExportError(f"cannot write {path}: {reason}. {advice}") from error
        written.append(path)
    return written


EXPORTS_SUFFIX = "-exports"


def default_export_folder(vault: Path) -> Path:
    """Where the reader's export goes unless the user chose a folder: beside the vault, in a
    folder named after it (`notes` -> `notes-exports`), where a file manager or Obsidian shows
    it; never inside the vault, whose Markdown files are sources."""
    root = vault.resolve()
    name = root.name or "readmark"
    return root.parent / f"{name}{EXPORTS_SUFFIX}"


def export_folder(vault: Path, chosen: Mapping[str, str]) -> Path:
    """Where the reader's exports of `vault` go: the folder the user chose last for it (`chosen`
    is keyed by the vault's layout key), else the default beside the vault."""
    remembered = chosen.get(VaultLayout(vault).key)
    return Path(remembered) if remembered else default_export_folder(vault)


def export_folder_problem(folder: Path, vault: Path) -> str | None:
    """Why the reader cannot export into `folder`, or None when it can."""
    if not str(folder).strip():
        return "Give a folder to export into."
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file: give a folder."
    if inside_data_folder(folder, vault):
        return "Not inside the vault's .readmark folder: exports there are out of sight."
    return None


def inside_data_folder(folder: Path, vault: Path) -> bool:
    data = (vault / DATA_FOLDER).resolve()
    return folder.resolve().is_relative_to(data)


def export_source(source: Source, annotations: list[Annotation], folder: Path) -> list[Path]:
    """The reader's export: the open source's annotations as Markdown in `folder` (made when
    missing), one file named after the source; nothing when it has none."""
    if not annotations:
        return []
    files = render("markdown", annotations, {source.id: source}, source.id)
    return write_export(Export("markdown", files), folder)


def export_to_vault(
    workspace: Workspace, source: Source, annotations: list[Annotation]
) -> list[Path]:
    """The open source's annotations as Markdown in the vault's exports folder (which git
    leaves out: exports are copies); nothing when it has none."""
    if not annotations:
        return []
    ensure_gitignore(workspace.root)
    return export_source(source, annotations, workspace.vault.layout.exports)


@dataclass(frozen=True, slots=True)
class ListedExport:
    """What exporting a list of annotations wrote."""

    folder: Path
    files: list[Path]
    count: int
    """Annotations exported."""
    missing: int = 0
    """Listed annotations whose files are gone (deleted meanwhile): left out."""


def export_listed(
    workspace: Workspace, annotation_ids: list[str], into: Path, now: datetime | None = None
) -> ListedExport:
    """The notebook's export: the annotations listed, as Markdown (one file per source), in a
    folder of their own inside `into` (the reader's export folder), named by the time
    (`notebook-2026-04-09-1015`), so no export of a whole source is overwritten."""
    from readmark.annotations.store import AnnotationNotFoundError

    annotations: list[Annotation] = []
    missing = 0
    for annotation_id in annotation_ids:
        try:
            annotations.append(workspace.get(annotation_id))
        except AnnotationNotFoundError:
            missing += 1
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d-%H%M%S")
    folder = into / f"notebook-{stamp}"
    if not annotations:
        return ListedExport(folder, [], 0, missing)
    cache: dict[str, Source | None] = {}

    def source_of(sid: str) -> Source | None:
        if sid not in cache:
            cache[sid] = workspace.source_or_none(sid)
        return cache[sid]

    files = render("markdown", annotations, source_of)
    ensure_gitignore(workspace.root)
    written = write_export(Export("markdown", files), folder)
    return ListedExport(folder, written, len(annotations), missing)


def for_terminal(export: Export) -> str:
    """The export as a terminal may show it (see the module doc). Markdown files each come
    after a `<!-- file: NAME -->` line, one source or many, so a script splits them the same
    way; JSON and CSV are their one file."""
    safe = escape_json_controls if export.format == "json" else printable
    files = {printable(name): safe(text) for name, text in export.files.items()}
    if export.format != "markdown":
        return "".join(files.values())
    return "".join(
        ("\n" if number else "") + f"<!-- file: {name} -->\n{text}"
        for number, (name, text) in enumerate(files.items())
    )
