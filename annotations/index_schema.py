"""What the search index holds: its fields, how documents are built, and how queries are parsed."""

from __future__ import annotations

import pickle
import re
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat
from typing import Any, cast

from readmark.annotations.index_terms import compress, stored_as_is
from readmark.annotations.index_words import kept_terms, positions_of, stem_word
from readmark.annotations.model import Annotation, Confidence, id_time
from readmark.library.model import Source
from whoosh.analysis import (
    Analyzer,
    CommaSeparatedTokenizer,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import CharsetFilter, LowercaseFilter
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3FieldWriter,
    W3PerDocWriter,
    W3PostingsWriter,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import ListMatcher
from whoosh.qparser import GtLtPlugin, MultifieldParser, QueryParser
from whoosh.query import Prefix, Query, Term, TermRange
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.writing import IndexingError

SCHEMA_VERSION = 10
"""Bumped whenever the fields or their analyzers change; an index of another version is rebuilt
from the vault's files (4: accents folded, tags and names compared without case or
accents; 5: the stemming chain as one class; 6: ids keep a file name's undecodable bytes; 7: a
passage's time is the time the file gives for its first words; 8: an annotation's details,
review status and sort keys, for the notebook; 9: passages carry their source's tags, and tags,
speaker and confidence are stored for hits; 10: the notebook's sort keys are columns only,
not searchable terms)."""

ANNOTATION = "annotation"
PASSAGE = "passage"
TEXT_FIELDS = ("quote", "note", "text")
"""Where plain words are looked for."""
ANNOTATION_TEXT_FIELDS = ("quote", "note")
"""Where the notebook looks for plain words (annotations only)."""
FIELD_BOOSTS = {"quote": 2.0, "note": 2.0}
"""Plain words found in what the reader marked or wrote count double: their own annotation on
the words comes before the bare passage that says the same."""

FIELD_ALIASES = {"tags": "tag", "date": "created", "type": "type"}
"""Spellings users reach for, mapped to the field that exists."""

_ID_WORDS = re.compile(r"[\W_]+")


# The map is keyed by code point (its annotation says by character).
_FOLDS: dict[int, str | None] = {
    **cast("dict[int, str]", accent_map),
    **dict.fromkeys(range(0x300, 0x370)),
}
"""Whoosh's accent map, and combining accents (a decomposed `é`) dropped."""
_WORD = r"[\w\u0300-\u036f]+(?:\.?[\w\u0300-\u036f]+)*"
"""Whoosh's default word pattern, keeping a word's combining accents inside it."""


class FoldAccents(CharsetFilter):
    """`café` -> `cafe`, `naïve` -> `naive`; plain ASCII words (nearly all) pass untouched."""

    def __init__(self) -> None:
        super().__init__(_FOLDS)

    def __reduce__(self) -> tuple[type[FoldAccents], tuple[()]]:
        return (FoldAccents, ())  # the index stores its schema: not the whole map, every commit

    # A filter takes tokens where Whoosh's base of all parts names the argument `value`.
    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        charmap = self.charmap
        for token in tokens:
            if not token.text.isascii():
                token.text = token.text.translate(charmap)
            yield token


_INDEXING_OPTIONS = frozenset({"boosts", "start_char"})
"""What Whoosh passes besides positions when it indexes a field (neither changes the terms)."""


class StemmingChain(CompositeAnalyzer):
    """Whoosh's `StemmingAnalyzer` (accents folded, functools' stem cache), with the chain run
    as one loop when a field is indexed.

    Indexing is most of a reindex's time and a chain of five generators costs twice the loop;
    the terms and positions are the same (a property test compares the two). Queries and
    snippets, which ask for offsets or stop words, go through the chain itself.
    """

    def __init__(self) -> None:
        self._words = RegexTokenizer(_WORD)
        self._fold = FoldAccents()
        self._stops = StopFilter()
        super().__init__(
            self._words,
            LowercaseFilter(),
            self._fold,
            self._stops,
            StemFilter(stemfn=stem_word, cachesize=None),
        )

    def __call__(
        self,
        value: str,
        no_morph: bool = False,
        *,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        plain = mode == "index" and not (chars or keeporiginal or no_morph) and removestops
        if not plain or not _INDEXING_OPTIONS.issuperset(kwargs):
            return super().__call__(
                value,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                mode=mode,
                no_morph=no_morph,
                **kwargs,
            )
        return self._indexed(value, positions, start_pos)

    def _indexed(self, value: str, positions: bool, start_pos: int) -> Iterator[Token]:
        stop = self._stops
        charmap, stops, minsize, maxsize = self._fold.charmap, stop.stops, stop.min, stop.max
        token = Token(positions, False, removestops=True, mode="index")
        token.boost = 1.0
        token.stopped = False
        kept: int | None = None
        for at, match in enumerate(self._words.expression.finditer(value)):
            text = match.group(0).lower()
            if not text.isascii():
                text = text.translate(charmap)
            if len(text) < minsize or (maxsize is not None and len(text) > maxsize):
                continue
            if text in stops:
                continue
            if positions:
                kept = start_pos + at if kept is None else kept + 1
                token.pos = kept
            token.text = stem_word(text)
            yield token

    def __reduce__(self) -> tuple[type[StemmingChain], tuple[()]]:
        return (StemmingChain, ())  # the index stores its schema: rebuilt from code, not pickled


# One stemming analyzer shared by the schema, the parser and snippets, so all three agree on terms.
STEMMING: Analyzer = StemmingChain()


class StemmedText(TEXT):
    """A text field of the stemming analyzer whose postings are made in one loop.

    Whoosh indexes a field through four generators (analyzer, token filter, format, field),
    about half of a reindex's time in Python. This builds the same postings (term bytes,
    frequency, weight, positions encoded as Whoosh's `Positions` format encodes them) from the
    analyzer's own pieces; a property test compares the two.
    """

    def __init__(self, *, stored: bool = False) -> None:
        super().__init__(analyzer=STEMMING, stored=stored)

    def index(  # type: ignore[override]
        self, value: str | list[str] | tuple[str, ...], **kwargs: Any
    ) -> Iterable[tuple[bytes, int, float, bytes]]:
        chain = self.analyzer
        if kwargs or not isinstance(value, str) or not isinstance(chain, StemmingChain):
            return super().index(value, **kwargs)
        boost = self.format.field_boost if self.format is not None else 1.0
        return stemmed_postings(chain, value, boost)


def stemmed_postings(
    chain: StemmingChain, value: str, boost: float = 1.0
) -> list[tuple[bytes, int, float, bytes]]:
    """(term, frequency, weight, encoded positions) of each distinct stemmed word of `value`."""
    return [
        (term, len(places), float(len(places)) * boost, encoded_positions(places))
        for term, places in stemmed_positions(chain, value).items()
    ]


def stemmed_positions(chain: StemmingChain, value: str) -> dict[bytes, list[int]]:
    """Each distinct stemmed word of `value` (as the index's term bytes), with the positions
    the chain gives it, in order."""
    return positions_of(*kept_terms(chain, value))


def encoded_positions(places: list[int]) -> bytes:
    """Positions as Whoosh's `Positions` format writes them: a count, then pickled deltas."""
    if len(places) == 1:
        return one_position(places[0])
    deltas = [places[0], *(b - a for a, b in zip(places, places[1:], strict=False))]
    return pack_uint(len(deltas)) + pickle.dumps(deltas, 2)


@lru_cache(maxsize=4096)
def one_position(position: int) -> bytes:
    """`encoded_positions` of one position, remembered: most words occur once in a text."""
    return pack_uint(1) + pickle.dumps([position], 2)


NAMES: Analyzer = RegexTokenizer(_WORD) | LowercaseFilter() | FoldAccents()
"""Names and titles: lowercased words without accents, no stemming, no stop words."""
TAGS: Analyzer = CommaSeparatedTokenizer() | LowercaseFilter() | FoldAccents()
"""Comma-separated tags, each one term, compared without case or accents."""


class IndexCodec(W3Codec):
    """Whoosh's codec without per-block field-length bounds, with a term's few postings kept
    in the term's own entry, and zlib's small window for small pieces.

    Whoosh reads every posting's field length back from disk to record the shortest and longest
    in each block (a fifth of the bulk indexing time). Without them a block's best possible score
    is estimated from length 0: an upper bound still, so ranking is unchanged; only fewer blocks
    are skipped at search time.

    Most words of a vault occur in one document or a few. Whoosh can keep such a term's postings
    in its entry in the term table instead of a block of its own (a header, a pickle, a write
    each), but whoosh-reloaded's writer calls a method by a wrong name on that path, so it is
    never taken; `_Postings` calls the right one. A term of up to 15 postings is kept there: no
    block to pickle, compress and write (the index is a tenth larger; a reindex spends a tenth
    less writing terms).

    Blocks of postings are not compressed. zlib took about 30 us a block whatever its level or
    window, a tenth of a reindex's indexing (`bench_index.py --reindex-levers`), to make the
    index about a quarter smaller (137 MB against 101 MB for 130,000 documents). A block records
    its level, so the blocks of an index written before, at zlib level 1, read the same.

    A document's stored fields are compressed with a 4 KB window (`index_terms.compress`), or,
    with `plain_stored` (a reindex's worker processes), kept as is in a zlib stream of plain
    blocks (`index_terms.stored_as_is`), which any zlib reader reads: setting zlib up for each
    document was a sixth of a reindex's indexing. A writer in the reader's own process keeps
    compressing them: a third more bytes through Whoosh's 32 KB column buffers kept the keys
    pressed meanwhile waiting longer. Segments of both kinds read alike.
    """

    length_stats = False

    def __init__(
        self,
        blocklimit: int = 128,
        compression: int = 0,
        inlinelimit: int = 16,
        *,
        plain_stored: bool = False,
    ) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        self.plain_stored = plain_stored

    def per_document_writer(self, storage: Any, segment: Any) -> W3PerDocWriter:
        writer = WholeDocuments(self, storage, segment)
        # The stored fields' column: pickled (the outer writer), then compressed (its child).
        stored = writer._colwriters["_stored"]._child  # noqa: SLF001
        stored._compress = stored_as_is if self.plain_stored else compress
        return writer

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        return _Fields(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _Postings(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self,
        dbfile: Any,
        terminfo: Any,
        format_: Any,
        term: Any = None,
        scorer: Any = None,
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return _InlinedPostings(
                ids, weights, values or None, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)


class WholeDocuments(W3PerDocWriter):
    """Whoosh's per-document writer, taking a document's stored fields, field lengths and
    column values in one call (`IndexSegmentWriter`), where Whoosh makes one per field."""

    def add_whole(
        self,
        docnum: int,
        stored: dict[str, Any],
        lengths: list[tuple[str, int]],
        columns: list[tuple[str, Any, Any]],
    ) -> None:
        """What `start_doc`, `add_field` and `add_column_value` for each field, and
        `finish_doc` write for one document."""
        if self._indoc or docnum != self._doccount:
            raise IndexingError(f"Document {docnum} out of turn (expected {self._doccount})")
        self._docnum = docnum
        self._doccount += 1
        writers, totals = self._colwriters, self._fieldlengths
        for name, length in lengths:
            column = f"_{name}_len"  # Whoosh's name for a field's length column
            writer = writers.get(column)
            if writer is None:
                self._create_column(column, LENGTHS_COLUMN)
                writer = writers[column]
            writer.add(docnum, length_to_byte(length))
            totals[name] += length
        for name, kind, value in columns:
            writer = writers.get(name)
            if writer is None:
                self._create_column(name, kind)
                writer = writers[name]
            writer.add(docnum, value)
        if stored:
            writers["_stored"].add(docnum, stored)


class _Fields(W3FieldWriter):
    """Whoosh's field writer, walking a new segment's sorted postings with fewer calls per
    posting: this codec keeps no field lengths, so there are none to look up."""

    def add_postings(self, schema: Any, lengths: Any, items: Iterable[Any]) -> None:
        if lengths is not None:  # a merge, which passes the segments' lengths
            super().add_postings(schema, lengths, items)
            return
        field_name: str | None = None
        term: bytes | None = None
        add: Any = None
        for name, text, docnum, weight, value in items:
            if name != field_name:
                if term is not None:
                    self.finish_term()
                if field_name is not None:
                    self.finish_field()
                self.start_field(name, schema[name])
                field_name, term = name, None
                add = self._postwriter.add_posting
            if docnum == -1:
                continue  # a spelling word, which this schema has none of
            if text != term:
                if term is not None:
                    self.finish_term()
                self.start_term(text)
                term = text
            add(docnum, weight, value or b"")
        if term is not None:
            self.finish_term()
        if field_name is not None:
            self.finish_field()


class _InlinedPostings(ListMatcher):
    """The postings kept in a term's entry, read as a block of them reads: a posting without a
    value (an id, a keyword) has None, where Whoosh's list matcher gives a text."""

    def value(self) -> Any:
        return self._values[self._i] if self._values else None

    def all_items(self) -> Iterator[tuple[int, Any]]:
        return zip(self._ids, self._values or repeat(None), strict=False)


class _Postings(W3PostingsWriter):
    """Whoosh's postings writer, with its inlining path working and no type checks per posting
    (the writer builds every posting itself)."""

    def add_posting(
        self, id_: Any, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        ids = self._ids
        if len(ids) >= self._blocklimit:
            self._write_block()
            ids = self._ids
        ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self) -> Any:
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class NameID(ID):
    """An ID field whose values may hold a file name's undecodable bytes (lone surrogates, as
    Python reads a name that is not UTF-8): Whoosh's own encoding refuses them."""

    def index(
        self, value: str, **kwargs: Any
    ) -> Generator[tuple[bytes, int, float, bytes], Any, None]:
        kwargs.setdefault("mode", "index")
        assert self.format is not None  # an ID field always has one
        for word, freq, weight, data in self.format.word_values(value, self.analyzer, **kwargs):
            # The format yields the analyzed text (its annotation says bytes).
            yield cast(str, word).encode("utf-8", NAME_ERRORS), freq, weight, data

    def term_of(self, value: str) -> bytes:
        """The one term `index` makes of a value: the id itself."""
        return value.encode("utf-8", NAME_ERRORS)

    def to_bytes(self, value: str | bytes | list[str] | tuple[str, ...]) -> bytes:
        if isinstance(value, (list, tuple)):
            value = value[0]
        return value if isinstance(value, bytes) else value.encode("utf-8", NAME_ERRORS)

    def from_bytes(self, bs: object) -> str:
        return cast(bytes, bs).decode("utf-8", NAME_ERRORS)


NAME_ERRORS = "surrogatepass"
"""How an id field's terms are written and read: the lone surrogates of a file name that is
not UTF-8 go through as they are."""


class SortKey(NUMERIC):
    """A number kept only as a sort column, one per document (0 when not given): the notebook
    orders by it and nothing searches it, so it has no terms (a numeric field indexes four per
    value, a tenth of a reindex)."""

    def __init__(self, bits: int) -> None:
        super().__init__(sortable=True, bits=bits, signed=False, default=0)
        self.indexed = False


def build_schema() -> Schema:
    return Schema(
        id=NameID(stored=True, unique=True),
        type=ID(stored=True),
        source_id=NameID(stored=True),
        source=TEXT(analyzer=NAMES, phrase=False),
        kind=KEYWORD(lowercase=True, stored=True),
        tag=KEYWORD(analyzer=TAGS, commas=True, stored=True),
        speaker=TEXT(analyzer=NAMES, stored=True),
        confidence=STORED(),
        quote=StemmedText(stored=True),
        note=StemmedText(stored=True),
        text=StemmedText(stored=True),
        # A day as `2026-01-15`: one term, where a DATETIME field writes eight (a quarter of the
        # bulk indexing time); ranges compare the strings, see `date_query`.
        created=ID(),
        start=STORED(),
        # The notebook lists annotations from the index alone: what a row shows, what
        # `status:` filters on and what the list sorts by.
        details=STORED(),
        status=ID(),
        # Unsigned with 0 for passages: the notebook reads the columns as they are stored.
        when=SortKey(bits=64),
        place=SortKey(bits=64),
        sure=SortKey(bits=8),
    )


def passage_id(source_id: str, segment_index: int) -> str:
    return f"{source_id}#{segment_index}"


def segment_index_of(doc_id: str) -> int | None:
    """The segment index in a passage id (`<source>#<index>`), None for an annotation id."""
    _, sep, tail = doc_id.rpartition("#")
    return int(tail) if sep and tail.isdigit() else None


def source_words(source_id: str, title: str) -> str:
    """What `source:` matches: the words of the source's path and of its title."""
    return f"{_ID_WORDS.sub(' ', source_id)} {title}".strip()


def created_day(stamp: str) -> str | None:
    """The UTC day (`2026-01-15`) of an ISO 8601 time, or None when it is missing or unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo else moment).date().isoformat()


_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_AFTER_ALL = "~"
"""Sorts after every digit and `-`: `2026-01~` is past every day of January 2026."""


class DateQueryError(ValueError):
    """A `created:` value that is not a date."""


def date_query(node: Query) -> Query:
    """Make a `created:` term or range over days mean what a user means by a partial date.

    `created:2026-01` is every day of that month; `created:<=2026-01` includes the 31st;
    `created:>2026-01` starts in February. Anything but `YYYY`, `YYYY-MM`, `YYYY-MM-DD` fails.
    """
    if isinstance(node, Term) and node.fieldname == "created":
        day = _checked(node.text)
        return node if len(day) == 10 else Prefix("created", day)
    if isinstance(node, TermRange) and node.fieldname == "created":
        start, end = node.start and _checked(node.start), node.end and _checked(node.end)
        if start and node.startexcl and len(start) < 10:
            start += _AFTER_ALL
        if end and not node.endexcl and len(end) < 10:
            end += _AFTER_ALL
        return TermRange("created", start, end, node.startexcl, node.endexcl)
    return node


def _checked(value: str) -> str:
    if not _DATE.fullmatch(value):
        raise DateQueryError(f"created: wants a date like 2026-01-31 or 2026-01, not {value!r}")
    return value


def annotation_document(annotation: Annotation) -> dict[str, Any]:
    """The index document of an annotation (its source's title is not in it: see `source:`)."""
    doc: dict[str, Any] = {
        "id": annotation.id,
        "type": ANNOTATION,
        "source_id": annotation.source,
        "kind": str(annotation.kind),
        "quote": annotation.quote,
    }
    if annotation.note:
        doc["note"] = annotation.note
    if annotation.tags:
        doc["tag"] = ",".join(annotation.tags)
    if annotation.speaker:
        doc["speaker"] = annotation.speaker
    if annotation.confidence is not None:
        doc["confidence"] = str(annotation.confidence)
    created = created_day(annotation.created)
    if created is not None:
        doc["created"] = created
    if annotation.start is not None:
        doc["start"] = annotation.start
    status = annotation_status(annotation)
    doc["details"] = {
        "speaker": annotation.speaker or "",
        "tags": list(annotation.tags),
        "confidence": str(annotation.confidence) if annotation.confidence else "",
        "created": annotation.created,
        "status": status,
    }
    doc["status"] = status
    doc["when"] = sort_time(annotation)
    doc["place"] = annotation.span[0]
    doc["sure"] = CONFIDENCE_RANK[annotation.confidence] if annotation.confidence else 0
    return doc


ANCHORED, NEEDS_REVIEW, ORPHANED = "anchored", "needs-review", "orphaned"
"""An annotation's `status:` in the index: in place, waiting for the reader, or lost."""
CONFIDENCE_RANK = {Confidence.LOW: 1, Confidence.MEDIUM: 2, Confidence.HIGH: 3}
"""How a dissent's confidence sorts; no confidence (and any other kind) is 0."""


def sort_time(annotation: Annotation) -> int:
    """When the annotation was made, in milliseconds (at least 1: passages have 0): its
    `created` time, to the millisecond its id gives when the two agree (several made in one
    second keep their order), else its id's time."""
    made = id_time(annotation.id)
    try:
        moment = datetime.fromisoformat(annotation.created.replace("Z", "+00:00"))
    except ValueError:
        return max(1, made)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    created = int(moment.timestamp() * 1000)
    return max(1, made if created <= made < created + 1000 else created)


def annotation_status(annotation: Annotation) -> str:
    if annotation.orphaned:
        return ORPHANED
    return NEEDS_REVIEW if annotation.needs_review else ANCHORED


def passage_documents(source: Source) -> Iterator[dict[str, Any]]:
    """One document per segment of the source, each findable by the source's title and, with
    `tag:`, by the source's own tags."""
    words = source_words(source.id, source.title)
    tags = ",".join(t.replace(",", " ") for t in source.tags)
    for segment in source.segments:
        doc: dict[str, Any] = {
            "id": passage_id(source.id, segment.index),
            "type": PASSAGE,
            "source_id": source.id,
            "source": words,
            "text": segment.text,
        }
        if tags:
            doc["tag"] = tags
        if segment.speaker:
            doc["speaker"] = segment.speaker
        # The time a citation of the passage's first words would give: never an estimate.
        given = source.time_given_at(segment.char_start)
        if given is not None:
            doc["start"] = given
        yield doc


def build_parser(schema: Schema, fields: tuple[str, ...] = TEXT_FIELDS) -> QueryParser:
    """Plain words over `fields` (quote, note and text); `field:value`, phrases, ranges and
    `>`/`<` dates."""
    parser = MultifieldParser(list(fields), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(GtLtPlugin())
    return parser
