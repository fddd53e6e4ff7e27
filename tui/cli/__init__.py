"""The `readmark` command line: one module per command, what they share in `common`, parsing
and the reader's start in `entry`.

To add a command, write its module here (`register` and `run`, see `entry.COMMANDS`) and add
its name to `entry.COMMANDS`. A command calls the services of `readmark.annotations` (the same
ones the reader calls) and prints; it never imports textual.
"""

from readmark.tui.cli.entry import main

__all__ = ["main"]
