"""Tags as users type them (`#reading`, `a, b`, a YAML string): cleaned, split and deduplicated
wherever they come from (the command line, a hand-edited file, an edit), and carried into the
Readwise export."""

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from readmark.annotations.export_csv import export_readwise_csv
from readmark.annotations.model import Kind
from readmark.annotations.workspace import Workspace
from readmark.tui.cli import main


def test_cli_tags_are_cleaned_split_and_deduplicated(
    owls_vault: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["annotate", "owls.vtt", "--quote", "hollow trees", "--vault", str(owls_vault), "--json"]
    for tag in ("#reading", "a,b", "a, b", " a ", "#", "Reading"):
        argv += ["--tag", tag]
    assert main(argv) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["tags"] == ["reading", "a", "b"]
    with Workspace(owls_vault) as workspace:
        assert workspace.get(made["id"]).tags == ("reading", "a", "b")


def test_tags_typed_into_an_annotation_file_are_cleaned_on_load(owls_vault: Path) -> None:
    with Workspace(owls_vault) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE, tags=["birds"])
        path = workspace.store.path_for(made)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("tags:\n- birds", "tags: '#night, #birds  owls_vault'"))
        assert workspace.get(made.id).tags == ("night", "birds", "owls_vault")


def test_replacing_tags_from_an_editor_cleans_them_too(owls_vault: Path) -> None:
    with Workspace(owls_vault) as workspace:
        made = workspace.annotate("owls.vtt", "hollow trees", Kind.NOTE)
    edited = replace(made, tags=("#to-read , later", "later"))
    assert edited.tags == ("to-read", "later")


def test_readwise_note_carries_tags_as_dot_words(owls_vault: Path) -> None:
    with Workspace(owls_vault) as workspace:
        tagged = workspace.annotate(
            "owls.vtt", "hollow trees", Kind.NOTE, note="Check the oak.", tags=["#birds, night"]
        )
        bare = workspace.annotate("owls.vtt", "almost no sound", Kind.HIGHLIGHT, tags=["quiet"])
        plain = workspace.annotate("owls.vtt", "Owls hunt", Kind.HIGHLIGHT)
        rows = list(
            csv.DictReader(
                io.StringIO(export_readwise_csv([tagged, bare, plain], workspace.source_or_none))
            )
        )
    notes = {row["Highlight"]: row["Note"] for row in rows}
    assert notes == {
        "hollow trees": ".birds .night\nCheck the oak.",
        "almost no sound": ".quiet",
        "Owls hunt": "",
    }
