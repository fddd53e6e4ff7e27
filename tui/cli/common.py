"""What the commands of `readmark` share: options, the vault and its workspace, turning the
annotation layer's errors into one-line command errors, and printing (JSON, annotations).

Everything here imports only what parsing needs at the top (no textual, no rich): every
command's parser is built on each start.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readmark.annotations.model import Annotation
    from readmark.annotations.workspace import Workspace
    from readmark.library.vault import Vault


class CommandError(Exception):
    """A problem the user can fix, reported as one line on stderr with exit status 2."""


def common_options() -> argparse.ArgumentParser:
    """Options every command takes: `--vault PATH` and `--debug` (also accepted before it)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--vault",
        type=_folder_argument,
        metavar="PATH",
        help="the folder of sources (default: the folder `readmark` alone would open)",
    )
    parent.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback when something fails",
    )
    return parent


def default_vault_path() -> Path:
    """The folder `readmark` opens without a PATH: the user's copy of the sample library."""
    from readmark.library.sample import ensure_user_sample_vault

    return ensure_user_sample_vault()


def _folder_argument(text: str) -> Path:
    # An empty value would be the current folder; a script that lost its variable means none.
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give the folder of your sources")
    return Path(text)


def vault_path(args: argparse.Namespace) -> Path:
    """`--vault`, checked to be a folder, or the default vault."""
    path: Path | None = args.vault
    if path is None:
        return default_vault_path()
    if not path.is_dir():
        raise CommandError(f"{path} is not a folder (give --vault the folder of your sources)")
    return path


def print_json(data: Any) -> None:
    """JSON on stdout, terminal-safe: DEL, C1 and bidi controls are written as `\\u` escapes."""
    from readmark.library.safe_text import escape_json_controls

    # Indented only for a person at a terminal: `indent` turns off json's fast C encoder.
    indent = 2 if sys.stdout.isatty() else None
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    sys.stdout.write(escape_json_controls(text))
    sys.stdout.write("\n")


def locate(source: str, args: argparse.Namespace, *, writes: bool = True) -> tuple[Vault, str]:
    """The vault and id meant by SOURCE, an id of the vault or the path of a file in it.

    With `--vault`, SOURCE must lie inside it. Without, a path outside the default vault is
    only accepted when nothing is written (`writes=False`): it then belongs to the nearest
    folder above it holding readmark's data folder, or else to its own folder.
    """
    from readmark.library.vault import Vault

    path = Path(source).expanduser()
    if args.vault is not None:
        vault = Vault(vault_path(args))
        return vault, id_in(vault, source)
    if not path.is_file():
        return Vault(vault_path(args)), source
    default = Vault(vault_path(args))
    source_id = default.id_of(path)
    if source_id is not None:
        return default, source_id
    if writes:
        raise CommandError(
            f"{source} is not inside the vault {default.root}; "
            "pass --vault with the folder that holds it"
        )
    vault = Vault(_vault_above(path))
    return vault, _id_inside(vault, path, source)


def id_in(vault: Vault, source: str) -> str:
    """The id meant by SOURCE in `vault`: an id of it, or the path of a file inside it (a name
    that is neither is returned as it is, for loading it to say it is unknown)."""
    if _is_id_of(vault, source):
        return _canonical(source)
    path = Path(source).expanduser()
    if not path.is_file():
        return source
    return _id_inside(vault, path, source)


def _canonical(source_id: str) -> str:
    """The id as the vault lists it: `./talk.srt` and `talk.srt` are one source."""
    return PurePosixPath(source_id).as_posix()


def _is_id_of(vault: Vault, source: str) -> bool:
    """True when SOURCE names a file of the vault as an id (ids win over paths from here)."""
    from readmark.library.errors import SourceError

    try:
        vault.path_of(source)
    except SourceError:
        return False
    return True


def _id_inside(vault: Vault, path: Path, source: str) -> str:
    source_id = vault.id_of(path)
    if source_id is None:
        raise CommandError(
            f"{source} is not inside the vault {vault.root}; "
            "pass --vault with the folder that holds it"
        )
    return source_id


def _vault_above(path: Path) -> Path:
    """The nearest folder above `path` holding readmark's data folder, else its own folder."""
    from readmark.library.layout import DATA_FOLDER

    absolute = path.absolute()
    return next((p for p in absolute.parents if (p / DATA_FOLDER).is_dir()), absolute.parent)


