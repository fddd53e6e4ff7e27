"""How the index is written: readmark's lean writer makes the postings Whoosh's own code makes,
and the index it leaves on disk is a Whoosh index that Whoosh reads and ranks the same."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from functools import partialmethod
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from readmark.annotations import index as index_module
from readmark.annotations.index import INDEX_NAME, SearchHit, SearchIndex
from readmark.annotations.index_parallel import IndexMpWriter
from readmark.annotations.index_schema import (
    STEMMING,
    IndexCodec,
    StemmedText,
    StemmingChain,
    annotation_document,
    build_schema,
    passage_documents,
    stemmed_postings,
)
from readmark.annotations.index_terms import stored_as_is
from readmark.annotations.index_words import ASCII_WORD, INDEXED_WORD, ascii_words
from readmark.annotations.index_writer import IndexSegmentWriter
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
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import TEXT, UnknownFieldError
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import MultifieldParser

WORDS = st.sampled_from(
    "the a of running runs ran Café café naïve NAÏVE x ab whale whales whaling and to be "
    "evaluation evaluations 2026 4:04 don't it's—then co-op Zürich ÅSA e.g. U.S.A. 3.14 "
    "a..b .y x. _under_ cafe\u0301 i.e., so... end.".split()
)
TEXTS = st.lists(WORDS, max_size=40).map(" ".join) | st.text(max_size=80)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_stemmed_postings_are_the_ones_whoosh_makes(text: str) -> None:
    assert isinstance(STEMMING, StemmingChain)
    whoosh_made = TEXT(analyzer=STEMMING).index(text)
    assert sorted(stemmed_postings(STEMMING, text)) == sorted(whoosh_made)


ASCII_TEXTS = st.text(alphabet=st.sampled_from("ab Z_9.,'-\n\t"), max_size=60) | st.lists(
    st.sampled_from("so... end. e.g. 3.14 .y x. a..b U.S.A. don't _x_ Tides,".split()), max_size=12
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXTS)
def test_an_ascii_text_is_split_into_the_words_the_pattern_finds(text: str) -> None:
    split = ascii_words(text)
    found = ASCII_WORD.findall(text)
    assert found == INDEXED_WORD.findall(text)
    if split is None:  # left to the pattern: a dot joins two runs of letters
        assert any("." in word for word in found)
    else:
        assert [word.decode("ascii") for word in split] == found


def quote_note(n: int, quote: str, note: str, kind: Kind, tags: tuple[str, ...]) -> Annotation:
    anchor = Anchor(TextQuoteSelector(quote), TextPositionSelector(0, len(quote)), "f" * 16)
    return Annotation(
        id=f"n{n}",
        source="talks/tides.md" if n % 2 else "talks/orchards.md",
        kind=kind,
        anchor=anchor,
        note=note,
        tags=tags,
        speaker="Ines" if n % 3 else "Tomás",
        created=f"2026-02-{n % 27 + 1:02d}T10:00:00Z",
        start=float(n * 7),
    )


def talk(source_id: str, title: str, turns: list[tuple[float, str, str]]) -> Source:
    builder = SourceBuilder(id=source_id, title=title, format="text")
    for start, speaker, words in turns:
        builder.add_segment(words, start=start, speaker=speaker)
    return builder.build()


SOURCES = [
    talk(
        "talks/tides.md",
        "Tides and Moons",
        [
            (0.0, "Ines", "Spring tides come twice a month, when the moon is new or full."),
            (31.0, "Tomás", "Neap tides are the smaller ones; the harbour barely drains."),
            (64.0, "Ines", "Tides tide over the mudflats, and the waders follow the tides."),
        ],
    ),
    talk(
        "talks/orchards.md",
        "Orchards in Winter",
        [
            (0.0, "Tomás", "Pruning apple trees in winter keeps the orchard open to light."),
            (45.0, "Ines", "Cider apples are picked late, after the first frost softens them."),
        ],
    ),
]
PHRASES = [
    "spring tides follow the moon",
    "the harbour drains at neap tides",
    "pruned apple trees bear more apples",
    "cider needs frost, and frost needs patience",
    "waders follow the tide line",
    "a café by the orchard sells cider",
]
ANNOTATIONS = [
    quote_note(
        n,
        PHRASES[n % len(PHRASES)],
        PHRASES[(n * 5 + 1) % len(PHRASES)] if n % 4 else "",
        (Kind.HIGHLIGHT, Kind.NOTE, Kind.DISSENT)[n % 3],
        (("tides",), ("orchards", "winter"), ())[n % 3],
    )
    for n in range(60)
]
QUERIES = [
    "tides",
    "tide",
    "apples",
    "frost OR moon",
    '"spring tides"',
    "kind:dissent cider",
    "tag:winter",
    "speaker:tomás",
    "source:orchards",
    "harbour",
    "café",
    "created:2026-02-03",
]


def documents() -> list[dict[str, Any]]:
    docs = [doc for source in SOURCES for doc in passage_documents(source)]
    docs += [annotation_document(a) for a in ANNOTATIONS]
    return docs


def stored_of(ix: Any) -> list[tuple[str, ...]]:
    with ix.searcher() as searcher:
        fields = searcher.all_stored_fields()
        return sorted(
            tuple(str(d.get(k)) for k in ("id", "quote", "text", "start")) for d in fields
        )


def ranked(ix: Any, query: str) -> list[tuple[str, float]]:
    parser = MultifieldParser(["quote", "note", "text"], ix.schema)
    with ix.searcher() as searcher:
        hits = searcher.search(parser.parse(query), limit=None)
        return [(hit["id"], round(hit.score, 6)) for hit in hits]


def hits_of(index: SearchIndex) -> dict[str, list[SearchHit]]:
    return {q: index.search(q, limit=200) for q in QUERIES}


def test_search_finds_what_whooshs_own_writer_would_have_it_find(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lean = SearchIndex(tmp_path / "lean")
    lean.rebuild(ANNOTATIONS, SOURCES)
    found = hits_of(lean)
    lean.close()

    def stock_writer(index: SearchIndex, *, bulk: bool, timeout: float | None = None) -> Any:
        return index._ix.writer(codec=W3Codec())  # noqa: SLF001 - the writer being compared

    monkeypatch.setattr(SearchIndex, "_writer", stock_writer)
    monkeypatch.setattr(StemmedText, "index", TEXT.index)
    stock = SearchIndex(tmp_path / "stock")
    stock.rebuild(ANNOTATIONS, SOURCES)
    assert hits_of(stock) == found
    assert found["tides"] and found["kind:dissent cider"] and found['"spring tides"']
    stock.close()


def test_whoosh_reads_the_index_readmark_writes_and_ranks_as_its_own_writer(
    tmp_path: Path,
) -> None:
    index = SearchIndex(tmp_path / "vault")
    index.rebuild(ANNOTATIONS, SOURCES)
    index.close()

    # Whoosh's own opening of the folder, and its own searcher.
    written = whoosh_index.open_dir(str(VaultLayout(tmp_path / "vault").index), INDEX_NAME)
    # The same documents through Whoosh's stock fields, writer and codec.
    schema = build_schema()
    for name in ("quote", "note", "text"):
        schema.remove(name)
        schema.add(name, TEXT(analyzer=STEMMING, stored=True))
    reference = FileStorage(str(tmp_path / "reference")).create()
    stock = reference.create_index(schema, indexname="stock")
    writer = stock.writer()
    for doc in documents():
        writer.add_document(**doc)
    writer.commit()

    with written.searcher() as searcher:
        assert searcher.doc_count() == len(documents())
    assert stored_of(written) == stored_of(stock)
    for query in QUERIES:
        assert ranked(written, query) == ranked(stock, query), query
    assert ranked(stock, "tides") and ranked(stock, "kind:dissent cider")


def test_a_bulk_rebuild_in_worker_processes_finds_what_one_writer_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = SearchIndex(tmp_path / "one")
    one.rebuild(ANNOTATIONS, SOURCES)
    expected = {
        q: sorted((h.id, h.snippet, round(h.score, 6)) for h in hits)
        for q, hits in hits_of(one).items()
    }
    one.close()
    monkeypatch.setattr(index_module, "BULK_THRESHOLD", 10)  # the parallel writer past 10
    monkeypatch.setattr(index_module, "bulk_workers", lambda: 2)  # as on four cores or more
    monkeypatch.setattr(
        IndexMpWriter, "__init__", partialmethod(IndexMpWriter.__init__, batchsize=7)
    )
    bulk = SearchIndex(tmp_path / "bulk")
    bulk.rebuild(ANNOTATIONS, SOURCES)
    found = {
        q: sorted((h.id, h.snippet, round(h.score, 6)) for h in hits)
        for q, hits in hits_of(bulk).items()
    }
    assert found == expected
    folder = VaultLayout(tmp_path / "bulk").index
    segments = whoosh_index.open_dir(str(folder), INDEX_NAME).reader().leaf_readers()
    assert len(segments) == 2  # each worker wrote its own
    bulk.close()


def written_by(
    folder: Path, make_writer: Any, batches: list[list[dict[str, Any]]]
) -> Iterator[dict[str, Any]]:
    """An index of `batches` of documents, each batch one writer's commit; the last one merges
    every segment into one."""
    ix = FileStorage(str(folder)).create().create_index(build_schema(), indexname="x")
    for n, batch in enumerate(batches, start=1):
        writer = make_writer(ix)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(optimize=n == len(batches))
        yield contents(ix)


def contents(ix: Any) -> dict[str, Any]:
    """Everything a search reads: postings with their values, term statistics, stored fields,
    field lengths and sort columns."""
    with ix.reader() as reader:
        postings = list(reader.iter_postings())
        terms = [
            (name, text, reader.doc_frequency(name, text), reader.frequency(name, text),
             reader.term_info(name, text).max_weight())
            for name, text in reader.all_terms()
        ]  # fmt: skip
        docs = range(reader.doc_count_all())
        fields = ("quote", "note", "text", "speaker", "source", "tag")
        lengths = [[reader.doc_field_length(d, f) for f in fields] for d in docs]
        totals = [reader.field_length(f) for f in fields]
        columns = {name: list(reader.column_reader(name)) for name in ("when", "place", "sure")}
        return {
            "postings": postings,
            "terms": terms,
            "stored": list(reader.all_stored_fields()),
            "lengths": lengths,
            "totals": totals,
            "columns": columns,
            "segments": len(reader.leaf_readers()),
        }


UNUSUAL = [
    {"id": "u1", "type": "annotation", "source_id": "talks/tides.md", "kind": "note",
     "quote": "Zürich's co-op, 4:04 — don't; it's 2026. ÅSA naïve NAÏVE café e\u0301te\u0301",
     "note": "whale whales whaling whale", "speaker": "Ines Ines", "tag": "Café,café,x",
     "created": "2026-02-01", "when": 5, "place": 9, "sure": 2},
    {"id": "u2", "type": "passage", "source_id": "t\udcffx.md", "source": "tides tides moons",
     "text": "the the the a of", "speaker": "Tomás"},
]  # fmt: skip


def three_commits() -> list[list[dict[str, Any]]]:
    """The documents in three commits, the first with terms of hundreds of postings, which
    span several blocks."""
    many = [
        {"id": f"m{n}", "type": "annotation", "source_id": "talks/tides.md", "kind": "note",
         "quote": f"the tide turns at {n}, tides turn", "when": n + 1, "place": n % 7}
        for n in range(300)
    ]  # fmt: skip
    docs = documents() + UNUSUAL
    return [docs[:40] + many, docs[40:45], docs[45:]]


@pytest.mark.parametrize("compression", [0, 1], ids=["blocks-plain", "blocks-zlib"])
@pytest.mark.parametrize("limitmb", [256, 0.002])
def test_the_lean_writer_writes_what_whooshs_own_writer_writes(
    tmp_path: Path, limitmb: float, compression: int
) -> None:
    # Three commits, the last merging the segments into one. A tiny memory limit makes the lean
    # writer hand its postings to Whoosh's pool, which spills them to disk.
    batches = three_commits()
    codec = IndexCodec(compression=compression)
    lean = written_by(
        tmp_path / "lean",
        lambda ix: IndexSegmentWriter(ix, codec=codec, limitmb=limitmb),
        batches,
    )
    stock = written_by(
        tmp_path / "stock", lambda ix: ix.writer(codec=codec, limitmb=limitmb), batches
    )
    made, expected = list(lean), list(stock)
    assert made == expected
    assert [each["segments"] for each in expected] == [1, 2, 1]
    assert len(expected[-1]["postings"]) > 1000
    assert any(name == "text" and text == b"tide" for name, text, *_ in expected[-1]["postings"])


def test_boosted_documents_are_written_as_whooshs_own_writer_writes_them(tmp_path: Path) -> None:
    # A document's or a field's boost is Whoosh's to apply: such documents take its own path,
    # between documents the lean writer adds itself.
    notes = [doc for doc in documents() if doc["type"] == "annotation"]
    passages = [doc for doc in documents() if doc["type"] == "passage"]
    batches = [
        [
            passages[0],
            notes[0],
            notes[1],
            {**notes[1], "id": "b1", "_quote_boost": 0.5},
            {**notes[0], "id": "b2", "_boost": 3.0},
            passages[1],
            notes[2],
        ]
    ]
    lean = written_by(tmp_path / "lean", lambda ix: IndexSegmentWriter(ix), batches)
    stock = written_by(tmp_path / "stock", lambda ix: ix.writer(), batches)
    made, expected = next(lean), next(stock)
    assert made == expected
    quote = {
        (text, docnum): weight for name, text, docnum, weight, _ in made["postings"]
        if name == "quote"
    }  # fmt: skip
    plain = {text: weight for (text, docnum), weight in quote.items() if docnum == 2}
    halved = {text: weight for (text, docnum), weight in quote.items() if docnum == 3}
    assert plain
    assert halved == {text: weight / 2 for text, weight in plain.items()}


def test_a_document_with_a_field_the_index_lacks_is_refused_before_any_posting(
    tmp_path: Path,
) -> None:
    ix = FileStorage(str(tmp_path)).create_index(build_schema(), indexname="x")
    writer = IndexSegmentWriter(ix)
    writer.add_document(**documents()[0])
    with pytest.raises(UnknownFieldError):
        writer.add_document(id="x1", type="annotation", quote="tides", mood="calm")
    writer.add_document(**documents()[1])
    writer.commit()
    assert ix.doc_count() == 2
    with ix.searcher() as searcher:
        assert "x1" not in {hit["id"] for hit in searcher.documents()}


class EarlierCodec(IndexCodec):
    """The codec of an earlier readmark: posting blocks and stored fields through zlib, with
    zlib's own window."""

    def __init__(self) -> None:
        super().__init__(compression=1)

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        writer = super().per_document_writer(storage, segment)
        writer._colwriters["_stored"]._child._compress = zlib.compress
        return writer


