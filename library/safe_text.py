"""Make text read from files safe to print on a terminal.

A file may hold escape sequences that recolour, retitle or hyperlink the terminal, write the
clipboard (OSC 52), or reorder what the user sees (bidi overrides). `printable` takes them out:

- escape sequences (CSI, OSC, DCS, SOS, PM, APC, and two-byte `ESC x`) are removed whole;
- other C0 controls and DEL are shown as their Unicode "control picture" (`\\x07` -> `␇`),
  so the user sees that something was there; `\\n` and `\\t` are kept and `\\r` is dropped
  (it only ever comes from Windows line ends);
- C1 controls (U+0080-U+009F) and bidi controls (U+200E/F, U+202A-U+202E, U+2066-U+2069,
  U+061C) are removed;
- lone surrogates (the bytes of a file name that is not UTF-8) are shown as U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ST = r"(?:\x1b\\|\x07|\x9c)"
"""String terminator: `ESC \\`, BEL (xterm accepts it for OSC) or the C1 ST."""

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI, possibly cut short
    rf"|\x1b[\]PX^_][\s\S]*?(?:{_ST}|\Z)"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # nF and two-byte sequences, or a lone ESC
)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
"""Lone surrogates: the bytes of a file name that is not UTF-8, as Python reads it."""
_UNSAFE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")
_DROPPED = re.compile(rf"[\r\x80-\x9f{_BIDI}]")
_C0_TABLE = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_C0_TABLE[0x7F] = "\u2421"


def printable(text: str) -> str:
    """`text` with escape sequences and invisible controls taken out (see the module doc)."""
    if _UNSAFE.search(text) is None:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _DROPPED.sub("", text)
    text = without_lone_surrogates(text)
    return text.translate(_C0_TABLE)


_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")


def without_lone_surrogates(text: str) -> str:
    """`text` with each lone surrogate (a file name's byte that is not UTF-8) as U+FFFD."""
    if _LONE_SURROGATE.search(text) is None:
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)


_JSON_UNSAFE = re.compile(rf"[\x7f-\x9f{_BIDI}{_SURROGATES}]")


def escape_json_controls(json_text: str) -> str:
    """Write DEL, C1 and bidi controls in JSON text as `\\uXXXX` escapes.

    `json.dumps(ensure_ascii=False)` already escapes C0 controls; these others would reach the
    terminal raw. They can only stand inside JSON strings, where the escape means the same. A
    lone surrogate (a file name's byte that is not UTF-8) becomes `\\udce9`, which JSON readers
    take back as the same id.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def shorten(
    text: str, limit: int, *, at_word: bool = True, width: Callable[[str], int] = len
) -> str:
    """`text` on one line, cut with `…` to at most `limit` when longer.

    The cut falls at a word boundary in the second half unless `at_word` is False, and never
    leaves a space or a comma before the `…`. `width` measures: characters, or a terminal's
    cells (`rich.cells.cell_len`) where wide characters take two.
    """
    flat = " ".join(text.split())
    if width(flat) <= limit:
        return flat
    cut = _fitting(flat, limit - 1, width)
    if at_word:
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:.-—") + "…"


def _fitting(text: str, room: int, width: Callable[[str], int]) -> str:
    """The longest start of `text` that `width` measures at most `room`."""
    if width is len:
        return text[: max(room, 0)]
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width(text[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low]
