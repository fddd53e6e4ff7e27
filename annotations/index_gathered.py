"""A stemmed text field's postings as a bulk write gathers them: per term, its documents and
its place in each, in two arrays of numbers.

A reindex makes millions of postings, nearly all of one position each (a word said once in a
quote, a note or a passage). Per term this keeps the document numbers and the term's position
in each, four bytes apiece: two appends a posting, and a transcript's postings take a fifth of
the memory that Python objects per posting take. A word said more than once in a text has a
mark in place of its position, pointing into a third array of the term's that holds how many
times it was said there and where. A term's weights and encoded positions, which Whoosh
writes, are made from these when it is written.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping

from readmark.annotations.index_schema import StemmingChain, encoded_positions, one_position
from readmark.annotations.index_terms import Postings
from readmark.annotations.index_words import kept_terms, positions_of

POSTING_SIZE = 9
"""About the bytes a gathered posting takes (two numbers in arrays that grow by an eighth),
for the memory limit."""
TERM_SIZE = 400
"""About the bytes a gathered term takes besides its postings (its keys and arrays)."""
REPEATED = 1 << 31
"""Added to an offset in a term's repeats, in place of a position: the word was said more than
once in that document (no text holds two billion words)."""
_CHUNK = 8192
"""Postings encoded in one call: a longer C loop would keep other threads (the reader's keys)
waiting."""


class StemmedPostings(Mapping[bytes, Postings]):
    """One stemmed field's postings so far, read as Whoosh's (document numbers, weights,
    encoded positions) per term."""

    def __init__(self, chain: StemmingChain, boost: float) -> None:
        self._chain = chain
        self._boost = boost
        self._documents: dict[bytes, array[int]] = {}
        self._places: dict[bytes, array[int]] = {}
        """A term's position in each of its documents, or `REPEATED` plus an offset in its
        repeats."""
        self._repeats: dict[bytes, array[int]] = {}
        """Per term, for each document that says it more than once: how many times, then each
        position."""

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
                found = self._new_term(word)
                size += TERM_SIZE + len(word)
            found.append(docnum)
            places[word].append(at)
            at += 1
        return length, size

    def _new_term(self, word: bytes) -> array[int]:
        """A new term's arrays; returns its documents'."""
        self._places[word] = array("I")
        documents = self._documents[word] = array("I")
        return documents

    def _add_repeating(self, kept: list[bytes], first: int, docnum: int) -> int:
        """`add` for a text that says a word more than once."""
        positions = positions_of(kept, first)
        documents, places, repeats = self._documents, self._places, self._repeats
        size = POSTING_SIZE * len(positions)
        for word, at_each in positions.items():
            listed = documents.get(word)
            if listed is None:
                listed = self._new_term(word)
                size += TERM_SIZE + len(word)
            listed.append(docnum)
            if len(at_each) == 1:
                places[word].append(at_each[0])
                continue
            said = repeats.get(word)
            if said is None:
                said = repeats[word] = array("I")
            places[word].append(REPEATED + len(said))
            said.append(len(at_each))
            said.extend(at_each)
            size += 4 * (len(at_each) + 1)
        return size

    def __getitem__(self, term: bytes) -> Postings:
        documents, places = self._documents[term], self._places[term]
        boost = self._boost
        weights = [boost] * len(documents)
        said = self._repeats.get(term)
        if said is None:
            values: list[bytes] = []
            for at in range(0, len(places), _CHUNK):
                values += map(one_position, places[at : at + _CHUNK])
            return documents, weights, values
        values = []
        for index, place in enumerate(places):
            if place < REPEATED:
                values.append(one_position(place))
                continue
            start = place - REPEATED + 1
            count = said[start - 1]
            weights[index] = boost * count
            values.append(encoded_positions(said[start : start + count].tolist()))
        return documents, weights, values

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)
