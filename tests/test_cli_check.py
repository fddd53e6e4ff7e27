"""`readmark check` as a script and a person use it: the JSON it prints, its exit status, and
`--accept`/`--orphan` settling annotations whose words changed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from helpers.vaults import MakeVault
from readmark.annotations.store import conflict_copy_reason
from readmark.tui.cli import main

TALK = """---
title: Hedges
---

**Mira Osei** [00:00:05]

Welcome to the hedge hour, where we plant slowly.

**Tobias Kern** [00:01:10]

A hedge of hawthorn and hazel shelters more birds than any fence ever built.
"""

TALK_EDITED = """---
title: Hedges
---

**Mira Osei** [00:00:05]

Welcome to the hedge hour, where we plant slowly and talk.

**Tobias Kern** [00:01:12]

A hedge of hawthorn shelters more birds than any fence ever built.
"""

QUOTE = "A hedge of hawthorn and hazel shelters more birds"
CANDIDATE = "A hedge of hawthorn shelters more birds"


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault({"hedges.md": TALK, "fences.txt": "Fences\n\nA fence is quick to build.\n"})


def run(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def annotate(
    vault: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    quote: str,
    kind: str = "highlight",
) -> str:
    status, out, err = run(
        vault, capsys, "annotate", source, "--quote", quote, "--kind", kind, "--json"
    )
    assert (status, err) == (0, "")
    annotation_id: str = json.loads(out)["id"]
    return annotation_id


def check_json(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    status, out, err = run(vault, capsys, "check", "--json", *argv)
    assert err == ""
    return status, json.loads(out)


def with_review(vault: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """An annotation on the hedge line, whose source then lost two of the quoted words."""
    annotation_id = annotate(vault, capsys, "hedges.md", QUOTE)
    (vault / "hedges.md").write_text(TALK_EDITED, encoding="utf-8")
    return annotation_id


def stored_path(vault: Path, annotation_id: str) -> Path:
    [path] = (vault / ".readmark" / "annotations").rglob(f"{annotation_id}.md")
    return path


def stored_file(vault: Path, annotation_id: str) -> str:
    return stored_path(vault, annotation_id).read_text(encoding="utf-8")


def test_check_json_with_nothing_to_do_exits_0(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotate(vault, capsys, "fences.txt", "quick to build")
    run(vault, capsys, "check")  # the index catches up with the sources once
    assert check_json(vault, capsys) == (
        0,
        {
            "reanchored": [],
            "needs_review": [],
            "orphaned": [],
            "unreadable": [],
            "conflicts": [],
            "repaired": [],
        },
    )


def test_check_json_lists_every_kind_of_trouble_and_exits_1(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_id = with_review(vault, capsys)
    moved_id = annotate(vault, capsys, "hedges.md", "where we plant slowly")
    orphan_id = annotate(vault, capsys, "fences.txt", "quick to build")
    (vault / "fences.txt").write_text("Fences\n\nA fence rots in ten years.\n", encoding="utf-8")
    folder = Path(stored_path(vault, orphan_id)).parent
    copy = folder / f"{orphan_id} (conflicted copy).md"
    copy.write_text(stored_file(vault, orphan_id), encoding="utf-8")
    broken = folder / "01bbbbbbbbbbbbbbbb.md"
    broken.write_text("not front matter\n", encoding="utf-8")
    temp = folder / ".tmp-left-by-a-crash"
    temp.write_text("torn", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(temp, (an_hour_ago, an_hour_ago))
    (vault / "hedges.md").write_text(TALK_EDITED, encoding="utf-8")  # leaves the second in place

    status, report = check_json(vault, capsys)

    assert status == 1
    assert isinstance(report, dict)
    assert list(report) == [
        "reanchored",
        "needs_review",
        "orphaned",
        "unreadable",
        "conflicts",
        "repaired",
    ]
    assert report["reanchored"] == []  # the source was edited before the second annotation
    assert report["needs_review"] == [
        {
            "id": review_id,
            "source": "hedges.md",
            "quote": QUOTE,
            "candidate": CANDIDATE,
            "score": report["needs_review"][0]["score"],
        }
    ]
    assert 75 <= report["needs_review"][0]["score"] < 100
    assert report["orphaned"] == [
        {"id": orphan_id, "source": "fences.txt", "quote": "quick to build"}
    ]
    assert report["unreadable"] == [
        {
            "path": str(broken),
            "reason": "line 1: the file does not start with a `---` front matter line",
        }
    ]
    assert report["conflicts"] == [{"path": str(copy), "of": orphan_id}]
    assert report["repaired"][0] == f"Removed {temp}, a temporary file left by a crash"
    assert not temp.exists()
    assert moved_id not in json.dumps(report)


def test_check_json_lists_an_annotation_moved_on_its_own_words(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved_id = annotate(vault, capsys, "hedges.md", "where we plant slowly")
    moved = TALK.replace("Welcome to", "Hello again, and welcome to")
    (vault / "hedges.md").write_text(moved, encoding="utf-8")
    status, report = check_json(vault, capsys)
    assert status == 0
    assert isinstance(report, dict)
    assert report["reanchored"] == [{"id": moved_id, "source": "hedges.md"}]
    assert report["repaired"] == [
        "Updated the search index: 1 annotation file and 2 sources re-read, 0 removed"
    ]


def test_check_text_shows_the_candidate_and_the_commands_that_settle_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_id = with_review(vault, capsys)
    status, out, _ = run(vault, capsys, "check")
    assert status == 1
    assert "1 annotation needs review" in out
    assert f"  {review_id} in hedges.md, " in out
    assert f"    quote:     \u201c{QUOTE}\u201d\n" in out
    assert f"    candidate: \u201c{CANDIDATE}\u201d\n" in out
    assert f"readmark check --vault {vault} --accept {review_id}" in out
    assert f"readmark check --vault {vault} --orphan {review_id}" in out
    # The stored quote is still the one the reader chose.
    assert f"> {QUOTE}\n" in stored_file(vault, review_id)
    assert f"review_candidate: {CANDIDATE}\n" in stored_file(vault, review_id)


def test_accept_takes_the_candidate_with_its_time_and_speaker(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_id = with_review(vault, capsys)
    run(vault, capsys, "check")  # the user sees the candidate first
    status, out, err = run(vault, capsys, "check", "--accept", review_id)
    assert (status, err) == (0, "")
    assert out == (
        f"Accepted {review_id} in hedges.md: the quote is now \u201c{CANDIDATE}\u201d "
        "(1:12, Tobias Kern).\n"
    )
    text = stored_file(vault, review_id)
    assert f"> {CANDIDATE}\n" in text and "review_" not in text and "start: 72.0\n" in text
    assert check_json(vault, capsys)[0] == 0


def test_orphan_keeps_the_quote_and_check_lists_it_as_orphaned(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_id = with_review(vault, capsys)
    run(vault, capsys, "check")  # the user sees the candidate first
    status, out, err = run(vault, capsys, "check", "--orphan", review_id)
    assert (status, err) == (0, "")
    assert out == (
        f"Orphaned {review_id} in hedges.md: the quote \u201c{QUOTE}\u201d is kept as it was.\n"
    )
    status, report = check_json(vault, capsys)
    assert status == 1
    assert isinstance(report, dict)
    assert report["needs_review"] == []
    assert report["orphaned"] == [{"id": review_id, "source": "hedges.md", "quote": QUOTE}]
    assert f"> {QUOTE}\n" in stored_file(vault, review_id)


def test_accept_and_orphan_print_json(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = with_review(vault, capsys)
    (vault / "hedges.md").write_text(TALK, encoding="utf-8")
    # A note: a second highlight inside the first would only repeat it, and is not made.
    second = annotate(vault, capsys, "hedges.md", "hawthorn and hazel shelters more birds", "note")
    (vault / "hedges.md").write_text(TALK_EDITED, encoding="utf-8")
    run(vault, capsys, "check")
    status, settled = check_json(vault, capsys, "--accept", first, "--orphan", second)
    assert status == 0
    assert settled == {
        "accepted": [
            {
                "id": first,
                "source": "hedges.md",
                "quote": CANDIDATE,
                "start": 72.0,
                "end": 72.0,  # the file gives the turn's start only
                "speaker": "Tobias Kern",
            }
        ],
        "orphaned": [
            {"id": second, "source": "hedges.md", "quote": "hawthorn and hazel shelters more birds"}
        ],
    }


def test_a_candidate_not_yet_shown_is_not_accepted(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review_id = with_review(vault, capsys)  # edited, but check has not shown it yet
    status, out, err = run(vault, capsys, "check", "--accept", review_id)
    assert (status, out) == (2, "")
    assert f"changed since {review_id} was last checked: the candidate is now" in err
    assert f"> {QUOTE}\n" in stored_file(vault, review_id)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--accept", "01zzzzzzzzzzzzzzzz"], "there is no annotation 01zzzzzzzzzzzzzzzz"),
        (["--accept", "NOT AN ID"], "is not an annotation id"),
        (["--orphan", "{anchored}"], "does not need review"),
        (["--accept", "{review}", "--orphan", "{review}"], "either accepted or orphaned, not both"),
    ],
)
def test_settling_what_cannot_be_settled_exits_2_and_says_why(
    vault: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    anchored = annotate(vault, capsys, "fences.txt", "quick to build")
    review = with_review(vault, capsys)
    run(vault, capsys, "check")
    before = stored_file(vault, review)
    argv = [arg.format(anchored=anchored, review=review) for arg in argv]
    status, out, err = run(vault, capsys, "check", *argv)
    assert status == 2
    assert out == ""
    assert message in err and err.count("\n") == 1
    assert stored_file(vault, review) == before


def test_a_settle_that_fails_halfway_reports_what_was_done(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = with_review(vault, capsys)
    run(vault, capsys, "check")  # the user sees the candidate first
    status, out, err = run(
        vault, capsys, "check", "--accept", review, "--accept", "01zzzzzzzzzzzzzzzz"
    )
    assert status == 2
    assert out.startswith(f"Accepted {review}")
    assert "there is no annotation 01zzzzzzzzzzzzzzzz" in err


def test_conflict_copies_are_no_longer_called_unreadable(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = annotate(vault, capsys, "fences.txt", "quick to build")
    [original] = (vault / ".readmark" / "annotations").rglob(f"{kept}.md")
    copy = original.with_name(f"{kept} (Mira's conflicted copy 2026-12-01).md")
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    status, out, _ = run(vault, capsys, "check")
    assert status == 1
    assert "1 conflict copy made by a sync tool" in out
    assert f"  {copy}: {conflict_copy_reason(kept)}" in out
    assert "cannot be read" not in out
