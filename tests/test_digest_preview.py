"""The digest drafts from the palette: a preview of the Markdown the command line makes, `y`
copying it and `w` writing it as .md and .html into the reader's export folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.across_vault import across_vault
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.annotations.digest import DigestFilter, DigestView
from readmark.annotations.drafting import draft_digest
from readmark.annotations.exporting import default_export_folder
from readmark.annotations.workspace import Workspace
from readmark.library.layout import VaultLayout
from readmark.tui import clipboard
from readmark.tui.screens.choice_screen import ChoiceScreen
from readmark.tui.screens.digest_preview import DigestPreview
from textual.widgets import OptionList


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return across_vault(make_vault)


async def command(r: RunningReader, name: str) -> None:
    await r.press("ctrl+p", *name)
    await r.press("enter")


async def draft_on_orla(r: RunningReader) -> DigestPreview:
    await command(r, "Draft: where NAME")
    choice = r.app.screen
    assert isinstance(choice, ChoiceScreen)
    options = choice.query_one(OptionList)
    names = [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    assert names == ["1 Orla Venn", "2 Tam Iredale", "3 Another name…"]
    await r.press("1")
    await r.until(lambda: isinstance(r.app.screen, DigestPreview))
    preview = r.app.screen
    assert isinstance(preview, DigestPreview)
    return preview


def expected(vault: Path, view: DigestView, speaker: str | None = None) -> tuple[str, str]:
    with Workspace(vault) as workspace:
        draft = draft_digest(workspace, view, DigestFilter(speaker=speaker))
    return draft.render("markdown"), draft.render("html")


async def test_the_dissent_draft_previews_and_y_copies_the_markdown(vault: Path) -> None:
    copied: list[str] = []
    previous = clipboard.set_system_copy(copied.append)
    try:
        async with open_reader(vault) as r:
            preview = await draft_on_orla(r)
            shown = str(preview.query_one("#digest-text").render())
            await r.press("y")
            toasts = r.toasts
    finally:
        clipboard.set_system_copy(previous)
    markdown, _ = expected(vault, DigestView.DISSENT, "Orla Venn")
    assert markdown.startswith("# Where Orla Venn is most likely wrong")
    assert "Sleepers will never pay for themselves without public money." in markdown
    assert shown.strip() == markdown.strip()
    assert copied == [markdown]
    assert any("Copied the draft" in toast for toast in toasts)


async def test_w_writes_the_draft_as_markdown_and_html_and_says_where(vault: Path) -> None:
    async with open_reader(vault) as r:
        await draft_on_orla(r)
        await r.press("w")
        toasts = r.toasts
    exports = default_export_folder(vault)  # beside the vault, where the user sees it
    assert not VaultLayout(vault).exports.exists()
    markdown, html = expected(vault, DigestView.DISSENT, "Orla Venn")
    assert (exports / "digest-dissent.md").read_text(encoding="utf-8") == markdown
    assert (exports / "digest-dissent.html").read_text(encoding="utf-8") == html
    assert any(str(exports / "digest-dissent.md") in toast for toast in toasts)


@pytest.mark.parametrize(
    ("name", "view"),
    [("Positions by topic", DigestView.POSITIONS), ("Session digest", DigestView.SESSION)],
)
async def test_the_other_views_preview_from_the_palette(
    vault: Path, name: str, view: DigestView
) -> None:
    async with open_reader(vault) as r:
        await command(r, name)
        await r.until(lambda: isinstance(r.app.screen, DigestPreview))
        preview = r.app.screen
        assert isinstance(preview, DigestPreview)
        assert preview.view is view
        markdown = preview.markdown
        await r.press("q")
        assert not isinstance(r.app.screen, DigestPreview)
    first_line = expected(vault, view)[0].splitlines()[0]
    assert markdown.splitlines()[0] == first_line
