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


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary with `…` when longer than `limit`."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-—") + "…"
