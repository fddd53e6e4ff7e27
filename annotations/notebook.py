"""The notebook: every annotation of the vault as one list, filtered and sorted from the search
index alone (never a walk of the annotation files), so it stays quick with 100,000 of them.

A listing holds the matching documents' numbers in order and reads a row's stored details only
when it is asked for (the rows on screen), through the searcher of the index generation it was
made from: a commit made meanwhile does not move the rows under it. The orders themselves are
worked out once per generation (`ListingCache`). What the index lags behind the files is the
index's to say (`Workspace.search_behind`).
"""

from __future__ import annotations

import re
import sys
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from typing import Any

from readmark.annotations.index_schema import NEEDS_REVIEW, ORPHANED
from readmark.annotations.model import Confidence, Kind
from whoosh.query import And, Every, Or, Prefix, Query, Term
from whoosh.searching import Searcher

PREFIX_TERMS = 32
"""Completions of the word being typed that a keystroke looks for (the rest once it is typed)."""
ROW_CACHE = 2_000
"""Rows a listing keeps read: a few screens' worth, scrolled back and forth."""


class NotebookSort(StrEnum):
    DATE = "date"
    """Newest first."""
    SOURCE = "source"
    """Source by source, each in the order of its text."""
    CONFIDENCE = "confidence"
    """Surest dissent first; then newest first."""


SORT_WORDS = {
    NotebookSort.DATE: "newest first",
    NotebookSort.SOURCE: "by source, in text order",
    NotebookSort.CONFIDENCE: "surest dissent first",
}


class Status(StrEnum):
    NEEDS_REVIEW = NEEDS_REVIEW
    ORPHANED = ORPHANED


@dataclass(frozen=True, slots=True)
class NotebookFilter:
    """What the notebook shows: typed words (the search language: `tag:`, `source:`,
    `speaker:`, `status:` work), a kind, a review status, and an order."""

    text: str = ""
    kind: Kind | None = None
    status: Status | None = None
    sort: NotebookSort = NotebookSort.DATE


@dataclass(frozen=True, slots=True)
class NotebookRow:
    """One annotation as the index holds it (as stored in its file, not re-anchored)."""

    id: str
    source: str
    kind: Kind
    quote: str
    note: str
    start: float | None
    speaker: str
    tags: tuple[str, ...]
    confidence: Confidence | None
    created: str
    status: str

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED

    @property
    def needs_review(self) -> bool:
        return self.status == NEEDS_REVIEW


_LAST_WORD = re.compile(r"(?:^|\s)([\w\u0300-\u036f]{3,})$")
SHORTEST_STEM = 4
"""The shortest start of a word being typed that is also looked for as a whole word."""


def as_you_type(text: str) -> str:
    """Typed words as a query that also finds the word being typed: `scal` finds `scaling`.

    The index holds stems (`cleaning` as `clean`), so the word being typed matches a stem that
    begins with it (`clea*`) or one it begins with (`cleani` -> `clean`). A last word of one or
    two letters, followed by a space, in a phrase or after a field is taken as it is."""
    if text.count('"') % 2 or text.endswith(" "):
        return text.strip()
    match = _LAST_WORD.search(text)
    if match is None:
        return text.strip()
    word = match.group(1)
    starts = [word[:end] for end in range(SHORTEST_STEM, len(word))]
    either = " OR ".join([f"{word}*", *starts])
    return f"{text[: match.start(1)]}({either})"


