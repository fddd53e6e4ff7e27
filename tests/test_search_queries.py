"""Queries as users type them: source ids, malformed queries, ranking of the reader's own
annotations, marked JSON snippets, case and accents, and an index of an older schema."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from readmark.annotations.index import SearchError, SearchHit, SearchIndex
from readmark.annotations.index_schema import SCHEMA_VERSION, build_schema
from readmark.annotations.index_state import stamp_of
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.annotations.workspace import Workspace
from readmark.library.builder import SourceBuilder
from readmark.library.layout import VaultLayout
from readmark.library.model import Source
from readmark.tui.cli import main
from readmark.tui.screens.search_screen import SearchScreen
from rich.text import Text
from textual.app import App
from textual.widgets import Static
from whoosh import index as whoosh_index
from whoosh.query import Phrase


def passage_source(source_id: str, title: str, *lines: str, speaker: str = "") -> Source:
    builder = SourceBuilder(id=source_id, title=title, format="text")
    for number, line in enumerate(lines):
        builder.add_segment(line, start=float(number * 10), speaker=speaker or None)
    return builder.build()


def mark(
    mark_id: str,
    source: str,
    quote: str,
    *,
    kind: Kind = Kind.HIGHLIGHT,
    note: str = "",
    tags: tuple[str, ...] = (),
    speaker: str | None = None,
) -> Annotation:
    anchor = Anchor(TextQuoteSelector(quote), TextPositionSelector(0, len(quote)), "0" * 16)
    return Annotation(
        id=mark_id,
        source=source,
        kind=kind,
        anchor=anchor,
        note=note,
        tags=tags,
        speaker=speaker,
        created="2026-03-02T08:00:00Z",
    )


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


KILNS = passage_source(
    "pottery/kilns.md", "Kiln Firing Basics", "Glaze runs when the kiln overfires."
)
WHEEL = passage_source("pottery/wheel talk.md", "Throwing", "Centre the clay before you open it.")
TALK = passage_source(
    "talk.md", "Evening Talk", "Clay shrinks as it dries, then again in the kiln."
)
SHADOW = passage_source("archive/talk.md.bak", "Old copy", "Clay cracks when it dries too fast.")


@pytest.fixture
def pottery(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path)
    built.rebuild(
        [mark("k1", "pottery/kilns.md", "kiln overfires", kind=Kind.DISSENT)],
        [KILNS, WHEEL, TALK, SHADOW],
    )
    return built


# -- 1. source: with the id `readmark sources` shows ---------------------------------------


def test_source_with_an_exact_id_finds_that_source_only(pottery: SearchIndex) -> None:
    assert sorted(ids(pottery.search("source:pottery/kilns.md"))) == ["k1", "pottery/kilns.md#0"]
    assert ids(pottery.search("source:talk.md")) == ["talk.md#0"]
    assert ids(pottery.search("source:talk.md clay")) == ["talk.md#0"]


def test_a_quoted_source_id_with_a_space_works(pottery: SearchIndex) -> None:
    assert ids(pottery.search('source:"pottery/wheel talk.md"')) == ["pottery/wheel talk.md#0"]
    assert ids(pottery.search('clay source:"pottery/wheel talk.md"')) == ["pottery/wheel talk.md#0"]


def test_source_words_of_a_path_or_title_still_match(pottery: SearchIndex) -> None:
    assert sorted(ids(pottery.search("source:firing"))) == ["k1", "pottery/kilns.md#0"]
    assert sorted(ids(pottery.search('source:"kiln firing"'))) == ["k1", "pottery/kilns.md#0"]
    assert sorted(ids(pottery.search("source:pottery type:passage"))) == [
        "pottery/kilns.md#0",
        "pottery/wheel talk.md#0",
    ]


def test_not_an_exact_source_leaves_the_others(pottery: SearchIndex) -> None:
    assert sorted(ids(pottery.search("clay NOT source:talk.md"))) == [
        "archive/talk.md.bak#0",
        "pottery/wheel talk.md#0",
    ]


# -- 2. a query the parser cannot read is the query's fault ------------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"glaze runs', "phrase that is never closed"),
        ("(glaze OR clay", "group that is never closed"),
        ("glaze)", "never opened"),
        ("kind:", "kind: has no value"),
        ('kind:""', "kind: has no value"),
        ("clay kind: dissent", "kind: has no value"),
        ('source:""', "source: has no value"),
    ],
)
def test_a_malformed_query_says_what_is_wrong_with_it(
    pottery: SearchIndex, query: str, reason: str
) -> None:
    with pytest.raises(SearchError) as caught:
        pottery.search(query)
    message = str(caught.value)
    assert message.startswith(f"Cannot read the query {query!r}")
    assert reason in message and "\n" not in message


def test_a_phrase_inside_a_source_group_is_searched_not_a_failure(pottery: SearchIndex) -> None:
    # Whoosh used to raise "field has no positions" for this: reported as a broken index.
    hits = pottery.search('source:(throwing OR "evening talk")')
    assert sorted(ids(hits)) == ["pottery/wheel talk.md#0", "talk.md#0"]


def test_a_query_whoosh_refuses_while_searching_is_the_querys_fault(
    pottery: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whoosh checks positions only when it runs a phrase; whatever slips past the parser.
    monkeypatch.setattr(pottery, "parse", lambda _query: Phrase("kind", ["dissent", "note"]))
    with pytest.raises(SearchError, match="Cannot read the query 'kind:odd': .*no positions"):
        pottery.search("kind:odd")


def write_vault(root: Path) -> Path:
    (root / "pottery").mkdir(parents=True)
    (root / "pottery" / "glazes.md").write_text(
        "---\ntitle: Glazes\n---\n\nA celadon glaze pools in the café cups.\n\n"
        "Ash glazes are naïve about temperature.\n",
        encoding="utf-8",
    )
    (root / "notes.txt").write_text("Notes\n\nWedging clay removes air.\n", encoding="utf-8")
    return root


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault")


def cli(vault: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*argv, "--vault", str(vault)])
    out, err = capsys.readouterr()
    return status, out, err


def index_files(vault: Path) -> dict[str, object]:
    """Each index file's modification time; the small state file by its content."""
    return {
        p.name: p.read_text(encoding="utf-8") if p.suffix == ".json" else p.stat().st_mtime_ns
        for p in VaultLayout(vault).index.iterdir()
    }


