"""A stemmed text field's postings as a bulk write gathers them: per term, its documents and
its places in each, in two plain lists.

A reindex makes millions of postings, nearly all of one position each (a word said once in a
quote, a note or a passage). Per term this keeps two plain lists: the document numbers, and
the term's position in each (a list of positions where it occurs more than once): two
appends a posting. A term's weights and encoded positions, which Whoosh writes, are made from
them when it is written, with no call per posting for the terms never repeated in a text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

from readmark.annotations.index_schema import StemmingChain, encoded_positions, one_position
from readmark.annotations.index_terms import Postings
from readmark.annotations.index_words import kept_terms

POSTING_SIZE = 40
"""About the bytes a gathered posting takes (two list slots, a position), for the memory
limit."""
TERM_SIZE = 400
"""About the bytes a gathered term takes besides its postings (its keys and two lists)."""


class StemmedPostings(Mapping[bytes, Postings]):
    """One stemmed field's postings so far, read as Whoosh's (document numbers, weights,
    encoded positions) per term."""

    def __init__(self, chain: StemmingChain, boost: float) -> None:
        self._chain = chain
        self._boost = boost
        self._documents: dict[bytes, list[int]] = {}
        self._places: dict[bytes, list[int | list[int]]] = {}
        self._repeated: set[bytes] = set()
        """Terms that occur more than once in some document (their places hold lists)."""

    def add(self, value: str, docnum: int) -> tuple[int, int]:
        """Add a document's text; returns the field's length (its words kept) and about the
        bytes its postings take."""
        kept, first = kept_terms(self._chain, value)
        length = len(kept)
        if len(set(kept)) < length:
            return length, self._add_repeating(kept, first, docnum)
        documents, places = self._documents, self._places
        size = POSTING_SIZE * length
        at = first
        for word in kept:
            found = documents.get(word)
            if found is None:
                found = documents[word] = []
                places[word] = []
                size += TERM_SIZE + len(word)
            found.append(docnum)
            places[word].append(at)
            at += 1
        return length, size

    def _add_repeating(self, kept: list[bytes], first: int, docnum: int) -> int:
        """`add` for a text that says a word more than once: its places there are a list."""
        positions: dict[bytes, list[int]] = {}
        for at, word in enumerate(kept, first):
            found = positions.get(word)
            if found is None:
                positions[word] = [at]
            else:
                found.append(at)
        documents, places = self._documents, self._places
        size = POSTING_SIZE * len(positions)
        for word, at_each in positions.items():
            listed = documents.get(word)
            if listed is None:
                listed = documents[word] = []
                places[word] = []
                size += TERM_SIZE + len(word)
            listed.append(docnum)
            if len(at_each) == 1:
                places[word].append(at_each[0])
            else:
                places[word].append(at_each)
                self._repeated.add(word)
        return size

    def __getitem__(self, term: bytes) -> Postings:
        documents, places = self._documents[term], self._places[term]
        boost = self._boost
        if term in self._repeated:
            weights = [boost if isinstance(p, int) else boost * len(p) for p in places]
            values = [
                one_position(p) if isinstance(p, int) else encoded_positions(p) for p in places
            ]
            return documents, weights, values
        once = cast(list[int], places)  # a term never repeated has one position a document
        return documents, [boost] * len(documents), list(map(one_position, once))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)
