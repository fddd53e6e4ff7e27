"""The reader and annotations whose source changed: a candidate is shown, never taken, until the
reader presses A (take the new words) or O (keep the quote, orphaned)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from helpers.running_reader import RunningReader, open_reader
from helpers.vaults import MakeVault
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.workspace import Workspace
from readmark.tui.screens.reader import ReaderScreen
from readmark.tui.widgets.annotation_sidebar import AnnotationSidebar
from readmark.tui.widgets.transcript import Transcript

BEFORE = """**Mira Osei** [00:00:05]

Welcome to the hedge hour. We plant slowly here.

**Tobias Kern** [00:01:10]

A hedge of hawthorn and hazel shelters more birds than any fence ever built.

**Mira Osei** [00:02:30]

Then we should plant one along the lane before winter comes.
"""

AFTER = BEFORE.replace("hawthorn and hazel shelters", "hawthorn shelters").replace(
    "[00:01:10]", "[00:01:12]"
)
QUOTE = "A hedge of hawthorn and hazel shelters more birds"
CANDIDATE = "A hedge of hawthorn shelters more birds"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    root = make_vault({"hedges.md": BEFORE})
    with Workspace(root) as workspace:
        workspace.annotate("hedges.md", QUOTE, Kind.NOTE, note="birds need cover")
        workspace.annotate("hedges.md", "plant one along the lane", Kind.HIGHLIGHT)
    (root / "hedges.md").write_text(AFTER, encoding="utf-8")
    return root


def stored(root: Path) -> dict[str, Annotation]:
    with Workspace(root) as workspace:
        return {a.quote: a for a in workspace.all_annotations()[0]}


@asynccontextmanager
async def reading(root: Path) -> AsyncIterator[tuple[RunningReader, ReaderScreen]]:
    """The reader with the hedges talk open (the first source: Enter opens it)."""
    async with open_reader(root) as r:
        await r.press("enter")
        assert r.screen.source is not None
        yield r, r.screen


async def test_a_candidate_is_shown_marked_and_the_quote_is_kept(vault: Path) -> None:
    async with reading(vault) as (r, screen):
        sidebar = screen.query_one(AnnotationSidebar)
        [waiting] = [a for a in sidebar.shown if a.needs_review]
        assert waiting.quote == QUOTE
        label = str(sidebar.get_option(waiting.id).prompt)
        assert label.startswith("? ")
        assert f"“{QUOTE}”" in label and f"→ “{CANDIDATE}”" in label
        # In the text, it stands on the candidate's words.
        transcript = screen.query_one(Transcript)
        assert transcript.source is not None
        start, end = waiting.span
        assert transcript.source.text[start:end] == CANDIDATE
        messages = [n.message for n in r.app._notifications]
        assert any("1 annotation needs review" in m for m in messages)
    assert stored(vault)[QUOTE].needs_review  # nothing was taken by opening the source


async def test_a_in_the_text_takes_the_candidate(vault: Path) -> None:
    async with reading(vault) as (r, screen):
        transcript = screen.query_one(Transcript)
        transcript.focus()
        waiting = next(a for a in screen.annotations if a.needs_review)
        # Elsewhere, A is no key at all: it does not show and does nothing.
        transcript.go_to_offset(screen.annotations[-1].span[0])
        await r.press()
        assert not [b for b in screen.active_bindings.values() if b.binding.key == "A"]
        await r.press("A")
        assert stored(vault)[QUOTE].needs_review
        transcript.go_to_offset(waiting.span[0])
        await r.press()
        shown = {b.binding.key for b in screen.active_bindings.values() if b.enabled}
        assert {"A", "O"} <= shown
        await r.press("A")
        sidebar = screen.query_one(AnnotationSidebar)
        assert not any(a.needs_review for a in sidebar.shown)
    accepted = stored(vault)[CANDIDATE]
    assert (accepted.id, accepted.note, accepted.start, accepted.speaker) == (
        waiting.id,
        "birds need cover",
        72.0,
        "Tobias Kern",
    )
    assert accepted.candidate is None and not accepted.orphaned


async def test_o_in_the_sidebar_keeps_the_quote_and_orphans_it(vault: Path) -> None:
    async with reading(vault) as (r, screen):
        sidebar = screen.query_one(AnnotationSidebar)
        sidebar.focus()
        waiting = next(a for a in sidebar.shown if a.needs_review)
        sidebar.highlighted = sidebar.get_option_index(waiting.id)
        await r.press()
        await r.press("O")
        [orphan] = [a for a in sidebar.shown if a.id == waiting.id]
        assert orphan.orphaned and not orphan.needs_review
        assert "quote no longer found" in str(sidebar.get_option(orphan.id).prompt)
    kept = stored(vault)[QUOTE]
    assert kept.orphaned and kept.candidate is None
    assert (kept.anchor, kept.start, kept.speaker) == (waiting.anchor, 70.0, "Tobias Kern")
