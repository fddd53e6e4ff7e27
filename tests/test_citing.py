"""Which format a citation takes: asked for, else chosen this session, else the config's default."""

from __future__ import annotations

from pathlib import Path

import pytest
from readmark.annotations.citing import Citing
from readmark.annotations.config import ConfigError
from readmark.library.builder import SourceBuilder
from readmark.library.model import Source


def talk() -> Source:
    builder = SourceBuilder(id="talk.md", title="Night shift", format="markdown")
    builder.add_segment("Heat stays in the walls.", start=65.0, speaker="Ines")
    return builder.build(url="https://youtu.be/abc")


def test_the_configured_default_until_one_is_chosen(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[citation]\ndefault = "plain"\n[citation.templates]\nshort = "{quote} ({who})"\n',
        encoding="utf-8",
    )
    citing = Citing(config)
    source = talk()
    end = len(source.text)
    assert citing.format() == "plain"
    assert citing.formats() == ["markdown", "plain", "short"]
    assert citing.cite_words(source, 0, end).startswith('"Heat stays in the walls." — Ines')
    assert citing.cite_words(source, 0, end, "short") == "Heat stays in the walls. (Ines)"
    citing.choose("short")
    assert citing.cite_words(source, 0, end) == "Heat stays in the walls. (Ines)"
    assert citing.cite_words(source, 0, end, "markdown").startswith("> ")


def test_a_broken_config_is_an_error_to_show(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[citation\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Citing(config).cite_words(talk(), 0, 5)
