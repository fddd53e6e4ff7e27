"""The export service the reader and `readmark export` share: where files go, and when not."""

from __future__ import annotations

from pathlib import Path

import pytest
from readmark.annotations.exporting import (
    Export,
    ExportError,
    export_annotations,
    export_to_vault,
    for_terminal,
    write_export,
)
from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace

NOTES = "Shade\n\nTrees cool the street at night.\n\nRoofs can be painted white.\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    vault = tmp_path / "vault"
    (vault / "city").mkdir(parents=True)
    (vault / "city" / "shade.txt").write_text(NOTES, encoding="utf-8")
    return Workspace(vault)


def test_the_readers_export_writes_one_file_per_source_beside_a_gitignore(
    workspace: Workspace,
) -> None:
    source = workspace.source("city/shade.txt")
    assert export_to_vault(workspace, source, []) == []  # nothing to export: nothing written
    assert not workspace.vault.layout.exports.exists()
    made = workspace.annotate("city/shade.txt", "Trees cool the street at night.", Kind.NOTE)
    [path] = export_to_vault(workspace, source, [made])
    assert path == workspace.vault.layout.exports / "city" / "shade.notes.md"
    assert "Trees cool the street at night." in path.read_text(encoding="utf-8")
    assert "/*" in workspace.vault.layout.gitignore.read_text(encoding="utf-8")


def test_markdown_needs_a_folder_and_json_takes_a_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.annotate("city/shade.txt", "Roofs can be painted white.")
    markdown = export_annotations(workspace, "markdown")
    taken = tmp_path / "taken"
    taken.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        write_export(Export("markdown", {**markdown.files, "b.notes.md": "x"}), taken)
    assert taken.read_text(encoding="utf-8") == "mine"
    [json_file] = write_export(export_annotations(workspace, "json"), tmp_path / "all.json")
    assert json_file == tmp_path / "all.json" and json_file.read_text(encoding="utf-8")


def test_a_terminal_gets_each_markdown_file_after_its_name(workspace: Workspace) -> None:
    workspace.annotate("city/shade.txt", "Roofs can be painted white.")
    text = for_terminal(export_annotations(workspace, "markdown", "city/shade.txt"))
    assert text.startswith("<!-- file: city/shade.notes.md -->\n---\n")
