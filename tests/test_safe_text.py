import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from readmark.library.safe_text import escape_json_controls, printable, shorten

FORBIDDEN = re.compile("[\x1b\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain words, unchanged", "plain words, unchanged"),
        ("caf\u00e9 \u2014 \u65e5\u672c", "caf\u00e9 \u2014 \u65e5\u672c"),
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("before\x1b]0;new window title\x07after", "beforeafter"),
        ("copy\x1b]52;c;c2VjcmV0\x1b\\ done", "copy done"),
        ("\x1b]8;;https://example.org\x1b\\a link\x1b]8;;\x1b\\", "a link"),
        ("\x1bP1$r0m\x1b\\x", "x"),
        ("\x1b_app command\x1b\\y", "y"),
        ("\x1b7saved\x1b8", "saved"),
        ("lone escape at the end\x1b", "lone escape at the end"),
        ("\x1b]0;never terminated", ""),
        ("bell\x07 and backspace\x08", "bell\u2407 and backspace\u2408"),
        ("keeps\ttabs\nand new lines", "keeps\ttabs\nand new lines"),
        ("windows line\r\nend", "windows line\nend"),
        ("delete\x7f", "delete\u2421"),
        ("c1 \x9b31m csi", "c1 31m csi"),
        ("right-to-left \u202eoverride\u202c", "right-to-left override"),
        ("isolate \u2067x\u2069 mark\u200f", "isolate x mark"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@given(st.text())
def test_printable_never_leaves_escape_c1_or_bidi(text: str) -> None:
    assert FORBIDDEN.search(printable(text)) is None


@given(st.text(alphabet=st.sampled_from("ab\x1b[]P\\\x07\x9b\x9d;0m\u202e\t\n\r")))
def test_printable_is_idempotent_on_escape_soup(text: str) -> None:
    once = printable(text)
    assert FORBIDDEN.search(once) is None
    assert printable(once) == once


@given(st.text())
def test_escaped_json_is_the_same_data_and_terminal_safe(text: str) -> None:
    dumped = escape_json_controls(json.dumps({"title": text}, ensure_ascii=False))
    assert FORBIDDEN.search(dumped) is None
    assert json.loads(dumped) == {"title": text}


def test_shorten_cuts_at_a_word_and_never_leaves_a_comma_before_the_ellipsis() -> None:
    assert shorten("alpha   beta\ngamma", 40) == "alpha beta gamma"
    assert shorten("alpha beta, gamma delta", 13) == "alpha beta…"
    assert shorten("alpha beta, gamma delta", 13, at_word=False) == "alpha beta…"
    assert shorten("alphabetical order", 10, at_word=False) == "alphabeti…"


def test_shorten_to_terminal_cells_counts_wide_characters_twice() -> None:
    from rich.cells import cell_len

    shown = shorten("東京の夏は暑い", 9, at_word=False, width=cell_len)
    assert shown == "東京の夏…"
    assert cell_len(shown) <= 9
    assert shorten("東京の夏は暑い", 9, at_word=False) == "東京の夏は暑い"