def annotation_json(annotation: Annotation) -> dict[str, Any]:
    """What scripts read: id, source, kind, quote, start, end, speaker, note, tags, created,
    then confidence (dissent notes; else null), updated and orphaned."""
    return {
        "id": annotation.id,
        "source": annotation.source,
        "kind": str(annotation.kind),
        "quote": annotation.quote,
        "start": annotation.start,
        "end": annotation.end,
        "speaker": annotation.speaker,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "created": annotation.created,
        "confidence": annotation.confidence.value if annotation.confidence else None,
        "updated": annotation.updated,
        "orphaned": annotation.orphaned,
    }


def print_annotation(annotation: Annotation) -> None:
    """A header line (kind, id, source, time, speaker), the quote, then the note."""
    from readmark.library.safe_text import printable
    from readmark.library.timecode import format_timecode

    details = [str(annotation.kind), annotation.id, annotation.source]
    if annotation.start is not None:
        details.append(format_timecode(annotation.start, hours=annotation.start >= 3600))
    if annotation.speaker:
        details.append(annotation.speaker)
    if annotation.confidence is not None:
        details.append(f"confidence {annotation.confidence}")
    if annotation.orphaned:
        details.append("ORPHANED")
    lines = [" · ".join(details), "> " + " ".join(annotation.quote.split())]
    if annotation.note.strip():
        lines.append(annotation.note.strip())
    if annotation.tags:
        lines.append(" ".join(f"#{t}" for t in annotation.tags))
    sys.stdout.write(printable("\n".join(lines)) + "\n")


def open_workspace(
    args: argparse.Namespace, *, notes: bool = True
) -> AbstractContextManager[Workspace]:
    """The workspace of `--vault` (or of the default vault), closed at the end; see
    `workspace_at` for `notes`."""
    return workspace_at(vault_path(args), notes=notes)


@contextmanager
def workspace_at(root: Path, *, notes: bool = True) -> Iterator[Workspace]:
    """The workspace of the vault at `root`, closed at the end.

    With `notes`, what the user should know about the index is said on stderr, one line each:
    an index found inside the vault that is ignored (once per vault on this machine), and, at
    the end, an index kept in memory (and why) or files a repair left. Commands that report
    these themselves (`check`, `reindex`) pass False.
    """
    from readmark.annotations.workspace import Workspace

    workspace = Workspace(root)
    legacy = workspace.legacy_index_notice() if notes else None
    if legacy:
        say(legacy)
    said: list[str] = []
    try:
        yield workspace
    finally:
        said = workspace.index_notes() if notes else []
        workspace.close()
        for note in said:
            say(note)


def say(note: str) -> None:
    """One line for the user on stderr, beside (never inside) what a command prints."""
    from readmark.library.safe_text import printable

    sys.stderr.write(printable(note) + "\n")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the annotation layer's errors (each worded for the user) into `CommandError`s."""
    from readmark.annotations.citation import CitationError
    from readmark.annotations.config import ConfigError
    from readmark.annotations.exporting import ExportError
    from readmark.annotations.index import SearchError
    from readmark.annotations.review import ReviewError
    from readmark.annotations.store import AnnotationNotFoundError, StoreError
    from readmark.annotations.workspace import WorkspaceError

    try:
        yield
    except ConfigError as error:
        raise CommandError(_advised(str(error), CONFIG_ADVICE)) from error
    except AnnotationNotFoundError as error:
        raise CommandError(_advised(str(error), NOT_FOUND_ADVICE)) from error
    except StoreError as error:
        advice = UNREADABLE_ADVICE if str(error).startswith(UNREADABLE) else ""
        raise CommandError(_advised(str(error), advice)) from error
    except (SearchError, CitationError, WorkspaceError, ReviewError, ExportError) as error:
        raise CommandError(str(error)) from error


UNREADABLE = "cannot read annotation file"
"""How the store's message for a file it cannot parse begins."""
UNREADABLE_ADVICE = "fix it in an editor or move it out of .readmark/ (`readmark check` lists all)"
CONFIG_ADVICE = "fix the file, or set READMARK_CONFIG to another one"
NOT_FOUND_ADVICE = "`readmark search` shows the ids of annotations"


def _advised(message: str, advice: str) -> str:
    """`message` with what to do added, unless there is none to add."""
    if not advice:
        return message
    return f"{message.rstrip().rstrip('.')}: {advice}"
