"""The words of a text as the index keeps them: found, lowercased, accents folded, stop words
left out, stemmed, each made once and remembered.

Finding the words is most of the indexing's time per word. Whoosh finds them with its word
pattern; for a text of ASCII only (nearly all of a vault), the same words are found by
turning every byte that is not a word's into a space and splitting, three times as fast. A
dot is the one byte that can be inside a word (`e.g`, `3.14`): a text with a dot between two
letters is left to the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar, cast

from whoosh.lang.porter import stem

if TYPE_CHECKING:
    from readmark.annotations.index_schema import StemmingChain

INDEXED_WORD = re.compile(r"[\w\u0300-\u036f]+(?:\.[\w\u0300-\u036f]+)*")
"""The index's word pattern (Whoosh's, with combining accents inside a word) as indexing finds
words: the same words (a dot can only join two runs of letters, as the first run takes all the
letters it can), with less backtracking."""
ASCII_WORD = re.compile(r"[0-9A-Za-z_]+(?:\.[0-9A-Za-z_]+)*")
"""`INDEXED_WORD` in a text of ASCII only, where a word's letters are these."""

_LETTERS = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_GAPS_BUT_DOTS = bytes(b if b in _LETTERS or b == ord(".") else ord(" ") for b in range(256))
"""Every byte a space but a word's letters and dots."""
_SPACE_OR_DOT = (ord(" "), ord("."))

Word = TypeVar("Word", str, bytes)
"""A word as found: a string, or the bytes of an ASCII text's word."""

_TERMS_LIMIT = 200_000
_TERMS: dict[str, bytes] = {}
"""A word as written -> its indexed term (b"" when it is dropped): a vault repeats its words."""
_ASCII_TERMS: dict[bytes, bytes] = {}
"""The same, for the words of ASCII texts, found as bytes."""


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """The Porter stem of a lowercased word, remembered: a vault repeats its words endlessly."""
    return str(stem(word))


def kept_terms(chain: StemmingChain, value: str) -> tuple[list[bytes], int]:
    """The terms of `value`'s words in order (as the index's bytes), stop words and words of
    the wrong length left out, and the position of the first: the words before it count, the
    ones left out after it do not (as Whoosh's chain numbers them)."""
    words = _ascii_terms(chain, value) if value.isascii() else None
    if words is None:
        words = _terms(chain, (ASCII_WORD if value.isascii() else INDEXED_WORD).findall(value))
    kept = list(filter(None, words))
    return kept, words.index(kept[0]) if kept else 0


def positions_of(kept: list[bytes], first: int) -> dict[bytes, list[int]]:
    """Each distinct term of `kept_terms`' answer with its positions, in order."""
    positions: dict[bytes, list[int]] = {}
    for at, word in enumerate(kept, first):
        found = positions.get(word)
        if found is None:
            positions[word] = [at]
        else:
            found.append(at)
    return positions


def ascii_words(value: str) -> list[bytes] | None:
    """The words of an ASCII text, as `ASCII_WORD` finds them, or None when a dot joins two
    runs of letters in it."""
    data = value.encode("ascii").translate(_GAPS_BUT_DOTS)
    at = data.find(b".")
    if at < 0:
        return data.split()
    last = len(data) - 1
    while at >= 0:
        if (
            0 < at < last
            and data[at - 1] not in _SPACE_OR_DOT
            and data[at + 1] not in _SPACE_OR_DOT
        ):
            return None  # a dot inside a word
        at = data.find(b".", at + 1)
    return data.replace(b".", b" ").split()


def _ascii_terms(chain: StemmingChain, value: str) -> list[bytes] | None:
    raws = ascii_words(value)
    if raws is None:
        return None
    return _remembered(_ASCII_TERMS, raws, lambda raw: _term(chain, raw.decode("ascii")).encode())


def _terms(chain: StemmingChain, raws: list[str]) -> list[bytes]:
    return _remembered(_TERMS, raws, lambda raw: _term(chain, raw).encode("utf-8"))


def _remembered(
    cache: dict[Word, bytes], raws: list[Word], make: Callable[[Word], bytes]
) -> list[bytes]:
    """The term of each word: as remembered in `cache`, or made and remembered."""
    found = list(map(cache.get, raws))
    if None not in found:
        return cast(list[bytes], found)
    if len(cache) >= _TERMS_LIMIT:
        cache.clear()
    made = []
    for raw, term in zip(raws, found, strict=True):
        if term is None:
            term = cache[raw] = make(raw)
        made.append(term)
    return made


def _term(chain: StemmingChain, raw: str) -> str:
    """What the chain makes of one word: lowercased, accents folded, stop words and words of
    the wrong length dropped (""), stemmed."""
    stop = chain._stops  # noqa: SLF001 - the chain's own parts, as its fast path reads them
    text = raw.lower()
    if not text.isascii():
        text = text.translate(chain._fold.charmap)  # noqa: SLF001
    if len(text) < stop.min or (stop.max is not None and len(text) > stop.max):
        return ""
    if text in stop.stops:
        return ""
    return stem_word(text)