class Listing:
    """The rows of one query, in order; a row's details are read when first asked for."""

    def __init__(self, cache: ListingCache | None, docnums: list[int]) -> None:
        self._cache = cache
        self._docnums = docnums
        self._rows: OrderedDict[int, NotebookRow] = OrderedDict()

    @classmethod
    def empty(cls) -> Listing:
        return cls(None, [])

    def __len__(self) -> int:
        return len(self._docnums)

    def row(self, position: int) -> NotebookRow | None:
        """The row at `position`, None past the end or when it cannot be read any more."""
        cache = self._cache
        if not 0 <= position < len(self._docnums) or cache is None:
            return None
        with cache.lock:
            cached = self._rows.get(position)
            if cached is not None:
                self._rows.move_to_end(position)
                return cached
            try:
                stored = cache.searcher.reader().stored_fields(self._docnums[position])
            except Exception:  # noqa: BLE001 - a closed or damaged index reads as no row
                return None
            row = _row(stored)
            self._rows[position] = row
            while len(self._rows) > ROW_CACHE:
                self._rows.popitem(last=False)
            return row

    def rows(self, start: int, count: int) -> list[NotebookRow]:
        """The rows from `start` on, up to `count` of them."""
        found = (self.row(position) for position in range(start, start + count))
        return [row for row in found if row is not None]

    def position_of(self, annotation_id: str, near: int = 0, within: int = 200) -> int | None:
        """Where `annotation_id` is listed, looked for around `near` (rows read on the way)."""
        for distance in range(within):
            for position in (near - distance, near + distance):
                row = self.row(position)
                if row is not None and row.id == annotation_id:
                    return position
        return None

    def close(self) -> None:
        """Let go of the rows read (the searcher is the generation's, shared by listings)."""
        self._rows.clear()


class ListingCache:
    """What the notebook needs of one generation of the index: its searcher, and every
    annotation's number in each order, worked out once (from arrays read off the sort columns)
    and shared by every query until the index changes."""

    def __init__(self, searcher: Searcher, generation: int) -> None:
        self.searcher = searcher
        self.generation = generation
        self.lock = threading.RLock()
        """One reader of the searcher at a time: a worker queries while the UI draws rows."""
        self._when = numeric_column(searcher.reader(), "when")
        self._orders: dict[NotebookSort, list[int]] = {}
        self._ranks: dict[NotebookSort, list[int]] = {}
        self._terms: dict[tuple[str, str], frozenset[int]] = {}

    def order(self, sort: NotebookSort) -> list[int]:
        """Every annotation's number, in `sort`'s order (passages have no `when`)."""
        with self.lock:
            found = self._orders.get(sort)
            if found is None:
                found = self._orders[sort] = self._order(sort)
            return found

    def _order(self, sort: NotebookSort) -> list[int]:
        when = self._when
        if sort is NotebookSort.DATE:
            newest = sorted(range(len(when)), key=when.__getitem__, reverse=True)
            return [docnum for docnum in newest if when[docnum]]
        reader = self.searcher.reader()
        if sort is NotebookSort.CONFIDENCE:
            sure = numeric_column(reader, "sure")
            # A stable sort: equal confidence keeps the newest first.
            return sorted(self.order(NotebookSort.DATE), key=sure.__getitem__, reverse=True)
        place = numeric_column(reader, "place")
        found: list[int] = []
        for term in reader.lexicon("source_id"):  # source ids in order
            docs = [d for d in reader.postings("source_id", term).all_ids() if when[d]]
            found += sorted(docs, key=place.__getitem__)
        return found

    def rank(self, sort: NotebookSort) -> list[int]:
        """Each document's position in `sort`'s order."""
        found = self._ranks.get(sort)
        if found is None:
            found = [0] * len(self._when)
            for position, docnum in enumerate(self.order(sort)):
                found[docnum] = position
            self._ranks[sort] = found
        return found

    def values(self, field: str) -> list[str]:
        """Every value the index holds in `field` (`tag`: each tag, lowercased)."""
        with self.lock:
            return [_text(word) for word in self.searcher.reader().lexicon(field)]

    def term_docs(self, field: str, value: str) -> frozenset[int]:
        """The documents holding the term (read once per generation)."""
        key = (field, value)
        found = self._terms.get(key)
        if found is None:
            reader = self.searcher.reader()
            has = reader.doc_frequency(field, value) > 0
            found = frozenset(reader.postings(field, value).all_ids()) if has else frozenset()
            self._terms[key] = found
        return found

    def docs(self, node: Query) -> frozenset[int]:
        """The documents `node` matches (deleted ones included: the orders leave them out).

        Words and their ANDs and ORs are worked out as sets of postings, which is many times
        quicker than Whoosh's matchers for a whole list; a word being typed (`bai*`) stands for
        its first `PREFIX_TERMS` completions, since a short start of a word can stand for
        hundreds. Phrases, ranges and NOTs go to Whoosh."""
        reader = self.searcher.reader()
        if isinstance(node, Term):
            key = (node.fieldname, _text(node.text))
            found = self._terms.get(key)
            if found is None:
                found = self._terms[key] = self.term_docs(*key)
            return found
        if isinstance(node, Prefix):
            words = islice(reader.expand_prefix(node.fieldname, node.text), PREFIX_TERMS)
            return frozenset().union(*(self.term_docs(node.fieldname, _text(w)) for w in words))
        if isinstance(node, And) and node.subqueries:
            parts = sorted((self.docs(child) for child in node.subqueries), key=len)
            return parts[0].intersection(*parts[1:])
        if isinstance(node, Or):
            return frozenset().union(*(self.docs(child) for child in node.subqueries))
        return frozenset(self.searcher.docs_for_query(node))

    def listing(self, parsed: Query | None, wanted: NotebookFilter) -> Listing:
        """The annotations matching the typed query (None: all), of the kind and status
        asked, in the order asked."""
        with self.lock:
            order = self.order(wanted.sort)
            sets: list[frozenset[int] | set[int]] = []
            if wanted.kind is not None:
                sets.append(self.term_docs("kind", str(wanted.kind)))
            if wanted.status is not None:
                sets.append(self.term_docs("status", str(wanted.status)))
            if parsed is not None and not isinstance(parsed, Every):
                sets.append(self.docs(parsed))
            if not sets:
                return Listing(self, order)
            matched = sets[0] if len(sets) == 1 else frozenset.intersection(*map(frozenset, sets))
            if len(matched) * 8 < len(order):
                # Few matches: sort them, rather than walk the whole order.
                rank, when = self.rank(wanted.sort), self._when
                return Listing(self, sorted((d for d in matched if when[d]), key=rank.__getitem__))
            return Listing(self, [d for d in order if d in matched])


