"""A long made-up essay, random spans on it, and an edit that cuts words and shuffles paragraphs.

Everything is drawn from seeded generators, so a test run is the same on every machine. The
vocabulary is small on purpose: the same words recur all over the text, the way a long talk
repeats itself, which is what makes a careless re-anchor latch on to other words.
"""

from __future__ import annotations

import random
import re

NOUNS = (
    "garden", "river", "council", "teacher", "harvest", "bridge", "market", "engine", "village",
    "library", "orchard", "budget", "winter", "student", "harbour", "factory", "forest", "doctor",
    "railway", "kitchen", "breakthrough", "theory", "season", "climate", "pattern", "neighbour",
    "archive", "festival", "tunnel", "meadow",
)  # fmt: skip
VERBS = (
    "build", "teach", "feed", "carry", "measure", "protect", "fund", "repair", "follow", "change",
    "open", "close", "explain", "support", "question", "plant", "sell", "borrow", "watch", "test",
)  # fmt: skip
ADJECTIVES = (
    "old", "quiet", "early", "broken", "careful", "bright", "narrow", "public", "cheap", "slow",
    "local", "hidden", "steady", "strange", "useful",
)  # fmt: skip
MODALS = ("may", "must", "will", "should", "can", "could", "would")
NEGATIONS = ("not", "never")
LINKS = ("and", "but", "because", "while", "so")
PREPOSITIONS = ("from", "with", "near", "under", "after", "before", "for", "about")

_WORD = re.compile(r"\S+")


def _noun_phrase(pick: random.Random) -> str:
    article = pick.choice(("the", "a", "every", "our", "their"))
    if pick.random() < 0.5:
        return f"{article} {pick.choice(ADJECTIVES)} {pick.choice(NOUNS)}"
    return f"{article} {pick.choice(NOUNS)}"


def _clause(pick: random.Random) -> str:
    subject = _noun_phrase(pick)
    modal = pick.choice(MODALS)
    negation = f" {pick.choice(NEGATIONS)}" if pick.random() < 0.3 else ""
    verb = pick.choice(VERBS)
    tail = ""
    if pick.random() < 0.6:
        tail = f" {pick.choice(PREPOSITIONS)} {_noun_phrase(pick)}"
    return f"{subject} {modal}{negation} {verb} {_noun_phrase(pick)}{tail}"


def _sentence(pick: random.Random) -> str:
    text = _clause(pick)
    if pick.random() < 0.4:
        text += f", {pick.choice(LINKS)} {_clause(pick)}"
    return text[0].upper() + text[1:] + "."


def essay(seed: int, paragraphs: int = 160) -> str:
    """Paragraphs of three to seven sentences, separated by blank lines."""
    pick = random.Random(seed)
    return "\n\n".join(
        " ".join(_sentence(pick) for _ in range(pick.randint(3, 7))) for _ in range(paragraphs)
    )


def word_spans(text: str, count: int, seed: int) -> list[tuple[int, int]]:
    """`count` spans of 2 to 16 whole words inside one paragraph each, as a reader selects."""
    pick = random.Random(seed)
    paragraphs = [m for m in re.finditer(r"[^\n]+", text)]
    spans: list[tuple[int, int]] = []
    while len(spans) < count:
        paragraph = pick.choice(paragraphs)
        words = list(_WORD.finditer(text, paragraph.start(), paragraph.end()))
        length = min(pick.randint(2, 16), len(words))
        first = pick.randrange(len(words) - length + 1)
        spans.append((words[first].start(), words[first + length - 1].end()))
    return spans


def cut_and_shuffle(text: str, seed: int, cut_share: float = 0.9) -> tuple[str, list[int]]:
    """`text` with four to twelve words cut from `cut_share` of its paragraphs, then the
    paragraphs in a new order; and, for each paragraph of the new text, its index in `text`."""
    pick = random.Random(seed)
    paragraphs = text.split("\n\n")
    edited: list[str] = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        if pick.random() < cut_share:
            for _ in range(pick.randint(4, 12)):
                if len(words) > 1:
                    del words[pick.randrange(len(words))]
        edited.append(" ".join(words))
    order = list(range(len(edited)))
    pick.shuffle(order)
    return "\n\n".join(edited[i] for i in order), order
