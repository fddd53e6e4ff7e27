"""The index's writer: Whoosh's segment writer, with less Python per document.

A reindex of a vault is 100,000 annotations and their sources' passages: most of its time was
Whoosh handling each field of each document in general-purpose code, then sorting every
posting as one tuple (spilling them to disk and merging them back past its memory limit).
Three things here write the same segment with less of it:

- a field value that repeats (a kind, a type, a speaker, a source's id and words, a tag, a
  day) has its terms made once per writer, not once per document;
- a stemmed text field goes from its words to its terms' positions in one loop, its postings
  kept as arrays of numbers (`index_gathered.StemmedPostings`);
- postings are gathered per term as they come (documents arrive in order, so each term's
  list is already sorted) and written term by term at the end: only the terms are sorted.

Documents with boosts (`_boost` keys) or a schema with features these shortcuts do not cover
(spelling, vectors) go through Whoosh's own code; so does a writer that merges other segments
in or grows past its memory limit (its postings then join Whoosh's sorting pool).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from readmark.annotations.index_gathered import StemmedPostings
from readmark.annotations.index_schema import NameID, StemmedText, StemmingChain, WholeDocuments
from readmark.annotations.index_terms import Postings, write_terms
from whoosh.fields import UnknownFieldError
from whoosh.writing import SegmentWriter

REPEATING = frozenset(
    {"type", "kind", "source_id", "source", "speaker", "tag", "created", "status"}
)
"""Fields whose values recur from document to document."""
MEMO_LIMIT = 100_000
"""Field values whose terms a writer remembers; past it, it starts again."""
_POSTING_SIZE = 24
"""Bytes a gathered posting takes besides its value (a document number, a weight and a
reference), for the memory limit."""
_TERM_SIZE = 400
"""Bytes a gathered term takes besides its postings (its entry, key and three lists)."""


_Term: TypeAlias = "tuple[list[int], list[float], list[bytes]]"
"""One term's postings so far: document numbers, weights, and values."""


def _new_term() -> _Term:
    return [], [], []


_Made = tuple[list[tuple[_Term, float, bytes]], int]
"""A field value's terms (each with its weight and value) and its length (their frequencies)."""


@dataclass(frozen=True, slots=True)
class _FieldPlan:
    """How the writer handles one field of the schema."""

    name: str
    field: Any
    how: str
    """`stemmed`, `name` (an id: one term, the value's bytes), `memo` (a repeating value) or
    `generic` (Whoosh's own field indexing); "" when the field is not indexed."""
    stored: bool
    scorable: bool
    column: Any


def _plan(name: str, field: Any) -> _FieldPlan:
    how = ""
    if field.indexed:
        if isinstance(field, StemmedText) and isinstance(field.analyzer, StemmingChain):
            how = "stemmed"
        elif type(field) is NameID:
            how = "name"
        else:
            how = "memo" if name in REPEATING else "generic"
    return _FieldPlan(name, field, how, field.stored, field.scorable, field.column_type)


