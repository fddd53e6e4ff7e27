"""The annotation commands as a user runs them: annotate, search, cite, export, delete,
restore, reindex and check, on a small vault written here."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from helpers.vaults import MakeVault
from readmark.library.layout import VaultLayout
from readmark.tui.cli import main

ORCHARD = """---
title: "Orchard Hour 7: pruning"
channel: Orchard Hour
url: https://www.youtube.com/watch?v=pru7777
date: 2025-04-02
---

# Orchard Hour 7: pruning

**Lena Ortiz** [00:00:05]

Welcome back to the orchard. Today we talk about cutting apple trees in late winter.

**Sam Webb** [00:04:04]

I'd say "never prune in spring" is the oldest myth in the shed. Trees heal fast
when the sap runs.
"""

MULCH = """Mulch

Mulch keeps the soil cool and the worms busy.

Straw is cheap; wood chips last longer.
"""

ANNOTATION_KEYS = [
    "id",
    "source",
    "kind",
    "quote",
    "start",
    "end",
    "speaker",
    "note",
    "tags",
    "created",
    "confidence",
    "updated",
    "orphaned",
]


@pytest.fixture
def vault(make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "config.toml"))  # some tests write it
    return make_vault({"talks/orchard.md": ORCHARD, "mulch.txt": MULCH})


def run(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def annotate(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    status, out, err = run(vault, capsys, "annotate", *argv, "--json")
    assert (status, err) == (0, "")
    data: dict[str, object] = json.loads(out)
    return data


def test_annotate_finds_a_reflowed_quote_with_curly_marks(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = annotate(
        vault,
        capsys,
        "talks/orchard.md",
        "--quote",
        "\u201cnever prune in spring\u201d is the oldest\n   myth",
        "--kind",
        "dissent",
        "--note",
        "Stone fruit *does* suffer.",
        "--tag",
        "pruning",
        "--tag",
        "myths",
        "--confidence",
        "medium",
    )
    assert list(data) == ANNOTATION_KEYS
    assert data["source"] == "talks/orchard.md"
    assert data["kind"] == "dissent"
    assert data["quote"] == '"never prune in spring" is the oldest myth'
    assert (data["start"], data["end"], data["speaker"]) == (244.0, 244.0, "Sam Webb")
    assert (data["note"], data["tags"]) == ("Stone fruit *does* suffer.", ["pruning", "myths"])
    assert (data["confidence"], data["orphaned"]) == ("medium", False)
    saved = vault / ".readmark" / "annotations"
    assert [p.name for p in saved.rglob("*.md")] == [f"{data['id']}.md"]


def test_annotate_takes_a_path_and_prints_a_summary(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        vault, capsys, "annotate", str(vault / "mulch.txt"), "--quote", "the worms busy"
    )
    assert status == 0
    assert "highlight" in out.splitlines()[0]
    assert "> the worms busy" in out


def test_annotate_refuses_a_quote_not_in_the_source(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        vault, capsys, "annotate", "talks/orchard.md", "--quote", "prune in summer"
    )
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "'prune in summer' is not in this source" in err
    assert not (vault / ".readmark" / "annotations").exists()


def test_annotate_refuses_an_unknown_source(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(vault, capsys, "annotate", "talks/nothing.md", "--quote", "x")
    assert status == 2
    assert "talks/nothing.md: no such source" in err
    assert "Traceback" not in err


def test_annotate_refuses_a_file_outside_the_vault_and_writes_nothing(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "mulch.txt").write_text(MULCH, encoding="utf-8")
    monkeypatch.chdir(vault)
    status, out, err = run(vault, capsys, "annotate", "../elsewhere/mulch.txt", "--quote", "busy")
    assert (status, out) == (2, "")
    assert err == (
        f"readmark: ../elsewhere/mulch.txt is not inside the vault {vault}; "
        "pass --vault with the folder that holds it\n"
    )
    assert not (outside / ".readmark").exists()
    assert not (vault / ".readmark" / "annotations").exists()


def test_annotate_without_vault_refuses_a_path_outside_the_default_vault(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["annotate", str(vault / "mulch.txt"), "--quote", "the worms busy"])
    assert status == 2
    assert "pass --vault with the folder that holds it" in capsys.readouterr().err
    assert not (vault / ".readmark").exists()


def test_search_finds_an_annotation_and_a_passage(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = annotate(
        vault,
        capsys,
        "talks/orchard.md",
        "--quote",
        "Trees heal fast",
        "--note",
        "True for apples.",
    )
    status, out, _ = run(vault, capsys, "search", "heal", "--json")
    assert status == 0
    hits = json.loads(out)
    by_type = {hit["type"]: hit for hit in hits}
    assert set(by_type) == {"annotation", "passage"}
    annotation, passage = by_type["annotation"], by_type["passage"]
    assert list(annotation) == [
        "type",
        "id",
        "source",
        "kind",
        "quote",
        "note",
        "start",
        "score",
        "snippet",
        "snippet_marked",
        "marks",
        "tags",
        "speaker",
        "confidence",
    ]
    assert list(passage) == [
        "type",
        "id",
        "source",
        "kind",
        "text",
        "note",
        "start",
        "score",
        "snippet",
        "snippet_marked",
        "marks",
        "tags",
        "speaker",
        "confidence",
    ]
    assert (annotation["id"], annotation["kind"], annotation["quote"]) == (
        made["id"],
        "highlight",
        "Trees heal fast",
    )
    assert (annotation["note"], annotation["start"]) == ("True for apples.", 244.0)
    assert "**heal**" in passage["snippet_marked"]
    assert (passage["source"], passage["kind"], passage["start"]) == (
        "talks/orchard.md",
        None,
        244.0,
    )
    assert passage["text"].startswith("I'd say")


def test_search_by_kind_and_a_bad_field(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap")
    dissent = annotate(
        vault, capsys, "mulch.txt", "--quote", "wood chips last longer", "--kind", "dissent"
    )
    status, out, _ = run(vault, capsys, "search", "kind:dissent", "--json")
    assert status == 0
    assert [hit["id"] for hit in json.loads(out)] == [dissent["id"]]
    status, out, err = run(vault, capsys, "search", "colour:red")
    assert (status, out) == (2, "")
    assert "There is no field 'colour' to search" in err


def test_search_finds_a_file_edited_by_hand(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap", "--note", "barley")
    run(vault, capsys, "search", "barley")
    path = next((vault / ".readmark" / "annotations").rglob(f"{made['id']}.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("barley", "rye"), encoding="utf-8")
    status, out, _ = run(vault, capsys, "search", "rye", "--json")
    assert [hit["id"] for hit in json.loads(out)] == [made["id"]]


def test_search_prints_hits_for_a_person(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(vault, capsys, "search", "worms")
    assert status == 0
    assert out.splitlines()[:2] == [
        "passage · mulch.txt · mulch.txt#1",
        "  Mulch keeps the soil cool and the worms busy.",
    ]


def test_cite_prints_the_markdown_citation(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = annotate(
        vault, capsys, "talks/orchard.md", "--quote", '"never prune in spring" is the oldest myth'
    )
    status, out, _ = run(vault, capsys, "cite", str(made["id"]))
    assert status == 0
    assert out == (
        "> \"'never prune in spring' is the oldest myth\" \u2014 Sam Webb, "
        "*Orchard Hour 7: pruning* (Orchard Hour, 2025-04-02), "
        "[4:04](https://www.youtube.com/watch?v=pru7777&t=244s)\n"
    )
    status, out, _ = run(vault, capsys, "cite", str(made["id"]), "--format", "plain")
    assert out.endswith("2025-04-02), 4:04 https://www.youtube.com/watch?v=pru7777&t=244s\n")


def test_cite_uses_a_user_template(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text(
        '[citation.templates]\nshort = "{quote} ({timestamp})"\n', encoding="utf-8"
    )
    made = annotate(vault, capsys, "talks/orchard.md", "--quote", "Trees heal fast")
    assert run(vault, capsys, "cite", str(made["id"]), "--format", "short")[1] == (
        "Trees heal fast (4:04)\n"
    )


def test_cite_refuses_unknown_ids_and_templates(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(vault, capsys, "cite", "01aaaaaaaaaaaaaaaa")
    assert status == 2
    assert "there is no annotation 01aaaaaaaaaaaaaaaa" in err
    made = annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap")
    status, _, err = run(vault, capsys, "cite", str(made["id"]), "--format", "mla")
    assert status == 2
    assert "no citation template named 'mla'" in err


def test_export_json_csv_and_markdown_parse_back(
    vault: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    high = annotate(vault, capsys, "talks/orchard.md", "--quote", "Trees heal fast")
    annotate(
        vault,
        capsys,
        "talks/orchard.md",
        "--quote",
        "oldest myth",
        "--kind",
        "dissent",
        "--note",
        "Not for cherries.",
    )
    annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap")

    status, out, _ = run(vault, capsys, "export", "--format", "json")
    assert status == 0
    exported = json.loads(out)
    assert len(exported) == 3
    first = next(a for a in exported if a["id"].endswith(str(high["id"])))
    selectors = {s["type"]: s for s in first["target"][0]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "Trees heal fast"

    status, out, _ = run(vault, capsys, "export", "--format", "csv", "--source", "mulch.txt")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["Highlight"], r["Title"]) for r in rows] == [("Straw is cheap", "Mulch")]

    status, out, _ = run(
        vault, capsys, "export", "--format", "markdown", "--source", "talks/orchard.md"
    )
    assert out.startswith("<!-- file: talks/orchard.notes.md -->\n---\n")
    front = yaml.safe_load(out.split("---\n")[1])
    assert (front["title"], front["source"]) == ("Orchard Hour 7: pruning", "talks/orchard.md")
    assert "## Where I disagree\n\n> oldest myth" in out

    status, out, _ = run(vault, capsys, "export", "--format", "markdown")
    assert out.count("<!-- file: ") == 2

    folder = tmp_path / "exported"
    status, _, err = run(vault, capsys, "export", "--format", "markdown", "--out", str(folder))
    assert status == 0
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md")) == [
        "mulch.notes.md",
        "talks/orchard.notes.md",
    ]
    target = tmp_path / "all.csv"
    assert run(vault, capsys, "export", "--format", "csv", "--out", str(target))[0] == 0
    assert len(list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))) == 3


def test_delete_moves_to_the_trash_and_restore_brings_back(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap", "--note", "barley")
    key = str(made["id"])
    status, out, _ = run(vault, capsys, "delete", key)
    trashed = vault / ".readmark" / "trash" / f"{key}.md"
    assert status == 0
    assert str(trashed) in out
    assert trashed.is_file()
    assert list((vault / ".readmark" / "annotations").rglob("*.md")) == []
    assert json.loads(run(vault, capsys, "search", "barley", "--json")[1]) == []
    assert run(vault, capsys, "delete", key)[0] == 2

    assert run(vault, capsys, "restore", key)[0] == 0
    hits = json.loads(run(vault, capsys, "search", "barley", "--json")[1])
    assert [hit["id"] for hit in hits] == [key]


def test_reindex_after_losing_the_index_gives_the_same_results(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(vault, capsys, "talks/orchard.md", "--quote", "Trees heal fast", "--tag", "sap")
    annotate(vault, capsys, "mulch.txt", "--quote", "keeps the soil cool", "--kind", "note")
    queries = ["trees", "soil", "tag:sap", "type:passage", "kind:note"]
    before = [
        sorted(h["id"] for h in json.loads(run(vault, capsys, "search", q, "--json")[1]))
        for q in queries
    ]
    shutil.rmtree(VaultLayout(vault).index)
    status, out, _ = run(vault, capsys, "reindex")
    assert status == 0
    assert out.startswith("Indexed 2 annotation files and 2 sources")
    after = [
        sorted(h["id"] for h in json.loads(run(vault, capsys, "search", q, "--json")[1]))
        for q in queries
    ]
    assert after == before
    assert all(before)


def test_check_reanchors_after_a_source_edit(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = annotate(vault, capsys, "talks/orchard.md", "--quote", "Trees heal fast")
    source = vault / "talks" / "orchard.md"
    source.write_text(ORCHARD.replace("Welcome back", "Hello and welcome back"), "utf-8")
    status, out, _ = run(vault, capsys, "check")
    assert status == 0
    assert f"Re-anchored {made['id']}" in out
    stored = next((vault / ".readmark" / "annotations").rglob("*.md")).read_text("utf-8")
    assert "Hello and welcome back" not in stored  # context is local to the quote
    assert run(vault, capsys, "check")[1].count("Re-anchored") == 0


def test_check_exits_1_for_an_orphan_and_lists_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = annotate(vault, capsys, "mulch.txt", "--quote", "wood chips last longer")
    (vault / "mulch.txt").write_text("Notes on mulch\n\nBark is fine.\n", encoding="utf-8")
    status, out, _ = run(vault, capsys, "check")
    assert status == 1
    assert f"{made['id']} in mulch.txt: \u201cwood chips last longer\u201d" in out
    assert next((vault / ".readmark" / "annotations").rglob("*.md")).is_file()


def test_check_exits_1_for_a_corrupt_annotation_file(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap")
    folder = next((vault / ".readmark" / "annotations").iterdir())
    (folder / "01bbbbbbbbbbbbbbbb.md").write_text("not front matter\n", encoding="utf-8")
    status, out, _ = run(vault, capsys, "check")
    assert status == 1
    assert "1 annotation file cannot be read" in out
    assert "01bbbbbbbbbbbbbbbb.md" in out


def test_check_passes_with_an_unreadable_source(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(vault, capsys, "mulch.txt", "--quote", "Straw is cheap")
    (vault / "mulch.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    status, out, _ = run(vault, capsys, "check")
    assert status == 0
    assert "Cannot read source" in out
