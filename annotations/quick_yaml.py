"""A fast reader for the small YAML subset readmark writes in annotation front matter.

Reading 100,000 annotation files is mostly YAML parsing, so the shapes readmark's own dumper
writes (`key: value` lines, one scalar each, and `key:` followed by `- item` lines) are read here
directly. Anything outside that subset makes `read_mapping` return None and the caller uses a
real YAML parser, so a file a user edited by hand reads exactly as YAML would read it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_ITEM_LINE = re.compile(r"- (.*)")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
# Plain text that YAML cannot mistake for anything but a string: no indicator characters,
# no `: ` or ` #`, no spaces at the ends. The resolver still has the last word (`yes`, `1e3`).
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\x00-\x1f\x7f-\x9f]*(?<!\s)")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_STR_TAG = "tag:yaml.org,2002:str"
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""What YAML refuses in a stream, and the line breaks only its parser should fold (CR, NEL,
LS, PS); readmark's own files write those escaped. Written as the characters refused, not as
the complement of those allowed: the same set, and compiling a class that spans every code
point took milliseconds of every command's start."""


class _NotSimple(Exception):
    """The text is outside the subset: let a real YAML parser read it."""


def read_mapping(header: str) -> dict[str, Any] | None:
    """The mapping in `header` (front matter without its `---` lines), or None when it is
    not in the simple subset."""
    if not header.strip() or _NOT_PRINTABLE.search(header):
        return None  # YAML's own errors and empty documents are YAML's to report
    lines = header.split("\n")
    if lines[-1] == "":
        lines.pop()
    fields: dict[str, Any] = {}
    i = 0
    try:
        while i < len(lines):
            match = _KEY_LINE.fullmatch(lines[i])
            if match is None:
                return None
            key, raw = match.group(1), match.group(2)
            if not _plain_is_text(key):
                return None  # `no:` is a boolean key to YAML 1.1
            i += 1
            if raw is None or raw == "":
                items: list[Any] = []
                while i < len(lines) and (item := _ITEM_LINE.fullmatch(lines[i])) is not None:
                    items.append(_scalar(item.group(1)))
                    i += 1
                fields[key] = items if items else None
            else:
                fields[key] = _scalar(raw)
    except _NotSimple:
        return None
    return fields


def _scalar(raw: str) -> Any:
    if raw in ("null", "~"):
        return None
    if raw == "true":
        return True
    if raw == "false":
        return False
    if raw == "[]":
        return []
    if _INT.fullmatch(raw):
        return int(raw)
    if _FLOAT.fullmatch(raw):
        return float(raw)
    single = _SINGLE.fullmatch(raw)
    if single is not None:
        return single.group(1).replace("''", "'")
    double = _DOUBLE.fullmatch(raw)
    if double is not None:
        return _ESCAPE.sub(_unescape, double.group(1))
    if _PLAIN.fullmatch(raw) and _plain_is_text(raw):
        return raw
    raise _NotSimple(raw)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    if code not in _SIMPLE_ESCAPES:
        raise _NotSimple(code)
    return _SIMPLE_ESCAPES[code]


@lru_cache(maxsize=4096)
def _plain_is_text(raw: str) -> bool:
    """True when YAML's own resolver reads the plain scalar `raw` as a string."""
    import yaml  # here: a command that reads no annotation file does not load PyYAML

    return bool(_resolver().resolve(yaml.ScalarNode, raw, (True, False)) == _STR_TAG)


@lru_cache(maxsize=1)
def _resolver() -> yaml.resolver.Resolver:
    import yaml

    return yaml.resolver.Resolver()