def _text(word: str | bytes) -> str:
    return word.decode("utf-8") if isinstance(word, bytes) else word


def numeric_column(reader: Any, field: str) -> list[int]:
    """A numeric sort column's stored values, one per document (0 where none was given, and
    for deleted documents).

    Read as one array per segment where the column is a plain run of numbers (a hundred times
    quicker than Whoosh's value-by-value reading), else value by value."""
    values: list[int] = []
    for leaf, offset in reader.leaf_readers():
        values.extend([0] * (offset - len(values)))
        count = leaf.doc_count_all()
        if not leaf.has_column(field):
            values.extend([0] * count)
            continue
        values.extend(_column_values(leaf.column_reader(field, translate=False), count))
        if leaf.has_deletions():
            # A document replaced or deleted stays in its segment until a merge.
            deleted = getattr(leaf, "deleted_docs_set", None)
            gone = deleted if deleted is not None else filter(leaf.is_deleted, range(count))
            for docnum in gone:
                values[offset + docnum] = 0
    return values


def _column_values(column: Any, doccount: int) -> list[int]:
    try:
        typecode, size, count = column._typecode, column._fixedlen, column._count
        numbers = array(typecode, column._dbfile.get(column._basepos, size * count))
        if sys.byteorder == "little":
            numbers.byteswap()  # stored big-endian
        found: list[int] = numbers.tolist()
    except (AttributeError, ValueError, TypeError, OSError):
        found = [int(value) for value in column]
    return found + [0] * (doccount - len(found))


def _row(stored: dict[str, Any]) -> NotebookRow:
    details = stored.get("details") or {}
    confidence = details.get("confidence") or None
    return NotebookRow(
        id=stored.get("id", ""),
        source=stored.get("source_id", ""),
        kind=Kind(stored.get("kind", "highlight")),
        quote=stored.get("quote", ""),
        note=stored.get("note", ""),
        start=stored.get("start"),
        speaker=details.get("speaker", ""),
        tags=tuple(details.get("tags", ())),
        confidence=Confidence(confidence) if confidence in set(Confidence) else None,
        created=details.get("created", ""),
        status=details.get("status", ""),
    )
