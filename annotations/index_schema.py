"""What the search index holds: its fields, how documents are built, and how queries are parsed."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from readmark.annotations.model import Annotation
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
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter import stem
from whoosh.qparser import GtLtPlugin, MultifieldParser, QueryParser
from whoosh.query import Prefix, Query, Term, TermRange
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 8
"""Bumped whenever the fields or their analyzers change; an index of another version is rebuilt
from the vault's files (4: accents folded, tags and names compared without case or
accents; 5: the stemming chain as one class; 6: ids keep a file name's undecodable bytes; 7: a
passage's time is the time the file gives for its first words; 8: passages carry their source's
tags, and tags, speaker and confidence are stored for hits)."""

ANNOTATION = "annotation"
PASSAGE = "passage"
TEXT_FIELDS = ("quote", "note", "text")
"""Where plain words are looked for."""
FIELD_BOOSTS = {"quote": 2.0, "note": 2.0}
"""Plain words found in what the reader marked or wrote count double: their own annotation on
the words comes before the bare passage that says the same."""

FIELD_ALIASES = {"tags": "tag", "date": "created", "type": "type"}
"""Spellings users reach for, mapped to the field that exists."""

_ID_WORDS = re.compile(r"[\W_]+")


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """The Porter stem of a lowercased word, remembered: a vault repeats its words endlessly."""
    return str(stem(word))


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
NAMES: Analyzer = RegexTokenizer(_WORD) | LowercaseFilter() | FoldAccents()
"""Names and titles: lowercased words without accents, no stemming, no stop words."""
TAGS: Analyzer = CommaSeparatedTokenizer() | LowercaseFilter() | FoldAccents()
"""Comma-separated tags, each one term, compared without case or accents."""


class IndexCodec(W3Codec):
    """Whoosh's codec without per-block field-length bounds.

    Whoosh reads every posting's field length back from disk to record the shortest and longest
    in each block (a fifth of the bulk indexing time). Without them a block's best possible score
    is estimated from length 0: an upper bound still, so ranking is unchanged; only fewer blocks
    are skipped at search time.
    """

    length_stats = False


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

    def to_bytes(self, value: str | bytes | list[str] | tuple[str, ...]) -> bytes:
        if isinstance(value, (list, tuple)):
            value = value[0]
        return value if isinstance(value, bytes) else value.encode("utf-8", NAME_ERRORS)

    def from_bytes(self, bs: object) -> str:
        return cast(bytes, bs).decode("utf-8", NAME_ERRORS)


NAME_ERRORS = "surrogatepass"
"""How an id field's terms are written and read: the lone surrogates of a file name that is
not UTF-8 go through as they are."""


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
        quote=TEXT(analyzer=STEMMING, stored=True),
        note=TEXT(analyzer=STEMMING, stored=True),
        text=TEXT(analyzer=STEMMING, stored=True),
        # A day as `2026-01-15`: one term, where a DATETIME field writes eight (a quarter of the
        # bulk indexing time); ranges compare the strings, see `date_query`.
        created=ID(),
        start=STORED(),
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
    return doc


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


def build_parser(schema: Schema) -> QueryParser:
    """Plain words over quote, note and text; `field:value`, phrases, ranges and `>`/`<` dates."""
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(GtLtPlugin())
    return parser
