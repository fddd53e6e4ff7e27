"""The index's writer: Whoosh's segment writer, with less Python per document.

A reindex of a vault is 100,000 annotations and their sources' passages: most of its time was
Whoosh handling each field of each document in general-purpose code. Two things here make the
same postings with less of it:

- a field value that repeats (a kind, a type, a speaker, a source's id and words, a tag, a
  day) has its postings made once per writer, not once per document;
- postings go into Whoosh's sorting pool in one step per document, not through a method that
  checks and sizes each one.

Documents with boosts (`_boost` keys) or a schema with features these shortcuts do not cover
(spelling, vectors, sortable columns) go through Whoosh's own code.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import UnknownFieldError
from whoosh.writing import SegmentWriter

REPEATING = frozenset({"type", "kind", "source_id", "source", "speaker", "tag", "created"})
"""Fields whose values recur from document to document."""
MEMO_LIMIT = 100_000
"""Field values whose postings a writer remembers; past it, it starts again."""
_POSTING_OVERHEAD = 150
"""What Whoosh's pool counts for a posting besides the length of its field name, term and value
(`PostingPool.add`), so the pool spills to disk at the same size."""


class IndexSegmentWriter(SegmentWriter):
    """`SegmentWriter` with the shortcuts above; same segments, same postings."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._memo: dict[tuple[str, str], list[tuple[str, bytes, int, float, bytes]]] = {}
        self._plain = all(
            not (field.separate_spelling() or field.vector or field.column_type)
            for _, field in self.schema.items()
        )

    def add_document(self, **fields: Any) -> None:
        if not self._plain or any(name.startswith("_") for name in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema, docnum, pool, memo = self.schema, self.docnum, self.pool, self._memo
        names = sorted(fields)
        for name in names:
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        postings: list[tuple[str, bytes, int, float, bytes]] = []
        size = 0
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    if name in REPEATING and isinstance(value, str):
                        made = memo.get((name, value))
                        if made is None:
                            if len(memo) >= MEMO_LIMIT:
                                memo.clear()
                            made = memo[name, value] = [
                                (name, term, freq, weight, data)
                                for term, freq, weight, data in field.index(value)
                            ]
                    else:
                        made = [
                            (name, term, freq, weight, data)
                            for term, freq, weight, data in field.index(value)
                        ]
                    scorable = field.scorable
                    for _, term, freq, weight, data in made:
                        if scorable:
                            length += freq
                        postings.append((name, term, docnum, weight, data))
                        size += len(term) * 2 + len(data or b"")
                    size += (_POSTING_OVERHEAD + len(name)) * len(made)
                    pool.fieldnames.add(name)
                perdoc.add_field(name, field, value if field.stored else None, length)
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        pool.current.extend(postings)
        pool.currentsize += size
        if pool.currentsize > pool.limit:
            pool.save()
        self._added = True
        self.docnum += 1
