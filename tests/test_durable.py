"""Crash-safe writes: the old file or the new one, never a torn one, and no litter on failure."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest
from readmark.library import durable


def test_write_atomic_creates_then_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    durable.write_atomic(target, b"first")
    durable.write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_a_full_disk_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"old text")

    def full_disk(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full_disk)
        with pytest.raises(OSError) as caught:
            durable.write_atomic(target, b"new text")
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_a_failing_fsync_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "note.md"
    target.write_bytes(b"old text")

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", broken_fsync)
        with pytest.raises(OSError):
            durable.write_atomic(target, b"new text")
    assert target.read_bytes() == b"old text"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def one_byte_at_a_time(fd: int, data: bytes) -> int:
        return real_write(fd, bytes(data[:1]))

    target = tmp_path / "note.md"
    with monkeypatch.context() as patch:
        patch.setattr(os, "write", one_byte_at_a_time)
        durable.write_atomic(target, b"whole text")
    assert target.read_bytes() == b"whole text"


def test_a_temp_file_removed_by_a_concurrent_cleanup_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls: list[str] = []

    def cleanup_first(source: Path, target: Path) -> None:
        calls.append(Path(source).name)
        if len(calls) == 1:
            durable.remove_temp_files(tmp_path)
        real_replace(source, target)

    target = tmp_path / "note.md"
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", cleanup_first)
        durable.write_atomic(target, b"text")
    assert target.read_bytes() == b"text"
    assert len(calls) == 2


def test_move_durably_copies_across_filesystems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    source = tmp_path / "a" / "x.md"
    source.parent.mkdir()
    source.write_bytes(b"moved")
    (tmp_path / "b").mkdir()

    def no_cross_device(src: Path, dst: Path) -> None:
        if not Path(src).name.startswith(durable.TEMP_PREFIX):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", no_cross_device)
        durable.move_durably(source, tmp_path / "b" / "x.md")
    assert not source.exists()
    assert (tmp_path / "b" / "x.md").read_bytes() == b"moved"


def test_ensure_dir_creates_missing_parents_and_accepts_existing(tmp_path: Path) -> None:
    folder = tmp_path / "one" / "two" / "three"
    durable.ensure_dir(folder)
    durable.ensure_dir(folder)
    assert folder.is_dir()


def test_remove_temp_files_removes_only_temp_files(tmp_path: Path) -> None:
    (tmp_path / ".tmp-abc-note.md").write_text("half")
    (tmp_path / "note.md").write_text("whole")
    (tmp_path / ".hidden").write_text("kept")
    assert durable.remove_temp_files(tmp_path) == [tmp_path / ".tmp-abc-note.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hidden", "note.md"]


def test_remove_temp_files_can_spare_recent_ones(tmp_path: Path) -> None:
    old = tmp_path / ".tmp-old"
    old.write_text("x")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    (tmp_path / ".tmp-new").write_text("y")
    assert durable.remove_temp_files(tmp_path, older_than=60) == [old]
    assert [p.name for p in tmp_path.iterdir()] == [".tmp-new"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system"), "the disk is read-only"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (OSError(errno.EIO, "Input/output error"), "input/output error"),
    ],
)
def test_os_errors_are_described_in_plain_words(error: OSError, reason: str) -> None:
    assert durable.describe_os_error(error)[0] == reason
