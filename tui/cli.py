"""The `readmark` command: `readmark [PATH]` opens the reader; subcommands work headless.

Headless commands never import textual, so they start fast; the app is imported only when
it is about to run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from readmark.library.errors import SourceError
from readmark.tui.commands import COMMANDS, CommandError, command_modules, default_vault_path

PROG = "readmark"
USAGE = f"""{PROG} [--debug] [PATH]
       {PROG} [--debug] COMMAND [--vault PATH] ..."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, pointing at `--help`."""

    def error(self, message: str) -> NoReturn:
        from readmark.library.safe_text import printable

        self.exit(2, printable(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of subcommands; `readmark PATH` is parsed by `_reader_parser`."""
    parser = Parser(
        prog=PROG,
        usage=USAGE,
        description="A keyboard-driven reader and annotator for transcripts, articles and notes. "
        "Without a COMMAND, open the reader on PATH (default: the sample library).",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    # `prog` names subcommands `readmark show`, not after the top-level usage text.
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", prog=PROG)
    for module in command_modules():
        module.register(subparsers)
    return parser


def _reader_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, usage=USAGE)
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH", help="folder of sources")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    return parser


def _is_command_line(argv: list[str]) -> bool:
    """True when the first word is a command name, or help is asked without a PATH."""
    words = [a for a in argv if not a.startswith("-")]
    if words:
        return words[0] in COMMANDS
    return any(a in ("-h", "--help") for a in argv)


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
        try:
            if _is_command_line(args_list):
                args = _parse_command(build_parser(), args_list)
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
    if path is not None and not path.is_dir():
        raise CommandError(f"{path} is not a folder (give readmark the folder of your sources)")
    vault = path if path is not None else default_vault_path()
    from readmark.tui.app import run_app

    run_app(vault)
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
