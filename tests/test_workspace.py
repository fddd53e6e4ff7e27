"""The workspace glue: saves that survive a busy or broken index, re-anchoring on read,
and the repairs of `check`."""

import os
import time
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.index import INDEX_NAME
from readmark.annotations.model import Kind
from readmark.annotations.workspace import QuoteNotFoundError, Workspace
from readmark.library.layout import VaultLayout
from whoosh import index as whoosh_index

LECTURE = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ada>Bees find flowers by colour first and scent second.

00:01:10.000 --> 00:01:15.000
<v Ada>A hive can forage three kilometres from home.
"""


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"bees.vtt": LECTURE})


def test_annotate_sets_time_speaker_and_is_searchable(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate(
            "bees.vtt", "three   kilometres", Kind.NOTE, note="far!", tags=["range"]
        )
        assert (made.quote, made.start, made.speaker, made.tags) == (
            "three kilometres",
            70.0,
            "Ada",
            ("range",),
        )
        assert [hit.id for hit in workspace.search("tag:range")] == [made.id]


def test_annotate_refuses_a_missing_quote(vault: Path) -> None:
    with Workspace(vault) as workspace, pytest.raises(QuoteNotFoundError, match="bees.vtt"):
        workspace.annotate("bees.vtt", "wasps", Kind.HIGHLIGHT)


def test_a_locked_index_does_not_stop_a_save(vault: Path) -> None:
    Workspace(vault).sync_index()
    holder = whoosh_index.open_dir(str(VaultLayout(vault).index), indexname=INDEX_NAME)
    writer = holder.writer()
    try:
        with Workspace(vault) as workspace:
            began = time.perf_counter()
            made = workspace.annotate("bees.vtt", "scent second", Kind.HIGHLIGHT)
            assert time.perf_counter() - began < 5  # waiting on the lock would hang
            assert workspace.store.path_for(made).is_file()
    finally:
        writer.cancel()
    with Workspace(vault) as workspace:
        assert [hit.id for hit in workspace.search("type:annotation")] == [made.id]


def test_a_broken_index_does_not_stop_a_save_and_repairs_itself(vault: Path) -> None:
    folder = VaultLayout(vault).index
    folder.mkdir(parents=True)
    (folder / f"_{INDEX_NAME}_1.toc").write_bytes(b"not an index")
    with Workspace(vault) as workspace:
        made = workspace.annotate("bees.vtt", "colour first", Kind.HIGHLIGHT)
        assert workspace.store.path_for(made).is_file()
        assert made.id in [hit.id for hit in workspace.search("colour")]
    with Workspace(vault) as workspace:
        assert workspace.reindex().annotation_files == 1
        assert made.id in [hit.id for hit in workspace.search("colour")]


def test_annotations_for_reanchors_and_saves_after_an_edit(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("bees.vtt", "forage three kilometres", Kind.HIGHLIGHT)
    edited = LECTURE.replace("A hive can", "Even a small hive can").replace("01:10", "01:20")
    (vault / "bees.vtt").write_text(edited, encoding="utf-8")
    with Workspace(vault) as workspace:
        [placed] = workspace.annotations_for("bees.vtt")
        assert (placed.quote, placed.start, placed.orphaned) == (
            "forage three kilometres",
            80.0,
            False,
        )
        assert placed.anchor.position.start > made.anchor.position.start
        assert workspace.get(made.id).anchor == placed.anchor


def test_check_removes_only_old_temporary_files(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("bees.vtt", "colour first", Kind.HIGHLIGHT)
        folder = workspace.store.path_for(made).parent
        old, fresh = folder / ".tmp-old", folder / ".tmp-fresh"
        old.write_text("torn", encoding="utf-8")
        fresh.write_text("being written", encoding="utf-8")
        an_hour_ago = time.time() - 3600
        os.utime(old, (an_hour_ago, an_hour_ago))
        report = workspace.check()
    assert report.temp_files_removed == [old]
    assert fresh.exists()
    assert not report.needs_attention


def test_check_lists_annotations_of_a_deleted_source_as_orphans(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("bees.vtt", "colour first", Kind.DISSENT)
    (vault / "bees.vtt").unlink()
    with Workspace(vault) as workspace:
        report = workspace.check()
    assert [(o.annotation.id, o.reason) for o in report.orphans] == [
        (made.id, "the source file bees.vtt is missing from the vault")
    ]
    assert report.needs_attention


def test_hand_edited_quote_is_reanchored_on_an_unchanged_source(owls_vault: Path) -> None:
    with Workspace(owls_vault) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE, note="mine")
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("> hollow trees", "> almost no sound"), encoding="utf-8")

        [placed] = workspace.annotations_for("owls.vtt")

        source = workspace.source("owls.vtt")
        start, end = placed.anchor.position.start, placed.anchor.position.end
        assert source.text[start:end] == "almost no sound"
        assert placed.speaker == "Rosa"
        assert placed.start is not None and placed.start >= 8.0
        assert placed.note == "mine"
        # The fix is saved, so the file now points at the new words.
        assert workspace.get(made.id).anchor.position.start == start


def test_check_reports_a_hand_edited_quote_as_reanchored(owls_vault: Path) -> None:
    with Workspace(owls_vault) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.HIGHLIGHT)
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("> hollow trees", "> feathers are soft"), encoding="utf-8")

        report = workspace.check()

        assert [a.quote for a in report.reanchored] == ["feathers are soft"]
        assert report.orphans == []
