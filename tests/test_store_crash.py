"""A writer killed at any instant loses nothing it reported as saved and tears no file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from readmark.annotations.store import AnnotationStore

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "tests" / "helpers" / "store_writer.py"
sys.path.insert(0, str(WRITER.parent))
from store_writer import annotation, note_for, version_of  # noqa: E402

ROUNDS = 30


def start_writer(vault: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(vault), *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def reported(output: str) -> list[tuple[str, int]]:
    """`(id, version)` for every complete line; a line cut by the kill was never reported."""
    lines = output.split("\n")[:-1]
    return [(line.split()[0], int(line.split()[1])) for line in lines]


def test_killing_the_writer_at_random_moments_loses_and_tears_nothing(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    saved: dict[str, int] = {}
    for round_number in range(ROUNDS):
        writer = start_writer(tmp_path, "loop", str(round_number))
        assert writer.stdout is not None
        first = writer.stdout.readline()  # the writer is up and saving
        time.sleep(rng.uniform(0, 0.08))
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
        for annotation_id, version in reported(first + rest):
            saved[annotation_id] = max(version, saved.get(annotation_id, -1))

        store = AnnotationStore(tmp_path)
        result = store.load_all()
        assert result.problems == []
        loaded = {a.id: a for a in result.annotations}
        for annotation_id, version in saved.items():
            # A save the writer finished but had no time to report may be newer still.
            on_disk = version_of(loaded[annotation_id].note)
            assert on_disk >= version
            assert loaded[annotation_id].note == note_for(on_disk)
        store.cleanup_temp_files()

    assert len(saved) > ROUNDS  # the writer got real work done between kills
    annotation_dirs = list((tmp_path / ".readmark" / "annotations").iterdir())
    assert [p for d in annotation_dirs for p in d.iterdir() if p.name.startswith(".")] == []


def test_two_writers_at_once_both_keep_every_annotation(tmp_path: Path) -> None:
    writers = [start_writer(tmp_path, "count", "100") for _ in range(2)]
    outputs = [writer.communicate(timeout=60)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    ids = {annotation_id for output in outputs for annotation_id, _ in reported(output)}
    assert len(ids) == 200

    result = AnnotationStore(tmp_path).load_all()
    assert result.problems == []
    assert {a.id for a in result.annotations} == ids


def test_two_writers_adding_to_one_note_lose_no_line(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path)
    store.save(replace(annotation("shared", 0), note=""))
    writers = [start_writer(tmp_path, "append", tag, "300") for tag in ("left", "right")]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline() == "up\n"
    (tmp_path / "go").touch()  # both start at once
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    retries = [int(output.split("\n")[-2].removeprefix("retried ")) for output in outputs]
    assert sum(retries) > 0  # they did meet: one read a version the other then replaced

    lines = AnnotationStore(tmp_path).get("shared").note.split("\n")
    # Each writer saved only over the version it had read, so no line was written over.
    assert sorted(lines) == sorted(f"{tag} {n}" for tag in ("left", "right") for n in range(300))
    assert [line for line in lines if line.startswith("left")] == [f"left {n}" for n in range(300)]
