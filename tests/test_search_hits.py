"""Search hits: opening one shows its source in the list, `tag:` finds a source's own tags,
`--json` says who and with which tags, and `| head` ends quietly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.running_reader import SIZES, open_reader
from helpers.small_vaults import HARBOUR_VAULT
from helpers.vaults import MakeVault
from readmark.annotations.model import Confidence, Kind
from readmark.annotations.workspace import Workspace
from readmark.tui.cli import main
from readmark.tui.widgets.source_list import SourceList


@pytest.fixture
def vault(make_vault: MakeVault) -> Path:
    return make_vault(HARBOUR_VAULT)


@pytest.mark.parametrize("size", SIZES)
async def test_the_source_of_an_opened_hit_is_shown_in_the_list(
    vault: Path, size: tuple[int, int]
) -> None:
    async with open_reader(vault, size) as r:
        await r.open("silt")
        listed = r.screen.query_one(SourceList)
        listed.focus()
        await r.press("slash", *"silt", "enter")  # the filter now hides the talk
        assert listed.shown_ids == ["essays/why-harbours-silt-up.md"]
        await r.press("s", *'"towns plan"', "enter")
        await r.press("enter")
        await r.until(lambda: r.transcript.source is not None and "tides" in r.transcript.source.id)
        assert listed.filter_text == ""
        assert listed.highlighted_id == "talks/tides-and-towns.md"
        assert "talks/tides-and-towns.md" in listed.shown_ids


def test_tag_finds_passages_of_a_source_tagged_so(vault: Path) -> None:
    with Workspace(vault) as workspace:
        hits = workspace.search("tag:coast moon")
        assert hits and {h.source for h in hits} == {"talks/tides-and-towns.md"}
        assert all(h.type == "passage" for h in hits)
        assert workspace.search("tag:sediment marsh")[0].source == "essays/why-harbours-silt-up.md"


def test_search_json_says_tags_speaker_and_confidence(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace(vault) as workspace:
        workspace.annotate(
            "talks/tides-and-towns.md",
            "Sea walls are always the answer.",
            Kind.DISSENT,
            note="They move the erosion along.",
            tags=["defences"],
            confidence=Confidence.HIGH,
        )
    capsys.readouterr()
    assert main(["search", "kind:dissent", "--json", "--vault", str(vault)]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["tags"] == ["defences"]
    assert hit["speaker"] == "Ben Rowe"
    assert hit["confidence"] == "high"
    assert main(["search", '"towns plan"', "--json", "--vault", str(vault)]) == 0
    passage = json.loads(capsys.readouterr().out)[0]
    assert passage["type"] == "passage"
    assert passage["tags"] == ["coast", "tides"] and passage["speaker"] == "Ben Rowe"
    assert passage["confidence"] is None


def test_search_into_head_ends_without_a_broken_pipe(vault: Path) -> None:
    # More output than a pipe holds (64 KiB): the search is still writing when `head` leaves.
    body = "\n\n".join(f"Paragraph {n} on the harbour and its silt." for n in range(2000))
    (vault / "long.md").write_text(f"# Harbour log\n\n{body}\n", encoding="utf-8")
    code = "import sys; from readmark.tui.cli import main; sys.exit(main())"
    search = subprocess.Popen(
        [sys.executable, "-c", code, "search", "harbour", "--limit", "1500", "--vault", str(vault)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert search.stdout is not None and search.stderr is not None
    first = search.stdout.readline()  # `| head -1`: one line, then the pipe is closed
    search.stdout.close()
    errors = search.stderr.read().decode("utf-8", "replace")
    search.wait(timeout=60)
    assert first.strip()
    assert "BrokenPipe" not in errors and "Traceback" not in errors and "Exception" not in errors
    assert errors == ""
