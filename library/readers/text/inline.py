"""Markdown inline syntax reduced to plain reading text.

Only real Markdown constructs are touched: `[text](url)` links, emphasis, code spans,
images, inline HTML tags, escapes. Bare square-bracket text such as `[bold]` or Rich
markup `[bold red]x[/]` is reading text and stays exactly as written.
"""

from __future__ import annotations

import re

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(
    r"\[([^\[\]\n]*)\]"  # [text]
    r"\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)"  # (url "title")
)
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>|<!--.*?-->")
_CODE = re.compile(r"(`+)(.{1,250}?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,250}?)(?<=\S)\1")
_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]*?[^\s*\\])\*(?![\w*])")
_UNDERSCORE = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]*?[^\s_\\])_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.{1,250}?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A backslash before any ASCII punctuation keeps it literal (CommonMark)."""
_ESCAPED_TICK = "\\`"
_TICK_HELD = "\x00"
"""An escaped backtick while code spans are found: it opens none."""
# Spans are bounded so that a long paragraph full of unclosed markers stays linear.
_MARKUP_CHARS = re.compile(r"[\[*_`<\\]|~~")
"""Every construct below holds one of these (an image's `![` holds `[`): text without any is
returned as it is, and each pattern runs only on text holding its own character."""


def reduce_inline(text: str) -> str:
    """Plain reading text from one block of Markdown inline syntax."""
    if not _MARKUP_CHARS.search(text):
        return text
    held = _ESCAPED_TICK in text
    if held:
        text = text.replace(_ESCAPED_TICK, _TICK_HELD)
    # Code spans first: what is inside them is literal.
    if "`" in text:
        text = _CODE.sub(lambda m: m.group(2).strip(), text)
    if "[" in text:
        text = _IMAGE.sub("", text)
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAG.sub("", text)
    if "*" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
    if "*" in text:
        text = _STAR.sub(r"\1", text)
    if "_" in text:
        text = _UNDERSCORE.sub(r"\1", text)
    if "~~" in text:
        text = _STRIKE.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text.replace(_TICK_HELD, "`") if held else text
