"""The `readmark` command: `readmark [PATH]` opens the reader; subcommands work headless.

Headless commands never import textual, so they start fast; the app is imported only when
it is about to run, and shtab only when completion is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

from readmark.library.collector import pause_for_start
from readmark.library.errors import SourceError
from readmark.tui.cli.common import CommandError, default_vault_path

from readmark import __version__

PROG = "readmark"
USAGE = f"""{PROG} [--debug] [PATH | FILE]
       {PROG} [--debug] COMMAND [--vault PATH] ...
       {PROG} --version | --print-completion bash|zsh"""

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
    "verify",
    "digest",
)
"""Command names; each is also the name of its module in this package. A command module
defines `register(subparsers)`, which adds its parser and calls `parser.set_defaults(run=run)`,
and `run(args) -> int`."""

SHELLS = ("bash", "zsh")
_TOP_LEVEL_ONLY = ("--version", "--print-completion")
"""Options of `readmark` itself, never of a command or of the reader."""


def command_modules(names: Sequence[str] = COMMANDS) -> list[ModuleType]:
    return [importlib.import_module(f"readmark.tui.cli.{name}") for name in names]


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, pointing at `--help`."""

    def error(self, message: str) -> NoReturn:
        from readmark.library.safe_text import printable

        self.exit(2, printable(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")


class _TopParser(Parser):
    """`readmark`'s own parser: its help ends with where readmark keeps things on this system."""

    def format_help(self) -> str:
        return super().format_help() + "\n" + _where_things_are() + "\n"


def _where_things_are() -> str:
    """The variables that move readmark's files, each with the place in force here."""
    from readmark.annotations.config import CONFIG_ENV, config_path
    from readmark.library.layout import (
        CACHE_DIR_VARIABLE,
        STATE_DIR_VARIABLE,
        cache_root,
        state_root,
    )
    from readmark.library.sample import DATA_DIR_VARIABLE, user_data_dir

    rows = [
        (CONFIG_ENV, "the configuration file ([citation], [keys], [player])", config_path()),
        (DATA_DIR_VARIABLE, "per-user data: the sample library", user_data_dir()),
        (CACHE_DIR_VARIABLE, "per-machine cache: search indexes, listing caches", cache_root()),
        (STATE_DIR_VARIABLE, "per-user state: where you were in each source", state_root()),
    ]
    lines = ["environment (each names a place; now, on this system):"]
    for name, what, where in rows:
        lines.append(f"  {name:<19} {what}")
        lines.append(f"  {'':<19} {where}")
    return "\n".join(lines)


class _PrintCompletion(argparse.Action):
    """`--print-completion SHELL`: the completion script of every command, made by shtab."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> NoReturn:
        import shtab

        _mark_paths(parser, shtab.DIRECTORY, shtab.FILE)
        sys.stdout.write(shtab.complete(parser, shell=str(values)))
        parser.exit(0)


def _mark_paths(parser: argparse.ArgumentParser, folder: object, file: object) -> None:
    """Tell shtab which arguments are folders (`--vault`) or files (SOURCE, `--source`,
    `--against`, `--out`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _mark_paths(sub, folder, file)
        elif "--vault" in action.option_strings:
            action.complete = folder  # type: ignore[attr-defined]
        elif "--out" in action.option_strings or action.dest in ("source", "against"):
            action.complete = file  # type: ignore[attr-defined]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of subcommands; `readmark PATH` is parsed by `_reader_parser`.

    `only`: the one command a command line runs (see `_command_run`); the others' parsers are
    left out, as they would only be built to go unused."""
    parser = _TopParser(
        prog=PROG,
        usage=USAGE,
        description="A keyboard-driven reader and annotator for transcripts, articles and notes. "
        "Without a COMMAND, open the reader on PATH (default: the sample library), or on "
        "FILE: its folder is the vault and the file opens.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {__version__}", help="print the version"
    )
    parser.add_argument(
        "--print-completion",
        action=_PrintCompletion,
        choices=SHELLS,
        metavar="bash|zsh",
        help='print the shell completion script (e.g. `eval "$(readmark --print-completion '
        'bash)"` in ~/.bashrc)',
    )
    # `prog` names subcommands `readmark show`, not after the top-level usage text.
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", prog=PROG)
    for module in command_modules(COMMANDS if only is None else (only,)):
        module.register(subparsers)
    return parser


def _reader_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, usage=USAGE)
    parser.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="folder of sources, or one file"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    return parser


def _is_command_line(argv: list[str]) -> bool:
    """True when the first word is a command name, or help, the version or completion is asked
    for without a PATH."""
    if any(a.split("=")[0] in _TOP_LEVEL_ONLY for a in argv):
        return True
    words = [a for a in argv if not a.startswith("-")]
    if words:
        return words[0] in COMMANDS
    return any(a in ("-h", "--help") for a in argv)


def _command_run(argv: list[str]) -> str | None:
    """The command a command line runs, when nothing before its name but `--debug` could ask
    `readmark` itself for something (its help, the version, completion, which list every
    command); else None."""
    if any(a.split("=")[0] in _TOP_LEVEL_ONLY for a in argv):
        return None
    for position, word in enumerate(argv):
        if not word.startswith("-"):
            before = argv[:position]
            return word if word in COMMANDS and all(a == "--debug" for a in before) else None
    return None


def _refuse_unknown_command(argv: list[str]) -> None:
    """A first word that is no folder but reads like a command (`sourcse`, or options only a
    command takes) is a mistyped command, not a folder to open."""
    words = [a for a in argv if not a.startswith("-")]
    if not words or Path(words[0]).expanduser().exists():
        return
    import difflib

    close = difflib.get_close_matches(words[0], COMMANDS, n=1)
    command_options = any(a.split("=")[0] in ("--vault", "--json") for a in argv)
    if close or command_options:
        hint = f"; did you mean `readmark {close[0]}`?" if close else ""
        raise CommandError(
            f"{words[0]!r} is neither a command nor a folder{hint} "
            "(`readmark --help` lists the commands)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run `readmark` with `argv` (default: the process arguments); returns the exit status."""
    args_list = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args_list
    try:
        if not args_list:
            # The reader on the default vault: nothing to parse (building the parser is a
            # hundredth of the time to the first frame).
            return _run_reader(None)
        try:
            if _is_command_line(args_list):
                args = _parse_command(build_parser(_command_run(args_list)), args_list)
            else:
                _refuse_unknown_command(args_list)
                args = _reader_parser().parse_args(args_list)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else 2
        debug = bool(getattr(args, "debug", False))
        if getattr(args, "command", None):
            status: int = args.run(args)
            return status
        return _run_reader(args.path)
    except KeyboardInterrupt:
        if debug:
            raise
        # Files are written atomically, so running the command again is always safe.
        _fail("interrupted (ctrl+c); run the command again to finish it")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`| head`): say nothing, and keep Python's
        # final flush of stdout from complaining too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (CommandError, SourceError) as error:
        if debug:
            raise
        return _fail(_with_advice(str(error)))
    except OSError as error:
        if debug:
            raise
        from readmark.library.durable import describe_os_error

        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{describe_os_error(error)[0]}; fix that and run the command again")
    except Exception as error:  # noqa: BLE001 - a user sees one line, `--debug` the traceback
        if debug:
            raise
        return _fail(f"unexpected error: {type(error).__name__}: {error} (run with --debug)")


def _parse_command(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse a command line; unknown options are reported by the command they were given to."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = _command_parser(parser, getattr(args, "command", None))
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _command_parser(parser: argparse.ArgumentParser, name: str | None) -> argparse.ArgumentParser:
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            sub: argparse.ArgumentParser = action.choices[name]
            return sub
    return parser


def _run_reader(path: Path | None) -> int:
    """Open the reader on a folder, or on one file: its folder is the vault, and it opens."""
    open_source = None
    if path is not None and path.is_file():
        path = path.expanduser().absolute()
        open_source = path.name
        path = path.parent
    elif path is not None and not path.is_dir():
        raise CommandError(
            f"{path} is neither a folder nor a file (give readmark the folder of your sources, "
            "or one of them)"
        )
    vault = path if path is not None else default_vault_path()
    pause_for_start()  # until the first frame is painted
    from readmark.tui.app import run_app

    run_app(vault, open_source)
    return 0


_NO_SUCH_SOURCE = "no such source in "


def _with_advice(message: str) -> str:
    """The message, with what to do added where the layer that raised it does not say."""
    if _NO_SUCH_SOURCE in message and "readmark sources" not in message:
        return f"{message}: `{PROG} sources` lists the ids, or give the path of the file"
    return message


def _fail(message: str) -> int:
    from readmark.library.safe_text import printable

    print(f"{PROG}: {printable(message)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
