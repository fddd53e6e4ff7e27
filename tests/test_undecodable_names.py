"""A file name that is not valid UTF-8 (a Latin-1 name copied onto a Linux disk) breaks
nothing: every command lists, opens, searches, annotates, cites and exports it by its real
bytes, shows it with U+FFFD for the odd byte, and the other sources work as before."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.tui.cli import main

RAW_NAME = b"caf\xe9 talk.md"
"""`café talk.md` in Latin-1."""
SOURCE_ID = os.fsdecode(RAW_NAME)
SHOWN = "caf\ufffd talk.md"

CAFE = """# Coffee hour

**Ines Vidal** [00:00:05]

The espresso machine hums while we talk about roasting beans at home.
"""

TEA = "# Tea notes\n\nGreen tea wants cooler water than black tea.\n"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    root = make_vault({"tea.md": TEA})
    with open(os.path.join(os.fsencode(root), RAW_NAME), "wb") as file:
        file.write(CAFE.encode("utf-8"))
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def annotate(vault: Path, capsys: pytest.CaptureFixture[str]) -> str:
    status, out, err = run(
        capsys,
        "annotate",
        SOURCE_ID,
        "--quote",
        "roasting beans at home",
        "--note",
        "try it",
        "--json",
        "--vault",
        str(vault),
    )
    assert (status, err) == (0, "")
    made = json.loads(out)
    assert made["source"] == SOURCE_ID  # the JSON escape gives the real bytes back
    return str(made["id"])


def test_sources_lists_it_beside_the_others(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "sources", "--vault", str(vault))
    assert (status, err) == (0, "")
    assert SHOWN in out and "tea.md" in out and "Coffee hour" in out
    status, out, _ = run(capsys, "sources", "--json", "--vault", str(vault))
    ids = [s["id"] for s in json.loads(out)["sources"]]
    assert ids == [SOURCE_ID, "tea.md"]
    assert os.fsencode(ids[0]) == RAW_NAME
    assert "\\udce9" in out  # an escape in the JSON text, not a raw byte


def test_show_opens_it_by_its_real_bytes(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", SOURCE_ID, "--vault", str(vault))
    assert (status, err) == (0, "")
    assert "espresso machine hums" in out and SHOWN in out


def test_annotate_search_cite_and_export_it(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    annotation_id = annotate(vault, capsys)
    files = list((vault / ".readmark" / "annotations").rglob("*.md"))
    text = files[0].read_bytes().decode("utf-8")  # the annotation file is valid UTF-8
    assert f"source: {SHOWN}\nsource_bytes: caf%E9%20talk.md\n" in text

    status, out, _ = run(capsys, "search", "espresso", "--json", "--vault", str(vault))
    assert status == 0 and [hit["source"] for hit in json.loads(out)] == [SOURCE_ID]
    status, out, _ = run(capsys, "search", "try", "--vault", str(vault))
    assert status == 0 and annotation_id in out and SHOWN in out

    status, out, _ = run(capsys, "cite", annotation_id, "--vault", str(vault))
    assert status == 0 and "roasting beans at home" in out and "Coffee hour" in out

    folder = tmp_path / "exported"
    status, _, err = run(
        capsys, "export", "--format", "markdown", "--out", str(folder), "--vault", str(vault)
    )
    assert status == 0, err
    [written] = os.listdir(os.fsencode(folder))
    assert written == b"caf\xe9 talk.notes.md"  # named after the source, byte for byte
    exported = (Path(os.fsdecode(os.path.join(os.fsencode(folder), written)))).read_bytes()
    assert f"source: {SHOWN}".encode() in exported and b"roasting beans at home" in exported

    status, out, err = run(capsys, "check", "--vault", str(vault))
    assert (status, err) == (0, "")
    assert "All annotations are readable and anchored on their own words." in out


def test_reindex_counts_it_and_search_finds_both_sources(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(vault, capsys)
    status, out, err = run(capsys, "reindex", "--vault", str(vault))
    assert (status, err) == (0, "")
    assert "1 annotation files and 2 sources" in out
    status, out, _ = run(capsys, "search", "tea OR espresso", "--json", "--vault", str(vault))
    assert {hit["source"] for hit in json.loads(out)} == {SOURCE_ID, "tea.md"}
