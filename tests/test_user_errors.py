"""Every failure ends in one line on stderr naming the file and what to do, with exit status 2.

No traceback reaches a user; `--debug` shows one.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
from pathlib import Path
from typing import Any

import pytest
from helpers.vaults import MakeVault
from readmark.library import durable
from readmark.library.layout import VaultLayout
from readmark.library.loading import load_path
from readmark.tui.cli import main

TALK = "# River towns\n\nThe river floods every spring and the town adapts.\n"


@pytest.fixture
def vault(make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "config.toml"))  # some tests write it
    return make_vault({"talk.md": TALK})


def fails(
    capsys: pytest.CaptureFixture[str], *argv: str, status: int = 2, names: tuple[str, ...] = ()
) -> str:
    """Run `argv`; check the exit status and one line on stderr naming `names`; return it."""
    assert main(list(argv)) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("readmark: ")
    assert "Traceback" not in err
    for name in names:
        assert name in err, (name, err)
    return err


def annotate(vault: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert (
        main(["annotate", "talk.md", "--quote", "river floods", "--json", "--vault", str(vault)])
        == 0
    )
    annotation_id: str = json.loads(capsys.readouterr().out)["id"]
    return annotation_id


def test_unknown_source(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "show", "nope.md", "--vault", str(vault), names=("nope.md", str(vault)))
    assert "readmark sources" in err


def test_unknown_annotation(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(capsys, "cite", "01jnothere000000000", "--vault", str(vault), names=("01jnothere",))
    assert "readmark search" in err


def test_unreadable_source(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = pathlib.Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "talk.md":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", denied)
    err = fails(capsys, "show", "talk.md", "--vault", str(vault), names=("talk.md",))
    assert "check the file's permissions" in err
    fails(
        capsys, "annotate", "talk.md", "--quote", "river", "--vault", str(vault), names=("talk.md",)
    )


def test_vault_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    for argv, said in (
        (["sources", "--vault", str(missing)], "is not a folder"),
        ([str(missing)], "is neither a folder nor a file"),  # the reader opens either
    ):
        err = fails(capsys, *argv, names=(str(missing),))
        assert said in err and "give" in err


def test_vault_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a folder", encoding="utf-8")
    err = fails(capsys, "search", "river", "--vault", str(file), names=(str(file),))
    assert "the folder of your sources" in err


@pytest.mark.parametrize(
    ("code", "advice"),
    [(errno.EROFS, "Make the vault writable"), (errno.ENOSPC, "Free some space")],
    ids=["read-only", "disk-full"],
)
def test_annotate_on_a_failing_disk(
    vault: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    advice: str,
) -> None:
    def refuse(*_: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "link", refuse)  # a new file is linked in, never replacing one
    argv = ["annotate", "talk.md", "--quote", "river floods", "--note", "keep me"]
    err = fails(capsys, *argv, "--vault", str(vault), names=(str(vault / ".readmark"),))
    assert advice in err
    monkeypatch.undo()
    annotations = vault / ".readmark" / "annotations"
    assert [p.name for p in annotations.rglob("*") if p.is_file()] == []  # no torn or temp file


def test_export_to_a_full_disk(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    annotate(vault, capsys)

    def refuse(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "notes.json"
    argv = ["export", "--format", "json", "--out", str(target), "--vault", str(vault)]
    err = fails(capsys, *argv, names=(str(target),))
    assert "the disk is full" in err and "Free some space" in err
    assert not target.exists()


def test_an_os_error_outside_a_save_names_the_file(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(*_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(vault / "talk.md"))

    monkeypatch.setattr("readmark.library.vault.Vault.scan", unreadable)
    err = fails(capsys, "sources", "--vault", str(vault), names=(str(vault / "talk.md"),))
    assert "permission denied" in err and "run the command again" in err


def test_corrupt_annotation_file_on_cite(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    annotation_id = annotate(vault, capsys)
    path = next((vault / ".readmark" / "annotations").rglob(f"{annotation_id}.md"))
    path.write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    err = fails(capsys, "cite", annotation_id, "--vault", str(vault), names=(str(path),))
    assert "fix it in an editor" in err and "readmark check" in err


@pytest.mark.parametrize(
    ("query", "said"),
    [("colour:blue", "use one of: kind"), ("created:[2026 to", "wants a date like 2026-01-31")],
)
def test_bad_search_query(
    vault: Path, capsys: pytest.CaptureFixture[str], query: str, said: str
) -> None:
    err = fails(capsys, "search", query, "--vault", str(vault))
    assert said in err


def test_broken_index_folder(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Garbage in the index folder: search repairs it, or says to run reindex; never a crash."""
    annotate(vault, capsys)
    index = VaultLayout(vault).index
    for path in index.iterdir():
        if path.is_file():
            path.write_bytes(b"not an index " * 8)
    (index / "_readmark_9.toc").write_bytes(b"\x00garbage")
    status = main(["search", "river", "--json", "--vault", str(vault)])
    out, err = capsys.readouterr()
    if status == 2:
        assert err.count("\n") == 1 and str(index) in err and "readmark reindex" in err
        assert "Traceback" not in err
        assert main(["reindex", "--vault", str(vault)]) == 0  # ...and the advice works
        assert main(["search", "river", "--json", "--vault", str(vault)]) == 0
        out = capsys.readouterr().out
    else:
        assert status == 0, err
    assert "annotation" in [hit["type"] for hit in json.loads(out)]


