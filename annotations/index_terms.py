"""A new segment's terms written in Whoosh's own format (the whoosh3 codec), a term at a time.

Whoosh writes a term through a term info object, a postings writer and its block buffers,
with several calls per posting; most of a vault's terms hold one or two postings (an id, a
rare word), so that machinery was a third of a reindex. This writes the same bytes from a
term's gathered postings: its entry in the term table (statistics, then the postings
themselves when they are few, else where its blocks are) and its blocks of postings.
Whoosh's reader reads them; a test compares every posting and statistic with Whoosh's writer.

One thing differs from Whoosh's bytes, not from what is read: when a codec compresses blocks
(`IndexCodec` does not), it is with a 4 KB window, not 32 KB, and a smaller hash table. A block
is at most a few KB, so it comes out the same size, and zlib spent most of a small block's time
setting up the larger ones.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Mapping, Sequence
from hashlib import md5
from operator import sub
from pickle import dumps
from struct import Struct
from typing import Any, TypeAlias

from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort

WINDOW_BITS = 12
"""zlib's window for a block (4 KB); any zlib reader takes a smaller window than its own."""
MEMORY_LEVEL = 5
"""zlib's memory for its hash table (1 to 9, 8 by default): for a few KB, the same size."""
_INFO = W3TermInfo._struct  # noqa: SLF001 - the term table's entry layout, as Whoosh packs it
_NO_LENGTH = 0
"""A block's and a term's shortest and longest field length, as a byte: the index keeps none
(see `IndexCodec`)."""


_STORED_HEADER = b"\x78\x01"
"""A zlib stream's header: deflate, and a check value that makes the pair a multiple of 31."""
_STORED_BLOCK = Struct("<BHH")
"""A deflate block kept as is: its final flag, its length and that length's complement."""
_STORED_MOST = 0xFFFF
_ADLER = Struct(">I")


_MD5 = 0
"""Whoosh's number for the MD5 hash of a hash table's keys, the one the term table uses."""
_KEY_VALUE_LENGTHS = Struct("!ii")
"""A hash table entry's key and value lengths, as Whoosh packs them."""


Postings: TypeAlias = "tuple[Sequence[int], Sequence[float], list[bytes]]"
"""A term's postings: document numbers in order, weights, and values (none for a field whose
postings carry none)."""


def compress(data: bytes, level: int) -> bytes:
    """`zlib.compress` with a small window and hash table: most of its time on a small piece is
    setting up the 300 KB of state its defaults take."""
    packer = zlib.compressobj(level, zlib.DEFLATED, WINDOW_BITS, MEMORY_LEVEL)
    return packer.compress(data) + packer.flush()


def stored_as_is(data: bytes, level: int = 0) -> bytes:
    """`data` as a zlib stream of uncompressed blocks, made without zlib's compressor (whatever
    `level`, which the column passes): any zlib reader reads it back.

    A document's stored fields are a few hundred bytes. Compressing them saved about a fifth of
    the index's size and cost about 30 us a document, setting up zlib's state: a sixth of a
    reindex's indexing. Stored fields are read only for the hits shown."""
    parts = [_STORED_HEADER]
    size = len(data)
    at = 0
    while True:
        piece = data[at : at + _STORED_MOST]
        at += len(piece)
        parts.append(_STORED_BLOCK.pack(at >= size, len(piece), len(piece) ^ _STORED_MOST))
        parts.append(piece)
        if at >= size:
            break
    parts.append(_ADLER.pack(zlib.adler32(data)))
    return b"".join(parts)


def write_terms(fields: Any, schema: Any, gathered: Mapping[str, Mapping[bytes, Postings]]) -> None:
    """Write gathered postings through a whoosh3 field writer: fields and terms in order."""
    codec = fields._codec  # noqa: SLF001 - the field writer's own codec and files
    table, postfile = fields._tindex, fields._postfile  # noqa: SLF001
    blocks = _Blocks(postfile, codec._blocklimit, codec._compression)  # noqa: SLF001
    inline_below = codec._inlinelimit  # noqa: SLF001
    for name in sorted(gathered):
        terms = gathered[name]
        if not terms:
            continue
        fields.start_field(name, schema[name])
        prefix = pack_ushort(fields._fieldid)  # noqa: SLF001
        blocks.fixed = schema[name].format.fixed_value_size()
        entries = []
        for text in sorted(terms):
            term = terms[text]
            if len(term[0]) < inline_below:
                entry = _inlined(term)
            else:
                entry = blocks.write(term)
            entries.append((prefix + text, entry))
        _add_entries(table, entries)
        fields.finish_field()


