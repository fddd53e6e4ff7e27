"""`readmark check` and re-anchoring on open save only over what they read: a note another
program edits meanwhile (an editor, a sync tool) is never lost; its version is re-anchored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from readmark.annotations import anchoring as anchoring_module
from readmark.annotations.anchoring import ReanchorResult, new_annotation
from readmark.annotations.model import Annotation, Kind
from readmark.annotations.store import AnnotationStore
from readmark.annotations.workspace import Workspace
from readmark.library.model import Source
from readmark.library.vault import Vault

ROOT = Path(__file__).resolve().parent.parent
EDITOR = ROOT / "tests" / "helpers" / "outside_editor.py"
SOURCES = 10
ANNOTATIONS = 100


def talk(number: int, preface: str = "") -> str:
    cues = [f"00:00:00.000 --> 00:00:05.000\n<v Host>{preface}Welcome to talk {number}."]
    for cue in range(1, 5):
        cues.append(
            f"00:00:{cue * 10:02d}.000 --> 00:00:{cue * 10 + 9:02d}.000\n"
            f"<v Host>Part {cue} of talk {number} has point{cue} about topic{number}."
        )
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def make_vault(root: Path) -> Path:
    root.mkdir()
    for number in range(SOURCES):
        (root / f"talk-{number}.vtt").write_text(talk(number), encoding="utf-8")
    vault = Vault(root, workers=1)
    store = AnnotationStore(root)
    for number in range(ANNOTATIONS):
        source = vault.load(f"talk-{number % SOURCES}.vtt")
        quote = f"point{1 + number % 4} about"
        start = source.text.index(quote)
        store.save(new_annotation(source, start, start + len(quote), Kind.NOTE, note="first"))
    return root


def rewrite_sources(vault: Path, preface: str) -> None:
    """The sources edited: every quote moves, so every annotation is re-anchored and saved."""
    for number in range(SOURCES):
        (vault / f"talk-{number}.vtt").write_text(talk(number, preface), encoding="utf-8")


def assert_anchored(vault: Path, annotations: list[Annotation]) -> None:
    texts = {a.source: Vault(vault, workers=1).load(a.source).text for a in annotations}
    for annotation in annotations:
        position = annotation.anchor.position
        assert texts[annotation.source][position.start : position.end] == annotation.quote


def edit_note(path: Path, text: str) -> None:
    """Another program's edit of the note, written with a rename as editors do."""
    head, _, _ = path.read_text(encoding="utf-8").rstrip("\n").rpartition("\n")
    temp = path.with_name(".elsewhere.tmp")
    temp.write_text(f"{head}\n{text}\n", encoding="utf-8")
    os.replace(temp, path)


def edit_between_read_and_save(vault: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Edits each annotation's note on disk in the moment after it was read and re-anchored,
    before it is saved: the window in which check used to write the old note back."""
    edited: list[str] = []
    real_reanchor = anchoring_module.reanchor
    store = AnnotationStore(vault)

    def reanchor(annotation: Annotation, source: Source) -> ReanchorResult:
        result = real_reanchor(annotation, source)
        if annotation.id not in edited:
            edited.append(annotation.id)
            edit_note(store.path_for(annotation), f"edited elsewhere {annotation.id}")
        return result

    monkeypatch.setattr(anchoring_module, "reanchor", reanchor)
    return edited


def test_check_keeps_a_note_edited_between_its_read_and_its_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "vault")
    rewrite_sources(vault, "A new opening line. ")
    edited = edit_between_read_and_save(vault, monkeypatch)
    with Workspace(vault) as workspace:
        report = workspace.check()
    assert len(edited) == ANNOTATIONS
    assert len(report.reanchored) == ANNOTATIONS
    result = AnnotationStore(vault).load_all()
    assert result.problems == []
    assert {a.id: a.note for a in result.annotations} == {
        a.id: f"edited elsewhere {a.id}" for a in result.annotations
    }
    assert_anchored(vault, result.annotations)


def test_check_leaves_a_note_deleted_meanwhile_deleted_and_says_which_kept_changing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "vault")
    rewrite_sources(vault, "A new opening line. ")
    store = AnnotationStore(vault)
    gone, busy = store.for_source("talk-1.vtt")[:2]
    real_reanchor = anchoring_module.reanchor
    edits = 0

    def reanchor(annotation: Annotation, source: Source) -> ReanchorResult:
        nonlocal edits
        path = store.path_for(annotation)
        if annotation.id == gone.id and path.exists():
            path.unlink()  # deleted in Obsidian while check runs
        elif annotation.id == busy.id:
            edits += 1  # a sync tool rewriting it again and again
            edit_note(path, f"edit {edits}")
        return real_reanchor(annotation, source)

    monkeypatch.setattr(anchoring_module, "reanchor", reanchor)
    with Workspace(vault) as workspace:
        report = workspace.check()
    assert not store.path_for(gone).exists()
    assert report.changed_meanwhile == [busy.id]
    assert busy.id not in {a.id for a in report.reanchored}
    assert store.get(busy.id).note == f"edit {edits}"
    assert len(report.reanchored) == ANNOTATIONS - 2


def test_opening_a_source_keeps_a_note_edited_while_it_is_re_anchored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault(tmp_path / "vault")
    rewrite_sources(vault, "A new opening line. ")
    edit_between_read_and_save(vault, monkeypatch)
    with Workspace(vault) as workspace:
        shown = workspace.annotations_for("talk-3.vtt")
    assert len(shown) == ANNOTATIONS // SOURCES
    assert {a.note for a in shown} == {f"edited elsewhere {a.id}" for a in shown}
    stored = AnnotationStore(vault).for_source("talk-3.vtt")
    assert stored == shown
    assert_anchored(vault, stored)


def test_check_loses_no_edit_of_a_program_editing_notes_all_the_while(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "vault")
    log = tmp_path / "editor.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with log.open("w") as out:
        editor = subprocess.Popen(
            [sys.executable, str(EDITOR), str(vault), "4"], stdout=out, env=env
        )
    checks = reanchored = 0
    try:
        while editor.poll() is None:
            rewrite_sources(vault, "Once more. " * (checks + 1))  # every quote moves again
            with Workspace(vault) as workspace:
                report = workspace.check()
            assert report.unreadable == []
            checks += 1
            reanchored += len(report.reanchored)
    finally:
        editor.wait(timeout=60)
    lines = log.read_text().split("\n")
    assert lines[0] == "up" and lines[-2] == "done"
    assert len(lines[1:-2]) == ANNOTATIONS  # every note was edited once, while checks ran
    assert checks >= 2 and reanchored > ANNOTATIONS  # and check saved re-anchors meanwhile

    result = AnnotationStore(vault).load_all()
    assert result.problems == []  # no conflict copies: every edit is in its own file
    assert [a.note for a in result.annotations] == ["edited elsewhere"] * ANNOTATIONS
    with Workspace(vault) as workspace:
        workspace.check()
    settled = AnnotationStore(vault).load_all().annotations
    assert [a.note for a in settled] == ["edited elsewhere"] * ANNOTATIONS
    assert_anchored(vault, settled)
