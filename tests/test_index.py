"""The search index: fields, phrases, stemming, ranking, snippets, reconcile, rebuild, locking."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from readmark.annotations.index import INDEX_NAME, SearchError, SearchHit, SearchIndex
from readmark.annotations.index_plan import AnnotationFolders
from readmark.annotations.model import (
    Anchor,
    Annotation,
    Kind,
    TextPositionSelector,
    TextQuoteSelector,
)
from readmark.library.builder import SourceBuilder
from readmark.library.layout import VaultLayout
from readmark.library.model import Source
from whoosh import index as whoosh_index


def note(
    id: str,  # noqa: A002 - the field's own name reads best here
    quote: str,
    *,
    source: str = "talks/frontier.md",
    kind: Kind = Kind.HIGHLIGHT,
    text: str = "",
    tags: tuple[str, ...] = (),
    speaker: str | None = None,
    created: str = "2026-01-15T09:00:00Z",
    start: float | None = None,
) -> Annotation:
    anchor = Anchor(TextQuoteSelector(quote), TextPositionSelector(0, len(quote)), "f" * 16)
    return Annotation(
        id=id,
        source=source,
        kind=kind,
        anchor=anchor,
        note=text,
        tags=tags,
        speaker=speaker,
        created=created,
        start=start,
    )


def make_source(source_id: str, title: str, turns: list[tuple[float | None, str, str]]) -> Source:
    builder = SourceBuilder(id=source_id, title=title, format="text")
    for start, speaker, words in turns:
        builder.add_segment(words, start=start, speaker=speaker or None)
    return builder.build()


FRONTIER = make_source(
    "talks/frontier.md",
    "Frontier Models Roundtable",
    [
        (0.0, "Host", "Welcome back to the roundtable on frontier models."),
        (12.0, "Dario", "Compute keeps getting cheaper, and the curves have not bent yet."),
        (65.5, "Mira", "Our evaluation suite measured a jump in reasoning at the larger size."),
    ],
)
GARDEN = make_source(
    "notes/garden.txt",
    "Allotment Diary",
    [(None, "", "The tomatoes ripened late this year after a cold spring.")],
)

ANNOTATIONS = [
    note(
        "a1",
        "the scaling laws held across six orders of magnitude",
        tags=("scaling",),
        speaker="Dario Amodei",
        start=12.0,
    ),
    note(
        "a2",
        "we scaled the model and the loss kept falling",
        kind=Kind.DISSENT,
        text="The falling loss says nothing about laws of reasoning.",
        tags=("scaling", "skeptic"),
        created="2026-02-20T10:00:00Z",
    ),
    note(
        "a3",
        "laws of physics do not care about scaling budgets",
        kind=Kind.NOTE,
        speaker="Mira",
        created="2025-12-01T08:00:00Z",
    ),
    note("a4", "tomatoes want warm soil", source="notes/garden.txt", tags=("garden",)),
]


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    built = SearchIndex(tmp_path)
    built.rebuild(ANNOTATIONS, [FRONTIER, GARDEN])
    return built


# -- queries ------------------------------------------------------------------------------------


def test_field_queries_find_what_the_field_says(index: SearchIndex) -> None:
    assert ids(index.search("kind:dissent")) == ["a2"]
    assert sorted(ids(index.search("tag:scaling"))) == ["a1", "a2"]
    assert sorted(ids(index.search("tags:garden"))) == ["a4"]
    assert ids(index.search('speaker:"Dario" type:annotation')) == ["a1"]
    assert sorted(ids(index.search('speaker:"Dario"'))) == ["a1", "talks/frontier.md#1"]
    assert sorted(ids(index.search("source:allotment"))) == ["a4", "notes/garden.txt#0"]


def test_created_ranges_and_comparisons(index: SearchIndex) -> None:
    assert ids(index.search("created:[2026-02-01 to 2026-03-01]")) == ["a2"]
    assert sorted(ids(index.search("created:>2026-01-01"))) == ["a1", "a2", "a4"]
    assert ids(index.search("created:<2026-01-01")) == ["a3"]
    assert ids(index.search("created:2026-02")) == ["a2"]
    assert ids(index.search("created:<=2025-12")) == ["a3"]
    assert sorted(ids(index.search("created:>2025-12"))) == ["a1", "a2", "a4"]
    assert ids(index.search("created:2026-01-15 tag:scaling")) == ["a1"]


def test_a_phrase_needs_its_words_in_order(index: SearchIndex) -> None:
    assert ids(index.search('"scaling laws"')) == ["a1"]


def test_stemming_finds_other_forms_of_a_word(index: SearchIndex) -> None:
    assert sorted(ids(index.search("scaling"))) == ["a1", "a2", "a3"]
    assert ids(index.search("ripen")) == ["notes/garden.txt#0"]


def test_one_query_finds_annotations_and_passages(index: SearchIndex) -> None:
    hits = index.search("frontier OR tomatoes")
    by_id = {hit.id: hit for hit in hits}
    assert set(by_id) == {"talks/frontier.md#0", "notes/garden.txt#0", "a4"}
    passage = by_id["talks/frontier.md#0"]
    assert (passage.type, passage.source, passage.segment_index, passage.start) == (
        "passage",
        "talks/frontier.md",
        0,
        0.0,
    )
    assert passage.kind is None
    annotation = by_id["a4"]
    assert (annotation.type, annotation.kind, annotation.segment_index) == (
        "annotation",
        "highlight",
        None,
    )
    assert annotation.text == "tomatoes want warm soil"


def test_more_occurrences_rank_higher(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    filler = "a long stretch of words about other matters entirely " * 3
    index.rebuild(
        [
            note("once", f"entropy appears here once {filler}"),
            note("thrice", "entropy, entropy and more entropy"),
            note("never", "nothing to see"),
        ],
        [],
    )
    assert ids(index.search("entropy")) == ["thrice", "once"]


@pytest.mark.parametrize("passages", [3, 400])
def test_a_highlight_outranks_its_passage_in_a_vault_of_many_passages(
    tmp_path: Path, passages: int
) -> None:
    # Most documents are passages, without a quote field: length normalisation must not
    # sink the reader's highlight below the passage it was taken from.
    turns: list[tuple[float | None, str, str]] = [
        (float(i), "", f"Row {i} of the seed ledger lists beans, squash and maize.")
        for i in range(passages)
    ]
    turns.append((float(passages), "", "Saved seed from the tallest sunflowers every autumn"))
    ledger = make_source("farm/ledger.md", "Seed Ledger", turns)
    highlight = note("sun1", "Saved seed from the tallest sunflowers", source="farm/ledger.md")
    index = SearchIndex(tmp_path)
    index.rebuild([highlight], [ledger])
    assert ids(index.search("sunflowers")) == ["sun1", f"farm/ledger.md#{passages}"]


def test_snippet_marks_the_matched_words(index: SearchIndex) -> None:
    [hit] = index.search("kind:dissent reasoning")
    assert hit.marked() == "The falling loss says nothing about laws of **reasoning**."
    assert hit.snippet[slice(*hit.marks[0])] == "reasoning"


def test_snippet_of_a_long_passage_is_cut_around_the_match(tmp_path: Path) -> None:
    before = " ".join(f"word{i}" for i in range(60))
    after = " ".join(f"tail{i}" for i in range(60))
    long_source = make_source("long.txt", "Long", [(0.0, "A", f"{before} the serendipity {after}")])
    index = SearchIndex(tmp_path)
    index.rebuild([], [long_source])
    [hit] = index.search("serendipity")
    assert len(hit.snippet) <= 162
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "**serendipity**" in hit.marked()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("created:banana", "Cannot read the query 'created:banana'"),
        ("created:[2026-13-01 to 2026-02-01]", "created: wants a date like 2026-01-31"),
        ("colour:red", "There is no field 'colour' to search"),
        # Kept for sorting the notebook or for showing a hit, not for searching.
        ("when:5", "There is no field 'when' to search"),
        ("start:10", "There is no field 'start' to search"),
    ],
)
def test_a_bad_query_says_what_is_wrong(index: SearchIndex, query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message.replace("[", r"\[").replace(".", r"\.")):
        index.search(query)


def test_a_query_of_stop_words_finds_nothing(index: SearchIndex) -> None:
    assert index.search("the") == []


# -- single changes -------------------------------------------------------------------------------


def test_a_saved_annotation_is_searchable_at_once(index: SearchIndex) -> None:
    assert index.add_or_update_annotation(note("a5", "quantum gravity is hard"), "Frontier")
    assert ids(index.search("gravity")) == ["a5"]
    assert index.add_or_update_annotation(note("a5", "quantum foam is hard"), "Frontier")
    assert ids(index.search("gravity")) == []
    assert ids(index.search("foam")) == ["a5"]
    assert index.remove_annotation("a5")
    assert ids(index.search("foam")) == []


def test_a_search_sees_what_another_process_wrote_after_the_index_was_opened(
    index: SearchIndex, tmp_path: Path
) -> None:
    index.close()
    opened = SearchIndex(tmp_path)  # opening reads every segment; its first search reuses that
    other = SearchIndex(tmp_path)
    assert other.add_or_update_annotation(note("a6", "tidal gravity bends the harbour"), "Tides")
    other.remove_annotation("a1")
    other.close()
    assert ids(opened.search("gravity")) == ["a6"]
    assert "a1" not in ids(opened.search("scaling"))
    opened.close()
    again = SearchIndex(tmp_path)
    assert ids(again.search("gravity")) == ["a6"]  # read through the segments it opened
    assert again.add_or_update_annotation(note("a7", "gravity waves at the pier"), "Tides")
    assert sorted(ids(again.search("gravity"))) == ["a6", "a7"]
    again.close()


def test_tidying_merges_the_small_segments_and_finds_the_same(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.rebuild(ANNOTATIONS, [FRONTIER, GARDEN])
    index.merge_on_save = False  # a commit each, as the catch-ups leave them
    for n in range(5):
        assert index.add_or_update_annotation(note(f"b{n}", f"harbour gravity {n}"), "Tides")
    index.remove_annotation("a3")
    segments = sorted(index.folder.glob("*.seg"))
    assert len(segments) == 6  # the rebuilt one, and one per save (a removal writes none)
    queries = ["gravity", "scaling", "laws", "tomatoes", "kind:dissent", "harbour 3"]
    before = {q: [(h.id, round(h.score, 6)) for h in index.search(q)] for q in queries}
    assert index.tidy()
    assert len(list(index.folder.glob("*.seg"))) == 2  # the rebuilt one, and the small merged
    assert {q: [(h.id, round(h.score, 6)) for h in index.search(q)] for q in queries} == before
    assert not index.tidy()  # nothing left to merge
    index.close()
    assert {q: ids(SearchIndex(tmp_path).search(q)) for q in queries} == {
        q: [hit_id for hit_id, _ in hits] for q, hits in before.items()
    }


def test_reindexing_a_source_replaces_its_passages(index: SearchIndex) -> None:
    changed = make_source("notes/garden.txt", "Allotment Diary", [(None, "", "Beans climbed.")])
    index.index_source(changed)
    assert ids(index.search("tomatoes type:passage")) == []
    assert ids(index.search("beans")) == ["notes/garden.txt#0"]
    index.remove_source("notes/garden.txt")
    assert ids(index.search("beans")) == []
    assert ids(index.search("tomatoes")) == ["a4"]


def test_a_locked_index_never_blocks_a_save(tmp_path: Path) -> None:
    first = SearchIndex(tmp_path)
    second = SearchIndex(tmp_path)
    other = whoosh_index.open_dir(str(VaultLayout(tmp_path).index), indexname=INDEX_NAME).writer()
    try:
        began = time.perf_counter()
        assert not second.add_or_update_annotation(note("z1", "zeppelins drift"), "Sky")
        assert time.perf_counter() - began < 3  # waiting on the lock would hang
        assert second.pending == 1
        # Not on disk yet, but found all the same: a search answers with what is pending.
        assert ids(second.search("zeppelins")) == ["z1"]
        assert second.behind == "another readmark is writing to it"
        assert first.search("zeppelins") == []  # another process sees the index as written
    finally:
        other.cancel()
    assert ids(second.search("zeppelins")) == ["z1"]
    assert second.pending == 0
    assert second.behind is None
    assert ids(first.search("zeppelins")) == ["z1"]


def test_a_reconcile_on_a_locked_index_is_deferred(vault: Path) -> None:
    index = SearchIndex(vault)
    other = whoosh_index.open_dir(str(VaultLayout(vault).index), indexname=INDEX_NAME).writer()
    try:
        assert index.reconcile(*files_of(vault)).deferred
    finally:
        other.cancel()
    report = index.reconcile(*files_of(vault))
    assert (report.deferred, report.annotation_files_indexed, report.sources_indexed) == (
        False,
        2,
        2,
    )


# -- reconcile ----------------------------------------------------------------------------------
# A vault for these tests: sources are text files (title line, then one paragraph per segment);
# annotation files are JSON lists, in one folder.


def write_source(vault: Path, source_id: str, title: str, *paragraphs: str) -> None:
    path = vault / source_id
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([title, *paragraphs]), encoding="utf-8")


def write_annotations(vault: Path, key: str, *items: tuple[str, str, str]) -> None:
    path = vault / "annotations" / "notes" / f"{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"id": i, "source": s, "quote": q} for i, s, q in items]
    path.write_text(json.dumps(rows), encoding="utf-8")


def load_annotations(path: Path, data: bytes) -> list[Annotation]:
    return [note(r["id"], r["quote"], source=r["source"]) for r in json.loads(data)]


VaultFiles = tuple[
    AnnotationFolders,
    Callable[[Path, bytes], list[Annotation]],
    dict[str, Path],
    Callable[[str], Source],
]


def files_of(vault: Path) -> VaultFiles:
    annotation_files = AnnotationFolders(str(vault / "annotations"), ".json", "annotations")
    source_files = {
        p.relative_to(vault).as_posix(): p for p in sorted((vault / "sources").glob("*.txt"))
    }

    def load_source(source_id: str) -> Source:
        title, *paragraphs = (vault / source_id).read_text(encoding="utf-8").split("\n\n")
        builder = SourceBuilder(id=source_id, title=title, format="text")
        for paragraph in paragraphs:
            builder.add_segment(paragraph)
        return builder.build()

    return annotation_files, load_annotations, source_files, load_source


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    write_source(tmp_path, "sources/whales.txt", "Whale Songs", "Humpbacks sing.", "Orcas click.")
    write_source(tmp_path, "sources/bees.txt", "Bee Dances", "Bees waggle to point at nectar.")
    write_annotations(tmp_path, "whales", ("w1", "sources/whales.txt", "humpbacks sing in chorus"))
    write_annotations(tmp_path, "bees", ("b1", "sources/bees.txt", "the waggle dance points"))
    return tmp_path


def test_reconcile_indexes_then_skips_what_did_not_change(vault: Path) -> None:
    index = SearchIndex(vault)
    first = index.reconcile(*files_of(vault))
    assert (first.annotation_files_indexed, first.sources_indexed) == (2, 2)
    assert sorted(ids(index.search("humpbacks"))) == ["sources/whales.txt#0", "w1"]
    again = index.reconcile(*files_of(vault))
    assert not again.changed


def test_reconcile_picks_up_added_changed_and_removed_files(vault: Path) -> None:
    index = SearchIndex(vault)
    index.reconcile(*files_of(vault))
    write_annotations(vault, "whales", ("w2", "sources/whales.txt", "orcas hunt in pods"))
    write_annotations(vault, "ants", ("t1", "sources/bees.txt", "ants farm aphids"))
    (vault / "annotations" / "notes" / "bees.json").unlink()
    write_source(vault, "sources/whales.txt", "Whale Songs", "Blue whales are loud.")
    (vault / "sources" / "bees.txt").unlink()
    report = index.reconcile(*files_of(vault))
    assert (report.annotation_files_indexed, report.annotation_files_removed) == (2, 1)
    assert (report.sources_indexed, report.sources_removed) == (1, 1)
    assert ids(index.search("humpbacks")) == []
    assert ids(index.search("orcas")) == ["w2"]
    assert ids(index.search("aphids")) == ["t1"]
    assert ids(index.search("waggle")) == []
    assert ids(index.search("loud")) == ["sources/whales.txt#0"]


def test_a_touched_but_unchanged_file_is_not_read_again(vault: Path) -> None:
    index = SearchIndex(vault)
    index.reconcile(*files_of(vault))
    later = time.time() + 10
    os.utime(vault / "annotations" / "notes" / "whales.json", (later, later))
    annotation_files, _, source_files, load_source = files_of(vault)
    read: list[Path] = []

    def counting_load(path: Path, data: bytes) -> list[Annotation]:
        read.append(path)
        return load_annotations(path, data)

    assert not index.reconcile(annotation_files, counting_load, source_files, load_source).changed
    assert read == []


def test_a_retitled_source_relabels_its_annotations(vault: Path) -> None:
    index = SearchIndex(vault)
    index.reconcile(*files_of(vault))
    assert ids(index.search("source:whale type:annotation")) == ["w1"]
    write_source(vault, "sources/whales.txt", "Cetacean Choirs", "Humpbacks sing.", "Orcas click.")
    index.reconcile(*files_of(vault))
    assert ids(index.search("source:cetacean type:annotation")) == ["w1"]


QUERIES = ["humpbacks", "waggle OR orcas", "source:bees", "nectar", '"waggle dance"']


def test_deleting_the_index_and_rebuilding_gives_the_same_results(vault: Path) -> None:
    index = SearchIndex(vault)
    index.reconcile(*files_of(vault))
    write_annotations(vault, "whales", ("w1", "sources/whales.txt", "orcas answer humpbacks"))
    index.reconcile(*files_of(vault))
    before = {q: sorted((h.id, h.snippet) for h in index.search(q)) for q in QUERIES}
    # Whoosh counts deleted documents in its statistics until segments merge; merged, the
    # ranking is the same as well.
    index.optimize()
    ranked_before = {q: ids(index.search(q)) for q in QUERIES}
    index.close()
    shutil.rmtree(VaultLayout(vault).index)
    rebuilt = SearchIndex(vault)
    rebuilt.reconcile(*files_of(vault))
    assert {q: sorted((h.id, h.snippet) for h in rebuilt.search(q)) for q in QUERIES} == before
    assert {q: ids(rebuilt.search(q)) for q in QUERIES} == ranked_before
    assert before["humpbacks"] and len(before["waggle OR orcas"]) == 4


def test_rebuild_from_objects_matches_reconcile(vault: Path) -> None:
    index = SearchIndex(vault)
    index.reconcile(*files_of(vault))
    expected = {q: ids(index.search(q)) for q in QUERIES}
    annotation_files, load, source_files, load_source = files_of(vault)
    paths = [Path(annotation_files.path_of(key)) for key in annotation_files.keys()]
    annotations = [a for path in paths for a in load(path, path.read_bytes())]
    sources = [load_source(sid) for sid in source_files]
    seen: list[int] = []
    index.rebuild(annotations, sources, progress=seen.append)
    assert {q: ids(index.search(q)) for q in QUERIES} == expected
    assert seen[-1] == 5


def test_an_unreadable_file_is_reported_and_the_rest_indexed(vault: Path) -> None:
    (vault / "annotations" / "notes" / "bees.json").write_text("[not json", encoding="utf-8")
    report = SearchIndex(vault).reconcile(*files_of(vault))
    assert report.annotation_files_indexed == 1  # the file left out is not counted as indexed
    assert [p.split(":")[0] for p in report.problems] == ["bees.json"]
    assert ids(SearchIndex(vault).search("humpbacks type:annotation")) == ["w1"]
