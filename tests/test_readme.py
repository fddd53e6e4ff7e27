"""The README tells a user what they need to write a citation template and copy inside tmux."""

from __future__ import annotations

from pathlib import Path

from readmark.annotations.citation import FIELDS

README = Path(__file__).parent.parent / "README.md"


def test_every_citation_template_field_is_listed() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("### Citation templates") :]
    missing = [name for name in FIELDS if f"| `{{{name}}}` |" not in table]
    assert missing == []


def test_copying_inside_tmux_names_the_setting_it_needs() -> None:
    assert "set -g set-clipboard on" in README.read_text(encoding="utf-8")