@pytest.mark.parametrize("query", ['"celadon glaze', "kind:", "(clay", "clay)"])
def test_cli_reports_a_bad_query_on_one_line_and_leaves_the_index(
    vault: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    assert cli(vault, capsys, "search", "celadon")[0] == 0
    before = index_files(vault)
    status, out, err = cli(vault, capsys, "search", query)
    assert (status, out) == (2, "")
    assert err.startswith(f"readmark: Cannot read the query {query!r}")
    assert err.count("\n") == 1
    assert "reindex" not in err and "search index" not in err
    assert index_files(vault) == before


async def test_search_screen_shows_a_bad_query_and_keeps_running(vault: Path) -> None:
    class Host(App[None]):
        def __init__(self, workspace: Workspace) -> None:
            super().__init__()
            self.workspace = workspace

        def on_mount(self) -> None:
            self.push_screen(SearchScreen(self.workspace.search))

    with Workspace(vault) as workspace:
        workspace.sync_index()
        before = index_files(vault)
        app = Host(workspace)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press(*"kind:", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = app.screen.query_one("#search-status", Static)
            assert isinstance(status.content, Text)
            shown = status.content.plain
            assert shown.startswith("Cannot read the query 'kind:'")
            assert "reindex" not in shown
            assert status.has_class("-error")
            await pilot.press(*["backspace"] * 5, *"cafe", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)
            assert ids(app.screen.hits) == ["pottery/glazes.md#0"]
        assert index_files(vault) == before


# -- 3. the reader's own annotations come first ------------------------------------------------


def test_an_annotation_outranks_the_passage_with_the_same_words(tmp_path: Path) -> None:
    lines = ["Bisque firing hardens the pot.", "Trimming happens at leather hard.", "Glaze last."]
    index = SearchIndex(tmp_path)
    index.rebuild(
        [
            mark("mine", "studio.md", "Trimming happens at leather hard."),
            mark("doubt", "studio.md", "Glaze last.", kind=Kind.DISSENT, note="Bisque first?"),
        ],
        [passage_source("studio.md", "Studio", *lines)],
    )
    assert ids(index.search("trimming leather")) == ["mine", "studio.md#1"]
    assert ids(index.search("bisque")) == ["doubt", "studio.md#0"]


# -- 4. JSON snippets carry their marks --------------------------------------------------------


def test_json_hits_carry_the_marked_snippet_and_match_ranges(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = cli(vault, capsys, "search", "--json", "wedging")
    assert status == 0
    [hit] = json.loads(out)
    assert list(hit)[:9] == [
        "type",
        "id",
        "source",
        "kind",
        "text",
        "note",
        "start",
        "score",
        "snippet",
    ]
    assert hit["snippet"] == "Wedging clay removes air."
    assert hit["snippet_marked"] == "**Wedging** clay removes air."
    assert hit["marks"] == [[0, 7]]
    _, text, _ = cli(vault, capsys, "search", "wedging")
    assert "Wedging clay removes air." in text


# -- 5. case and accents -----------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path)
    built.rebuild(
        [
            mark(
                "d1", "glazes.md", "pools in the café cups", kind=Kind.DISSENT, tags=("Économie",)
            ),
            mark("h1", "glazes.md", "naïve about temperature", speaker="José Ruiz"),
        ],
        [
            passage_source(
                "glazes.md",
                "Glazes",
                "A celadon glaze pools in the café cups.",
                "Ash glazes are naïve about temperature.",
                "Cafe\u0301 tables wobble.",  # a decomposed é
                speaker="José Ruiz",
            )
        ],
    )
    return built


@pytest.mark.parametrize("query", ["kind:dissent", "kind:Dissent", "kind:DISSENT"])
def test_kind_ignores_case(mixed: SearchIndex, query: str) -> None:
    assert ids(mixed.search(query)) == ["d1"]


@pytest.mark.parametrize("query", ["tag:économie", "tag:ECONOMIE", "tag:Economie"])
def test_tags_ignore_case_and_accents(mixed: SearchIndex, query: str) -> None:
    assert ids(mixed.search(query)) == ["d1"]


@pytest.mark.parametrize(
    "query", ['speaker:"jose ruiz" type:annotation', "speaker:JOSÉ type:annotation"]
)
def test_speakers_ignore_case_and_accents(mixed: SearchIndex, query: str) -> None:
    assert ids(mixed.search(query)) == ["h1"]


def test_plain_words_ignore_accents_both_ways(mixed: SearchIndex) -> None:
    assert sorted(ids(mixed.search("cafe"))) == ["d1", "glazes.md#0", "glazes.md#2"]
    assert sorted(ids(mixed.search("café"))) == ["d1", "glazes.md#0", "glazes.md#2"]
    assert sorted(ids(mixed.search("naive"))) == ["glazes.md#1", "h1"]
    [passage] = [hit for hit in mixed.search("cafe") if hit.id == "glazes.md#0"]
    assert passage.marked() == "A celadon glaze pools in the **café** cups."


def test_an_index_from_before_accent_folding_is_rebuilt_from_the_files(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Version 3 had no accent folding. Its state claims every file is indexed, unchanged.
    folder = VaultLayout(vault).index
    folder.mkdir(parents=True)
    old = whoosh_index.create_in(str(folder), build_schema(), indexname="readmark3")
    with old.writer() as writer:
        writer.add_document(id="stale#0", type="passage", source_id="stale", text="cafe stale")
    sources = {}
    for source_id in ("pottery/glazes.md", "notes.txt"):
        path = vault / source_id
        stamp = stamp_of(path, path.stat().st_size, path.stat().st_mtime_ns)
        sources[source_id] = {"stamp": asdict(stamp), "title": ""}
    state = {"version": 3, "annotation_files": {}, "source_files": sources, "titles": {}}
    (folder / "state.json").write_text(json.dumps(state), encoding="utf-8")

    status, out, _ = cli(vault, capsys, "search", "--json", "cafe")
    assert status == 0
    assert [hit["id"] for hit in json.loads(out)] == ["pottery/glazes.md#0"]
    assert not list(folder.glob("*readmark3_*.toc")) and not list(folder.glob("readmark3_*.seg"))
    assert json.loads((folder / "state.json").read_text(encoding="utf-8"))["version"] == (
        SCHEMA_VERSION
    )
