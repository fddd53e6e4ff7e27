"""Classify each line of a body on its own, once, with precompiled patterns."""

from __future__ import annotations

import re

from readmark.library.readers.text.labels import named
from readmark.library.readers.text.lines import BLANK, Kind, Line
from readmark.library.readers.text.stamps import stamped

_HEADING = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?")
_RULE = re.compile(r"([-=*_~])(?:\s*\1)+")
_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s|/?>|$)|<!--|<!DOCTYPE", re.IGNORECASE)
_IMAGES = re.compile(r"(?:\[?!\[[^\]\n]*\]\([^)\n]*\)(?:\]\([^)\n]*\))?\s*)+")
_LIST = re.compile(r"[-*+•]\s+(.*)")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s+(.*)")


def classify(raw_line: str, *, markdown: bool) -> Line:
    """Classify one line (without its line break)."""
    s = raw_line.strip()
    if not s:
        return BLANK
    first = s[0]
    if first == "[" or first == "(" or "0" <= first <= "9" or first == "\\":
        # Transcript lines first: they are most of the lines of the longest files.
        line = stamped(s)
        if line is not None:
            return line
    if markdown:
        if s.startswith(("```", "~~~")):
            return Line(Kind.FENCE, s, marker=s[:3])
        if first == "<" and _HTML.match(s):
            return Line(Kind.HTML, s)
        if first in "![" and _IMAGES.fullmatch(s):
            return Line(Kind.IMAGE, s)
    if first in "-=*_~" and _RULE.fullmatch(s):
        return Line(Kind.RULE, s, marker=first)
    if first == "#":
        heading = _HEADING.fullmatch(s)
        if heading:
            return Line(Kind.HEADING, s, heading.group(2), level=len(heading.group(1)))
    elif first == "§":
        return Line(Kind.HEADING, s, s.lstrip("§ \t"), level=2, marker="§")
    elif first == ">":
        return Line(Kind.QUOTE, s, s[1:].strip())
    if first in "-*+•" or first.isdigit():
        # ASCII digits were tried above.
        line = None if "0" <= first <= "9" else stamped(s)
        if line is not None:
            return line
        listed = _LIST.fullmatch(s)
        if listed:
            return Line(Kind.LIST, s, listed.group(1))
        numbered = _NUMBERED.fullmatch(s)
        if numbered:
            return Line(Kind.NUMBERED, s, numbered.group(1))
    return named(s)