def test_config_file_with_bad_toml(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotation_id = annotate(vault, capsys)
    config = tmp_path / "config.toml"
    config.write_text("[citation\ndefault = ", encoding="utf-8")
    err = fails(capsys, "cite", annotation_id, "--vault", str(vault), names=(str(config),))
    assert "not valid TOML" in err and "fix the file" in err


def test_keyboard_interrupt(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("readmark.library.vault.Vault.scan", interrupted)
    err = fails(capsys, "sources", "--vault", str(vault), status=130)
    assert "interrupted" in err and "run the command again" in err


def test_an_unexpected_error_is_one_line_pointing_at_debug(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("something inside broke")

    monkeypatch.setattr("readmark.library.vault.Vault.scan", broken)
    err = fails(capsys, "sources", "--vault", str(vault))
    assert "something inside broke" in err and "--debug" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "nope.md"],
        ["cite", "01jnothere000000000"],
        ["search", "colour:blue"],
    ],
)
def test_debug_shows_the_traceback(
    vault: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(Exception) as raised:
        main(["--debug", *argv, "--vault", str(vault)])
    assert raised.type.__name__ != "SystemExit"
    with pytest.raises(Exception):  # noqa: B017 - any error: the point is that it is raised
        main([*argv, "--vault", str(vault), "--debug"])
    assert capsys.readouterr().err == ""


def test_debug_shows_the_traceback_in_a_real_process(vault: Path) -> None:
    import subprocess
    import sys

    argv = [sys.executable, "-m", "readmark", "show", "nope.md", "--vault", str(vault)]
    quiet = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    loud = subprocess.run(
        [*argv, "--debug"], capture_output=True, text=True, check=False, timeout=60
    )
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr
    assert quiet.stderr.count("\n") == 1
    assert loud.returncode != 0 and "Traceback (most recent call last)" in loud.stderr
    assert "nope.md" in loud.stderr


# -- store errors worded for the CLI as well as the reader -----------------------------------------


def test_a_failed_save_from_the_cli_names_the_file_and_no_running_app(
    owls_vault: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:

    def disk_full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(durable.os, "write", disk_full)
    status = main(["annotate", "owls.vtt", "--quote", "hollow trees", "--vault", str(owls_vault)])
    err = capsys.readouterr().err

    assert status != 0
    assert "Traceback" not in err
    assert str(owls_vault / ".readmark" / "annotations") in err
    assert "the disk is full" in err
    assert "Free some space and save again." in err
    assert "still open" not in err
    assert "in readmark" not in err


# -- a file's name, once ----------------------------------------------------------------------


def test_error_about_a_file_names_it_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "badwhisper.json"
    path.write_text('{"segments": "oops"}', encoding="utf-8")
    source = load_path(path, "badwhisper.json")
    assert source.error == '"segments" is a string, not a list of segments.'
    assert main(["show", str(path), "--vault", str(tmp_path)]) != 0
    assert capsys.readouterr().err.count("badwhisper.json") == 1
