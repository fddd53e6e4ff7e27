"""Ids never address a file outside the vault, and odd file names work from list to search."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore, InvalidAnnotationIdError, StoreError
from readmark.annotations.workspace import Workspace
from readmark.library.errors import SourceError
from readmark.library.vault import Vault

TALK = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Otters hold hands while they sleep.\n"
HOSTILE_IDS = ["../x", "..", "/etc/passwd", "a/b", "a\\b", "", ".", "x.md", "a" * 65, "ok\x00"]


@pytest.fixture
def vault(make_vault: MakeVault, tmp_path: Path) -> Path:
    root = make_vault({"otters.vtt": TALK})
    (tmp_path / "secret.vtt").write_text(TALK.replace("Otters", "Topsecret"), encoding="utf-8")
    return root


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_hostile_annotation_ids_are_refused_by_get_delete_and_restore(
    vault: Path, hostile: str
) -> None:
    (vault.parent / "x.md").write_text("outside", encoding="utf-8")
    store = AnnotationStore(vault)
    for action in (store.get, store.delete, store.restore):
        with pytest.raises(InvalidAnnotationIdError):
            action(hostile)
    assert (vault.parent / "x.md").read_text(encoding="utf-8") == "outside"


@pytest.mark.parametrize("hostile", ["../secret.vtt", "/etc/passwd", "link.vtt", ".readmark/x"])
def test_source_ids_outside_the_vault_are_refused(vault: Path, hostile: str) -> None:
    (vault / "link.vtt").symlink_to(vault.parent / "secret.vtt")
    with pytest.raises(SourceError):
        Vault(vault).load(hostile)
    assert "link.vtt" not in [s.id for s in Vault(vault).scan().sources]


def test_an_annotation_pointing_outside_the_vault_never_reads_there(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="cute")
        hostile = replace(made, source="../secret.vtt")
        path = workspace.store.save(hostile)
        assert path.is_relative_to(workspace.store.root)
        assert workspace.annotations_for("../secret.vtt")[0].quote == "hold hands"
        assert workspace.search("topsecret") == []
        report = workspace.check()
        assert [o.annotation.id for o in report.orphans] == [made.id]
        assert workspace.get(made.id).anchor == made.anchor  # not re-anchored on the outside file


ODD_NAMES = [
    "with spaces in it.vtt",
    "otter \U0001f9a6 emoji.vtt",
    "-starts-with-a-dash.vtt",
    "x" * 251 + ".vtt",  # 255 bytes, the longest most filesystems allow
]


UNDECODABLE = os.fsdecode(b"caf\xe9 latin-1.vtt")
"""A Latin-1 file name on a UTF-8 system: the id keeps the byte as a lone surrogate."""


@pytest.mark.parametrize("name", [*ODD_NAMES, UNDECODABLE])
def test_odd_file_names_work_from_listing_to_search(vault: Path, name: str) -> None:
    (vault / "otters.vtt").unlink()
    (vault / name).write_text(TALK, encoding="utf-8")
    with Workspace(vault) as workspace:
        [listed] = workspace.vault.scan().sources
        assert listed.id == name
        json.dumps(listed.id)  # ids stay JSON-safe (invalid bytes become escapes)
        made = workspace.annotate(listed.id, "hold hands", Kind.NOTE, note="paws")
        assert workspace.store.path_for(made).name == f"{made.id}.md"
        assert [a.id for a in workspace.annotations_for(listed.id)] == [made.id]
        [hit] = workspace.search("paws")
        assert (hit.id, hit.source) == (made.id, name)
        assert {h.source for h in workspace.search("otters")} == {name}
    with Workspace(vault) as workspace:
        assert workspace.get(made.id).source == name
        assert workspace.check().orphans == []


def test_text_that_is_not_unicode_outside_a_file_name_is_refused_with_a_sentence(
    vault: Path,
) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="paws")
        with pytest.raises(StoreError, match="not valid Unicode .*; your note was not lost"):
            workspace.store.save(replace(made, speaker="Ann \ud800"))
        assert [a.speaker for a in workspace.store.load_all().annotations] == [made.speaker]


def test_an_undecodable_source_id_is_saved_loaded_and_searched(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="paws")
        moved = replace(made, source=UNDECODABLE)
        path = workspace.store.save(moved)
        assert path.parent.name.startswith("caf-latin-1-vtt-")
        assert [a.source for a in workspace.store.load_all().annotations] == [UNDECODABLE]
        assert [(h.id, h.source) for h in workspace.search("paws")] == [(made.id, UNDECODABLE)]
    # The file is valid UTF-8 YAML any editor reads: the name shown, its exact bytes beside it.
    text = path.read_bytes().decode("utf-8")
    assert "\nsource: caf\ufffd latin-1.vtt\nsource_bytes: caf%E9%20latin-1.vtt\n" in text
    assert AnnotationStore(vault).get(made.id).source == UNDECODABLE


def test_a_hand_edited_source_wins_over_stale_source_bytes(vault: Path) -> None:
    with Workspace(vault) as workspace:
        made = workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="paws")
        path = workspace.store.save(replace(made, source=UNDECODABLE))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: caf\ufffd latin-1.vtt", "source: otters.vtt"), "utf-8")
    assert AnnotationStore(vault).get(made.id).source == "otters.vtt"


def test_a_name_starting_with_a_dot_is_skipped_with_a_reason(vault: Path) -> None:
    (vault / ".hidden talk.vtt").write_text(TALK, encoding="utf-8")
    listing = Vault(vault).scan()
    assert [s.id for s in listing.sources] == ["otters.vtt"]
    assert [s.path for s in listing.skipped] == [".hidden talk.vtt"]


def test_store_errors_are_store_errors(vault: Path) -> None:
    assert issubclass(InvalidAnnotationIdError, StoreError)
