"""A disk that writes the file but fails to confirm the folder change: readmark says the note
was written (it is), warns it may not survive a power cut, and a retry makes no second one."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.model import Kind
from readmark.annotations.store import AnnotationStore, WrittenNotSyncedError
from readmark.annotations.workspace import Workspace
from readmark.library import durable
from readmark.tui.cli import main

TALK = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Otters hold hands while they sleep.\n"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"otters.vtt": TALK})


@pytest.fixture
def folder_fsync_fails(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fsync works on files and fails on folders, as on a failing disk after the rename (the
    store's folders exist already: making one fails before anything is written)."""
    AnnotationStore(vault).folder_for("otters.vtt").mkdir(parents=True)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)


def annotation_files(vault: Path) -> list[Path]:
    return sorted((vault / ".readmark" / "annotations").rglob("*.md"))


def test_the_store_says_the_file_was_written_and_a_retry_keeps_one(
    vault: Path, folder_fsync_fails: None
) -> None:
    with Workspace(vault) as workspace:
        with pytest.raises(WrittenNotSyncedError) as caught:
            workspace.annotate("otters.vtt", "hold hands", Kind.NOTE, note="paws")
        message = str(caught.value)
        assert "was written to" in message and "may not survive a power cut" in message
        assert "nothing was written" not in message
        [path] = annotation_files(vault)
        assert str(path) in message
        made = workspace.get(path.stem)
        assert made.note == "paws"

        # A retry of the same new annotation finds its own text there: no error, no second file.
        with pytest.raises(WrittenNotSyncedError):
            workspace.store.save(made, None)
        assert annotation_files(vault) == [path]
        # An edit of it saves over it as usual.
        with pytest.raises(WrittenNotSyncedError):
            workspace.store.save(replace(made, note="paws and tails"))
        assert AnnotationStore(vault).get(made.id).note == "paws and tails"


def test_annotate_on_the_command_line_prints_the_annotation_and_warns(
    vault: Path, folder_fsync_fails: None, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["annotate", "otters.vtt", "--quote", "hold hands", "--vault", str(vault)])
    out, err = capsys.readouterr()
    [path] = annotation_files(vault)
    assert status == 0
    assert path.stem in out and "Saved to" in out
    assert "may not survive a power cut" in err and "Do not annotate the quote again" in err