def test_an_index_with_compressed_blocks_reads_as_one_without(tmp_path: Path) -> None:
    # Indexes written before posting blocks were left plain hold zlib blocks; a reindex's
    # workers leave stored fields plain, a writer in the reader compresses them: segments of
    # each kind side by side, and a merge of them all, read as an index written plain.
    batches = three_commits()
    codecs = iter([EarlierCodec(), IndexCodec(plain_stored=True), IndexCodec()])
    mixed = list(
        written_by(
            tmp_path / "mixed",
            lambda ix: IndexSegmentWriter(ix, codec=next(codecs)),
            batches,
        )
    )
    plain = list(
        written_by(
            tmp_path / "plain", lambda ix: IndexSegmentWriter(ix, codec=IndexCodec()), batches
        )
    )
    assert mixed == plain
    assert len(plain[-1]["postings"]) > 1000


@pytest.mark.parametrize("size", [0, 1, 300, 65_535, 65_536, 200_000])
def test_stored_fields_are_a_zlib_stream_any_reader_reads(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    kept = stored_as_is(data)
    assert zlib.decompress(kept) == data
    assert len(kept) < size + 16 + 5 * (size // 65_535)  # kept as is: a few bytes a block


@pytest.mark.parametrize(("cores", "workers"), [(1, 1), (2, 1), (3, 2), (16, 2)])
def test_a_bulk_write_uses_no_more_processes_than_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int, workers: int
) -> None:
    # The reading process is one of them; it parses files while the workers index.
    monkeypatch.setattr(index_module.os, "cpu_count", lambda: cores)
    assert index_module.bulk_workers() == workers