class IndexSegmentWriter(SegmentWriter):
    """`SegmentWriter` with the shortcuts above; same segments, same postings."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._memo: dict[tuple[str, Any], _Made] = {}
        self._terms: dict[str, dict[bytes, _Term]] = {}
        self._stemmed: dict[str, StemmedPostings] = {}
        self._size = 0
        self._plans = {name: _plan(name, field) for name, field in self.schema.items()}
        self._shapes: dict[tuple[str, ...], tuple[_FieldPlan, ...]] = {}
        """A document's field names, as given, -> their plans (see `_shape`)."""
        self._plain = isinstance(self.perdocwriter, WholeDocuments) and all(
            not (field.separate_spelling() or field.vector) for _, field in self.schema.items()
        )

    def add_document(self, **fields: Any) -> None:
        names = tuple(fields)
        shape = self._shapes.get(names)
        if shape is None:
            shape = self._shape(names)
        if not shape:
            super().add_document(**fields)
            return
        self._check_state()
        docnum = self.docnum
        stored: dict[str, Any] = {}
        columns: list[tuple[str, Any, Any]] = []
        indexed: list[tuple[_FieldPlan, Any]] = []
        for plan in shape:
            name = plan.name
            value = fields[name]
            if value is None:
                continue
            if plan.stored:
                stored[name] = value
            if plan.column is not None:  # a value out of range fails here, before any posting
                columns.append((name, plan.column, plan.field.to_column_value(value)))
            if plan.how:
                if plan.how == "stemmed" and not isinstance(value, str):
                    super().add_document(**fields)  # words given as a list: Whoosh's own way
                    return
                indexed.append((plan, value))
        lengths: list[tuple[str, int]] = []
        size = 0
        for plan, value in indexed:
            how = plan.how
            if how == "stemmed":
                length, added = self._stemmed_field(plan).add(value, docnum)
                size += added
                if length and plan.scorable:
                    lengths.append((plan.name, length))
                continue
            terms = self._terms.get(plan.name)
            if terms is None:
                terms = self._terms[plan.name] = {}
                self.pool.fieldnames.add(plan.name)
            if how == "name" and isinstance(value, str):
                text = plan.field.term_of(value)
                term = terms.get(text)
                if term is None:
                    term = terms[text] = _new_term()
                    size += _TERM_SIZE + len(text)
                term[0].append(docnum)
                term[1].append(plan.field.format.field_boost)
                size += _POSTING_SIZE
                length = 1
            else:
                length, added = self._add_made(plan, terms, value, docnum)
                size += added
            if length and plan.scorable:
                lengths.append((plan.name, length))
        self.perdocwriter.add_whole(docnum, stored, lengths, columns)
        self._added = True
        self.docnum += 1
        self._size += size
        if self._size > self.pool.limit:
            self._to_pool()

    def _shape(self, names: tuple[str, ...]) -> tuple[_FieldPlan, ...]:
        """The plans of a document's fields, in name order (as Whoosh adds them), remembered
        for the next document with the same names; none for a document Whoosh's own code
        adds (boosts given in `_boost` keys, or a schema these shortcuts do not cover)."""
        if not self._plain or any(name.startswith("_") for name in names):
            return ()
        plans = []
        for name in sorted(names):
            plan = self._plans.get(name)
            if plan is None:
                raise UnknownFieldError(f"No field named {name!r} in {self.schema}")
            plans.append(plan)
        if len(self._shapes) >= MEMO_LIMIT:
            self._shapes.clear()
        shape = self._shapes[names] = tuple(plans)
        return shape

    def _stemmed_field(self, plan: _FieldPlan) -> StemmedPostings:
        gathered = self._stemmed.get(plan.name)
        if gathered is None:
            field = plan.field
            boost = field.format.field_boost if field.format is not None else 1.0
            gathered = self._stemmed[plan.name] = StemmedPostings(field.analyzer, boost)
            self.pool.fieldnames.add(plan.name)
        return gathered

    def _gathered(self) -> dict[str, Mapping[bytes, Postings]]:
        return {**self._terms, **self._stemmed}

    def _forget_gathered(self) -> None:
        self._terms.clear()
        self._stemmed.clear()
        self._memo.clear()
        self._size = 0

    def _add_made(
        self, plan: _FieldPlan, terms: dict[bytes, _Term], value: Any, docnum: int
    ) -> tuple[int, int]:
        """Add the postings Whoosh's indexing of the field makes (remembered for a repeating
        value); returns the field's length (the terms' frequencies) and the bytes they take."""
        memo = self._memo
        key = (plan.name, value)
        remembered = plan.how == "memo" and isinstance(value, str)
        made = memo.get(key) if remembered else None
        if made is None:
            made = self._made(terms, plan.field, value)
            if remembered:
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[key] = made
        postings, freqs = made
        size = _POSTING_SIZE * len(postings)
        for (ids, weights, values), weight, data in postings:
            ids.append(docnum)
            weights.append(weight)
            if data:
                values.append(data)
                size += len(data)
        return freqs, size

    def _made(self, terms: dict[bytes, _Term], field: Any, value: Any) -> _Made:
        """The terms a value of `field` indexes (one entry per term the field yields), each
        with its weight and value, and the sum of their frequencies."""
        made = []
        freqs = 0
        for text, freq, weight, data in field.index(value):
            term = terms.get(text)
            if term is None:
                term = terms[text] = _new_term()
                self._size += _TERM_SIZE + len(text)
            made.append((term, weight, data))
            freqs += freq
        return made, freqs

    def _to_pool(self) -> None:
        """Hand the gathered postings to Whoosh's sorting pool (which spills to disk)."""
        pool = self.pool
        for name, terms in self._gathered().items():
            for text, term in terms.items():
                ids, weights, values = term
                for posting in zip(ids, weights, values or [b""] * len(ids), strict=True):
                    pool.current.append((name, text, *posting))
        pool.save()
        self._forget_gathered()

    def add_reader(self, reader: Any) -> None:
        self._to_pool()  # a merge's postings go through the pool: keep them all together
        super().add_reader(reader)

    def _flush_segment(self) -> None:
        if self.pool.runs or self.pool.current:
            self._to_pool()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        write_terms(self.fieldwriter, self.schema, self._gathered())
        self.fieldwriter.close()
        self._forget_gathered()