def _add_entries(table: Any, entries: list[tuple[bytes, bytes]]) -> None:
    """What Whoosh's `OrderedHashWriter.add` does for each of a field's terms (in order), in
    one write: each entry's lengths, key and value, its position in the key index, and its
    key's hash in one of the table's 256 buckets."""
    if table.hashtype != _MD5 or not entries:
        for key, value in entries:
            table.add(key, value)
        return
    file = table.dbfile
    buckets, positions = table.buckets, table.index
    at = file.tell()
    parts: list[bytes] = []
    for key, value in entries:
        # Whoosh's MD5 hash of a key: the low 32 bits of its digest read as one number.
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:])
        buckets[hashed & 255].append((hashed, at))
        positions.append(at)
        parts += (_KEY_VALUE_LENGTHS.pack(len(key), len(value)), key, value)
        at += _KEY_VALUE_LENGTHS.size + len(key) + len(value)
    file.write(b"".join(parts))
    table.lastkey = entries[-1][0]


def _inlined(term: Postings) -> bytes:
    """A term's entry holding its few postings itself."""
    ids, weights, values = term
    rounded = array("f", weights)  # a block keeps its weights as 32-bit floats
    most = max(weights)
    info = _INFO.pack(
        True, sum(rounded), len(ids), _NO_LENGTH, _NO_LENGTH, most if most > 0 else 0,
        ids[0], ids[-1],
    )  # fmt: skip
    return info + dumps((tuple(ids), tuple(rounded), tuple(values)), 2)


class _Blocks:
    """Writes a term's postings to the postings file in blocks, as Whoosh's postings writer
    cuts and encodes them; returns the term's entry."""

    def __init__(self, postfile: Any, limit: int, level: int) -> None:
        self.postfile = postfile
        self.limit = limit
        self.level = level
        self.fixed: int | None = None
        """The field's fixed value size: None for values of any length, 0 for none."""

    def write(self, term: Postings) -> bytes:
        limit = self.limit
        ids, weights, values = term
        count = len(ids)
        start = self.postfile.tell()
        parts = [WHOOSH3_HEADER_MAGIC]  # written in one piece: a file write is a few calls
        total = 0.0
        heaviest: float = 0
        for at in range(0, count, limit):
            end = at + limit
            block_ids = ids[at:end]
            block_weights = weights[at:end]
            rounded = array("f", block_weights)
            total += sum(rounded)
            most = max(block_weights)
            most = most if most > 0 else 0
            heaviest = max(heaviest, most)
            data = dumps((_deltas(block_ids), _weights(rounded), self._values(values[at:end])), 2)
            level = self.level if len(data) >= COMPRESSION_MIN_SIZE else 0
            if level:
                data = compress(data, level)
            info = dumps((len(block_ids), block_ids[-1], most, level, _NO_LENGTH, _NO_LENGTH), 2)
            size = len(info) + len(data)
            parts += (pack_int(-size if end >= count else size), info, data)
        written = b"".join(parts)
        self.postfile.write(written)
        extent = pack_long(start) + pack_int(len(written))
        return (
            _INFO.pack(False, total, count, _NO_LENGTH, _NO_LENGTH, heaviest, ids[0], ids[-1])
            + extent
        )

    def _values(self, values: list[bytes]) -> tuple[bytes, ...] | bytes | None:
        fixed = self.fixed
        if fixed is None or fixed < 0:
            return tuple(values)
        if fixed == 0:
            return None
        return b"".join(values)


def _deltas(ids: Sequence[int]) -> tuple[int, ...]:
    """Document numbers as the gaps between them (the first from 0)."""
    return (ids[0], *map(sub, ids[1:], ids))


def _weights(weights: array[float]) -> tuple[float, ...] | float | None:
    """A block's weights as Whoosh keeps them: None when all are 1, one number when all are
    the same."""
    count = len(weights)
    if weights.count(1.0) == count:
        return None
    first = weights[0]
    if weights.count(first) == count:
        return first
    return tuple(weights)
