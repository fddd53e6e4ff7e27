"""The fast paths of a cold listing list exactly what a full parse of each file gives."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import readmark.library.vault
from helpers.vaults import write_vault
from readmark.library.loading import _sniff_order, choose_reader, load_path
from readmark.library.summary import summarise
from readmark.library.vault import Vault

FILES: dict[str, str | bytes] = {
    "essays/orchard.md": (
        "---\ntitle: Pruning the old orchard\ndate: 2023-11-05\nauthor: Ines Vidal\n"
        "duration: 12:30\n---\n\n# Pruning\n\nCut above the bud. Leave the collar.\n\n"
        "## Tools\n\nA sharp saw and [a guide](https://example.org/saw).\n"
    ),
    "essays/harbour.txt": "The harbour wakes early.\n\nNets dry on the wall by noon.\n",
    "talks/kiln.srt": (
        "1\n00:00:01,000 --> 00:00:03,000\nFire the kiln slowly\n\n"
        "2\n00:00:03,200 --> 00:00:06,000\nso the glaze does not crack.\n\n"
        "3\n00:00:09,000 --> 00:00:07,000\nA reversed cue.\n"
    ),
    "talks/kiln.vtt": (
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Tomas>Clay remembers every hand.\n\n"
        "00:04.500 --> 00:08.000\n<v Aiko>Then be gentle with it.\n"
    ),
    "talks/loom.json": json.dumps(
        {
            "title": "Warp and weft",
            "segments": [
                {"start": 0.0, "end": 2.0, "text": "Thread the heddles first.", "speaker": "A"},
                {"start": 2.5, "end": 5.0, "text": "Then tie on.", "speaker": "B"},
            ],
        }
    ),
    "talks/captions": "1\n00:00:02,000 --> 00:00:04,000\nNo extension, still SubRip.\n",
    "notes/heading-only.json": '# not json\n\n{"text": "odd"}\n',
    "notes/settings.json": '{"theme": "dark"}',
    "notes/tabs": "col\tcol\tcol\nrow\trow\trow\n",
    "notes/empty.md": "",
    "notes/latin.txt": "Caf\xe9 cr\xe8me\n".encode("cp1252"),
    "notes/photo.png": b"\x89PNG\r\n\x1a\n" + bytes(40),
    "notes/blob": b"abc\x00\x01\x02",
    ".hidden/secret.md": "# never listed\n",
}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return write_vault(tmp_path, FILES)


def full_parses(vault: Path, ids: list[str]) -> list[dict[str, object]]:
    return [summarise(load_path(vault / rel, rel)).to_json() for rel in ids]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_cold_listing_matches_full_parses(
    mixed: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readmark.library.vault, "PARALLEL_THRESHOLD", 1)
    listed = Vault(mixed, workers=workers).scan().to_json()
    ids = [row["id"] for row in listed["sources"]]

    assert ids == [
        "essays/harbour.txt",
        "essays/orchard.md",
        "notes/empty.md",
        "notes/heading-only.json",
        "notes/latin.txt",
        "notes/tabs",
        "talks/captions",
        "talks/kiln.srt",
        "talks/kiln.vtt",
        "talks/loom.json",
    ]
    assert listed["sources"] == full_parses(mixed, ids)
    assert {s["path"]: s["reason"] for s in listed["skipped"]} == {
        "notes/blob": "binary file",
        "notes/photo.png": "image",
        "notes/settings.json": "JSON file that is not a transcript",
    }


def test_listing_finishes_when_a_helper_process_dies(
    mixed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = Vault(mixed, workers=1).scan()
    Vault(mixed).cache_path.unlink()  # every file is parsed again

    def dies(claim: Callable[[], int | None], *args: object) -> None:
        claim()  # takes a chunk of work, then dies without sending it
        os._exit(3)

    monkeypatch.setattr(readmark.library.vault, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(readmark.library.vault, "_child_scan", dies)
    seen: list[tuple[int, int]] = []
    listing = Vault(mixed, workers=2).scan(lambda done, total: seen.append((done, total)))

    assert listing == serial
    assert seen[-1] == (12, 12)  # every file checked, including the skipped ones


HEADS = [
    "",
    "---\ntitle: x\n---\n",
    "# Heading\n\ntext",
    "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n",
    "1\n00:00:01,000 --> 00:00:02,000\nhi\n",
    '{"segments": []}',
    "see [this](https://example.org)",
]


@pytest.mark.parametrize(
    "name", ["a.md", "B.Markdown", "c.mdx", "talk.EN.srt", "x.SRT", "cap.vtt", "dir/.vtt", ".srt"]
)
@pytest.mark.parametrize("head", HEADS)
def test_reader_chosen_by_extension_is_the_one_sniffing_picks(name: str, head: str) -> None:
    best, best_score = None, 0.0
    for reader in _sniff_order():
        score = reader.sniff(name, head)
        if score > best_score:
            best, best_score = reader, score
            if score >= 0.9:
                break
    if best is not None:
        assert choose_reader(name, head) is best


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        ("plain words\twith a tab\r\nand lines\n", "text"),
        ("mostly text " * 30 + "\x07", "text"),
        ("a # not a heading and a ] ( not a link", "text"),
        ("intro\n## A heading\n", "markdown"),
        ("see [the notes](notes.md)", "markdown"),
    ],
)
def test_extensionless_files_are_sniffed_as_before(head: str, fmt: str) -> None:
    assert choose_reader("README", head).FORMAT == fmt


def test_mostly_control_characters_are_not_claimed_as_text() -> None:
    from readmark.library.readers import plaintext

    assert plaintext.sniff("README", "\x01\x02\x03 abc") == 0.0
    assert plaintext.sniff("README", "\t\r\n") == 0.1
