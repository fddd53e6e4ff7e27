"""The index's writer: Whoosh's segment writer, with less Python per document.

A reindex of a vault is 100,000 annotations and their sources' passages: most of its time was
Whoosh handling each field of each document in general-purpose code, then sorting every
posting as one tuple (spilling them to disk and merging them back past its memory limit).
Three things here write the same segment with less of it:

- a field value that repeats (a kind, a type, a speaker, a source's id and words, a tag, a
  day) has its terms made once per writer, not once per document;
- a stemmed text field goes from its words to its terms' positions in one loop;
- postings are gathered per term as they come (documents arrive in order, so each term's
  list is already sorted) and written term by term at the end: only the terms are sorted.

Documents with boosts (`_boost` keys) or a schema with features these shortcuts do not cover
(spelling, vectors) go through Whoosh's own code; so does a writer that merges other segments
in or grows past its memory limit (its postings then join Whoosh's sorting pool).
"""

from __future__ import annotations

from array import array
from typing import Any

from readmark.annotations.index_schema import (
    StemmedText,
    StemmingChain,
    encoded_positions,
    stemmed_positions,
)
from readmark.annotations.index_terms import write_terms
from whoosh.fields import UnknownFieldError
from whoosh.writing import SegmentWriter

REPEATING = frozenset({"type", "kind", "source_id", "source", "speaker", "tag", "created"})
"""Fields whose values recur from document to document."""
MEMO_LIMIT = 100_000
"""Field values whose terms a writer remembers; past it, it starts again."""
_POSTING_SIZE = 24
"""Bytes a gathered posting takes besides its value (a document number, a weight and a
reference), for the memory limit."""
_TERM_SIZE = 400
"""Bytes a gathered term takes besides its postings (its entry, key and three lists)."""


class _Term:
    """One term's postings so far: document numbers, weights, and values (positions)."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []


_Made = tuple[list[tuple[_Term, float, bytes]], int]
"""A field value's terms (each with its weight and value) and its length (their frequencies)."""


class IndexSegmentWriter(SegmentWriter):
    """`SegmentWriter` with the shortcuts above; same segments, same postings."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._memo: dict[tuple[str, Any], _Made] = {}
        self._terms: dict[str, dict[bytes, _Term]] = {}
        self._size = 0
        self._plain = all(
            not (field.separate_spelling() or field.vector) for _, field in self.schema.items()
        )

    def add_document(self, **fields: Any) -> None:
        if not self._plain or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema, docnum, memo = self.schema, self.docnum, self._memo
        names = sorted(fields)
        for name in names:
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        size = 0
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    terms = self._terms.get(name)
                    if terms is None:
                        terms = self._terms[name] = {}
                        self.pool.fieldnames.add(name)
                    if (
                        isinstance(value, str)
                        and isinstance(field, StemmedText)
                        and isinstance(field.analyzer, StemmingChain)
                    ):
                        boost = field.format.field_boost if field.format is not None else 1.0
                        length, added = _add_stemmed(terms, field.analyzer, value, docnum, boost)
                        size += added
                    else:
                        made = memo.get((name, value)) if name in REPEATING else None
                        if made is None:
                            made = self._made(terms, field, value)
                            if name in REPEATING:
                                if len(memo) >= MEMO_LIMIT:
                                    memo.clear()
                                memo[name, value] = made
                        postings, freqs = made
                        for term, weight, data in postings:
                            term.ids.append(docnum)
                            term.weights.append(weight)
                            if data:
                                term.values.append(data)
                                size += len(data)
                        size += _POSTING_SIZE * len(postings)
                        if field.scorable:
                            length = freqs
                perdoc.add_field(name, field, value if field.stored else None, length)
                column = field.column_type
                if column is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1
        self._size += size
        if self._size > self.pool.limit:
            self._to_pool()

    def _made(self, terms: dict[bytes, _Term], field: Any, value: Any) -> _Made:
        """The terms a value of `field` indexes (one entry per term the field yields), each
        with its weight and value, and the sum of their frequencies."""
        made = []
        freqs = 0
        for text, freq, weight, data in field.index(value):
            term = terms.get(text)
            if term is None:
                term = terms[text] = _Term()
                self._size += _TERM_SIZE + len(text)
            made.append((term, weight, data))
            freqs += freq
        return made, freqs

    def _to_pool(self) -> None:
        """Hand the gathered postings to Whoosh's sorting pool (which spills to disk)."""
        pool = self.pool
        for name, terms in self._terms.items():
            for text, term in terms.items():
                values = term.values or [b""] * len(term.ids)
                for posting in zip(term.ids, term.weights, values, strict=True):
                    pool.current.append((name, text, *posting))
        pool.save()
        self._terms.clear()
        self._memo.clear()
        self._size = 0

    def add_reader(self, reader: Any) -> None:
        self._to_pool()  # a merge's postings go through the pool: keep them all together
        super().add_reader(reader)

    def _flush_segment(self) -> None:
        if self.pool.runs or self.pool.current:
            self._to_pool()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        write_terms(self.fieldwriter, self.schema, self._terms)
        self.fieldwriter.close()
        self._terms.clear()
        self._memo.clear()


def _add_stemmed(
    terms: dict[bytes, _Term], chain: StemmingChain, value: str, docnum: int, boost: float
) -> tuple[int, int]:
    """Add a stemmed text's postings; returns the field's length (its words kept) and the
    bytes they take."""
    length = size = 0
    for text, places in stemmed_positions(chain, value).items():
        term = terms.get(text)
        if term is None:
            term = terms[text] = _Term()
            size += _TERM_SIZE + len(text)
        data = encoded_positions(places)
        term.ids.append(docnum)
        term.weights.append(float(len(places)) * boost)
        term.values.append(data)
        length += len(places)
        size += _POSTING_SIZE + len(data)
    return length, size
