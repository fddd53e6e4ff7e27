"""Whether two ways of writing a name stand for the same person.

A text names people as it likes: `Carvalho-Reyes`, `Inés Carvalho-Reyes`, `Dr. Carvalho-Reyes`,
`INES`. Two names are one person's when, titles, accents and case aside, the words of one are
all among the words of the other.
"""

from __future__ import annotations

import unicodedata

TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame lord lady rev fr".split())


def name_words(name: str) -> frozenset[str]:
    """The words of a name as compared: no accents, no case, no titles, no full stops."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = (w.strip(".,'\u2019") for w in plain.split())
    return frozenset(w for w in words if w and w not in TITLES)


def same_person(one: str, other: str) -> bool:
    """`Castell` and `Ewan Castell` are one person; `Ewan Castell` and `Ewan Marsh` are not."""
    a, b = name_words(one), name_words(other)
    return bool(a) and bool(b) and (a <= b or b <= a)
