"""Headless subcommands of `readmark`: one module each, offering `register` and `run`.

A command module defines `register(subparsers) -> None`, which adds its parser and calls
`parser.set_defaults(run=run)`, and `run(args) -> int`. To add a command, write the module and
add its name to `COMMANDS`. Modules import only what parsing needs at the top (no textual, no
rich): every command's parser is built on each start.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

COMMANDS: tuple[str, ...] = (
    "sources",
    "show",
    "annotate",
    "search",
    "cite",
    "export",
    "reindex",
    "delete",
    "restore",
    "check",
)
"""Command names; each is also the name of its module in this package."""


class CommandError(Exception):
    """A problem the user can fix, reported as one line on stderr with exit status 2."""


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in COMMANDS]


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
