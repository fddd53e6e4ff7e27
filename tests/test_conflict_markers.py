"""A note git could not merge (`<<<<<<<`, `=======`, `>>>>>>>` left in the file) is not taken as
a note: `check` lists it with what to do and exits 1, and it never loads half-merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from readmark.annotations.markdown_format import (
    AnnotationFormatError,
    conflict_marker_line,
    parse,
    render,
)
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.workspace import Workspace
from readmark.tui.cli import main

TALK = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Otters hold hands while they sleep.\n"

MERGED = """<<<<<<< HEAD
Otters sleep in rafts.
=======
Otters sleep holding paws.
>>>>>>> phone"""


def annotation(note: str) -> Annotation:
    return Annotation(
        id="a1",
        source="otters.vtt",
        kind=Kind.NOTE,
        anchor=Anchor(TextQuoteSelector("hold hands"), TextPositionSelector(6, 16), "beef"),
        note=note,
    )


def test_a_note_holding_a_whole_set_of_markers_is_refused_with_what_to_do() -> None:
    text = render(annotation(f"My note.\n\n{MERGED}"))
    with pytest.raises(AnnotationFormatError) as caught:
        parse(text)
    line = text.split("\n").index("<<<<<<< HEAD") + 1
    assert caught.value.line == line
    assert "merge conflict markers" in caught.value.reason
    assert "delete the three marker lines" in caught.value.reason


@pytest.mark.parametrize(
    "note",
    [
        "A heading\n=======\n\nunder it",  # a Markdown heading underline
        "<<<<<<< only an opening line",
        "=======\n>>>>>>> no opening",
        "> > > > > > > quoted deep",
    ],
)
def test_lookalikes_of_markers_are_fine(note: str) -> None:
    assert conflict_marker_line(note) is None
    assert parse(render(annotation(note))).note == note


def test_check_lists_a_merged_note_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "otters.vtt").write_text(TALK, encoding="utf-8")
    with Workspace(vault) as workspace:
        made = workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="Otters sleep.")
        path = workspace.store.path_for(made)
    path.write_text(path.read_text(encoding="utf-8").replace("Otters sleep.", MERGED), "utf-8")

    assert main(["check", "--vault", str(vault)]) == 1
    out = capsys.readouterr().out
    assert "1 annotation file cannot be read (fix or remove):" in out
    assert f"{path}: line " in out and "merge conflict markers" in out
    with Workspace(vault) as workspace:
        assert workspace.annotations_for("otters.vtt") == []
        assert workspace.search("rafts") == []  # not indexed half-merged either
