"""Whether a passage found by a fuzzy search can stand for a quote at all.

Similarity alone is blind to meaning: "may come from teaching" and "may not come from feeding"
share most of their letters. A passage is a candidate only when it says no more than the quote
did: the same number of negations, and no content word that the quote did not have (a word may
be spelled a little differently: a fixed typo), in the quote's order. Content words of the quote
may be missing (words cut from it), and small words (articles, pronouns, forms of "be") may
differ: the reader still reviews every candidate before it replaces the quote.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from readmark.annotations.quote_match import fold_quote, straighten
from readmark.library.lazy_import import LazyModule

fuzz = LazyModule("rapidfuzz.fuzz")  # loaded the first time a respelling is weighed

NEGATIONS = frozenset(
    {
        "not", "no", "never", "cannot", "without", "nobody", "nothing", "none", "neither",
        "nor", "nowhere", "noone", "hardly", "scarcely", "barely",
        # Contractions typed without the apostrophe, as careless transcripts do.
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt",
        "wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "mustnt", "neednt",
    }
)  # fmt: skip
"""Words that turn a claim around (any word ending in n't counts too)."""

STOP_WORDS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those",
        "i", "me", "my", "mine", "you", "your", "yours", "he", "him", "his", "she", "her",
        "hers", "it", "its", "we", "us", "our", "ours", "they", "them", "their", "theirs",
        "be", "am", "is", "are", "was", "were", "been", "being", "have", "has", "had",
        "do", "does", "did", "and", "or", "but", "so", "as", "of", "to", "in", "on", "at", "by",
        "for", "from", "with", "which", "who", "whom", "whose", "what", "there", "here",
        "um", "uh", "oh", "well", "just", "really", "very", "yeah", "s", "ll", "re", "ve", "d",
        "m",
    }
)  # fmt: skip
"""Words that carry little of a claim: a candidate may add, drop or change them. Modal verbs
(may, must), quantifiers (every, some) and prepositions of time or place (before, under) are
not among them: changing one changes what was said."""

RESPELLING_RATIO = 80.0
"""Least similarity (0-100) for a word to count as the same word spelled differently."""

MIN_RESPELLED_LENGTH = 4
"""Words shorter than this must match exactly: `cat` and `cut` are one letter apart."""

STEM_SHARE = 0.6
"""Two words whose common beginning is this share of the shorter one are one word's forms."""

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, with straight apostrophes; hyphens split words."""
    return _WORD.findall(fold_quote(text).lower())


def is_negation(word: str) -> bool:
    return word.endswith("n't") or word.replace("'", "") in NEGATIONS


def content_words(all_words: Sequence[str]) -> list[str]:
    """The words that carry the claim; a word is split at its apostrophes (`soil's` is
    `soil` and `s`), so a dropped apostrophe is only a respelling."""
    found: list[str] = []
    for word in all_words:
        if is_negation(word):
            continue
        for part in word.split("'"):
            if part and part not in STOP_WORDS:
                found.append(part)
    return found


def refusal(quote: str, candidate: str) -> str | None:
    """Why `candidate` cannot stand for `quote`, or None when it may be offered for review."""
    said, found = words(quote), words(candidate)
    negations_said = sum(map(is_negation, said))
    negations_found = sum(map(is_negation, found))
    if negations_found > negations_said:
        return "it adds a negation"
    if negations_found < negations_said:
        return "it drops a negation"
    stray = _stray_word(content_words(said), content_words(found))
    if stray is not None:
        return f"it says {stray!r}, which the quote does not"
    return None


def _stray_word(said: list[str], found: list[str]) -> str | None:
    """The first word of `found` that is not one of `said`, in order (some of `said` may be
    skipped: words cut from the quote); None when every word is accounted for."""
    at = 0
    for word in found:
        while at < len(said) and not _same_word(said[at], word):
            at += 1
        if at == len(said):
            return word
        at += 1
    return None


def foreign_edges(quote: str, passage: str) -> tuple[int, int]:
    """How many characters to drop from the start and the end of `passage` so that it neither
    begins nor ends with a word the quote does not have there (a fuzzy match may take in a
    neighbour for a few letters of likeness); at least one word is always left.

    An edge word is foreign when the quote lacks it, or has it only out of order: `The` before
    `council` when the quote has `the` only after `council`.
    """
    said = words(quote)
    found = [(m, _places(m.group().lower(), said)) for m in _WORD.finditer(straighten(passage))]
    if not found:
        return 0, 0
    first, last = 0, len(found) - 1
    while first < last:
        here, after = found[first][1], found[first + 1][1]
        if here and (not after or min(here) < max(after)):
            break
        first += 1
    while last > first:
        here, before = found[last][1], found[last - 1][1]
        if here and (not before or max(here) > min(before)):
            break
        last -= 1
    head = found[first][0].start() if first else 0
    tail = len(passage) - found[last][0].end() if last < len(found) - 1 else 0
    return head, tail


def _places(word: str, said: list[str]) -> list[int]:
    """Where `word` (or a respelling of it) stands among the quote's words."""
    return [i for i, other in enumerate(said) if _same_word(other, word)]


def _same_word(said: str, found: str) -> bool:
    if said == found:
        return True
    if min(len(said), len(found)) < MIN_RESPELLED_LENGTH:
        return False
    if any(c.isdigit() for c in said + found):
        return False  # 1998 and 1999 are different years, however alike
    if said[0] == found[0] and fuzz.ratio(said, found) >= RESPELLING_RATIO:
        return True  # a typo rarely hits the first letter; `could` and `would` are two words
    # Another ending of the same stem: `conditioner` and `conditioning`.
    stem = len(os.path.commonprefix([said, found]))
    return stem >= max(MIN_RESPELLED_LENGTH, STEM_SHARE * min(len(said), len(found)))
