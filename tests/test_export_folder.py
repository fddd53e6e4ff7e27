"""Export where a user sees it: the reader asks for a folder (beside the vault at first, then
the one chosen last) and says where it wrote; the Markdown links the source for Obsidian,
keeps ids and dates, and stays one document whatever the quotes and notes hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from markdown_it import MarkdownIt
from readmark.annotations.anchoring import new_annotation
from readmark.annotations.export_markdown import export_markdown
from readmark.annotations.model import Kind
from readmark.library.builder import SourceBuilder
from readmark.tui.screens.prompt import PromptScreen
from textual.widgets import Input


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


@pytest.mark.parametrize("size", SIZES)
async def test_the_export_goes_to_a_folder_beside_the_vault_and_says_where(
    vault: Path, size: tuple[int, int]
) -> None:
    beside = vault.parent / "vault-exports"
    async with open_reader(vault, size) as r:
        await r.open("tides")
        await r.press("h")
        r.screen.action_export()
        await r.settle()
        assert isinstance(r.app.screen, PromptScreen)
        assert r.app.screen.query_one(Input).value == str(beside.resolve())
        await r.press("enter")
        written = beside / "talks" / "tides-and-towns.notes.md"
        assert written.exists()
        assert f"Exported 1 annotation to {written.resolve()}" in r.said
        assert not (vault / ".readmark" / "exports").exists()


async def test_the_folder_chosen_is_offered_next_time(vault: Path, tmp_path: Path) -> None:
    chosen = tmp_path / "Obsidian" / "Reading"
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("h")
        r.screen.action_export()
        await r.settle()
        field = r.app.screen.query_one(Input)
        field.value = ""
        await r.press(*str(chosen), "enter")
        assert (chosen / "talks" / "tides-and-towns.notes.md").exists()
        await r.press("q")
    async with open_reader(vault) as r:
        await r.until(lambda: r.transcript.source is not None)
        r.screen.action_export()
        await r.settle()
        assert r.app.screen.query_one(Input).value == str(chosen)


async def test_a_folder_out_of_sight_is_refused_with_the_reason(vault: Path) -> None:
    async with open_reader(vault) as r:
        await r.open("tides")
        await r.press("h")
        r.screen.action_export()
        await r.settle()
        prompt = r.app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = str(vault / ".readmark" / "exports")
        await r.press("enter")
        assert isinstance(r.app.screen, PromptScreen)
        assert "out of sight" in prompt.problem


def test_markdown_links_the_source_keeps_ids_and_dates_and_stays_one_document() -> None:
    builder = SourceBuilder(id="talks/ep4.srt", title="Episode 4", format="srt")
    lines = ["4. Why walls fail", "# not a heading", "- not a list", "> not a quote"]
    for n, line in enumerate(lines):
        builder.add_segment(line, start=10.0 * n, speaker="Ada")
    source = builder.build()
    annotations = []
    for n, segment in enumerate(source.segments):
        note = "# My reading\nIt holds.\n## Why\nBecause.\nAnd so\n---" if n == 0 else ""
        kind = Kind.NOTE if note else Kind.HIGHLIGHT
        annotations.append(
            new_annotation(source, segment.char_start, segment.char_end, kind, note=note)
        )
    text = export_markdown(annotations, source, source.id)
    assert "Source: [[ep4.srt]]" in text
    for annotation in annotations:
        day = annotation.created[:10]
        assert f"*{day} " in text and f"^{annotation.id}" in text
    tokens = MarkdownIt("commonmark").parse(text.split("---\n", 2)[2])
    headings = [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings == [
        ("h1", "Episode 4"),
        ("h2", "Highlights and notes"),
        ("h4", "My reading"),  # the note's headings, below the document's
        ("h5", "Why"),
    ]
    assert not any(t.type in ("bullet_list_open", "ordered_list_open", "hr") for t in tokens)
    quotes = [
        tokens[i + 2].content
        for i, t in enumerate(tokens)
        if t.type == "blockquote_open" and tokens[i + 1].type == "paragraph_open"
    ]
    rendered = MarkdownIt("commonmark").render("\n\n".join(f"> {q}" for q in quotes))
    for line in lines:
        assert line.replace(">", "&gt;") in rendered  # each quote reads as it was said
